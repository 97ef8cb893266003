public import HPOOptimizer

/// The default: no trial is ever pruned.
public struct NoPruner: Pruner {
    public init() {}
    public func judges(_ trial: TrialID, step: Int) -> Bool { false }
    public mutating func report(_ trial: TrialID, step: Int, value: Double) -> PruneDecision { .keep }
    public mutating func trialEnded(_ trial: TrialID, completedWith value: Double?) {}
    public mutating func reveal() {}
}
