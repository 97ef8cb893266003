public import HPOOptimizer

/// An early-stopping rule: it sees the intermediate values the coordinator journals and decides which trials stop.
///
/// A conformer must guarantee:
/// - it is pure and deterministic: the same calls in the same order give the same decisions, so replaying a journal
///   (`CoordinatorStateMachine.replay`) rebuilds exactly the state the coordinator had;
/// - a trial is judged at most once per rung or step it reaches (a retried attempt that reports the same steps again
///   is not judged again at a rung it passed): nothing is promoted or pruned twice;
/// - ``judges(_:step:)`` is true for every step ``report(_:step:value:)`` would judge, so those rows are always
///   journaled whatever the progress coalescing drops;
/// - in a sync study (`isSync`), values recorded since the last ``reveal()`` are not used to judge others, so the
///   decisions do not depend on the order in which a batch's reports arrive;
/// - each call costs well under 50 µs with thousands of trials (`hpo-bench pruner`).
public protocol Pruner: Sendable {
    /// Whether a report of `trial` at `step` would be judged (and so must be journaled).
    func judges(_ trial: TrialID, step: Int) -> Bool
    /// Records an intermediate value of `trial` (one the coordinator journaled) and decides whether it stops.
    mutating func report(_ trial: TrialID, step: Int, value: Double) -> PruneDecision
    /// `trial` ended: completed with `value`, or pruned / failed (`value` nil).
    mutating func trialEnded(_ trial: TrialID, completedWith value: Double?)
    /// Sync batches: a new batch begins; values recorded so far may now judge its trials.
    mutating func reveal()
}

extension PrunerSettings {
    /// A fresh pruner with these settings.
    ///
    /// - Parameters:
    ///   - direction: whether larger values are better.
    ///   - isSync: whether the study runs sync batches (see ``Pruner``).
    public func makePruner(direction: Direction, isSync: Bool) -> any Pruner {
        switch self {
        case .none:
            NoPruner()
        case .median(let warmup, let minTrials, let interval):
            MedianPruner(warmupSteps: warmup, minTrials: minTrials, intervalSteps: interval, direction: direction, isSync: isSync)
        case .asha(let eta, let minResource, let maxResource, let rate):
            ASHAPruner(
                reductionFactor: eta, minResource: minResource, maxResource: maxResource, minEarlyStoppingRate: rate,
                direction: direction, isSync: isSync)
        case .hyperband(let eta, let minResource, let maxResource):
            HyperbandPruner(
                reductionFactor: eta, minResource: minResource, maxResource: maxResource, direction: direction, isSync: isSync)
        }
    }
}
