import HPOOptimizer
import Testing
@testable import HPOCoordinatorRuntime
@testable import HPOStudyFile
import HPOObjectives

/// The study file's `optimizer:` keys reach the optimizer as documented in docs/study-file.md.
@Suite struct StudyOptimizerFactoryTests {
    private func config(_ optimizerLine: String, direction: String = "maximize") throws -> StudyConfig {
        try StudyConfig.parse(yaml: """
            name: factory
            direction: \(direction)
            space:
              x: {type: float, low: 0, high: 1}
            objective: {kind: "null"}
            budget: {trials: 5}
            \(optimizerLine)
            """)
    }

    private func bayesian(_ config: StudyConfig) throws -> BayesianOptimizer {
        try #require(try StudyOptimizerFactory.make(config) as? BayesianOptimizer)
    }

    @Test func withoutAcquisitionOrLieTheOptimizersDefaultsApply() throws {
        let optimizer = try bayesian(try config("optimizer: {kind: gp}"))
        #expect(optimizer.options.acquisition == BayesianOptimizerOptions().acquisition)
        #expect(optimizer.options.lie == BayesianOptimizerOptions().lie)
    }

    @Test func acquisitionKeysChooseTheCriterion() throws {
        #expect(try bayesian(try config("optimizer: {acquisition: logei}")).options.acquisition == .logExpectedImprovement)
        #expect(try bayesian(try config("optimizer: {acquisition: ucb}")).options.acquisition == .upperConfidenceBound(beta: 1))
    }

    @Test(arguments: [
        ("best", "maximize", LieStrategy.best), ("best", "minimize", .best),
        ("worst", "maximize", .worst), ("mean", "minimize", .mean),
        ("min", "minimize", .best), ("min", "maximize", .worst),
        ("max", "maximize", .best), ("max", "minimize", .worst),
    ])
    func lieKeysMapThroughTheDirection(lie: String, direction: String, expected: LieStrategy) throws {
        let optimizer = try bayesian(try config("optimizer: {lie: \(lie)}", direction: direction))
        #expect(optimizer.options.lie == expected)
    }

    @Test func fantasiesAverageLogEIOverDrawsOfTheRunningTrials() throws {
        let optimizer = try bayesian(try config("optimizer: {acquisition: logei, lie: fantasies}"))
        #expect(optimizer.options.acquisition == .logExpectedImprovement)
        #expect(optimizer.options.pendingFantasies == StudyConfig.OptimizerSettings.fantasyCount)
        #expect(try bayesian(try config("optimizer: {acquisition: logei, lie: best}")).options.pendingFantasies == 0)
    }

    @Test(arguments: ["optimizer: {lie: fantasies}", "optimizer: {acquisition: ucb, lie: fantasies}"])
    func fantasiesWithoutLogEIAreRefusedNamingBothKeys(line: String) throws {
        #expect { try config(line) } throws: { error in
            let text = "\(error)"
            return text.contains("optimizer.lie") && text.contains("acquisition: logei")
        }
    }

    @Test func anUnknownLieIsAnErrorNamingTheKey() throws {
        #expect { try config("optimizer: {lie: pessimistic}") } throws: { error in
            "\(error)".contains("optimizer.lie")
        }
    }
}
