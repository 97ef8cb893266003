@testable import HPOOptimizer
import HPOMath
import Testing

@Suite struct GaussianProcessFantasyTests {
    /// `model` and `reference` agree (within 1e-9 relative) on the log marginal likelihood and on the posterior mean
    /// and variance at 10 random points of [0, 1]^`dimension`.
    static func expectSameModel(
        _ model: GaussianProcess, _ reference: GaussianProcess, dimension: Int, _ generator: inout SeededGenerator
    ) {
        let likelihood = reference.logMarginalLikelihood
        #expect(abs(model.logMarginalLikelihood - likelihood) < 1e-9 * abs(likelihood))
        for _ in 0..<10 {
            let point = (0..<dimension).map { _ in generator.nextUniform() }
            let a = model.posterior(at: point)
            let b = reference.posterior(at: point)
            #expect(abs(a.mean - b.mean) < 1e-9 * max(1, abs(b.mean)))
            #expect(abs(a.variance - b.variance) < 1e-9 * max(1, b.variance))
        }
    }

    @Test func conditioningEqualsRebuildingWithTheSameStandardization() throws {
        let (x, y) = GaussianProcessGradientTests.randomData(n: 20, d: 3, seed: 9)
        let hyperparameters = GPHyperparameters(lengthScales: [0.3, 0.6, 1.1], signalVariance: 1.4, noiseVariance: 1e-3)
        let gp = try GaussianProcess(x: x, y: y, hyperparameters: hyperparameters)
        let fantasies: [([Double], Double)] = [([0.2, 0.4, 0.6], -1.5), ([0.9, 0.1, 0.3], 2.0), ([0.21, 0.41, 0.59], -1.4)]
        var conditioned = gp
        for (point, value) in fantasies {
            conditioned = try conditioned.conditioned(onFantasy: point, value: value)
        }
        let allX = x + fantasies.map(\.0)
        let allY = y + fantasies.map(\.1)
        let rebuilt = try GaussianProcess(
            x: allX, standardizedTargets: allY.map { ($0 - gp.targetMean) / gp.targetScale }, targetMean: gp.targetMean,
            targetScale: gp.targetScale, hyperparameters: hyperparameters)
        #expect(conditioned.pointCount == 23)
        var generator = SeededGenerator(seed: 1)
        Self.expectSameModel(conditioned, rebuilt, dimension: 3, &generator)
        // The original is unchanged (value semantics) and the fantasy collapses the variance where it was placed.
        #expect(gp.pointCount == 20)
        #expect(conditioned.posterior(at: fantasies[1].0).variance < 0.1 * gp.posterior(at: fantasies[1].0).variance)
    }

    @Test func fantasyAtATrainingPointIsAcceptedThanksToNoise() throws {
        let (x, y) = GaussianProcessGradientTests.randomData(n: 10, d: 2, seed: 10)
        let gp = try GaussianProcess(x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.5, 0.5], signalVariance: 1, noiseVariance: 1e-6))
        let conditioned = try gp.conditioned(onFantasy: x[0], value: y[0])
        #expect(conditioned.posterior(at: x[0]).mean.isFinite)
        #expect(throws: OptimizerError.self) { try gp.conditioned(onFantasy: [0.5], value: 1) }
        #expect(throws: OptimizerError.self) { try gp.conditioned(onFantasy: [0.5, 0.5], value: .infinity) }
    }
}

@Suite struct GaussianProcessBlockFantasyTests {
    @Test func blockConditioningEqualsSuccessiveSingleFantasies() throws {
        let (x, y) = GaussianProcessGradientTests.randomData(n: 30, d: 4, seed: 21)
        let gp = try GaussianProcess(
            x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.4, 0.5, 0.8, 1.5], signalVariance: 0.8, noiseVariance: 1e-4))
        var generator = SeededGenerator(seed: 22)
        let fantasies = (0..<6).map { _ in (0..<4).map { _ in generator.nextUniform() } } + [x[4]]
        let values = (0..<7).map { Double($0) * 0.3 - 1 }
        let block = try gp.conditioned(onFantasies: fantasies, values: values)
        var sequential = gp
        for (point, value) in zip(fantasies, values) {
            sequential = try sequential.conditioned(onFantasy: point, value: value)
        }
        #expect(block.pointCount == 37)
        GaussianProcessFantasyTests.expectSameModel(block, sequential, dimension: 4, &generator)
        #expect(try gp.conditioned(onFantasies: [], values: []).pointCount == 30)
        #expect(throws: OptimizerError.self) { try gp.conditioned(onFantasies: [[0.1, 0.2, 0.3, 0.4]], values: []) }
        #expect(throws: OptimizerError.self) { try gp.conditioned(onFantasies: [[0.1, 0.2, 0.3, 0.4], [0.5]], values: [1, 2]) }
    }
}
