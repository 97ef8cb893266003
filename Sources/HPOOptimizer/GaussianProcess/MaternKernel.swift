import HPOMath

/// The Matérn-5/2 correlation as a function of the scaled squared distance r², and the pieces its derivatives need.
enum MaternKernel {
    static let sqrt5 = 2.236_067_977_499_789_696_4

    /// m(r) = (1 + √5·r + 5/3·r²)·exp(−√5·r), from r² ≥ 0.
    @inline(__always)
    static func correlation(squaredDistance r2: Double) -> Double {
        let r = max(r2, 0).squareRoot()
        return (1 + sqrt5 * r + (5.0 / 3.0) * r2) * MathFunctions.exp(-sqrt5 * r)
    }

    /// g(r) = 5/3·(1 + √5·r)·exp(−√5·r) = −2·dm/d(r²): with it, ∂k/∂ log ℓₖ = σ²·g·Δₖ²/ℓₖ² and
    /// ∂k/∂xₖ = −σ²·g·Δₖ/ℓₖ². Finite at r = 0 (Matérn-5/2 is twice differentiable).
    @inline(__always)
    static func derivativeFactor(squaredDistance r2: Double) -> Double {
        let r = max(r2, 0).squareRoot()
        return (5.0 / 3.0) * (1 + sqrt5 * r) * MathFunctions.exp(-sqrt5 * r)
    }

    /// Both m(r) and g(r) with one exp.
    @inline(__always)
    static func correlationAndDerivativeFactor(squaredDistance r2: Double) -> (Double, Double) {
        let r = max(r2, 0).squareRoot()
        let e = MathFunctions.exp(-sqrt5 * r)
        return ((1 + sqrt5 * r + (5.0 / 3.0) * r2) * e, (5.0 / 3.0) * (1 + sqrt5 * r) * e)
    }
}
