import HPOMath

/// A Gaussian-process regression model with a Matérn-5/2 ARD kernel, for Bayesian optimization over the unit cube.
///
/// Inputs are n points in [0, 1]^d; outputs are standardized internally (mean 0, population standard deviation 1; a
/// constant y keeps scale 1), and every prediction is returned in y's own units. The model predicts the latent f
/// (no observation noise in `variance`). Hyperparameters come from ``fit(x:y:warmStart:seed:options:)`` (MAP with
/// weak priors, see `HyperparameterPrior`) or are given to ``init(x:y:hyperparameters:)``.
///
/// The kernel matrix K = k(X, X) + σₙ²·I is factored once by LAPACK `dpotrf` (with jitter escalation from
/// 10⁻⁹·trace/n up to 10⁻³·trace/n); posteriors then cost O(n·d + n²) per point, or one `dgemm` plus one `dtrsm` for a
/// batch. ``conditioned(onFantasy:value:)`` adds a point in O(n²) by extending the Cholesky factor (constant liar).
///
/// A value type: conditioning returns a new model and leaves this one unchanged.
public struct GaussianProcess: Sendable {
    /// The smallest noise variance a fit may choose (standardized units).
    public static let minimumNoiseVariance = 1e-6

    /// The hyperparameters in use (length scales in unit-cube units; variances in standardized units).
    public let hyperparameters: GPHyperparameters
    /// log p(y | hyperparameters) of the standardized training targets (without the hyperparameter prior).
    public private(set) var logMarginalLikelihood: Double
    /// When ``fit(x:y:warmStart:seed:options:)`` could not fit and fell back to the warm start or default
    /// hyperparameters, the reason; nil when the fit succeeded or the model was built with given hyperparameters.
    public internal(set) var fitIssue: GPError?
    /// How the last ``fit(x:y:warmStart:seed:options:)`` went (nil for a model built with given hyperparameters).
    public internal(set) var fitSummary: GPFitSummary?
    /// The diagonal jitter the Cholesky factorization needed (0 normally).
    public var jitter: Double { factor.jitter }

    /// Number of training points (including fantasies).
    public var pointCount: Int { targets.count }
    /// Input dimension d.
    public let dimension: Int
    /// Mean of the original training targets (y units); predictions add it back.
    public let targetMean: Double
    /// Standard deviation used to standardize the targets (y units, > 0).
    public let targetScale: Double

    /// Training inputs divided by the length scales, n × d point-major (equivalently a d × n column-major matrix).
    let scaledPoints: Matrix
    /// Standardized targets.
    let targets: [Double]
    let factor: CholeskyFactor
    /// L⁻¹·y (standardized), kept so a fantasy extends α in O(n²).
    let whitenedTargets: [Double]
    /// α = K⁻¹·y (standardized).
    let alpha: [Double]
    let inverseLengthScales: [Double]

    /// Builds the model with the given hyperparameters (no fitting).
    ///
    /// - Parameters:
    ///   - x: n ≥ 1 points of dimension d ≥ 1, each coordinate in [0, 1] (slightly outside is accepted; NaN is not).
    ///   - y: n finite values in any units.
    ///   - hyperparameters: d length scales > 0, signal variance > 0, noise variance ≥ 0.
    /// - Throws: `GPError.invalidInput` for mismatched or non-finite inputs; `.factorizationFailed` if K is not
    ///   positive definite even with jitter.
    /// - Complexity: O(n²·d + n³/3).
    public init(x: [[Double]], y: [Double], hyperparameters: GPHyperparameters) throws(GPError) {
        try Self.validate(x: x, y: y)
        let (mean, scale) = Self.standardization(of: y)
        try self.init(
            x: x, standardizedTargets: y.map { ($0 - mean) / scale }, targetMean: mean, targetScale: scale,
            hyperparameters: hyperparameters)
    }

