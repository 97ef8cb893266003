import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// TRIAL and the coordinator's HEARTBEAT carry the study's identity; a worker pinned to another study is sent away
/// (issue #7 §2, the core's part).
@Suite struct StudyIdentityTests {
    @Test func trialAndHeartbeatCarryTheStudyName() throws {
        var harness = Harness()
        harness.send(.start)
        let joined = harness.ready("a")
        #expect(Harness.messages(joined, to: "a") == [.heartbeat(Heartbeat(running: [], study: "test"))])
        let dispatched = harness.answerProposals()
        let trial = Harness.messages(dispatched, to: "a").compactMap { if case .trial(let t) = $0 { t } else { nil } }
        #expect(trial.map(\.study) == ["test"])
        // The heartbeat after half a lease timeout of sending nothing names the leased attempt and the study.
        let beat = harness.advance(.milliseconds(1_500))
        #expect(Harness.messages(beat, to: "a") == [.heartbeat(Heartbeat(running: [TrialKey(trialID: 0, attempt: 1)], study: "test"))])
    }

    @Test func aWorkerPinnedToAnotherStudyGetsWrongStudyAndShutdownAndNoRecordOrTrial() throws {
        var harness = Harness()
        harness.send(.start)
        harness.answerProposals()
        let actions = harness.send(.message(from: WorkerID("x"), .ready(Ready(host: "h", pid: 3, capabilities: ["null"], study: "other"))))
        let messages = Harness.messages(actions, to: "x")
        #expect(messages.count == 2)
        guard case .error(let error) = try #require(messages.first), case .shutdown = try #require(messages.last) else {
            Issue.record("expected ERROR then SHUTDOWN: \(messages)")
            return
        }
        #expect(error.code == .wrongStudy)
        #expect(error.message.contains("\"test\"") && error.message.contains("\"other\""))
        #expect(harness.machine.workers[WorkerID("x")] == nil)
        #expect(harness.dispatched(to: "x").isEmpty)
        #expect(!harness.journal.contains { if case .workerJoined = $0 { true } else { false } })
    }

    @Test func aWorkerPinnedToThisStudyJoins() {
        var harness = Harness()
        harness.send(.start)
        harness.send(.message(from: WorkerID("y"), .ready(Ready(host: "h", pid: 3, capabilities: ["null"], study: "test"))))
        harness.answerProposals()
        #expect(harness.dispatched(to: "y").count == 1)
    }
}
