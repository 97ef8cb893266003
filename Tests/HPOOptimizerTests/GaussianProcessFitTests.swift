@testable import HPOOptimizer
import HPOMath
import Testing

@Suite struct GaussianProcessFitTests {
    /// y depends on x0 strongly, on x1 weakly and not at all on x2.
    static func data(n: Int, seed: UInt64) -> (x: [[Double]], y: [Double]) {
        var generator = SeededGenerator(seed: seed)
        let x = (0..<n).map { _ in (0..<3).map { _ in generator.nextUniform() } }
        let y = x.map { 5 * MathFunctions.sin(6 * $0[0]) + 0.5 * $0[1] + 100 }
        return (x, y)
    }

    @Test func fitBeatsTheDefaultsAndFindsTheIrrelevantDimension() throws {
        let (x, y) = Self.data(n: 40, seed: 1)
        let fitted = try GaussianProcess.fit(x: x, y: y, warmStart: nil, seed: 7)
        let defaults = try GaussianProcess(x: x, y: y, hyperparameters: .defaults(dimension: 3))
        #expect(fitted.fitIssue == nil)
        #expect(fitted.logMarginalLikelihood > defaults.logMarginalLikelihood + 10)
        let scales = fitted.hyperparameters.lengthScales
        #expect(scales[0] < scales[1] && scales[0] < scales[2], "length scales \(scales)")
        #expect(scales[2] > 3 * scales[0], "x2 is irrelevant: \(scales)")
        #expect(fitted.hyperparameters.noiseVariance >= GaussianProcess.minimumNoiseVariance)
        // Interpolates well: held-out error small relative to the spread of y (sd ≈ 3.5).
        let (testX, testY) = Self.data(n: 20, seed: 2)
        let predictions = fitted.posterior(batch: testX).means
        let rmse = (zip(predictions, testY).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 20).squareRoot()
        #expect(rmse < 0.5, "held-out RMSE \(rmse)")
    }

    @Test func sameSeedGivesTheSameFitAndWarmStartStaysClose() throws {
        let (x, y) = Self.data(n: 30, seed: 3)
        let first = try GaussianProcess.fit(x: x, y: y, warmStart: nil, seed: 11)
        let second = try GaussianProcess.fit(x: x, y: y, warmStart: nil, seed: 11)
        #expect(first.hyperparameters == second.hyperparameters)
        let warm = try GaussianProcess.fit(x: x, y: y, warmStart: first.hyperparameters, seed: 12)
        #expect(warm.logMarginalLikelihood >= first.logMarginalLikelihood - 0.5)
    }

    @Test func largeDataFitsOnASubsetButPredictsWithEveryPoint() throws {
        let (x, y) = Self.data(n: 90, seed: 4)
        var options = GPFitOptions()
        options.maximumFitPoints = 40
        let gp = try GaussianProcess.fit(x: x, y: y, warmStart: nil, seed: 5, options: options)
        #expect(gp.pointCount == 90)
        var generator = SeededGenerator(seed: 6)
        let subset = GaussianProcess.fitSubset(targets: y, limit: 40, generator: &generator)
        #expect(subset.count == 40)
        #expect(Set(subset).count == 40)
        let best = y.indices.max { y[$0] < y[$1] }!
        let worst = y.indices.min { y[$0] < y[$1] }!
        #expect(subset.contains(best) && subset.contains(worst))
        // Near a training point the posterior is pinned to its value.
        let (mean, _) = gp.posterior(at: x[10])
        #expect(abs(mean - y[10]) < 0.1)
    }

    @Test func constantTargetsGiveAFlatModelInTheirUnits() throws {
        let (x, _) = Self.data(n: 12, seed: 7)
        let y = [Double](repeating: 0.93, count: 12)
        let gp = try GaussianProcess.fit(x: x, y: y, warmStart: nil, seed: 1)
        #expect(gp.targetScale == 1)
        let (mean, variance) = gp.posterior(at: [0.5, 0.5, 0.5])
        #expect(abs(mean - 0.93) < 1e-6)
        #expect(variance.isFinite && variance > 0)
    }

