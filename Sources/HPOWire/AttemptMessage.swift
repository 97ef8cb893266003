/// A message about one attempt of one trial (TRIAL, PROGRESS, PRUNE, CANCEL, RESULT), keyed by that attempt.
public protocol AttemptMessage {
    /// The trial's id.
    var trialID: Int { get }
    /// The attempt number; ≥ 0.
    var attempt: Int { get }
}

extension AttemptMessage {
    /// The idempotency key of the attempt.
    @inlinable public var key: TrialKey { TrialKey(trialID: trialID, attempt: attempt) }
}
