import HPOMath

/// Weak priors and box bounds on the GP hyperparameters, all in standardized output units and log space.
///
/// The fit maximizes log p(y | θ) + log p(θ) (a MAP estimate), the approach of BoTorch and Optuna:
/// - length scales: log-normal, log ℓ ~ N(√2 + ½·log d, √3²), the dimension-scaled prior of Hvarfner et al. (2024),
///   which keeps high-dimensional fits from overfitting with short length scales;
/// - signal variance: Gamma(shape 2, rate 1), mode 1 (outputs are standardized);
/// - noise variance: Gamma(shape 1.1, rate 30), mean ≈ 0.04: hyperparameter-tuning objectives are mostly
///   deterministic up to small seed noise, so most of the standardized variance should be signal.
/// Densities are on the raw parameters (no log-Jacobian), constants dropped.
struct HyperparameterPrior: Sendable {
    let dimension: Int
    let lengthScaleLogMean: Double
    static let lengthScaleLogVariance = 3.0
    static let signalShape = 2.0, signalRate = 1.0
    static let noiseShape = 1.1, noiseRate = 30.0

    /// Bounds: ℓ ∈ [0.01, 1000]; signal ∈ [0.05, 20]; noise ∈ [`GaussianProcess.minimumNoiseVariance`, 2].
    static let lengthScaleRange = (0.01, 1000.0)
    static let signalRange = (0.05, 20.0)
    static let noiseRange = (GaussianProcess.minimumNoiseVariance, 2.0)

    init(dimension: Int) {
        self.dimension = dimension
        self.lengthScaleLogMean = 2.0.squareRoot() + 0.5 * MathFunctions.log(Double(max(dimension, 1)))
    }

    var lowerBounds: [Double] {
        [Double](repeating: MathFunctions.log(Self.lengthScaleRange.0), count: dimension)
            + [MathFunctions.log(Self.signalRange.0), MathFunctions.log(Self.noiseRange.0)]
    }

    var upperBounds: [Double] {
        [Double](repeating: MathFunctions.log(Self.lengthScaleRange.1), count: dimension)
            + [MathFunctions.log(Self.signalRange.1), MathFunctions.log(Self.noiseRange.1)]
    }

    /// log p(θ) for θ = [log ℓ₁ … log ℓ_d, log σ², log σₙ²]; adds ∂ log p/∂θ into `gradient`.
    func logDensity(_ theta: [Double], addingGradientTo gradient: inout [Double]) -> Double {
        var total = 0.0
        for k in 0..<dimension {
            // log-normal on ℓ: −(log ℓ − μ)²/(2s²) − log ℓ.
            let centered = theta[k] - lengthScaleLogMean
            total += -centered * centered / (2 * Self.lengthScaleLogVariance) - theta[k]
            gradient[k] += -centered / Self.lengthScaleLogVariance - 1
        }
        // Gamma(a, b) on v = exp(t): (a − 1)·t − b·exp(t).
        let signal = MathFunctions.exp(theta[dimension])
        total += (Self.signalShape - 1) * theta[dimension] - Self.signalRate * signal
        gradient[dimension] += (Self.signalShape - 1) - Self.signalRate * signal
        let noise = MathFunctions.exp(theta[dimension + 1])
        total += (Self.noiseShape - 1) * theta[dimension + 1] - Self.noiseRate * noise
        gradient[dimension + 1] += (Self.noiseShape - 1) - Self.noiseRate * noise
        return total
    }
}