    @Test func singleObservationIsEnough() throws {
        let gp = try GaussianProcess.fit(x: [[0.2, 0.8]], y: [3.5], warmStart: nil, seed: 1)
        let (mean, variance) = gp.posterior(at: [0.2, 0.8])
        #expect(abs(mean - 3.5) < 1e-3)
        #expect(variance > 0)
    }

    @Test func rejectsBadInputsWithMessagesThatSayWhatToDo() {
        #expect(throws: OptimizerError.self) { try GaussianProcess.fit(x: [], y: [], warmStart: nil, seed: 0) }
        do {
            _ = try GaussianProcess.fit(x: [[0.1], [0.2]], y: [1], warmStart: nil, seed: 0)
            Issue.record("mismatched counts must throw")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("2 points and 1 values"))
        }
        do {
            _ = try GaussianProcess.fit(x: [[0.1], [0.2]], y: [1, .nan], warmStart: nil, seed: 0)
            Issue.record("NaN must throw")
        } catch {
            #expect(error.message.contains("value 1 is nan"))
        }
        #expect(throws: OptimizerError.self) {
            try GaussianProcess(x: [[0.1, 0.2]], y: [1], hyperparameters: GPHyperparameters(lengthScales: [1], signalVariance: 1, noiseVariance: 0))
        }
    }

    @Test func duplicatePointsWithDifferentValuesStillFit() throws {
        let x = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.1, 0.9], [0.9, 0.1]]
        let y = [1.0, 1.2, 0.8, 3, -1]
        let gp = try GaussianProcess.fit(x: x, y: y, warmStart: nil, seed: 2)
        let (mean, _) = gp.posterior(at: [0.5, 0.5])
        #expect(abs(mean - 1.0) < 0.2)
        #expect(gp.hyperparameters.noiseVariance > 1e-3, "the spread at one point must be explained as noise")
    }
}

@Suite struct GaussianProcessFallbackTests {
    @Test func unusableFittedHyperparametersFallBackAndSayWhy() throws {
        let (x, y) = GaussianProcessFitTests.data(n: 10, seed: 8)
        let broken = GPHyperparameters(lengthScales: [0.5, 0.5, -1], signalVariance: 1, noiseVariance: 1e-3)
        let defaults = GPHyperparameters.defaults(dimension: 3)
        let (mean, scale) = GaussianProcess.standardization(of: y)
        let model = try GaussianProcess.firstBuildable(
            [broken, defaults], x: x, standardizedTargets: y.map { ($0 - mean) / scale }, targetMean: mean,
            targetScale: scale, issue: nil)
        #expect(model.hyperparameters == defaults)
        let issue = try #require(model.fitIssue)
        #expect(issue.code == .fitFailed)
        #expect(issue.message.contains("fell back to") && issue.message.contains("-1.0"))
        #expect(abs(model.posterior(at: x[0]).mean - y[0]) < 0.5)
    }

    @Test func noBuildableHyperparametersThrowsFactorizationFailed() {
        let broken = GPHyperparameters(lengthScales: [.nan], signalVariance: 1, noiseVariance: 1e-3)
        #expect(throws: OptimizerError.self) {
            try GaussianProcess.firstBuildable(
                [broken], x: [[0.1], [0.2]], standardizedTargets: [1, -1], targetMean: 0, targetScale: 1, issue: nil)
        }
    }
}

@Suite struct GaussianProcessStandardizationTests {
    @Test func standardizationIsExactForOrdinaryValuesAndSafeForHugeOnes() throws {
        let (mean, scale) = GaussianProcess.standardization(of: [1, 2, 3, 4])
        #expect(abs(mean - 2.5) < 1e-15)
        #expect(abs(scale - 1.25.squareRoot()) < 1e-15)
        let huge = GaussianProcess.standardization(of: [1e300, -1e300, 3e300])
        #expect(huge.mean.isFinite && huge.scale.isFinite && huge.scale > 1e300)
        let gp = try GaussianProcess.fit(x: [[0.1], [0.5], [0.9]], y: [1e300, -1e300, 3e300], warmStart: nil, seed: 1)
        #expect(gp.posterior(at: [0.5]).mean.isFinite)
    }
}
