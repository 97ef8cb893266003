import HPOMath

/// The log marginal likelihood of a Matérn-5/2 ARD GP on fixed data, with its analytic gradient in log-hyperparameters.
///
/// Every evaluation gets all pairs' scaled distances and the length-scale gradient from the points themselves
/// (`VectorKernels.pairDistances` and `pairWeightedSquares`, O(n²·d/2) each, from a d × n array that stays in cache).
///
/// With W = α·αᵀ − K⁻¹ (α = K⁻¹y): ∂L/∂θⱼ = ½·tr(W·∂K/∂θⱼ), where
/// ∂Kᵢⱼ/∂ log ℓₖ = σ²·g(r)·Δₖ²/ℓₖ², ∂K/∂ log σ² = K_f (the signal part), ∂K/∂ log σₙ² = σₙ²·I.
///
/// - Complexity: O(n³) per evaluation (Cholesky and inverse) plus O(n²·d) for distances and gradient.
struct MarginalLikelihood: Sendable {
    let pointCount: Int
    let dimension: Int
    /// The points coordinate-major, d × n: `coordinates[k·n + i]` is coordinate k of point i.
    let coordinates: [Double]
    /// Standardized targets (n).
    let targets: [Double]
    let prior: HyperparameterPrior

    init(points: [[Double]], targets: [Double]) {
        let n = points.count
        let d = points.first?.count ?? 0
        var coordinates = [Double](repeating: 0, count: n * d)
        for (i, point) in points.enumerated() {
            for k in 0..<d { coordinates[k * n + i] = point[k] }
        }
        self.pointCount = n
        self.dimension = d
        self.coordinates = coordinates
        self.targets = targets
        self.prior = HyperparameterPrior(dimension: d)
    }

    /// The log marginal likelihood log p(y | θ) alone (standardized units), or nil if K cannot be factored.
    func logMarginalLikelihood(_ hyperparameters: GPHyperparameters) -> Double? {
        var gradient = [Double](repeating: 0, count: dimension + 2)
        let value = evaluate(hyperparameters.logVector, gradient: &gradient, includePrior: false)
        return value.isFinite ? -value * Double(pointCount) : nil
    }

    /// −(log p(y | θ) + log p(θ)) / n and its gradient in θ = [log ℓ₁ … log ℓ_d, log σ², log σₙ²].
    ///
    /// Returns +∞ (and leaves the gradient finite) when the kernel matrix cannot be factored, so a line search backs off.
    func negativeLogPosterior(_ theta: [Double], gradient: inout [Double]) -> Double {
        evaluate(theta, gradient: &gradient, includePrior: true)
    }

    func evaluate(_ theta: [Double], gradient: inout [Double], includePrior: Bool) -> Double {
        let n = pointCount
        let d = dimension
        for j in gradient.indices { gradient[j] = 0 }
        let inverseSquaredScales = (0..<d).map { MathFunctions.exp(-2 * theta[$0]) }
        let signal = MathFunctions.exp(theta[d])
        let noise = MathFunctions.exp(theta[d + 1])
        // Squared distances per pair, then σ²·m(r) in place, with σ²·g(r) per pair in `factors`.
        let pairCount = n * (n - 1) / 2
        var correlations = [Double](repeating: 0, count: pairCount)
        coordinates.withUnsafeBufferPointer { coordinates in
            inverseSquaredScales.withUnsafeBufferPointer { scales in
                correlations.withUnsafeMutableBufferPointer { output in
                    VectorKernels.pairDistances(coordinates: coordinates, count: n, scales: scales, into: output)
                }
            }
        }
        var factors = [Double](repeating: 0, count: correlations.count)
        correlations.withUnsafeMutableBufferPointer { values in
            factors.withUnsafeMutableBufferPointer { factors in
                MaternKernel.correlationsAndDerivativeFactors(values, factors: factors, signal: signal)
            }
        }
        var kernel = Matrix(rows: n, columns: n)
        kernel.elements.withUnsafeMutableBufferPointer { k in
            correlations.withUnsafeBufferPointer { correlations in
                var p = 0
                for j in 0..<n {
                    k[j + j * n] = signal + noise
                    for i in (j + 1)..<max(n, j + 1) {
                        k[i + j * n] = correlations[p]
                        p += 1
                    }
                }
            }
        }
        guard let factor = try? CholeskyFactor(factoring: kernel) else { return .infinity }
        let whitened = factor.solveLower(targets)
        let alpha = factor.solveUpper(whitened)
        var logLikelihood = -0.5 * VectorMath.dot(whitened, whitened) - 0.5 * factor.logDeterminant
        logLikelihood -= 0.5 * Double(n) * 2 * Normal.logSquareRootOfTwoPi
        guard logLikelihood.isFinite else { return .infinity }

        let inverse = factor.inverseLowerTriangle()
        // W = ααᵀ − K⁻¹; per pair p = (i, j): B_p = W_ij·σ²·g(r_ij), and the signal term Σ W_ij·K_ij.
        var weights = [Double](repeating: 0, count: factors.count)
        var signalGradient = 0.0
        var traceW = 0.0
        // Raw buffers: this O(n²) loop is pure arithmetic, and bounds checks would keep it from being compiled tight.
        // The signal term reads K_ij off `correlations` (pair p), which is what the kernel matrix holds there.
        inverse.elements.withUnsafeBufferPointer { kinv in
            correlations.withUnsafeBufferPointer { correlations in
                alpha.withUnsafeBufferPointer { alpha in
                    factors.withUnsafeBufferPointer { factors in
                        weights.withUnsafeMutableBufferPointer { weights in
                            var p = 0
                            for j in 0..<n {
                                let diagonalW = alpha[j] * alpha[j] - kinv[j + j * n]
                                traceW += diagonalW
                                signalGradient += 0.5 * diagonalW * signal
                                for i in (j + 1)..<max(n, j + 1) {
                                    let w = alpha[i] * alpha[j] - kinv[i + j * n]
                                    weights[p] = w * factors[p]
                                    signalGradient += w * correlations[p]
                                    p += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        var lengthScaleSums = [Double](repeating: 0, count: d)
        coordinates.withUnsafeBufferPointer { coordinates in
            weights.withUnsafeBufferPointer { weights in
                lengthScaleSums.withUnsafeMutableBufferPointer { sums in
                    VectorKernels.pairWeightedSquares(coordinates: coordinates, count: n, weights: weights, into: sums)
                }
            }
        }
        for k in 0..<d { gradient[k] = lengthScaleSums[k] * inverseSquaredScales[k] }
        gradient[d] = signalGradient
        gradient[d + 1] = 0.5 * noise * traceW

        var objective = logLikelihood
        if includePrior {
            objective += prior.logDensity(theta, addingGradientTo: &gradient)
        }
        let scale = -1.0 / Double(n)
        for j in gradient.indices { gradient[j] *= scale }
        return objective * scale
    }
}
