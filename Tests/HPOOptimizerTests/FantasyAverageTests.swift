@testable import HPOOptimizer
import HPOMath
import Testing

/// ``FantasyAverage``: log EI averaged over joint draws of the pending trials (``BayesianOptimizerOptions/pendingFantasies``).
@Suite struct FantasyAverageTests {
    static func model() throws -> GaussianProcess {
        let (x, y) = GaussianProcessGradientTests.randomData(n: 15, d: 3, seed: 41)
        return try GaussianProcess(
            x: x, y: y,
            hyperparameters: GPHyperparameters(lengthScales: [0.3, 0.5, 0.4], signalVariance: 1.1, noiseVariance: 1e-3))
    }

    static let pending: [[Double]] = [[0.2, 0.7, 0.5], [0.8, 0.1, 0.3], [0.25, 0.65, 0.55]]

    @Test func logMeanExpIsTheLogOfTheMeanWithoutUnderflow() {
        let moderate = FantasyAverage.logMeanExp([(-1.0, [1, 0]), (-2.0, [0, 1]), (-0.5, [2, 2])])
        let direct = MathFunctions.log((MathFunctions.exp(-1) + MathFunctions.exp(-2) + MathFunctions.exp(-0.5)) / 3)
        #expect(abs(moderate.value - direct) < 1e-14)
        // Weights exp(vᵢ)/Σ exp(vⱼ) on the gradients.
        let total = MathFunctions.exp(-1) + MathFunctions.exp(-2) + MathFunctions.exp(-0.5)
        let expected = [
            (MathFunctions.exp(-1) + 2 * MathFunctions.exp(-0.5)) / total,
            (MathFunctions.exp(-2) + 2 * MathFunctions.exp(-0.5)) / total,
        ]
        for k in 0..<2 { #expect(abs(moderate.gradient[k] - expected[k]) < 1e-14) }
        // Far in log EI's tail exp underflows; the log-sum-exp does not.
        let tail = FantasyAverage.logMeanExp([(-1000, [1]), (-1001, [3])])
        #expect(abs(tail.value - (-1000 + MathFunctions.log((1 + MathFunctions.exp(-1)) / 2))) < 1e-12)
        #expect(abs(tail.gradient[0] - (1 + 3 * MathFunctions.exp(-1)) / (1 + MathFunctions.exp(-1))) < 1e-14)
        #expect(FantasyAverage.logMeanExp([(-.infinity, [1]), (-.infinity, [1])]).value == -.infinity)
        #expect(FantasyAverage.logMeanExp([(-1, [1]), (.nan, [1])]).value.isNaN)
    }

    /// Each member is the base model told one joint draw, and its incumbent is the better of the best value and
    /// that draw's best (replayed from the same generator).
    @Test func eachMemberHasItsDrawAndItsOwnIncumbent() throws {
        let base = try Self.model()
        let best = base.posterior(batch: Self.pending).means.min()! + 0.05
        var generator = SeededGenerator(seed: 9)
        let average = try #require(FantasyAverage(base: base, pending: Self.pending, count: 6, best: best, generator: &generator))
        #expect(average.alphas.count == 6 && average.incumbents.count == 6)
        #expect(average.shared.pointCount == base.pointCount + Self.pending.count)
        var replay = SeededGenerator(seed: 9)
        var lowered = 0
        for (index, (alpha, incumbent)) in zip(average.alphas, average.incumbents).enumerated() {
            let (reference, values) = try base.conditioned(onDrawsAt: Self.pending, generator: &replay)
            #expect(incumbent == min(best, values.min()!))
            if incumbent < best { lowered += 1 }
            #expect(alpha == reference.alpha)
            if index == 0 {
                #expect(average.shared.posterior(at: [0.5, 0.5, 0.5]).mean == reference.posterior(at: [0.5, 0.5, 0.5]).mean)
            }
        }
        #expect(lowered > 0 && lowered < 6, "with the best just above the pending means, some draws beat it: \(lowered)")
    }

    /// The shared variance (and solves) with per-member means give each member's own posterior, bit for bit.
    @Test func sharedSweepEqualsEachMembersOwnPosterior() throws {
        let base = try Self.model()
        var generator = SeededGenerator(seed: 12)
        let best = base.posterior(batch: Self.pending).means.min()!
        let average = try #require(FantasyAverage(base: base, pending: Self.pending, count: 5, best: best, generator: &generator))
        var replay = SeededGenerator(seed: 12)
        let members = try (0..<5).map { _ in try base.conditioned(onDrawsAt: Self.pending, generator: &replay).model }
        var probe = SeededGenerator(seed: 13)
        let points = (0..<40).map { _ in (0..<3).map { _ in probe.nextUniform() } }
        let perModel = zip(members, average.incumbents).map { model, incumbent in
            let posterior = model.posterior(batch: points)
            return zip(posterior.means, posterior.variances).map {
                LogExpectedImprovement.value(mean: $0, variance: $1, best: incumbent)
            }
        }
        let expected = points.indices.map { index in FantasyAverage.logMeanExp(perModel.map { ($0[index], []) }).value }
        #expect(average.values(at: points) == expected)
        #expect(average.values(at: []).isEmpty)
        // The refinement's shared solves: one point (vector solves) and eleven (a panel of eight and three).
        for count in [1, 11] {
            let some = Array(points.prefix(count))
            let shared = average.shared.posteriorsWithGradients(at: some, alphas: average.alphas)
            #expect(shared == members.map { $0.posteriorsWithGradients(at: some) })
        }
    }

    /// The batched values, the values with gradients, and central differences of the values agree.
    @Test func gradientsMatchCentralDifferencesOfTheAverage() throws {
        let base = try Self.model()
        var generator = SeededGenerator(seed: 4)
        let best = base.posterior(batch: Self.pending).means.min()!
        let average = try #require(FantasyAverage(base: base, pending: Self.pending, count: 8, best: best, generator: &generator))
        let points = [[0.31, 0.42, 0.77], [0.9, 0.15, 0.6], [0.22, 0.68, 0.52]]
        let values = average.values(at: points)
        let withGradients = average.valuesAndGradients(at: points)
        let step = 1e-6
        for (index, point) in points.enumerated() {
            #expect(abs(values[index] - withGradients[index].value) < 1e-9 * max(1, abs(values[index])))
            for k in 0..<3 {
                var up = point, down = point
                up[k] += step
                down[k] -= step
                let difference = (average.values(at: [up])[0] - average.values(at: [down])[0]) / (2 * step)
                let analytic = withGradients[index].gradient[k]
                #expect(abs(difference - analytic) < 1e-4 * max(1, abs(analytic)), "point \(index), k \(k): \(difference) vs \(analytic)")
            }
        }
    }

    /// Hartmann-6 with log EI in batches of 4: the same seed replays the same proposals, and the average reaches
    /// the proposals (after the design they differ from the lie's).
    @Test func theOptimizerReplaysAndTheAverageReachesTheProposals() throws {
        func proposals(fantasies: Int) throws -> [[Double]] {
            var options = BayesianOptimizerOptions(
                initialTrials: 8, acquisition: .logExpectedImprovement, candidateCount: 256, localCandidateCount: 64,
                refinementStarts: 2)
            options.pendingFantasies = fantasies
            return try HartmannBatches.proposals(options: options, seed: 5, asks: 4)
        }
        let averaged = try proposals(fantasies: 4)
        #expect(try proposals(fantasies: 4) == averaged)
        let lied = try proposals(fantasies: 0)
        #expect(Array(averaged.prefix(8)) == Array(lied.prefix(8)), "the Sobol design does not depend on the batch rule")
        #expect(Array(averaged.dropFirst(8)) != Array(lied.dropFirst(8)))
    }
}
