import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// A worker that runs an attempt the coordinator never leased to it (one from before a coordinator restart) is told
/// to CANCEL it; the attempt keeps a slot taken until it ends, and its reports are expected, not refused
/// (docs/protocol.md, *A TRIAL to a busy slot*).
@Suite struct UnexpectedAttemptTests {
    @Test func theReportsOfAnAttemptTheCoreCancelledAsUnexpectedAreNotRefusedAndItsEndFreesTheSlot() throws {
        var harness = Harness()
        harness.send(.start)
        harness.answerProposals()
        harness.ready("a")
        harness.answerProposals()
        #expect(harness.dispatched(to: "a") == [TrialKey(trial: TrialID(rawValue: 0), attempt: 1)])
        harness.complete("a", trial: 0, value: 0.5)
        harness.answerProposals()
        // The worker also runs trial 42 attempt 3, which this coordinator never handed out.
        let heartbeat = harness.heartbeat("a", trial: 42, attempt: 3)
        let cancel = try #require(Harness.messages(heartbeat, to: "a").first)
        #expect(cancel == .cancel(Cancel(trialID: 42, attempt: 3, reason: "the coordinator does not expect this attempt")))
        let unexpected = TrialKey(trial: TrialID(rawValue: 42), attempt: 3)
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[unexpected] == .cancelling)
        let progress = harness.send(.message(from: WorkerID("a"), .progress(TrialProgress(trialID: 42, attempt: 3, step: 1, value: 0.1))))
        #expect(Harness.errors(progress, to: "a").isEmpty)
        let end = harness.report("a", trial: 42, attempt: 3, .stopped(reason: "cancelled by the coordinator: the coordinator does not expect this attempt"))
        #expect(Harness.errors(end, to: "a").isEmpty)
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[unexpected] == nil)
        #expect(harness.machine.workers[WorkerID("a")]?.state == .serving)
    }
}
