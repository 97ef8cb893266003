import HPOWire
import HPOWorkerCore
import Testing

/// TRIAL, CANCEL and RESULT: each attempt runs once, refusals are answered unrun.
@Suite struct TrialTests {
    @Test func aTrialStartsAndItsResultIsSent() {
        var worker = WorkerHarness()
        worker.connect()
        let start = worker.trial(7, attempt: 2)
        #expect(start == start.filter { if case .log = $0 { true } else { false } } + [.start(WorkerHarness.assignment(7, attempt: 2))])
        let result = WorkerHarness.result(7, attempt: 2)
        #expect(worker.finish(7, attempt: 2).sent == [.result(result)])
        #expect(worker.machine.running.isEmpty)
    }

    @Test func aDuplicateTrialOfARunningAttemptIsIgnored() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(10)
        let again = worker.trial(10)
        #expect(again.started.isEmpty && again.sent.isEmpty)
    }

    @Test func aTrialRepeatedAfterItFinishedGetsTheSameResultWithoutASecondRun() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(30)
        let first = worker.finish(30).results
        let again = worker.trial(30)
        #expect(again.started.isEmpty)
        #expect(again.results == first)
    }

    @Test func finishedAttemptsAreRememberedWithinABound() {
        var worker = WorkerHarness { $0.rememberedResults = 3 }
        worker.connect()
        for id in 0..<5 {
            worker.trial(id)
            worker.finish(id)
        }
        #expect(worker.machine.finished.count == 3)
        #expect(worker.trial(4).results.map(\.trialID) == [4])
        #expect(worker.trial(0).started == [WorkerHarness.key(0)], "forgotten beyond the bound: runs again")
    }

    @Test func aSecondTrialWhileBusyIsRefusedUnrunAsBusyAndTheRunningOneIsNamed() throws {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        let actions = worker.trial(2)
        #expect(actions.sentKinds == [.result, .heartbeat])
        let refusal = try #require(actions.refusal)
        #expect(refusal.key == WorkerHarness.key(2))
        guard case .stopped(let reason) = refusal.outcome else { Issue.record("expected stopped, got \(refusal.outcome)"); return }
        #expect(reason.hasPrefix("busy:"))
        #expect(reason.contains("trial 1 attempt 1"))
        #expect(actions.sent.last == .heartbeat(Heartbeat(running: [WorkerHarness.key(1)])))
        // The refusal is not remembered: offered again once idle, the attempt runs.
        worker.finish(1)
        #expect(worker.trial(2).started == [WorkerHarness.key(2)])
    }

    @Test func moreSlotsRunMoreAttemptsAndTheExtraOneIsBusy() {
        var worker = WorkerHarness { $0.slots = 2 }
        worker.connect()
        #expect(worker.trial(1).started.count == 1)
        #expect(worker.trial(2).started.count == 1)
        #expect(worker.advance(.seconds(1)).sent == [.heartbeat(Heartbeat(running: [WorkerHarness.key(1), WorkerHarness.key(2)]))])
        let third = worker.trial(3)
        #expect(third.started.isEmpty && third.results.first?.outcome == .stopped(reason: "busy: this worker runs trial 1 attempt 1, trial 2 attempt 1 and has 2 slot(s)"))
    }

    @Test func anObjectiveKindOutsideTheCapabilitiesIsRefusedUnrun() throws {
        var worker = WorkerHarness { $0.capabilities = ["test-function", "null"] }
        worker.connect()
        let actions = worker.trial(3, kind: "command")
        let refusal = try #require(actions.refusal)
        guard case .failed(let reason) = refusal.outcome else { Issue.record("expected failed, got \(refusal.outcome)"); return }
        #expect(reason.contains("\"command\"") && reason.contains("test-function, null"))
    }

    @Test func cancelStopsTheRunningAttemptAndItsStoppedResultIsSent() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        let cancel = worker.receive(.cancel(Cancel(trialID: 1, attempt: 1, reason: "budget reached")))
        #expect(cancel.contains(.cancel(WorkerHarness.key(1), reason: "cancelled by the coordinator: budget reached")))
        let stopped = TrialResult.Outcome.stopped(reason: "cancelled by the coordinator: budget reached")
        #expect(worker.finish(1, stopped).results.map(\.outcome) == [stopped])
        #expect(worker.trial(2).started == [WorkerHarness.key(2)], "idle again")
    }

    @Test func cancelOfAFinishedAttemptRepeatsItsResultAndOfAnUnknownOneAnswersStopped() throws {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(1)
        worker.finish(1)
        #expect(worker.receive(.cancel(Cancel(trialID: 1, attempt: 1, reason: "late"))).results.map(\.outcome) == [.completed(value: 0.5, metrics: [:])])
        let unknown = try #require(worker.receive(.cancel(Cancel(trialID: 5, attempt: 2, reason: "stop"))).results.first)
        #expect(unknown.key == WorkerHarness.key(5, attempt: 2))
        guard case .stopped(let reason) = unknown.outcome else { Issue.record("expected stopped"); return }
        #expect(reason.hasPrefix("never received"))
    }

    @Test func anUnknownTrialErrorStopsTheAttemptItNames() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(4)
        let reply = ErrorReply(code: .notHolder, message: "held by another worker", trial: WorkerHarness.key(4))
        #expect(worker.receive(.error(reply)).cancelled == [WorkerHarness.key(4)])
    }

    @Test func aRefusedResultIsNotSentAgainInAnswerToTheRefusal() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(4)
        worker.finish(4)
        let reply = ErrorReply(code: .notHolder, message: "held by another worker", trial: WorkerHarness.key(4))
        let actions = worker.receive(.error(reply))
        #expect(actions.sent.isEmpty && actions.cancelled.isEmpty)
    }

    @Test func messagesACoordinatorShouldNotSendAreIgnoredWithAWarning() {
        var worker = WorkerHarness()
        worker.connect()
        let actions = worker.receive(.statusRequest)
        #expect(actions.sent.isEmpty && actions.logs(atLeast: .warning).count == 1)
    }
}
