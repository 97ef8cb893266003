@testable import HPOOptimizer
import HPOMath
import Testing

/// Sampled fantasies (``LieStrategy/posteriorSample``): the draw's formula, that a batch's draws are one joint
/// sample of the posterior predictive, and that the optimizer's draws replay.
@Suite struct SampledFantasyTests {
    /// A model with noise large enough (0.05 standardized) that a draw without it would be measurably too narrow.
    static func noisyModel() throws -> GaussianProcess {
        let (x, y) = GaussianProcessGradientTests.randomData(n: 12, d: 2, seed: 31)
        return try GaussianProcess(
            x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.3, 0.5], signalVariance: 1.2, noiseVariance: 0.05))
    }

    @Test func aDrawIsTheMeanPlusZTimesThePredictiveStandardDeviation() throws {
        let model = try Self.noisyModel()
        let point = [0.37, 0.81]
        let posterior = model.posterior(at: point)
        let predictiveSD = (posterior.variance + 0.05 * model.targetScale * model.targetScale).squareRoot()
        #expect(model.predictiveDraw(at: point, standardNormal: 0) == posterior.mean)
        let draw = model.predictiveDraw(at: point, standardNormal: -1.7)
        #expect(abs(draw - (posterior.mean - 1.7 * predictiveSD)) < 1e-12 * max(1, abs(draw)))
    }

    /// 4,000 seeded draws at two nearby points: each has the predictive mean and variance, and the second's draws
    /// follow the first's with the correlation the model predicts (drawing each point from the unconditioned model
    /// would give a correlation near 0 instead of about 0.28, drawing the second at the first's mean its variance would shrink).
    @Test func drawsAtABatchAreOneJointSampleOfThePredictive() throws {
        let model = try Self.noisyModel()
        let first = [0.52, 0.48]
        let second = [0.58, 0.44]
        let count = 4_000
        var pairs: [(Double, Double)] = []
        for seed in 0..<count {
            var generator = SeededGenerator(seed: UInt64(seed))
            let values = try model.conditioned(onDrawsAt: [first, second], generator: &generator).values
            pairs.append((values[0], values[1]))
        }
        let noise = 0.05 * model.targetScale * model.targetScale
        let variances = [first, second].map { model.posterior(at: $0).variance + noise }
        let means = [first, second].map { model.posterior(at: $0).mean }
        let samples = [pairs.map(\.0), pairs.map(\.1)]
        for index in 0..<2 {
            let mean = samples[index].reduce(0, +) / Double(count)
            let variance = samples[index].map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count - 1)
            #expect(abs(mean - means[index]) < 4 * (variances[index] / Double(count)).squareRoot())
            #expect(abs(variance / variances[index] - 1) < 0.1, "sample variance \(variance), predictive \(variances[index])")
        }
        // Var(y₂ | y₁) = Var(y₂)·(1 − ρ²): the predictive variance at the second point once the first has any value.
        let conditionalVariance = try model.conditioned(onFantasy: first, value: 0).posterior(at: second).variance + noise
        let expected = (1 - conditionalVariance / variances[1]).squareRoot()
        let meanA = samples[0].reduce(0, +) / Double(count)
        let meanB = samples[1].reduce(0, +) / Double(count)
        let covariance = pairs.map { ($0.0 - meanA) * ($0.1 - meanB) }.reduce(0, +) / Double(count - 1)
        let correlation = covariance / (variances[0] * variances[1]).squareRoot()
        #expect(expected > 0.2, "the points should be correlated under this model, got \(expected)")
        #expect(abs(correlation - expected) < 0.05, "sample correlation \(correlation), predicted \(expected)")
    }

    @Test func theConditionedModelEqualsConditioningOnTheReturnedValues() throws {
        let model = try Self.noisyModel()
        let points = [[0.1, 0.9], [0.6, 0.2], [0.62, 0.21]]
        var generator = SeededGenerator(seed: 5)
        let (conditioned, values) = try model.conditioned(onDrawsAt: points, generator: &generator)
        let reference = try model.conditioned(onFantasies: points, values: values)
        var probe = SeededGenerator(seed: 6)
        GaussianProcessFantasyTests.expectSameModel(conditioned, reference, dimension: 2, &probe)
        var replay = SeededGenerator(seed: 5)
        #expect(try model.conditioned(onDrawsAt: points, generator: &replay).values == values)
    }

    /// Hartmann-6 in batches of 4: same seed and calls ⇒ the same proposals; and the draws reach the model (the
    /// proposals after the design differ from the kriging believer's, which lies at the posterior mean).
    @Test func theOptimizerReplaysItsDrawsAndTheyReachTheModel() throws {
        func proposals(_ lie: LieStrategy) throws -> [[Double]] {
            // The last of each batch stays pending, so later asks also draw for earlier asks' trials.
            try HartmannBatches.proposals(
                options: .init(initialTrials: 8, lie: lie, candidateCount: 256, localCandidateCount: 64, refinementStarts: 2),
                seed: 3, asks: 5)
        }
        let sampled = try proposals(.posteriorSample)
        #expect(try proposals(.posteriorSample) == sampled)
        let believer = try proposals(.posteriorMean)
        #expect(Array(sampled.prefix(8)) == Array(believer.prefix(8)), "the Sobol design does not depend on the lie")
        #expect(Array(sampled.dropFirst(8)) != Array(believer.dropFirst(8)))
    }
}
