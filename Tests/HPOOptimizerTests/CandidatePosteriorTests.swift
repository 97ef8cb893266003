@testable import HPOOptimizer
import HPOMath
import HPOSearchSpace
import Testing

@Suite struct CandidatePosteriorTests {
    /// The candidates' posterior kept current fantasy by fantasy equals scoring them from scratch on the grown model,
    /// through one fantasy at a time, a block of fantasies and a fantasy on a training point. With noise 10⁻⁶ the kernel
    /// matrix is ill-conditioned and both ways round to about 2·10⁻⁹ of each other, hence the wider tolerance.
    @Test(arguments: [(noise: 1e-4, blockFirst: false, tolerance: 1e-9), (noise: 1e-6, blockFirst: true, tolerance: 1e-7)])
    func updatesEqualScoringFromScratch(noise: Double, blockFirst: Bool, tolerance: Double) throws {
        let d = 4
        let (x, y) = GaussianProcessGradientTests.randomData(n: 40, d: d, seed: 31)
        var model = try GaussianProcess(
            x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.3, 0.5, 0.9, 2], signalVariance: 1.3, noiseVariance: noise))
        var generator = SeededGenerator(seed: 32)
        let candidates = (0..<300).map { _ in (0..<d).map { _ in generator.nextUniform() } } + [x[3]]
        var posterior = CandidatePosterior(model: model, points: candidates)
        expectSame(posterior, model, tolerance: tolerance)
        if blockFirst {
            let block = (0..<5).map { _ in (0..<d).map { _ in generator.nextUniform() } }
            model = try model.conditioned(onFantasies: block, values: block.map { _ in -2 })
            posterior.update(to: model)
            expectSame(posterior, model, tolerance: tolerance)
        }
        // A fantasy on a candidate, one on a training point, and three elsewhere, one model row at a time.
        for fantasy in [candidates[7], x[5]] + (0..<3).map({ _ in (0..<d).map { _ in generator.nextUniform() } }) {
            model = try model.conditioned(onFantasy: fantasy, value: y.min()!)
            posterior.update(to: model)
            #expect(posterior.rowCount == model.pointCount)
            expectSame(posterior, model, tolerance: tolerance)
        }
        // Two rows at once, and an update that adds nothing.
        model = try model.conditioned(onFantasy: candidates[11], value: 0.5).conditioned(onFantasy: candidates[12], value: 0.7)
        posterior.update(to: model)
        posterior.update(to: model)
        expectSame(posterior, model, tolerance: tolerance)
        #expect(posterior.rowCount == 40 + (blockFirst ? 5 : 0) + 7)
    }

    @Test func scoresAreTheAcquisitionOfTheUpdatedPosterior() throws {
        let (x, y) = GaussianProcessGradientTests.randomData(n: 25, d: 3, seed: 33)
        var model = try GaussianProcess(
            x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.4, 0.4, 0.7], signalVariance: 1, noiseVariance: 1e-4))
        var generator = SeededGenerator(seed: 34)
        let candidates = (0..<50).map { _ in (0..<3).map { _ in generator.nextUniform() } }
        var posterior = CandidatePosterior(model: model, points: candidates)
        model = try model.conditioned(onFantasy: candidates[0], value: y.max()!)
        posterior.update(to: model)
        let acquisition = AcquisitionFunction.upperConfidenceBound(beta: 1)
        let scores = posterior.scores(model: model, acquisition: acquisition, best: y.min()!)
        let reference = model.posterior(batch: candidates)
        for c in candidates.indices {
            let expected = acquisition.value(mean: reference.means[c], variance: reference.variances[c], best: y.min()!)
            #expect(abs(scores[c] - expected) < 1e-9 * max(1, abs(expected)))
        }
        // A pessimistic fantasy on a candidate lowers its mean's appeal and its uncertainty, so it scores lower than before.
        let before = CandidatePosterior(model: try GaussianProcess(x: x, y: y, hyperparameters: model.hyperparameters), points: candidates)
        #expect(scores[0] < before.scores(model: model, acquisition: acquisition, best: y.min()!)[0] - 0.1)
    }

    /// The opt-in batch reuse proposes a reproducible batch of distinct points inside the cube.
    @Test func reusedBatchCandidatesGiveReproducibleDistinctProposals() throws {
        let function = TestFunction.hartmann6
        func optimizer() throws -> BayesianOptimizer {
            var options = BayesianOptimizerOptions()
            options.reusesBatchCandidates = true
            var optimizer = BayesianOptimizer(space: function.searchSpace, direction: .minimize, seed: 4, options: options)
            var generator = SeededGenerator(seed: 5)
            for index in 0..<30 {
                let assignment = function.searchSpace.decode((0..<6).map { _ in generator.nextUniform() })
                try optimizer.register(assignment, as: TrialID(index), outcome: .completed(try function.value(for: assignment)))
            }
            return optimizer
        }
        var first = try optimizer()
        var second = try optimizer()
        let batch = try first.ask(count: 6).map(\.point)
        #expect(batch == (try second.ask(count: 6).map(\.point)))
        #expect(Set(batch).count == 6)
        #expect(batch.allSatisfy { point in point.allSatisfy { (0...1).contains($0) } })
    }

    /// Means and variances of `posterior` against ``GaussianProcess/posterior(batch:)`` on `model`, within `tolerance`
    /// (relative to max(1, |value|)).
    private func expectSame(_ posterior: CandidatePosterior, _ model: GaussianProcess, tolerance: Double) {
        let reference = model.posterior(batch: posterior.points)
        var worstMean = 0.0
        var worstVariance = 0.0
        for c in posterior.points.indices {
            let mean = model.targetMean + model.targetScale * posterior.standardizedMeans[c]
            let variance = model.scaledVariance(posterior.standardizedVariances[c])
            worstMean = max(worstMean, abs(mean - reference.means[c]) / max(1, abs(reference.means[c])))
            worstVariance = max(worstVariance, abs(variance - reference.variances[c]) / max(1, reference.variances[c]))
        }
        #expect(worstMean < tolerance, "largest relative mean difference \(worstMean)")
        #expect(worstVariance < tolerance, "largest relative variance difference \(worstVariance)")
    }
}
