import Foundation
import HPOMath

/// Log expected improvement, accurate far into the tail (Ament et al. 2023, "Unexpected Improvements to Expected
/// Improvement for Bayesian Optimization", eq. 9).
///
/// For a Gaussian posterior f(x) ~ N(μ, σ²) and the best (smallest) value seen so far `best`, the improvement
/// is max(best − f, 0), whose expectation is EI = σ·h(z) with z = (best − μ)/σ and h(z) = φ(z) + z·Φ(z).
/// Plain EI underflows to 0 (and its gradient with it) once z < −38, which happens everywhere but near the data
/// after a few dozen observations; its log stays finite and smooth:
///
///     log h(z) = log(φ(z) + z·Φ(z))                                     z > −1
///              = −z²/2 − c₁ + log1mexp(log(erfcx(−z/√2)·|z|) + c₂)     −1/√ε < z ≤ −1
///              = −z²/2 − c₁ − 2·log|z|                                   z ≤ −1/√ε
///
/// with c₁ = log√(2π), c₂ = log√(π/2), ε the machine epsilon. Its derivative is Φ(z)/h(z), taken as
/// exp(log Φ(z) − log h(z)), or from asymptotic series below z = −100 (it tends to |z| in the tail, where Φ and h
/// both underflow).
/// Everything here minimizes: smaller posterior means are better.
public enum LogExpectedImprovement {
    /// log√(2π).
    static let c1 = 0.918_938_533_204_672_741_78
    /// log√(π/2).
    static let c2 = 0.225_791_352_644_727_432_36
    /// −1/√ε: below it the asymptotic form is exact to double precision.
    static let asymptoticThreshold = -1 / Double.ulpOfOne.squareRoot()

    /// log h(z) = log(φ(z) + z·Φ(z)), finite for every finite z (≈ −z²/2 in the far tail).
    public static func logH(_ z: Double) -> Double {
        if z > -1 {
            return log(Normal.pdf(z) + z * Normal.cdf(z))
        }
        if z > asymptoticThreshold {
            return -0.5 * z * z - c1 + log1mexp(log(Normal.erfcx(-z / 2.0.squareRoot()) * -z) + c2)
        }
        return -0.5 * z * z - c1 - 2 * log(-z)
    }

    /// d log h / dz = Φ(z)/h(z) > 0 (→ |z| as z → −∞, → 1/z as z → +∞).
    ///
    /// Below z = −100 both Φ and h are taken from their asymptotic series (error below 1e-16 there), since
    /// exp(log Φ − log h) would subtract two numbers near −z²/2 and lose digits.
    public static func logHDerivative(_ z: Double) -> Double {
        if z > -100 {
            return exp(Normal.logCDF(z) - logH(z))
        }
        // Φ(z) ≈ φ(z)/|z|·(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸), h(z) ≈ φ(z)/z²·(1 − 3/z² + 15/z⁴ − 105/z⁶ + 945/z⁸).
        let w = 1 / (z * z)
        let cdfSeries = 1 + w * (-1 + w * (3 + w * (-15 + w * 105)))
        let hSeries = 1 + w * (-3 + w * (15 + w * (-105 + w * 945)))
        return -z * cdfSeries / hSeries
    }

    /// log(1 − eˣ) for x < 0, accurate for x near 0 and for x ≪ 0 (Mächler 2012).
    static func log1mexp(_ x: Double) -> Double {
        x > -M_LN2 ? log(-expm1(x)) : log1p(-exp(x))
    }

    /// log EI at a posterior N(mean, variance) below `best` (minimization).
    ///
    /// - Parameters:
    ///   - mean: posterior mean μ.
    ///   - variance: posterior variance σ² (> 0; callers floor it).
    ///   - best: the incumbent, the smallest value seen (or a stand-in for it).
    public static func value(mean: Double, variance: Double, best: Double) -> Double {
        let sigma = variance.squareRoot()
        return logH((best - mean) / sigma) + log(sigma)
    }

    /// log EI and its gradient with respect to x, from the posterior's gradients.
    ///
    /// ∂ log EI = (Φ/h)(z)·∂z + ∂σ/σ, with ∂z = −(∂μ + z·∂σ)/σ and ∂σ = ∂σ²/(2σ).
    /// - Parameters:
    ///   - meanGradient: ∂μ/∂x (d entries).
    ///   - varianceGradient: ∂σ²/∂x (d entries).
    /// - Returns: the value and its gradient (d entries).
    public static func valueAndGradient(
        mean: Double, variance: Double, meanGradient: [Double], varianceGradient: [Double], best: Double
    ) -> (value: Double, gradient: [Double]) {
        let sigma = variance.squareRoot()
        let z = (best - mean) / sigma
        let slope = logHDerivative(z)
        var gradient = [Double](repeating: 0, count: meanGradient.count)
        for index in gradient.indices {
            let sigmaGradient = varianceGradient[index] / (2 * sigma)
            let zGradient = -(meanGradient[index] + z * sigmaGradient) / sigma
            gradient[index] = slope * zGradient + sigmaGradient / sigma
        }
        return (logH(z) + log(sigma), gradient)
    }
}
