/// The criterion a ``BayesianOptimizer`` maximizes to pick the next point (internally every study minimizes).
public enum AcquisitionFunction: Sendable, Hashable {
    /// Log expected improvement over the best value seen: see ``LogExpectedImprovement``.
    case logExpectedImprovement
    /// −μ + beta·σ: see ``UpperConfidenceBound`` (``BayesianOptimizer``'s default, with beta 1).
    case upperConfidenceBound(beta: Double)

    /// The criterion at a posterior N(mean, variance), given the incumbent `best`.
    public func value(mean: Double, variance: Double, best: Double) -> Double {
        switch self {
        case .logExpectedImprovement:
            LogExpectedImprovement.value(mean: mean, variance: variance, best: best)
        case .upperConfidenceBound(let beta):
            UpperConfidenceBound.value(mean: mean, variance: variance, beta: beta)
        }
    }

    /// The criterion and its gradient (d entries) from the posterior's gradients.
    public func valueAndGradient(
        mean: Double, variance: Double, meanGradient: [Double], varianceGradient: [Double], best: Double
    ) -> (value: Double, gradient: [Double]) {
        switch self {
        case .logExpectedImprovement:
            LogExpectedImprovement.valueAndGradient(
                mean: mean, variance: variance, meanGradient: meanGradient, varianceGradient: varianceGradient,
                best: best
            )
        case .upperConfidenceBound(let beta):
            UpperConfidenceBound.valueAndGradient(
                mean: mean, variance: variance, meanGradient: meanGradient, varianceGradient: varianceGradient,
                beta: beta
            )
        }
    }
}
