import HPOWire
import HPOWorkerCore
import Testing

/// The study pin, and what the coordinator's HEARTBEAT tells the worker.
@Suite struct StudyAndHeartbeatTests {
    @Test func aTrialOfAnotherStudyIsRefusedUnrunAndTheWorkerLeaves() throws {
        var worker = WorkerHarness { $0.study = "alpha" }
        worker.connect()
        let actions = worker.trial(1, study: "beta")
        let refusal = try #require(actions.refusal)
        guard case .stopped(let reason) = refusal.outcome else { Issue.record("expected stopped"); return }
        #expect(reason.contains("\"beta\"") && reason.contains("\"alpha\""))
        let exit = try #require(actions.exit)
        guard case .wrongStudy(let message) = exit else { Issue.record("expected wrongStudy, got \(exit)"); return }
        #expect(message.contains("\"beta\""))
        #expect(exit.exitCode == 4)
    }

    @Test func aCoordinatorHeartbeatOfAnotherStudyStopsTheRunningTrialAndTheWorkerLeaves() {
        var worker = WorkerHarness { $0.study = "alpha" }
        worker.connect()
        worker.trial(1, study: "alpha")
        let actions = worker.receive(.heartbeat(Heartbeat(running: [], study: "beta")))
        #expect(actions.cancelled == [WorkerHarness.key(1)])
        guard case .wrongStudy = worker.finish(1, .stopped(reason: "leaving")).exit else {
            Issue.record("expected wrongStudy")
            return
        }
    }

    @Test func aWrongStudyErrorEndsTheWorker() {
        var worker = WorkerHarness { $0.study = "alpha" }
        worker.connect()
        #expect(worker.receive(.error(ErrorReply(code: .wrongStudy, message: "this is study beta"))).exit == .wrongStudy(message: "this is study beta"))
    }

    @Test(arguments: [(String?.none, String?("beta")), (String?("alpha"), String?.none), (String?("alpha"), String?("alpha"))])
    func aMatchingOrUnpinnedStudyRuns(pin: String?, study: String?) {
        var worker = WorkerHarness { $0.study = pin }
        worker.connect()
        #expect(worker.receive(.heartbeat(Heartbeat(running: [], study: study))).exit == nil)
        #expect(worker.trial(1, study: study).started == [WorkerHarness.key(1)])
    }

    @Test func anAttemptTheCoordinatorListsThatFinishedHereGetsItsResultAgain() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        let result = worker.finish(1).results
        #expect(worker.receive(.heartbeat(Heartbeat(running: [WorkerHarness.key(1)]))).results == result)
    }

    @Test func anAttemptTheCoordinatorListsThatNeverArrivedIsReportedAtOnce() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        let actions = worker.receive(.heartbeat(Heartbeat(running: [WorkerHarness.key(1), WorkerHarness.key(2)])))
        #expect(actions.sent == [.heartbeat(Heartbeat(running: [WorkerHarness.key(1)]))])
        #expect(actions.cancelled.isEmpty && actions.started.isEmpty)
    }

    @Test func anAttemptTheCoordinatorDoesNotListKeepsRunningAndIsNotedOnceAfterTheConnectionSettled() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        // A restarted coordinator answers READY before it heard what runs here: no note yet.
        #expect(worker.receive(.heartbeat(Heartbeat(running: []))).logs(atLeast: .notice).isEmpty)
        worker.advance(.seconds(1))
        let later = worker.receive(.heartbeat(Heartbeat(running: [])))
        #expect(later.cancelled.isEmpty && later.sent.isEmpty)
        #expect(later.logs(atLeast: .notice).count == 1)
        #expect(worker.receive(.heartbeat(Heartbeat(running: []))).logs(atLeast: .notice).isEmpty, "noted once")
        #expect(worker.machine.running.map(\.key) == [WorkerHarness.key(1)])
    }
}
