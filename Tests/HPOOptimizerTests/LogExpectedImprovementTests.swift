import Foundation
import HPOOptimizer
import Testing

@Suite struct LogExpectedImprovementTests {
    /// (z, log h(z), d log h/dz) computed once with mpmath at 60 digits: h(z) = φ(z) + zΦ(z), derivative Φ(z)/h(z).
    static let reference: [(z: Double, logH: Double, derivative: Double)] = [
        (-1e10, -50_000_000_000_000_000_047.0, 1e10),
        (-1e5, -5_000_000_023.9447894634, 100_000.00001999999999),
        (-100, -5010.1295788002497923, 100.01999400419586505),
        (-40, -808.29856835661996024, 40.049906657648518193),
        (-38, -730.19618340211373916, 38.052522760041328294),
        (-20, -206.91783850942509785, 20.099262811101281775),
        (-10, -55.553122036122355927, 10.194383033412553306),
        (-5, -16.744301162660990143, 5.3618162412880885298),
        (-3, -7.8696860596030285171, 3.5323375176251605167),
        (-1.5, -3.5299359208057098515, 2.2795806941564461644),
        (-1, -2.4851210257126413368, 1.9042712333296918229),
        (-0.5, -1.6205162643873199193, 1.5598731483480796712),
        (0, -0.91893853320467274178, 1.2533141373155002512),
        (0.5, -0.35982768374506381859, 0.99092271800410996015),
        (1, 0.080026218849306940029, 0.77663872520173925975),
        (3, 1.0987396653277077727, 0.33284096845179523558),
        (10, 2.302585092994045684, 0.1),
        (40, 3.6888794541139363029, 0.025),
    ]

    @Test(arguments: reference.indices)
    func logHMatchesHighPrecisionValues(index: Int) {
        let (z, logH, derivative) = Self.reference[index]
        let value = LogExpectedImprovement.logH(z)
        let slope = LogExpectedImprovement.logHDerivative(z)
        #expect(abs(value - logH) <= 1e-13 * max(1, abs(logH)), "z = \(z): log h = \(value), want \(logH)")
        #expect(abs(slope - derivative) <= 1e-10 * max(1, abs(derivative)), "z = \(z): slope = \(slope), want \(derivative)")
    }

    /// Continuity across the branch points z = −1 and z = −1/√ε, and monotonicity across the whole range.
    @Test func logHIsContinuousAndIncreasing() {
        for z in [-1.0, -1 / Double.ulpOfOne.squareRoot()] {
            let below = LogExpectedImprovement.logH(z.nextDown)
            let above = LogExpectedImprovement.logH(z.nextUp)
            #expect(abs(above - below) <= 1e-9 * max(1, abs(above)))
        }
        var previous = -Double.infinity
        var z = -60.0
        while z < 20 {
            let value = LogExpectedImprovement.logH(z)
            #expect(value.isFinite && value > previous, "log h not increasing at z = \(z)")
            previous = value
            z += 0.173
        }
    }

    /// Analytic gradients against central differences of the full chain μ(x), σ²(x) → log EI and UCB,
    /// near the data (z ≈ 0), in the tail (z ≈ −40) and far out (z ≈ −1000).
    @Test(arguments: [0.3, -40.0, -1000.0])
    func gradientsMatchFiniteDifferences(targetZ: Double) {
        // A smooth stand-in posterior over x in R^3.
        func posterior(_ x: [Double]) -> (mean: Double, variance: Double, meanGradient: [Double], varianceGradient: [Double]) {
            let mean = sin(x[0]) + x[1] * x[1] + 0.5 * x[2]
            let variance = 0.04 * exp(0.3 * x[0] - 0.2 * x[2]) + 0.01 * x[1] * x[1]
            return (
                mean, variance, [cos(x[0]), 2 * x[1], 0.5],
                [0.012 * exp(0.3 * x[0] - 0.2 * x[2]), 0.02 * x[1], -0.008 * exp(0.3 * x[0] - 0.2 * x[2])]
            )
        }
        let x = [0.4, -0.7, 0.2]
        let at = posterior(x)
        let best = at.mean + targetZ * at.variance.squareRoot()
        for acquisition in [AcquisitionFunction.logExpectedImprovement, .upperConfidenceBound(beta: 2)] {
            func value(_ point: [Double]) -> Double {
                let p = posterior(point)
                return acquisition.value(mean: p.mean, variance: p.variance, best: best)
            }
            let analytic = acquisition.valueAndGradient(
                mean: at.mean, variance: at.variance, meanGradient: at.meanGradient,
                varianceGradient: at.varianceGradient, best: best
            )
            #expect(abs(analytic.value - value(x)) <= 1e-12 * max(1, abs(analytic.value)))
            for index in 0..<3 {
                let step = 1e-6
                var up = x
                var down = x
                up[index] += step
                down[index] -= step
                let numeric = (value(up) - value(down)) / (2 * step)
                let scale = max(1, abs(numeric))
                #expect(
                    abs(analytic.gradient[index] - numeric) <= 1e-5 * scale,
                    "\(acquisition), z = \(targetZ), coordinate \(index): analytic \(analytic.gradient[index]), numeric \(numeric)"
                )
            }
        }
    }

    /// Where plain EI underflows to 0, log EI still ranks points correctly.
    @Test func logEIRanksPointsWherePlainEIIsZero() {
        let best = 0.0
        let closer = LogExpectedImprovement.value(mean: 40, variance: 1, best: best)
        let farther = LogExpectedImprovement.value(mean: 45, variance: 1, best: best)
        let wider = LogExpectedImprovement.value(mean: 40, variance: 1.2, best: best)
        #expect(closer.isFinite && farther.isFinite)
        #expect(closer > farther)
        #expect(wider > closer)
        #expect(exp(closer) == 0)  // plain EI would have no signal here
    }
}
