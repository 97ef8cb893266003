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

    /// signal·m(r(xᵢ, xⱼ)) + diagonal·δᵢⱼ for n points already divided by the length scales, stored point-major (n × d).
    ///
    /// Only the lower triangle and the diagonal are filled (the upper triangle is 0): that is all `dpotrf` reads.
    /// - Complexity: O(n²·d / 2).
    static func covarianceMatrix(
        scaledPoints: [Double], count n: Int, dimension d: Int, signal: Double, diagonal: Double
    ) -> Matrix {
        var kernel = Matrix(rows: n, columns: n)
        scaledPoints.withUnsafeBufferPointer { points in
            kernel.elements.withUnsafeMutableBufferPointer { k in
                for j in 0..<n {
                    k[j + j * n] = signal + diagonal
                    for i in (j + 1)..<max(n, j + 1) {
                        var r2 = 0.0
                        for c in 0..<d {
                            let delta = points[i * d + c] - points[j * d + c]
                            r2 += delta * delta
                        }
                        k[i + j * n] = signal * correlation(squaredDistance: r2)
                    }
                }
            }
        }
        return kernel
    }
}
