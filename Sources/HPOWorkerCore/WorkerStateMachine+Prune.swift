import HPOWire

extension WorkerStateMachine {
    /// PRUNE: the coordinator's pruner stopped this attempt's trial. Handled like CANCEL (docs/protocol.md, PRUNE):
    /// the running attempt is asked to stop with a reason that begins with `pruned`, so an objective can tell a prune
    /// from other stops; a finished attempt's RESULT is sent again; one never received is answered `stopped`.
    mutating func prune(_ prune: Prune, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        cancel(prune.key, reason: Self.pruneReason(prune), now: now, output: &output)
    }

    /// The stop reason an objective sees for a PRUNE: `pruned at step N: <the coordinator's reason>`.
    static func pruneReason(_ prune: Prune) -> String {
        "pruned at step \(prune.step): \(prune.reason)"
    }
}
