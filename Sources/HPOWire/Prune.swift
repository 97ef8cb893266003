/// PRUNE (coordinator -> worker): the pruner stopped this attempt's trial; stop training and answer with a RESULT
/// (usually `stopped`). Sent in the same round as the PROGRESS that decided it.
public struct Prune: AttemptMessage, Sendable, Hashable {
    /// The trial's id; ≥ 0.
    public var trialID: Int
    /// The attempt number; ≥ 0.
    public var attempt: Int
    /// The step of the PROGRESS that decided it; ≥ 0.
    public var step: Int
    /// Which rule decided and with what values, for the logs.
    public var reason: String

    public init(trialID: Int, attempt: Int, step: Int, reason: String) {
        self.trialID = trialID
        self.attempt = attempt
        self.step = step
        self.reason = reason
    }
}
