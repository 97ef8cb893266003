/// What a pruner says about a trial after one of its intermediate values.
public enum PruneDecision: Sendable, Hashable {
    /// Keep training.
    case keep
    /// Stop the trial now; `reason` says which rule decided and with what values (logs, journal).
    case prune(reason: String)
}
