@testable import HPOOptimizer
import HPOMath
import Testing

/// Analytic gradients against central finite differences.
@Suite struct GaussianProcessGradientTests {
    static func randomData(n: Int, d: Int, seed: UInt64) -> (x: [[Double]], y: [Double]) {
        var generator = SeededGenerator(seed: seed)
        let x = (0..<n).map { _ in (0..<d).map { _ in generator.nextUniform() } }
        let y = x.map { p in p.enumerated().reduce(0.0) { $0 + MathFunctions.sin(3 * Double($1.offset + 1) * $1.element) } }
        return (x, y)
    }

    @Test(arguments: [true, false])
    func marginalLikelihoodGradientMatchesFiniteDifferences(includePrior: Bool) {
        let (x, y) = Self.randomData(n: 15, d: 3, seed: 1)
        let (mean, scale) = GaussianProcess.standardization(of: y)
        let objective = MarginalLikelihood(points: x, targets: y.map { ($0 - mean) / scale })
        let theta = [MathFunctions.log(0.3), MathFunctions.log(0.7), MathFunctions.log(1.9), MathFunctions.log(1.3), MathFunctions.log(0.02)]
        var gradient = [Double](repeating: 0, count: 5)
        _ = objective.evaluate(theta, gradient: &gradient, includePrior: includePrior)
        var scratch = gradient
        for j in theta.indices {
            let h = 1e-5
            var plus = theta
            plus[j] += h
            var minus = theta
            minus[j] -= h
            let difference = (objective.evaluate(plus, gradient: &scratch, includePrior: includePrior)
                - objective.evaluate(minus, gradient: &scratch, includePrior: includePrior)) / (2 * h)
            #expect(abs(difference - gradient[j]) <= 1e-6 * max(1, abs(difference)), "θ[\(j)]: analytic \(gradient[j]), numeric \(difference)")
        }
    }

    @Test func posteriorGradientsMatchFiniteDifferences() throws {
        let (x, y) = Self.randomData(n: 25, d: 4, seed: 2)
        let gp = try GaussianProcess(
            x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.4, 0.9, 0.3, 2], signalVariance: 1.2, noiseVariance: 1e-3))
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<5 {
            let point = (0..<4).map { _ in generator.nextUniform() }
            let result = gp.posteriorWithGradient(at: point)
            let plain = gp.posterior(at: point)
            #expect(abs(result.mean - plain.mean) < 1e-12 * max(1, abs(plain.mean)))
            #expect(abs(result.variance - plain.variance) < 1e-12 * max(1, plain.variance))
            for k in 0..<4 {
                let h = 1e-6
                var plus = point
                plus[k] += h
                var minus = point
                minus[k] -= h
                let upper = gp.posterior(at: plus)
                let lower = gp.posterior(at: minus)
                let meanSlope = (upper.mean - lower.mean) / (2 * h)
                let varianceSlope = (upper.variance - lower.variance) / (2 * h)
                #expect(abs(meanSlope - result.meanGradient[k]) <= 1e-5 * max(1, abs(meanSlope)), "mean ∂\(k)")
                #expect(abs(varianceSlope - result.varianceGradient[k]) <= 1e-5 * max(1, abs(varianceSlope)), "variance ∂\(k)")
            }
        }
    }

    @Test func gradientAtATrainingPointIsFinite() throws {
        let (x, y) = Self.randomData(n: 10, d: 2, seed: 4)
        let gp = try GaussianProcess(x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.5, 0.5], signalVariance: 1, noiseVariance: 1e-4))
        let result = gp.posteriorWithGradient(at: x[3])
        #expect(result.meanGradient.allSatisfy { $0.isFinite })
        #expect(result.varianceGradient.allSatisfy { $0.isFinite })
        #expect(result.variance > 0)
    }

    /// The refinement's lockstep posteriors (eight per panel, so 12 points fill one and a half) equal the point-by-point
    /// ones, on a model extended by fantasies as during a batch.
    @Test func panelPosteriorsWithGradientsEqualThePointByPointOnes() throws {
        let (x, y) = Self.randomData(n: 60, d: 5, seed: 35)
        let model = try GaussianProcess(
            x: x, y: y, hyperparameters: GPHyperparameters(lengthScales: [0.3, 0.5, 0.9, 2, 0.2], signalVariance: 1.1, noiseVariance: 1e-5))
            .conditioned(onFantasies: [x[2], [0.5, 0.5, 0.5, 0.5, 0.5]], values: [y.min()!, y.min()!])
        var generator = SeededGenerator(seed: 36)
        let points = [x[4], [0.5, 0.5, 0.5, 0.5, 0.5]] + (0..<10).map { _ in (0..<5).map { _ in generator.nextUniform() } }
        let panel = model.posteriorsWithGradients(at: points)
        #expect(panel.count == points.count)
        for (point, lockstep) in zip(points, panel) {
            let single = model.posteriorWithGradient(at: point)
            #expect(abs(single.mean - lockstep.mean) < 1e-10 * max(1, abs(single.mean)))
            #expect(abs(single.variance - lockstep.variance) < 1e-10 * max(1, single.variance))
            for k in 0..<5 {
                #expect(abs(single.meanGradient[k] - lockstep.meanGradient[k]) < 1e-8 * max(1, abs(single.meanGradient[k])))
                #expect(abs(single.varianceGradient[k] - lockstep.varianceGradient[k]) < 1e-8 * max(1, abs(single.varianceGradient[k])))
            }
        }
        #expect(model.posteriorsWithGradients(at: []).isEmpty)
    }
}
