@testable import HPOOptimizer
import Testing

/// The exploration portfolio: which trials explore and that the optimizer uses it (bad values: OptionValidationTests).
@Suite struct ExplorationPortfolioTests {
    @Test func everyPeriodthTrialExploresWithItsBeta() {
        let portfolio = ExplorationPortfolio(period: 3, beta: 2)
        let explores = (0..<7).map { portfolio.acquisition(forTrial: $0) != nil }
        #expect(explores == [false, false, true, false, false, true, false])
        #expect(portfolio.acquisition(forTrial: 2) == .upperConfidenceBound(beta: 2))
        #expect(ExplorationPortfolio(period: 1, beta: 3).acquisition(forTrial: 0) == .upperConfidenceBound(beta: 3))
    }

    /// Branin, 12 trials in batches of 4, once with the default and once with every trial on a much larger beta:
    /// the proposals after the design must differ (the portfolio reaches the acquisition), and each run replays exactly.
    @Test func theOptimizerProposesWithThePortfoliosAcquisition() throws {
        func proposals(_ portfolio: ExplorationPortfolio?) throws -> [[Double]] {
            var options = BayesianOptimizerOptions()
            options.portfolio = portfolio
            var optimizer = try BayesianOptimizer(
                validating: options, space: TestFunction.branin.searchSpace, direction: .minimize, seed: 7)
            var points: [[Double]] = []
            for _ in 0..<3 {
                for proposal in try optimizer.ask(count: 4) {
                    points.append(proposal.point)
                    try optimizer.tell(proposal.id, .completed(try TestFunction.branin.value(for: proposal.assignment)))
                }
            }
            return points
        }
        let plain = try proposals(nil)
        let exploring = try proposals(ExplorationPortfolio(period: 1, beta: 50))
        let design = BayesianOptimizerOptions().initialTrialCount(dimension: 2)
        #expect(Array(plain.prefix(design)) == Array(exploring.prefix(design)))
        #expect(Array(plain.dropFirst(design)) != Array(exploring.dropFirst(design)))
        #expect(try proposals(ExplorationPortfolio(period: 1, beta: 50)) == exploring)
    }
}
