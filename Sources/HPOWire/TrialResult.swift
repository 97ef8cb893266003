/// RESULT (worker -> coordinator): how an attempt ended. Keyed by trial id + attempt: a duplicate counts once.
public struct TrialResult: AttemptMessage, Sendable, Hashable {
    /// How an attempt ended.
    public enum Outcome: Sendable, Hashable {
        /// The objective finished with a finite `value` (and finite extra `metrics`).
        case completed(value: Double, metrics: [String: Double])
        /// The objective failed (crash, non-zero exit, non-finite value, ...); `reason` says how.
        case failed(reason: String)
        /// The objective stopped early on request (CANCEL, SHUTDOWN); `reason` says why.
        case stopped(reason: String)
    }

    /// The trial's id; ≥ 0.
    public var trialID: Int
    /// The attempt number; ≥ 0.
    public var attempt: Int
    /// How it ended.
    public var outcome: Outcome
    /// Wall time the worker spent on the attempt; ≥ 0, sent in seconds.
    public var duration: Duration

    public init(trialID: Int, attempt: Int, outcome: Outcome, duration: Duration) {
        self.trialID = trialID
        self.attempt = attempt
        self.outcome = outcome
        self.duration = duration
    }
}
