import HPOMath

/// The hyperparameters of a Matérn-5/2 ARD Gaussian process, in standardized output units.
///
/// k(x, x') = signalVariance · (1 + √5·r + 5/3·r²) · exp(−√5·r), r² = Σₖ (xₖ − x'ₖ)² / lengthScalesₖ²,
/// plus `noiseVariance` on the diagonal of the training covariance. Inputs live in the unit cube, outputs are
/// standardized (mean 0, standard deviation 1) before the kernel sees them.
public struct GPHyperparameters: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One length scale per input dimension (unit-cube units), each > 0.
    public var lengthScales: [Double]
    /// Prior variance of the latent function (standardized units), > 0.
    public var signalVariance: Double
    /// Observation noise variance (standardized units), ≥ `GaussianProcess.minimumNoiseVariance`.
    public var noiseVariance: Double

    public init(lengthScales: [Double], signalVariance: Double, noiseVariance: Double) {
        self.lengthScales = lengthScales
        self.signalVariance = signalVariance
        self.noiseVariance = noiseVariance
    }

    /// A neutral starting point for d dimensions: every length scale 0.4·√d (so a typical distance between two random
    /// points of the cube, √(d/6), is about one length scale), signal variance 1, noise variance 10⁻³.
    public static func defaults(dimension: Int) -> GPHyperparameters {
        GPHyperparameters(
            lengthScales: [Double](repeating: 0.4 * Double(max(dimension, 1)).squareRoot(), count: dimension),
            signalVariance: 1, noiseVariance: 1e-3)
    }

    public var description: String {
        "GPHyperparameters(lengthScales: \(lengthScales), signalVariance: \(signalVariance), noiseVariance: \(noiseVariance))"
    }

    /// The hyperparameters as the log-space vector the fit optimizes: [log ℓ₁ … log ℓ_d, log signal, log noise].
    var logVector: [Double] {
        lengthScales.map { MathFunctions.log($0) } + [MathFunctions.log(signalVariance), MathFunctions.log(noiseVariance)]
    }

    init(logVector theta: [Double]) {
        let d = theta.count - 2
        self.init(
            lengthScales: theta[0..<d].map { MathFunctions.exp($0) }, signalVariance: MathFunctions.exp(theta[d]),
            noiseVariance: MathFunctions.exp(theta[d + 1]))
    }
}

