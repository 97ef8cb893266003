/// The standard normal distribution: density, distribution function and their logarithms, accurate far in the tails.
///
/// `cdf` and `logCDF` go through `erfc` (never `1 − erf`), and `logCDF` switches to the scaled complementary error
/// function `erfcx(t) = exp(t²)·erfc(t)` (continued fraction) below x ≈ −3.5, so it keeps full relative accuracy where
/// `cdf` itself underflows: `logCDF(-40)` = −804.6084420137538, correct to ~1e-15 relative.
public enum Normal {
    /// log(√(2π)).
    public static let logSquareRootOfTwoPi = 0.918_938_533_204_672_741_78
    static let inverseSquareRootOfTwoPi = 0.398_942_280_401_432_677_94
    static let squareRootOfPi = 1.772_453_850_905_516_027_3
    static let inverseSquareRootOfTwo = 0.707_106_781_186_547_524_40

    /// The density φ(x) = exp(−x²/2)/√(2π).
    public static func pdf(_ x: Double) -> Double {
        inverseSquareRootOfTwoPi * MathFunctions.exp(-0.5 * x * x)
    }

    /// log φ(x) = −x²/2 − log √(2π); finite for every finite x.
    public static func logPDF(_ x: Double) -> Double {
        -0.5 * x * x - logSquareRootOfTwoPi
    }

    /// The distribution function Φ(x) = ½·erfc(−x/√2), with full relative accuracy in the lower tail until it underflows
    /// (x ≈ −38.5).
    public static func cdf(_ x: Double) -> Double {
        0.5 * MathFunctions.erfc(-x * inverseSquareRootOfTwo)
    }

    /// log Φ(x), accurate to a few ulps for every finite x (no underflow in the lower tail, no cancellation near 0).
    ///
    /// - x ≥ 0: log1p(−½·erfc(x/√2)).
    /// - −3.5 ≤ x < 0: log(½·erfc(−x/√2)).
    /// - x < −3.5: −x²/2 + log(½·erfcx(−x/√2)).
    public static func logCDF(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x >= 0 {
            return MathFunctions.log1p(-0.5 * MathFunctions.erfc(x * inverseSquareRootOfTwo))
        }
        let t = -x * inverseSquareRootOfTwo
        if t < 2.5 {
            return MathFunctions.log(0.5 * MathFunctions.erfc(t))
        }
        if x == -.infinity { return -.infinity }
        return -0.5 * x * x + MathFunctions.log(0.5 * erfcx(t))
    }

    /// The ratio φ(x)/Φ(x) (the inverse Mills ratio of −x), accurate in both tails; the derivative of `logCDF`.
    ///
    /// For x → −∞ it tends to −x, where computing φ and Φ separately would give 0/0.
    public static func pdfOverCDF(_ x: Double) -> Double {
        if x >= -3.5 {
            return pdf(x) / cdf(x)
        }
        // φ(x)/Φ(x) = (1/√(2π))·exp(−x²/2) / (½·exp(−t²)·erfcx(t)) with t = −x/√2, and t² = x²/2.
        let t = -x * inverseSquareRootOfTwo
        return 2.0 * inverseSquareRootOfTwoPi / erfcx(t)
    }

    /// The scaled complementary error function erfcx(t) = exp(t²)·erfc(t), for t ≥ 0 without overflow or underflow.
    ///
    /// Below t = 2.5 it multiplies out directly; above, it evaluates the Laplace continued fraction
    /// erfc(t) = exp(−t²)/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …)))) with 40 terms (error below 1e-16 there).
    /// For negative t it returns exp(t²)·erfc(t) directly (overflows to +∞ for t < −26.6).
    public static func erfcx(_ t: Double) -> Double {
        if t < 2.5 {
            return MathFunctions.exp(t * t) * MathFunctions.erfc(t)
        }
        if t == .infinity { return 0 }
        var fraction = t
        var k = 40
        while k >= 1 {
            fraction = t + (Double(k) * 0.5) / fraction
            k -= 1
        }
        return 1.0 / (fraction * squareRootOfPi)
    }
}