    init(x: [[Double]], standardizedTargets: [Double], targetMean: Double, targetScale: Double,
         hyperparameters: GPHyperparameters) throws(GPError) {
        let n = x.count
        let d = x[0].count
        guard hyperparameters.lengthScales.count == d,
            hyperparameters.lengthScales.allSatisfy({ $0 > 0 && $0.isFinite }),
            hyperparameters.signalVariance > 0, hyperparameters.signalVariance.isFinite,
            hyperparameters.noiseVariance >= 0, hyperparameters.noiseVariance.isFinite
        else {
            throw GPError(
                .invalidInput,
                "GP hyperparameters must have \(d) positive length scales, a positive signal variance and a "
                    + "non-negative noise variance; got \(hyperparameters)")
        }
        let inverseScales = hyperparameters.lengthScales.map { 1 / $0 }
        var scaled = Matrix(rows: d, columns: n)
        for i in 0..<n {
            for k in 0..<d { scaled.elements[i * d + k] = x[i][k] * inverseScales[k] }
        }
        let kernel = MaternKernel.covarianceMatrix(
            scaledPoints: scaled.elements, count: n, dimension: d, signal: hyperparameters.signalVariance,
            diagonal: hyperparameters.noiseVariance)
        let factor: CholeskyFactor
        do {
            factor = try CholeskyFactor(factoring: kernel)
        } catch {
            throw GPError(
                .factorizationFailed,
                "the GP kernel matrix (n = \(n), d = \(d)) could not be factored: \(error.message); hyperparameters \(hyperparameters)")
        }
        let whitened = factor.solveLower(standardizedTargets)
        self.hyperparameters = hyperparameters
        self.dimension = d
        self.targetMean = targetMean
        self.targetScale = targetScale
        self.scaledPoints = scaled
        self.targets = standardizedTargets
        self.factor = factor
        self.whitenedTargets = whitened
        self.alpha = factor.solveUpper(whitened)
        self.inverseLengthScales = inverseScales
        self.logMarginalLikelihood = Self.logMarginalLikelihood(whitened: whitened, factor: factor)
        self.fitIssue = nil
        self.fitSummary = nil
    }

    private init(extending base: GaussianProcess, factor: CholeskyFactor, points scaledPoints: [Double], targets: [Double],
                 whitened: [Double]) {
        self.hyperparameters = base.hyperparameters
        self.dimension = base.dimension
        self.targetMean = base.targetMean
        self.targetScale = base.targetScale
        self.scaledPoints = (try? Matrix(
            rows: base.dimension, columns: base.pointCount + targets.count, elements: base.scaledPoints.elements + scaledPoints))!
        self.targets = base.targets + targets
        self.factor = factor
        self.whitenedTargets = whitened
        self.alpha = factor.solveUpper(whitened)
        self.inverseLengthScales = base.inverseLengthScales
        self.logMarginalLikelihood = Self.logMarginalLikelihood(whitened: whitened, factor: factor)
        self.fitIssue = base.fitIssue
        self.fitSummary = base.fitSummary
    }

    static func logMarginalLikelihood(whitened: [Double], factor: CholeskyFactor) -> Double {
        -0.5 * VectorMath.dot(whitened, whitened) - 0.5 * factor.logDeterminant
            - Double(whitened.count) * Normal.logSquareRootOfTwoPi
    }

    /// Mean and population standard deviation; scale 1 when y is (numerically) constant or has one value.
    /// Deviations are divided by their largest magnitude before squaring, so values up to ~1e307 neither overflow nor
    /// underflow.
    static func standardization(of y: [Double]) -> (mean: Double, scale: Double) {
        let count = Double(y.count)
        let mean = y.reduce(0) { $0 + $1 / count }
        let largest = y.reduce(0) { max($0, abs($1 - mean)) }
        guard largest > 0, largest.isFinite else { return (mean, 1) }
        let meanSquare = y.reduce(0) { $0 + (($1 - mean) / largest) * (($1 - mean) / largest) } / count
        let scale = largest * meanSquare.squareRoot()
        return (mean, scale > 1e-12 * max(1, abs(mean)) ? scale : 1)
    }

    static func validate(x: [[Double]], y: [Double]) throws(GPError) {
        guard !x.isEmpty else {
            throw GPError(.invalidInput, "a GP needs at least one observation, got none; evaluate some random points first")
        }
        guard x.count == y.count else {
            throw GPError(.invalidInput, "a GP needs one y per x, got \(x.count) points and \(y.count) values")
        }
        let d = x[0].count
        guard d >= 1 else {
            throw GPError(.invalidInput, "a GP needs points with at least one coordinate, got dimension 0")
        }
        for (i, point) in x.enumerated() {
            guard point.count == d else {
                throw GPError(.invalidInput, "GP point \(i) has \(point.count) coordinates but point 0 has \(d); encode all points in the same space")
            }
            guard point.allSatisfy({ $0.isFinite }) else {
                throw GPError(.invalidInput, "GP point \(i) has a NaN or infinite coordinate: \(point)")
            }
        }
        if let bad = y.firstIndex(where: { !$0.isFinite }) {
            throw GPError(.invalidInput, "GP value \(bad) is \(y[bad]); report failed trials as failures, not as non-finite values")
        }
    }

