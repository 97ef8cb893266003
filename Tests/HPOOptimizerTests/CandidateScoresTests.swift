@testable import HPOOptimizer
import HPOMath
import Testing

@Suite struct CandidateScoresTests {
    static let acquisitions: [AcquisitionFunction] = [.upperConfidenceBound(beta: 1), .upperConfidenceBound(beta: 2), .logExpectedImprovement]

    /// Pruned scoring gives the exact value of every candidate it keeps, keeps at least `keep` of them above every
    /// pruned bound (so the ranking's head is the full ranking's), actually prunes most of a far-off sweep, and
    /// after `complete` equals scoring everything.
    @Test(arguments: acquisitions)
    func prunedScoresRankTheHeadAsScoringEverything(acquisition: AcquisitionFunction) throws {
        let d = 8
        let (x, y) = GaussianProcessGradientTests.randomData(n: 120, d: d, seed: 41)
        let model = try GaussianProcess(
            x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [Double](repeating: 0.35, count: d), signalVariance: 1.2, noiseVariance: 1e-5))
        var generator = SeededGenerator(seed: 42)
        let best = y.min()!
        let candidates = (0..<700).map { _ in (0..<d).map { _ in generator.nextUniform() } }
            + (0..<100).map { _ in x[0].map { min(1, max(0, $0 + 0.02 * generator.nextStandardNormal())) } }
        let full = model.posterior(batch: candidates)
        let exact = zip(full.means, full.variances).map { mean, variance in
            let value = acquisition.value(mean: mean, variance: variance, best: best)
            return value.isNaN ? -Double.infinity : value
        }
        let keep = 22
        var scores = CandidateScores(model: model, acquisition: acquisition, best: best, points: candidates, keep: keep)
        #expect(scores.pruned.count > candidates.count / 2, "pruned only \(scores.pruned.count) of \(candidates.count)")
        let prunedSet = Set(scores.pruned)
        for index in candidates.indices where !prunedSet.contains(index) {
            #expect(abs(scores.values[index] - exact[index]) <= 1e-9 * max(1, abs(exact[index])), "candidate \(index)")
        }
        for index in scores.pruned {
            #expect(scores.values[index] == -.infinity)
            #expect(exact[index] <= scores.prunedBound + 1e-9, "pruned candidate \(index) beats the bound")
        }
        let head = AcquisitionMaximizer.descendingOrder(exact).prefix(keep)
        #expect(head.allSatisfy { scores.isExactlyRanked(scores.values[$0]) })
        #expect(Array(AcquisitionMaximizer.descendingOrder(scores.values).prefix(keep)) == Array(head))
        scores.complete(model: model, acquisition: acquisition, best: best, points: candidates)
        #expect(scores.pruned.isEmpty && scores.isExactlyRanked(-.infinity))
        for index in candidates.indices {
            #expect(abs(scores.values[index] - exact[index]) <= 1e-9 * max(1, abs(exact[index])), "completed candidate \(index)")
        }
    }

    /// What pruning rests on: every acquisition is non-decreasing in the variance, over a grid of means and variances
    /// from the floor to far past the prior.
    @Test(arguments: acquisitions)
    func acquisitionsNeverDecreaseWithTheVariance(acquisition: AcquisitionFunction) {
        for mean in stride(from: -6.0, through: 6.0, by: 0.25) {
            var previous = -Double.infinity
            for exponent in stride(from: -12.0, through: 3.0, by: 0.05) {
                let value = acquisition.value(mean: mean, variance: MathFunctions.exp(exponent * 2.302585092994046), best: 0.3)
                #expect(value >= previous - 1e-12 * max(1, abs(previous)), "mean \(mean), variance 1e\(exponent)")
                previous = value
            }
        }
    }
}
