/// The posterior of the latent f at one point with its gradient in x: what the acquisition's refinement needs
/// (``GaussianProcess/posteriorWithGradient(at:)``, ``GaussianProcess/posteriorsWithGradients(at:)``).
public struct PosteriorWithGradient: Sendable, Equatable {
    /// Posterior mean, y units.
    public var mean: Double
    /// Posterior variance, y units squared, ≥ the model's floor (never exactly 0).
    public var variance: Double
    /// ∂mean/∂xₖ, d values (y units per unit-cube unit).
    public var meanGradient: [Double]
    /// ∂variance/∂xₖ, d values; all 0 where the variance sits at its floor.
    public var varianceGradient: [Double]
}
