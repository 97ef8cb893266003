import HPOMath

/// Posterior mean and variance of the latent f, one point, a batch, or with gradients in x.
extension GaussianProcess {
    /// The posterior of the latent f at one point: mean and variance in y's units.
    ///
    /// - Parameter x: d coordinates in the unit cube.
    /// - Returns: mean, and variance ≥ 10⁻¹⁰·σ²·scale² (never exactly 0, so σ can divide).
    /// - Complexity: O(n·d + n²).
    public func posterior(at x: [Double]) -> (mean: Double, variance: Double) {
        precondition(x.count == dimension, "GP posterior needs \(dimension) coordinates, got \(x.count)")
        let (crossCovariance, _) = crossCovariances(at: x, withFactors: false)
        let mean = VectorMath.dot(crossCovariance, alpha)
        let v = factor.solveLower(crossCovariance)
        return (targetMean + targetScale * mean, scaledVariance(hyperparameters.signalVariance - VectorMath.dot(v, v)))
    }

    /// The posterior at many points at once, through BLAS: one `dgemm` for the distances, one `dgemv` for the means and
    /// one `dtrsm` for the variances.
    ///
    /// - Parameter xs: m points of d coordinates.
    /// - Returns: m means and m variances (y units), equal to ``posterior(at:)`` point by point up to rounding.
    /// - Complexity: O(n·m·d + n²·m) flops, dominated by `dtrsm`; 17–31 ms for n = 1000, m = 1000 on one core
    ///   (1 ms at n = 100).
    public func posterior(batch xs: [[Double]]) -> (means: [Double], variances: [Double]) {
        guard !xs.isEmpty else { return ([], []) }
        let batch = whitenedBatch(xs)
        return (
            batch.standardizedMeans.map { targetMean + targetScale * $0 },
            batch.standardizedVariances.map(scaledVariance)
        )
    }

    /// The pieces of ``posterior(batch:)`` in standardized units, with V = L⁻¹·k(X, C) kept so that a later fantasy
    /// can update them in O(n·m) (``CandidatePosterior``).
    ///
    /// - Parameter xs: m ≥ 1 points of d coordinates.
    /// - Returns: `whitened` V (n × m, column c for point c), the m standardized means k(X, c)ᵀ·α and the m
    ///   standardized variances σ² − |V_c|² before the floor.
    /// - Complexity: O(n·m·d + n²·m): one `dgemm`, one `dgemv`, one `dtrsm`.
    func whitenedBatch(_ xs: [[Double]]) -> (whitened: Matrix, standardizedMeans: [Double], standardizedVariances: [Double]) {
        let (cross, means) = crossCovarianceBatch(xs)
        let (whitened, variances) = whitenedVariances(cross)
        return (whitened, means, variances)
    }

    /// k(X, C) and the means of m points, without the O(n²·m) solve the variances need.
    ///
    /// - Parameter xs: m ≥ 1 points of d coordinates.
    /// - Returns: `cross`, n × m (column c: k(X, c), standardized units), and the m standardized means k(X, c)ᵀ·α.
    /// - Complexity: O(n·m·d): one `dgemm`, the Matérn pass, one `dgemv`.
    func crossCovarianceBatch(_ xs: [[Double]]) -> (cross: Matrix, standardizedMeans: [Double]) {
        let m = xs.count
        let n = pointCount
        let d = dimension
        var candidates = Matrix(rows: d, columns: m)
        var candidateNorms = [Double](repeating: 0, count: m)
        for (c, point) in xs.enumerated() {
            precondition(point.count == d, "GP posterior needs \(d) coordinates, got \(point.count)")
            var norm = 0.0
            for k in 0..<d {
                let value = point[k] * inverseLengthScales[k]
                candidates.elements[c * d + k] = value
                norm += value * value
            }
            candidateNorms[c] = norm
        }
        var pointNorms = [Double](repeating: 0, count: n)
        scaledPoints.elements.withUnsafeBufferPointer { points in
            for i in 0..<n {
                var norm = 0.0
                for k in 0..<d { norm += points[i * d + k] * points[i * d + k] }
                pointNorms[i] = norm
            }
        }
        // n × m inner products; r² = |a|² + |b|² − 2·a·b (clamped at 0).
        var cross = scaledPoints.transposeMultiplied(by: candidates)
        let signal = hyperparameters.signalVariance
        var scratch = [Double](repeating: 0, count: n)
        cross.elements.withUnsafeMutableBufferPointer { k in
            scratch.withUnsafeMutableBufferPointer { scratch in
                pointNorms.withUnsafeBufferPointer { pointNorms in
                    for c in 0..<m {
                        let candidateNorm = candidateNorms[c]
                        for i in 0..<n { k[i + c * n] = max(pointNorms[i] + candidateNorm - 2 * k[i + c * n], 0) }
                        MaternKernel.correlations(
                            UnsafeMutableBufferPointer(rebasing: k[(c * n)..<(c * n + n)]), signal: signal, scratch: scratch)
                    }
                }
            }
        }
        let standardizedMeans = cross.transposeMultiplied(by: alpha)
        return (cross, standardizedMeans)
    }

