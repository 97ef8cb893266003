@testable import HPOOptimizer
import Testing

/// GP-UCB's theoretical β (``ConfidenceBetaSchedule``): its values, and that the optimizer proposes with it.
@Suite struct ConfidenceBetaScheduleTests {
    /// √(scale·2·log(d·t²·π²/(6δ))) computed with 30-digit mpmath.
    @Test(arguments: [
        (10, 50, 1.0, 5.084_666_458_936_147),
        (6, 100, 0.2, 2.349_671_060_950_365),
        (2, 1, 0.2, 1.182_105_338_119_194),
        (1, 1, 1.0, 2.366_552_511_762_539),
    ])
    func betaMatchesTheFormula(dimension: Int, trial: Int, scale: Double, expected: Double) {
        let beta = ConfidenceBetaSchedule(scale: scale, delta: 0.1).beta(dimension: dimension, trial: trial)
        #expect(abs(beta - expected) < 1e-13 * expected, "β(d \(dimension), t \(trial), scale \(scale)) = \(beta)")
    }

    @Test func betaGrowsWithTrialsAndDimensionsAndShrinksWithDelta() {
        let schedule = ConfidenceBetaSchedule()
        #expect(schedule.beta(dimension: 6, trial: 20) < schedule.beta(dimension: 6, trial: 21))
        #expect(schedule.beta(dimension: 6, trial: 20) < schedule.beta(dimension: 7, trial: 20))
        #expect(ConfidenceBetaSchedule(delta: 0.5).beta(dimension: 6, trial: 20) < schedule.beta(dimension: 6, trial: 20))
    }

    /// Branin after its design: the proposal with the schedule equals the one with a constant β set to the
    /// schedule's value for that trial (t = the 1-based trial number), and differs from the default β 1.
    @Test func theOptimizerProposesWithTheScheduledBeta() throws {
        let function = TestFunction.branin
        let design = BayesianOptimizerOptions().initialTrialCount(dimension: 2)
        func nextProposal(_ configure: (inout BayesianOptimizerOptions) -> Void) throws -> [Double] {
            var options = BayesianOptimizerOptions()
            configure(&options)
            var optimizer = try BayesianOptimizer(validating: options, space: function.searchSpace, direction: .minimize, seed: 4)
            for proposal in try optimizer.ask(count: design + 3) {
                try optimizer.tell(proposal.id, .completed(try function.value(for: proposal.assignment)))
            }
            return try optimizer.ask(count: 1)[0].point
        }
        let schedule = ConfidenceBetaSchedule(scale: 1)
        let scheduled = try nextProposal { $0.betaSchedule = schedule }
        let beta = schedule.beta(dimension: 2, trial: design + 4)
        #expect(try nextProposal { $0.acquisition = .upperConfidenceBound(beta: beta) } == scheduled)
        #expect(try nextProposal { _ in } != scheduled)
    }
}
