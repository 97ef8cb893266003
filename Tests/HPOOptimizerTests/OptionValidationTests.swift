import HPOOptimizer
import Testing

/// `BayesianOptimizer(validating:)`: every option out of its range is refused with an `OptimizerError` whose message
/// echoes the values at fault.
@Suite struct OptionValidationTests {
    /// The default options with `change` applied.
    static func options(_ change: (inout BayesianOptimizerOptions) -> Void) -> BayesianOptimizerOptions {
        var options = BayesianOptimizerOptions()
        change(&options)
        return options
    }

    /// Options with one setting out of range, and the texts the refusal must contain.
    static let refused: [(options: BayesianOptimizerOptions, echoes: [String])] = [
        (.init(acquisition: .upperConfidenceBound(beta: -1)), ["-1"]),
        (.init(trustRegion: TrustRegionOptions(initialLength: 0.001)), ["0.001"]),
        (.init(maximumModelPoints: 5), ["maximumModelPoints is 5"]),
        (options { $0.portfolio = ExplorationPortfolio(period: 0, beta: 2) }, ["period 0", "beta 2.0"]),
        (options { $0.portfolio = ExplorationPortfolio(period: 2, beta: -1) }, ["period 2", "beta -1.0"]),
        (options { $0.portfolio = ExplorationPortfolio(period: 2, beta: .infinity) }, ["period 2", "beta inf"]),
        (options { $0.betaSchedule = ConfidenceBetaSchedule(scale: 0, delta: 0.1) }, ["scale 0.0", "delta 0.1"]),
        (options { $0.betaSchedule = ConfidenceBetaSchedule(scale: -1, delta: 0.1) }, ["scale -1.0", "delta 0.1"]),
        (options { $0.betaSchedule = ConfidenceBetaSchedule(scale: .nan, delta: 0.1) }, ["scale nan", "delta 0.1"]),
        (options { $0.betaSchedule = ConfidenceBetaSchedule(scale: 0.2, delta: 0) }, ["scale 0.2", "delta 0.0"]),
        (options { $0.betaSchedule = ConfidenceBetaSchedule(scale: 0.2, delta: 1) }, ["scale 0.2", "delta 1.0"]),
        (options { $0.pendingFantasies = 16 }, ["pendingFantasies 16", ".logExpectedImprovement", ".posteriorMean"]),
        (options { $0.acquisition = .logExpectedImprovement; $0.pendingFantasies = -1 }, ["pendingFantasies is -1", "256"]),
        (options { $0.acquisition = .logExpectedImprovement; $0.pendingFantasies = 257 }, ["pendingFantasies is 257"]),
    ]

    @Test(arguments: refused.indices)
    func outOfRangeOptionsAreRefusedWithTheirValues(index: Int) {
        let (options, echoes) = Self.refused[index]
        let error = #expect(throws: OptimizerError.self) {
            try BayesianOptimizer(validating: options, space: Spaces.tiny, direction: .minimize, seed: 0)
        }
        for echo in echoes {
            #expect(error?.description.contains(echo) == true, "\(error?.description ?? "nothing thrown") lacks \(echo)")
        }
    }
}
