/// The (negated lower) confidence bound for minimization: −μ + β·σ, larger is better.
///
/// β trades exploitation (β → 0: pure posterior mean) for exploration. Srinivas et al. (2010) grow β with the
/// number of observations for their regret bound; a constant around 2 is the usual practical choice.
public enum UpperConfidenceBound {
    /// −mean + beta·√variance.
    public static func value(mean: Double, variance: Double, beta: Double) -> Double {
        -mean + beta * variance.squareRoot()
    }

    /// The value and its gradient: −∂μ + β·∂σ²/(2σ) (d entries).
    public static func valueAndGradient(
        mean: Double, variance: Double, meanGradient: [Double], varianceGradient: [Double], beta: Double
    ) -> (value: Double, gradient: [Double]) {
        let sigma = variance.squareRoot()
        let gradient = zip(meanGradient, varianceGradient).map { -$0 + beta * $1 / (2 * sigma) }
        return (-mean + beta * sigma, gradient)
    }
}
