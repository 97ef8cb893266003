import HPOOptimizer
import HPOSearchSpace
import Testing

/// Pending trials from an earlier `ask` shape the next one (the coordinator asks one point at a time while trials
/// run, so this is how parallel workers are kept apart).
@Suite struct ConstantLiarTests {
    /// Two optimizers in the same state ask the same first batch; one keeps it pending, the other reports it failed
    /// (a failed trial is still never repeated, but the model ignores it). Only the conditioning on pending trials
    /// tells the two apart, so the next proposals must differ, and the conditioned ones must keep further from the
    /// running trials than the unconditioned ones, which are drawn back to the acquisition's peak beside them.
    @Test(arguments: LieStrategy.allCases, [1, 4])
    func pendingTrialsFromAnEarlierAskMoveTheNextProposals(lie: LieStrategy, batch: Int) throws {
        let function = TestFunction.hartmann6
        let options = BayesianOptimizerOptions(
            initialTrials: 8, lie: lie, candidateCount: 256, localCandidateCount: 64, refinementStarts: 2
        )
        var conditioned = BayesianOptimizer(space: function.searchSpace, direction: .minimize, seed: 11, options: options)
        for proposal in try conditioned.ask(count: 12) {
            try conditioned.tell(proposal.id, .completed(try function.value(for: proposal.assignment)))
        }
        var control = conditioned
        let running = try conditioned.ask(count: batch)
        #expect(try control.ask(count: batch) == running, "same state, same seed: same first batch")
        for proposal in running {
            try control.tell(proposal.id, .failed(reason: "control: not pending"))
        }

        let next = try conditioned.ask(count: batch)
        let unconditioned = try control.ask(count: batch)
        #expect(next.map(\.point) != unconditioned.map(\.point), "the pending trials did not change the next proposals")
        PendingTrialGap.expectFurther(next, than: unconditioned, from: running)
    }
}
