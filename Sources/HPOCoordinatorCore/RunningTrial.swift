public import HPOOptimizer

/// One trial running on a worker, as the live view of `hpo run` shows it.
public struct RunningTrial: Sendable, Hashable {
    public var trial: TrialID
    public var attempt: Int
    /// The worker's printed id (`name.pid.xxxx`).
    public var worker: String
    /// When its TRIAL was sent (else when it was leased).
    public var since: ContinuousClock.Instant
    /// The step and value of its latest intermediate report, if any.
    public var step: Int?
    public var value: Double?

    public init(trial: TrialID, attempt: Int, worker: String, since: ContinuousClock.Instant, step: Int?, value: Double?) {
        self.trial = trial
        self.attempt = attempt
        self.worker = worker
        self.since = since
        self.step = step
        self.value = value
    }
}
