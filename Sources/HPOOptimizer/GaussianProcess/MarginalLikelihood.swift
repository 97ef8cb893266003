import HPOMath

/// The log marginal likelihood of a Matérn-5/2 ARD GP on fixed data, with its analytic gradient in log-hyperparameters.
///
/// Pairwise squared coordinate differences are computed once (an n(n−1)/2 × d matrix), so every evaluation gets all
/// scaled distances with one `dgemv` and the length-scale gradient with another.
///
/// With W = α·αᵀ − K⁻¹ (α = K⁻¹y): ∂L/∂θⱼ = ½·tr(W·∂K/∂θⱼ), where
/// ∂Kᵢⱼ/∂ log ℓₖ = σ²·g(r)·Δₖ²/ℓₖ², ∂K/∂ log σ² = K_f (the signal part), ∂K/∂ log σₙ² = σₙ²·I.
///
/// - Complexity: O(n³) per evaluation (Cholesky and inverse) plus O(n²·d) for distances and gradient.
struct MarginalLikelihood: Sendable {
    let pointCount: Int
    let dimension: Int
    /// P × d, row p holds (x_i − x_j)² per coordinate for the p-th pair (j < i), pairs ordered column by column
    /// of the strictly lower triangle. Column-major, so each coordinate's P values are contiguous and both products
    /// are d long vector operations (`dgemv` over d × P ran one 6-long dot product per pair, 4× slower at n = 101).
    let pairDifferences: Matrix
    /// Standardized targets (n).
    let targets: [Double]
    let prior: HyperparameterPrior

    init(points: [[Double]], targets: [Double]) {
        let n = points.count
        let d = points.first?.count ?? 0
        let pairCount = n * (n - 1) / 2
        var differences = Matrix(rows: pairCount, columns: d)
        differences.elements.withUnsafeMutableBufferPointer { buffer in
            var p = 0
            for j in 0..<n {
                for i in (j + 1)..<max(n, j + 1) {
                    let a = points[i]
                    let b = points[j]
                    for k in 0..<d {
                        let delta = a[k] - b[k]
                        buffer[p + k * pairCount] = delta * delta
                    }
                    p += 1
                }
            }
        }
        self.pointCount = n
        self.dimension = d
        self.pairDifferences = differences
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
        var correlations = pairDifferences.multiplied(by: inverseSquaredScales)
        var factors = [Double](repeating: 0, count: correlations.count)
        correlations.withUnsafeMutableBufferPointer { values in
            factors.withUnsafeMutableBufferPointer { factors in
                MaternKernel.correlationsAndDerivativeFactors(values, factors: factors, signal: signal)
            }
        }
        var kernel = Matrix(rows: n, columns: n)
        kernel.elements.withUnsafeMutableBufferPointer { k in
            var p = 0
            for j in 0..<n {
                k[j + j * n] = signal + noise
                for i in (j + 1)..<max(n, j + 1) {
                    k[i + j * n] = correlations[p]
                    p += 1
                }
            }
        }
        guard let factor = try? CholeskyFactor(factoring: kernel) else { return .infinity }
        let whitened = factor.solveLower(targets)
        let alpha = factor.solveUpper(whitened)
        var logLikelihood = -0.5 * VectorMath.dot(whitened, whitened) - 0.5 * factor.logDeterminant
        logLikelihood -= 0.5 * Double(n) * 2 * Normal.logSquareRootOfTwoPi
        guard logLikelihood.isFinite else { return .infinity }

        let inverse = factor.inverse()
        // W = ααᵀ − K⁻¹; per pair p = (i, j): B_p = W_ij·σ²·g(r_ij), and the signal term Σ W_ij·K_ij.
        var weights = [Double](repeating: 0, count: factors.count)
        var signalGradient = 0.0
        var traceW = 0.0
        inverse.elements.withUnsafeBufferPointer { kinv in
            var p = 0
            for j in 0..<n {
                let diagonalW = alpha[j] * alpha[j] - kinv[j + j * n]
                traceW += diagonalW
                signalGradient += 0.5 * diagonalW * signal
                for i in (j + 1)..<max(n, j + 1) {
                    let w = alpha[i] * alpha[j] - kinv[i + j * n]
                    weights[p] = w * factors[p]
                    signalGradient += w * kernel.elements[i + j * n]
                    p += 1
                }
            }
        }
        let lengthScaleSums = pairDifferences.transposeMultiplied(by: weights)
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