    /// V = L⁻¹·`cross` and the standardized variances σ² − |V_c|² (before the floor) of its columns.
    ///
    /// - Parameter cross: n × m cross-covariances (``crossCovarianceBatch(_:)``, or some of its columns).
    /// - Complexity: O(n²·m): one `dtrsm`.
    func whitenedVariances(_ cross: consuming Matrix) -> (whitened: Matrix, standardizedVariances: [Double]) {
        let n = pointCount
        let m = cross.columns
        let signal = hyperparameters.signalVariance
        let whitened = factor.solveLower(consume cross)
        var variances = [Double](repeating: 0, count: m)
        whitened.elements.withUnsafeBufferPointer { v in
            for c in 0..<m {
                var sum = 0.0
                for i in 0..<n { sum += v[i + c * n] * v[i + c * n] }
                variances[c] = signal - sum
            }
        }
        return (whitened, variances)
    }

    /// The posterior and its gradient with respect to x (for gradient-based acquisition refinement).
    ///
    /// - Returns: mean and variance as in ``posterior(at:)``, and their d partial derivatives (y units per unit-cube unit).
    ///   Where the variance sits at its floor, its gradient is 0.
    /// - Complexity: O(n·d + n²): two triangular solves. For several points at once
    ///   ``posteriorsWithGradients(at:)`` reads the factor once for up to eight of them.
    public func posteriorWithGradient(at x: [Double]) -> PosteriorWithGradient {
        posteriorWithGradient(at: x, alphas: [alpha])[0]
    }

    /// ``posteriorWithGradient(at:)`` of models that differ from this one only in their targets (`alphas`: each one's
    /// K⁻¹·y, n values): the solves once, each model's mean and mean gradient from its α; bit for bit each model's own.
    func posteriorWithGradient(at x: [Double], alphas: [[Double]]) -> [PosteriorWithGradient] {
        precondition(x.count == dimension, "GP posterior needs \(dimension) coordinates, got \(x.count)")
        let (crossCovariance, factors) = crossCovariances(at: x, withFactors: true)
        let v = factor.solveLower(crossCovariance)
        let w = factor.solveUpper(v)  // K⁻¹·k*
        let squaredNorm = VectorMath.dot(v, v)
        return w.withUnsafeBufferPointer { w in
            alphas.map { alpha in
                assembledPosterior(
                    at: x, crossCovariance: crossCovariance, factors: factors, whitenedSquaredNorm: squaredNorm,
                    solved: w, stride: 1, alpha: alpha)
            }
        }
    }

