public import HPOOptimizer

/// One attempt of a trial: the key that makes results idempotent (a result is recorded once per trial).
public struct TrialAttempt: Sendable, Hashable, CustomStringConvertible {
    public var trial: TrialID
    /// Counts from 1.
    public var attempt: Int

    public init(trial: TrialID, attempt: Int) {
        self.trial = trial
        self.attempt = attempt
    }

    public var description: String { "trial \(trial.rawValue) attempt \(attempt)" }
}
