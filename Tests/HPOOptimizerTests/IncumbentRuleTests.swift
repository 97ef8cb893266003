@testable import HPOOptimizer
import HPOMath
import Testing

/// Log EI's incumbent (``IncumbentRule``).
@Suite struct IncumbentRuleTests {
    /// A smooth function with one lucky low value among its neighbours: the observed best is that value, the
    /// posterior-mean incumbent is the smallest mean at the data, which the noisy model keeps above the outlier.
    @Test func bestPosteriorMeanIsTheSmallestMeanAtTheData() throws {
        var (x, y) = GaussianProcessGradientTests.randomData(n: 25, d: 2, seed: 41)
        y[7] -= 3
        let model = try GaussianProcess(
            x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.4, 0.4], signalVariance: 1, noiseVariance: 0.2))
        #expect(IncumbentRule.bestObserved.incumbent(scores: y, points: x, model: model) == y.min())
        let incumbent = IncumbentRule.bestPosteriorMean.incumbent(scores: y, points: x, model: model)
        let means = x.map { model.posterior(at: $0).mean }
        #expect(abs(incumbent - means.min()!) < 1e-10 * max(1, abs(incumbent)))
        #expect(incumbent > y.min()! + 0.5, "the noisy model should not believe the lucky value")
    }
}