    // MARK: - Posterior

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
        let m = xs.count
        let n = pointCount
        let d = dimension
        guard m > 0 else { return ([], []) }
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
        cross.elements.withUnsafeMutableBufferPointer { k in
            for c in 0..<m {
                for i in 0..<n {
                    let r2 = max(pointNorms[i] + candidateNorms[c] - 2 * k[i + c * n], 0)
                    k[i + c * n] = signal * MaternKernel.correlation(squaredDistance: r2)
                }
            }
        }
        let standardizedMeans = cross.transposeMultiplied(by: alpha)
        let whitened = factor.solveLower(consume cross)
        var means = [Double](repeating: 0, count: m)
        var variances = [Double](repeating: 0, count: m)
        whitened.elements.withUnsafeBufferPointer { v in
            for c in 0..<m {
                var sum = 0.0
                for i in 0..<n { sum += v[i + c * n] * v[i + c * n] }
                means[c] = targetMean + targetScale * standardizedMeans[c]
                variances[c] = scaledVariance(signal - sum)
            }
        }
        return (means, variances)
    }

    /// The posterior and its gradient with respect to x (for gradient-based acquisition refinement).
    ///
    /// - Returns: mean and variance as in ``posterior(at:)``, and their d partial derivatives (y units per unit-cube unit).
    ///   Where the variance sits at its floor, its gradient is 0.
    /// - Complexity: O(n·d + n²): two triangular solves.
    public func posteriorWithGradient(at x: [Double]) -> (
        mean: Double, variance: Double, meanGradient: [Double], varianceGradient: [Double]
    ) {
        precondition(x.count == dimension, "GP posterior needs \(dimension) coordinates, got \(x.count)")
        let n = pointCount
        let d = dimension
        let (crossCovariance, factors) = crossCovariances(at: x, withFactors: true)
        let v = factor.solveLower(crossCovariance)
        let w = factor.solveUpper(v)  // K⁻¹·k*
        let rawVariance = hyperparameters.signalVariance - VectorMath.dot(v, v)
        let variance = scaledVariance(rawVariance)
        let floored = rawVariance <= varianceFloor
        // ∂k*_i/∂x_k = −σ²·g(r_i)·(x_k − X_ik)/ℓ_k² = −σ²·g·(x̃_k − X̃_ik)/ℓ_k in scaled coordinates.
        var meanGradient = [Double](repeating: 0, count: d)
        var varianceGradient = [Double](repeating: 0, count: d)
        let scaledX = (0..<d).map { x[$0] * inverseLengthScales[$0] }
        scaledPoints.elements.withUnsafeBufferPointer { points in
            meanGradient.withUnsafeMutableBufferPointer { meanSum in
                varianceGradient.withUnsafeMutableBufferPointer { varianceSum in
                    for i in 0..<n {
                        let meanWeight = alpha[i] * factors[i]
                        let varianceWeight = w[i] * factors[i]
                        let row = i * d
                        for k in 0..<d {
                            let delta = scaledX[k] - points[row + k]
                            meanSum[k] -= meanWeight * delta
                            varianceSum[k] -= varianceWeight * delta
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
        return (mean, variance, meanGradient, varianceGradient)
    }

    /// k(X, x) (n values, standardized units) and, if asked, σ²·g(rᵢ) per training point.
    private func crossCovariances(at x: [Double], withFactors: Bool) -> ([Double], [Double]) {
        let n = pointCount
        let d = dimension
        let scaledX = (0..<d).map { x[$0] * inverseLengthScales[$0] }
        var covariance = [Double](repeating: 0, count: n)
        var factors = [Double](repeating: 0, count: withFactors ? n : 0)
        let signal = hyperparameters.signalVariance
        scaledPoints.elements.withUnsafeBufferPointer { points in
            for i in 0..<n {
                var r2 = 0.0
                for k in 0..<d {
                    let delta = scaledX[k] - points[i * d + k]
                    r2 += delta * delta
                }
                if withFactors {
                    let (m, g) = MaternKernel.correlationAndDerivativeFactor(squaredDistance: r2)
                    covariance[i] = signal * m
                    factors[i] = signal * g
                } else {
                    covariance[i] = signal * MaternKernel.correlation(squaredDistance: r2)
                }
            }
        }
        return (covariance, factors)
    }

    private var varianceFloor: Double { 1e-10 * hyperparameters.signalVariance }

    private func scaledVariance(_ standardized: Double) -> Double {
        max(standardized, varianceFloor) * targetScale * targetScale
    }

    // MARK: - Fantasies

    /// The model with one more observation (x, value), same hyperparameters and standardization, without refitting.
    ///
    /// Used by constant liar: condition on a pending point's lie, then maximize the acquisition again.
    ///
    /// - Parameters:
    ///   - x: d coordinates in the unit cube.
    ///   - value: the fantasized observation in y's units.
    /// - Throws: `GPError.invalidInput` for a wrong dimension or non-finite values; `.factorizationFailed` if the
    ///   extended kernel matrix is not positive definite (x duplicates a training point and the noise is ~0).
    /// - Complexity: O(n·d + n²) (one triangular solve and a copy of the factor).
    public func conditioned(onFantasy x: [Double], value: Double) throws(GPError) -> GaussianProcess {
        try conditioned(onFantasies: [x], values: [value])
    }

    /// The model with k more observations at once (for example every pending trial at the lie value), same
    /// hyperparameters and standardization, without refitting.
    ///
    /// Equal to k successive ``conditioned(onFantasy:value:)`` calls up to rounding, but extends the Cholesky factor by
    /// one k-row block (`dtrsm` + `dgemm` + a k × k `dpotrf`) with a single copy, which matters when many trials are
    /// pending on a large model.
    ///
    /// - Parameters:
    ///   - xs: k points of d coordinates.
    ///   - values: k fantasized observations in y's units.
    /// - Throws: `GPError.invalidInput` for mismatched counts, wrong dimensions or non-finite values;
    ///   `.factorizationFailed` if the extended kernel matrix is not positive definite.
    /// - Complexity: O(n·k·d + n²·k + k³).
    public func conditioned(onFantasies xs: [[Double]], values: [Double]) throws(GPError) -> GaussianProcess {
        guard xs.count == values.count else {
            throw GPError(.invalidInput, "fantasies need one value per point, got \(xs.count) points and \(values.count) values")
        }
        guard !xs.isEmpty else { return self }
        for (index, x) in xs.enumerated() where x.count != dimension || !x.allSatisfy(\.isFinite) || !values[index].isFinite {
            throw GPError(
                .invalidInput,
                "fantasy \(index) needs \(dimension) finite coordinates and a finite value, got \(x) and \(values[index])")
        }
        let n = pointCount
        let k = xs.count
        let d = dimension
        let signal = hyperparameters.signalVariance
        var columns = Matrix(rows: n, columns: k)
        for (c, x) in xs.enumerated() {
            let (covariance, _) = crossCovariances(at: x, withFactors: false)
            columns.elements.replaceSubrange((c * n)..<(c * n + n), with: covariance)
        }
        let scaled = xs.flatMap { x in (0..<d).map { x[$0] * inverseLengthScales[$0] } }
        let block = MaternKernel.covarianceMatrix(
            scaledPoints: scaled, count: k, dimension: d, signal: signal, diagonal: hyperparameters.noiseVariance)
        let grown: CholeskyFactor
        do {
            grown = try factor.extended(columns: columns, diagonalBlock: block)
        } catch {
            throw GPError(.factorizationFailed, "conditioning the GP on \(k) fantasies failed: \(error.message)")
        }
        // Forward substitution continues from the stored L⁻¹·y: only the k new rows of L are needed.
        let standardizedValues = values.map { ($0 - targetMean) / targetScale }
        let m = n + k
        var whitened = whitenedTargets + standardizedValues
        grown.lower.elements.withUnsafeBufferPointer { l in
            for r in n..<m {
                var sum = whitened[r]
                for j in 0..<r { sum -= l[r + j * m] * whitened[j] }
                whitened[r] = sum / l[r + r * m]
            }
        }
        return GaussianProcess(
            extending: self, factor: grown, points: scaled, targets: standardizedValues, whitened: whitened)
    }
}
