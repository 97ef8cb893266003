/// A portfolio of two confidence bounds: every `period`-th proposal (counted over the study's trials, so a study
/// replays to the same choice) maximizes the upper confidence bound with the larger `beta`, the others the
/// optimizer's own acquisition. Off by default; measured in docs/gaussian-process.md (*Tried next*).
public struct ExplorationPortfolio: Sendable, Hashable {
    /// Every how many trials one explores (≥ 1; 1 = every proposal).
    public var period: Int
    /// The exploring proposals' beta in −μ + beta·σ (finite, ≥ 0).
    public var beta: Double

    public init(period: Int = 2, beta: Double = 2) {
        self.period = period
        self.beta = beta
    }

    /// The acquisition of the proposal that becomes trial number `index` (0-based), or nil for the optimizer's own.
    func acquisition(forTrial index: Int) -> AcquisitionFunction? {
        index % period == period - 1 ? .upperConfidenceBound(beta: beta) : nil
    }

    /// Throws when a field is out of range.
    func validated() throws(OptimizerError) -> ExplorationPortfolio {
        guard period >= 1, beta >= 0, beta.isFinite else {
            throw OptimizerError(
                .invalidArgument, "exploration portfolio: period \(period) must be >= 1 and beta \(beta) finite and >= 0, e.g. period 2, beta 2")
        }
        return self
    }
}
