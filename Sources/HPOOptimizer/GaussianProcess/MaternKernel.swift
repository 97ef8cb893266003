import HPOMath

/// The Matérn-5/2 correlation as a function of the scaled squared distance r², and the pieces its derivatives need:
/// m(r) = (1 + √5·r + 5/3·r²)·exp(−√5·r) and g(r) = 5/3·(1 + √5·r)·exp(−√5·r) = −2·dm/d(r²), so that
/// ∂k/∂ log ℓₖ = σ²·g·Δₖ²/ℓₖ² and ∂k/∂xₖ = −σ²·g·Δₖ/ℓₖ² (g is finite at r = 0: Matérn-5/2 is twice differentiable).
/// Everything works on buffers, so the exponentials go through one vectorized pass (`VectorKernels.matern52`, AVX2 +
/// FMA where the CPU has them).
enum MaternKernel {
    static let sqrt5 = 2.236_067_977_499_789_696_4

    /// Replaces each squared distance r² in `values` by signal·m(r), with one vectorized pass
    /// (`VectorKernels.matern52`, its exponential within 1 ulp of libm) instead of a libm call per value.
    ///
    /// - Parameters:
    ///   - values: r² ≥ 0 on entry (negative rounding noise is clamped to 0), signal·m(r) on return.
    ///   - signal: σ², the factor of every value.
    ///   - scratch: at least `values.count` doubles, overwritten.
    /// - Complexity: O(count).
    static func correlations(
        _ values: UnsafeMutableBufferPointer<Double>, signal: Double, scratch: UnsafeMutableBufferPointer<Double>
    ) {
        VectorKernels.matern52(values, scratch: scratch, signal: signal, derivativeFactors: false)
    }

    /// Replaces each squared distance r² in `values` by signal·m(r) and writes signal·g(r) into `factors` (one
    /// vectorized `exp` pass, as ``correlations(_:signal:scratch:)``).
    ///
    /// - Parameters:
    ///   - values: r² on entry, signal·m(r) on return.
    ///   - factors: at least `values.count` doubles; signal·g(r) on return.
    static func correlationsAndDerivativeFactors(
        _ values: UnsafeMutableBufferPointer<Double>, factors: UnsafeMutableBufferPointer<Double>, signal: Double
    ) {
        VectorKernels.matern52(values, scratch: factors, signal: signal, derivativeFactors: true)
    }

    /// signal·m(r(xᵢ, xⱼ)) + diagonal·δᵢⱼ for n points already divided by the length scales, stored point-major (n × d).
    ///
    /// Only the lower triangle and the diagonal are filled (the upper triangle is 0): that is all `dpotrf` reads.
    /// - Complexity: O(n²·d / 2).
    static func covarianceMatrix(
        scaledPoints: [Double], count n: Int, dimension d: Int, signal: Double, diagonal: Double
    ) -> Matrix {
        var kernel = Matrix(rows: n, columns: n)
        var scratch = [Double](repeating: 0, count: n)
        scaledPoints.withUnsafeBufferPointer { points in
            kernel.elements.withUnsafeMutableBufferPointer { k in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for j in 0..<n {
                        k[j + j * n] = signal + diagonal
                        let below = UnsafeMutableBufferPointer(rebasing: k[(j * n + j + 1)..<(j * n + n)])
                        VectorKernels.squaredDistances(
                            from: UnsafeBufferPointer(rebasing: points[(j * d)..<(j * d + d)]),
                            to: UnsafeBufferPointer(rebasing: points[((j + 1) * d)...]), into: below)
                        correlations(below, signal: signal, scratch: scratch)
                    }
                }
            }
        }
        return kernel
    }
}
