import Foundation

/// A confidence-bound β that grows with the trial count as GP-UCB's theory has it, instead of a constant.
///
/// Srinivas et al. (2010, "Gaussian Process Optimization in the Bandit Setting", Theorem 1) bound GP-UCB's regret
/// with probability 1 − δ when round t maximizes μ + √β_t·σ with β_t = 2·log(|D|·t²·π²/(6δ)). Here |D| is taken as
/// the number of encoded dimensions d, and hpo's confidence bound is −μ + β·σ, so the β it uses is √(scale·β_t).
/// The theoretical β_t is known to over-explore; Srinivas et al.'s own experiments scale it by 1/5 (δ = 0.1), the
/// factor Kandasamy et al. (2015) also use for high-dimensional BO. Measured in docs/gaussian-process.md
/// (*A β from GP-UCB's theory, sampled fantasies, and log EI's gap*).
public struct ConfidenceBetaSchedule: Sendable, Hashable {
    /// The factor on the theoretical β_t (1 = the theorem's value; 0.2 = Srinivas et al.'s experiments). Finite, > 0.
    public var scale: Double
    /// The failure probability δ of the bound, in (0, 1) (default 0.1, as in Srinivas et al.'s experiments).
    public var delta: Double

    public init(scale: Double = 0.2, delta: Double = 0.1) {
        self.scale = scale
        self.delta = delta
    }

    /// hpo's β (the factor on σ) for the proposal that becomes trial `trial` (1-based round t) in `dimension`
    /// encoded dimensions: √(scale · 2·log(d·t²·π²/(6δ))).
    ///
    /// - Parameters:
    ///   - dimension: d ≥ 1 (smaller values count as 1).
    ///   - trial: the round t ≥ 1, the number of trials including this one (smaller values count as 1).
    public func beta(dimension: Int, trial: Int) -> Double {
        let d = Double(max(1, dimension))
        let t = Double(max(1, trial))
        let theoretical = 2 * log(d * t * t * Double.pi * Double.pi / (6 * delta))
        return (scale * max(0, theoretical)).squareRoot()
    }

    /// Throws when a field is out of range.
    func validated() throws(OptimizerError) -> ConfidenceBetaSchedule {
        guard scale > 0, scale.isFinite, delta > 0, delta < 1 else {
            throw OptimizerError(
                .invalidArgument,
                "confidence beta schedule: scale \(scale) must be finite and > 0 and delta \(delta) in (0, 1), e.g. scale 0.2, delta 0.1"
            )
        }
        return self
    }
}
