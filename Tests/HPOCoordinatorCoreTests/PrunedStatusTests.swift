import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// The counts a running study shows (the live view's snapshot, STATUS_REPLY for `hpo status`) include the trials
/// the pruner stopped (#9).
@Suite struct PrunedStatusTests {
    @Test func theSnapshotAndTheStatusReplyCountPrunedTrials() throws {
        var harness = Harness.ashaWithOneWorker()
        harness.send(.message(from: WorkerID("a"), .progress(TrialProgress(trialID: 0, attempt: 1, step: 1, value: 0.9))))
        harness.complete("a", trial: 0, value: 0.9)
        harness.answerProposals()
        // Worse than trial 0 at the first rung: pruned.
        harness.send(.message(from: WorkerID("a"), .progress(TrialProgress(trialID: 1, attempt: 1, step: 1, value: 0.1))))
        try #require(harness.machine.trials[TrialID(rawValue: 1)]?.phase == .pruned(step: 1, value: 0.1))

        let snapshot = harness.machine.snapshot
        #expect(snapshot.completed == 1 && snapshot.pruned == 1 && snapshot.failed == 0)
        let actions = harness.send(.message(from: WorkerID("cli"), .statusRequest))
        let status = try #require(Harness.messages(actions, to: "cli").compactMap { message -> StudyStatus? in
            if case .statusReply(let status) = message { status } else { nil }
        }.first)
        #expect(status.completed == 1 && status.pruned == 1 && status.failed == 0 && status.budget == 4)
    }
}
