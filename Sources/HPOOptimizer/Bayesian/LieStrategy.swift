/// The value a pending trial is assumed to have while a batch is built (constant liar, Ginsbourger et al. 2010).
///
/// Relative to the direction: `best` is the minimum of the observed values when minimizing and the maximum when
/// maximizing (scikit-optimize's `cl_min` for minimization), `worst` the other end, `mean` their mean.
public enum LieStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Optimistic: every pending trial is as good as the best seen. Keeps the batch near the incumbent.
    case best
    /// The mean of the observed values.
    case mean
    /// Pessimistic: every pending trial is as bad as the worst seen. Spreads the batch out the most.
    case worst
    /// Kriging believer: each pending trial is assumed to equal the model's posterior mean there (no constant).
    case posteriorMean
    /// Sampled fantasy: each pending trial is assumed to have a value drawn from the model's posterior predictive
    /// there, given the draws of the pending trials before it (so the batch's draws are one joint sample). Seeded by
    /// the optimizer's seed and the trial count, so a replay draws the same values
    /// (``GaussianProcess/conditioned(onDrawsAt:generator:)``). The one-sample form of q-batch fantasies.
    case posteriorSample

    /// The constant lie for observed scores (smaller is better); nil for ``posteriorMean`` and ``posteriorSample``,
    /// whose lies depend on the point.
    func constantLie(scores: [Double]) -> Double? {
        switch self {
        case .best: scores.min() ?? 0
        case .worst: scores.max() ?? 0
        case .mean: scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
        case .posteriorMean, .posteriorSample: nil
        }
    }
}