    /// The posterior with gradient at `x` from its pieces: k* = k(X, x) and σ²·g(rᵢ) (``crossCovariances(at:withFactors:)``),
    /// |L⁻¹·k*|², K⁻¹·k* read as `solved[i · stride]` for i < n, and the targets' `alpha` = K⁻¹·y (n values).
    func assembledPosterior(
        at x: [Double], crossCovariance: [Double], factors: [Double], whitenedSquaredNorm: Double,
        solved w: UnsafeBufferPointer<Double>, stride: Int, alpha: [Double]
    ) -> PosteriorWithGradient {
        let n = pointCount
        let d = dimension
        let rawVariance = hyperparameters.signalVariance - whitenedSquaredNorm
        let floored = rawVariance <= varianceFloor
        // ∂k*_i/∂x_k = −σ²·g(r_i)·(x_k − X_ik)/ℓ_k² = −σ²·g·(x̃_k − X̃_ik)/ℓ_k in scaled coordinates.
        var meanGradient = [Double](repeating: 0, count: d)
        var varianceGradient = [Double](repeating: 0, count: d)
        let scaledX = (0..<d).map { x[$0] * inverseLengthScales[$0] }
        // Four coordinates at a time (then one) with the sums in registers, each sum still adding its terms in point
        // order, over raw buffers: at d ≈ 6 bounds checks and stores through memory cost more than the arithmetic.
        scaledPoints.elements.withUnsafeBufferPointer { points in
            alpha.withUnsafeBufferPointer { alpha in
                factors.withUnsafeBufferPointer { factors in
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { weights in
                        for i in 0..<n {
                            weights[2 * i] = alpha[i] * factors[i]
                            weights[2 * i + 1] = w[i * stride] * factors[i]
                        }
                        var k = 0
                        while k + 4 <= d {
                            // Four coordinates per pass over the points: contiguous loads, eight sums in registers.
                            let (c0, c1, c2, c3) = (scaledX[k], scaledX[k + 1], scaledX[k + 2], scaledX[k + 3])
                            var (m0, m1, m2, m3) = (0.0, 0.0, 0.0, 0.0)
                            var (v0, v1, v2, v3) = (0.0, 0.0, 0.0, 0.0)
                            for i in 0..<n {
                                let row = i * d + k
                                let (meanWeight, varianceWeight) = (weights[2 * i], weights[2 * i + 1])
                                let (d0, d1, d2, d3) = (c0 - points[row], c1 - points[row + 1], c2 - points[row + 2], c3 - points[row + 3])
                                m0 -= meanWeight * d0
                                m1 -= meanWeight * d1
                                m2 -= meanWeight * d2
                                m3 -= meanWeight * d3
                                v0 -= varianceWeight * d0
                                v1 -= varianceWeight * d1
                                v2 -= varianceWeight * d2
                                v3 -= varianceWeight * d3
                            }
                            (meanGradient[k], meanGradient[k + 1], meanGradient[k + 2], meanGradient[k + 3]) = (m0, m1, m2, m3)
                            (varianceGradient[k], varianceGradient[k + 1], varianceGradient[k + 2], varianceGradient[k + 3]) = (v0, v1, v2, v3)
                            k += 4
                        }
                        for k in k..<d {
                            let coordinate = scaledX[k]
                            var meanSum = 0.0
                            var varianceSum = 0.0
                            for i in 0..<n {
                                let delta = coordinate - points[i * d + k]
                                meanSum -= weights[2 * i] * delta
                                varianceSum -= weights[2 * i + 1] * delta
                            }
                            meanGradient[k] = meanSum
                            varianceGradient[k] = varianceSum
                        }
                    }
                }
            }
        }
        let meanScale = targetScale
        let varianceScale = floored ? 0 : -2 * targetScale * targetScale
        for k in 0..<d {
            meanGradient[k] *= meanScale * inverseLengthScales[k]
            varianceGradient[k] *= varianceScale * inverseLengthScales[k]
        }
        let mean = targetMean + targetScale * VectorMath.dot(crossCovariance, alpha)
        return PosteriorWithGradient(
            mean: mean, variance: scaledVariance(rawVariance), meanGradient: meanGradient,
            varianceGradient: varianceGradient)
    }

    /// k(X, x) (n values, standardized units) and, if asked, σ²·g(rᵢ) per training point.
    func crossCovariances(at x: [Double], withFactors: Bool) -> ([Double], [Double]) {
        let n = pointCount
        let d = dimension
        let scaledX = (0..<d).map { x[$0] * inverseLengthScales[$0] }
        var covariance = [Double](repeating: 0, count: n)
        var factors = [Double](repeating: 0, count: withFactors ? n : 0)
        let signal = hyperparameters.signalVariance
        scaledPoints.elements.withUnsafeBufferPointer { points in
            covariance.withUnsafeMutableBufferPointer { covariance in
                scaledX.withUnsafeBufferPointer { x in VectorKernels.squaredDistances(from: x, to: points, into: covariance) }
                if withFactors {
                    factors.withUnsafeMutableBufferPointer { factors in
                        MaternKernel.correlationsAndDerivativeFactors(covariance, factors: factors, signal: signal)
                    }
                } else {
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { scratch in
                        MaternKernel.correlations(covariance, signal: signal, scratch: scratch)
                    }
                }
            }
        }
        return (covariance, factors)
    }

    var varianceFloor: Double { 1e-10 * hyperparameters.signalVariance }

    func scaledVariance(_ standardized: Double) -> Double {
        max(standardized, varianceFloor) * targetScale * targetScale
    }
}
