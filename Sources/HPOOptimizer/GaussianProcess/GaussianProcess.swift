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
    public internal(set) var fitIssue: OptimizerError?
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
    /// - Throws: `OptimizerError.invalidArgument` for mismatched or non-finite inputs; `.modelFailure` if K is not
    ///   positive definite even with jitter.
    /// - Complexity: O(n²·d + n³/3).
    public init(x: [[Double]], y: [Double], hyperparameters: GPHyperparameters) throws(OptimizerError) {
        try Self.validate(x: x, y: y)
        let (mean, scale) = Self.standardization(of: y)
        try self.init(
            x: x, standardizedTargets: y.map { ($0 - mean) / scale }, targetMean: mean, targetScale: scale,
            hyperparameters: hyperparameters)
    }

    init(x: [[Double]], standardizedTargets: [Double], targetMean: Double, targetScale: Double,
         hyperparameters: GPHyperparameters) throws(OptimizerError) {
        let n = x.count
        let d = x[0].count
        guard hyperparameters.lengthScales.count == d,
            hyperparameters.lengthScales.allSatisfy({ $0 > 0 && $0.isFinite }),
            hyperparameters.signalVariance > 0, hyperparameters.signalVariance.isFinite,
            hyperparameters.noiseVariance >= 0, hyperparameters.noiseVariance.isFinite
        else {
            throw OptimizerError(
                .invalidArgument,
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
            throw OptimizerError(
                .modelFailure,
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

    init(extending base: GaussianProcess, factor: CholeskyFactor, points scaledPoints: [Double], targets: [Double],
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

    static func validate(x: [[Double]], y: [Double]) throws(OptimizerError) {
        guard !x.isEmpty else {
            throw OptimizerError(.invalidArgument, "a GP needs at least one observation, got none; evaluate some random points first")
        }
        guard x.count == y.count else {
            throw OptimizerError(.invalidArgument, "a GP needs one y per x, got \(x.count) points and \(y.count) values")
        }
        let d = x[0].count
        guard d >= 1 else {
            throw OptimizerError(.invalidArgument, "a GP needs points with at least one coordinate, got dimension 0")
        }
        for (i, point) in x.enumerated() {
            guard point.count == d else {
                throw OptimizerError(.invalidArgument, "GP point \(i) has \(point.count) coordinates but point 0 has \(d); encode all points in the same space")
            }
            guard point.allSatisfy({ $0.isFinite }) else {
                throw OptimizerError(.invalidArgument, "GP point \(i) has a NaN or infinite coordinate: \(point)")
            }
        }
        if let bad = y.firstIndex(where: { !$0.isFinite }) {
            throw OptimizerError(.invalidArgument, "GP value \(bad) is \(y[bad]); report failed trials as failures, not as non-finite values")
        }
    }
}
