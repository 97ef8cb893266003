import HPOMath
import HPOOptimizer
import HPOSearchSpace
import Testing

/// Past `maximumModelPoints` completed trials the GP is built on a subset, and still proposes valid, new points
/// that keep away from running trials. (Thresholds are scaled down so the test runs in a debug build.)
@Suite struct LargeStudyTests {
    private static let options = BayesianOptimizerOptions(
        candidateCount: 256, localCandidateCount: 64, refinementStarts: 2, maximumModelPoints: 40
    )

    /// An optimizer that already knows `count` random completed Hartmann-6 trials.
    private static func study(count: Int, options: BayesianOptimizerOptions = options) throws -> BayesianOptimizer {
        let function = TestFunction.hartmann6
        var optimizer = BayesianOptimizer(space: function.searchSpace, direction: .minimize, seed: 5, options: options)
        var generator = SeededGenerator(seed: 17)
        for index in 0..<count {
            let assignment = function.searchSpace.decode((0..<6).map { _ in generator.nextUniform() })
            try optimizer.register(assignment, as: TrialID(index), outcome: .completed(try function.value(for: assignment)))
        }
        return optimizer
    }

    @Test func pastTheThresholdTheModelUsesTheSubsetAndProposesValidNewPoints() throws {
        var optimizer = try Self.study(count: 150)
        let known = optimizer.ledger.records.map(\.point)
        let batch = try optimizer.ask(count: 4)
        #expect(optimizer.lastModelPointCount == 40)
        #expect(batch.count == 4)
        for proposal in batch {
            #expect(proposal.point.allSatisfy { (0...1).contains($0) }, "outside the unit cube: \(proposal.point)")
            #expect(optimizer.space.snap(proposal.point) == proposal.point)
            #expect(!known.contains(proposal.point), "repeats a known trial")
        }
        #expect(Set(batch.map(\.point)).count == 4, "the batch repeats a point")
    }

    /// As in ConstantLiarTests, but past the threshold: pending trials (none of them in the subset) still push the
    /// next proposals away, compared with a control where the same trials failed.
    @Test func pastTheThresholdPendingTrialsStillKeepProposalsAway() throws {
        var conditioned = try Self.study(count: 150)
        var control = conditioned
        let running = try conditioned.ask(count: 4)
        #expect(try control.ask(count: 4) == running, "same state, same seed: same first batch")
        for proposal in running {
            try control.tell(proposal.id, .failed(reason: "control: not pending"))
        }
        let next = try conditioned.ask(count: 4)
        let unconditioned = try control.ask(count: 4)
        #expect(conditioned.lastModelPointCount == 40)
        PendingTrialGap.expectFurther(next, than: unconditioned, from: running)
    }

    /// Below the threshold nothing changes: the proposals equal the exact GP's (so the regret table, whose budgets
    /// are far below the default 1,000, is unaffected).
    @Test func belowTheThresholdProposalsEqualTheExactGPs() throws {
        var exactOptions = Self.options
        exactOptions.maximumModelPoints = nil
        var subset = try Self.study(count: 40)
        var exact = try Self.study(count: 40, options: exactOptions)
        #expect(try subset.ask(count: 3) == exact.ask(count: 3))
        #expect(subset.lastModelPointCount == 40)
    }
}
