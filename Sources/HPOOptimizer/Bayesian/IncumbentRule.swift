/// The incumbent (`best`) that log expected improvement measures improvement against; the confidence bound ignores it.
public enum IncumbentRule: String, Sendable, Hashable, CaseIterable {
    /// The best observed (warped) score: plain EI's incumbent (default).
    case bestObserved
    /// The smallest posterior mean at the observed points, under the model fitted before any pending trial joins:
    /// noisy EI's incumbent (Letham et al. 2019; BoTorch's qLogNEI integrates over it), which a lucky noisy value
    /// cannot pull below what the model believes.
    case bestPosteriorMean
}

extension IncumbentRule {
    /// The incumbent for observed `scores` (warped, smaller is better) at `points` under `model` (fitted on them,
    /// before pending trials join); 0 when nothing is observed.
    /// - Complexity: O(n²) for n points with ``bestPosteriorMean`` (one batched posterior), O(n) otherwise.
    func incumbent(scores: [Double], points: [[Double]], model: GaussianProcess) -> Double {
        switch self {
        case .bestObserved: scores.min() ?? 0
        case .bestPosteriorMean: points.isEmpty ? scores.min() ?? 0 : model.posterior(batch: points).means.min() ?? 0
        }
    }
}
