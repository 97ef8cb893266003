public import HPOSearchSpace

/// TRIAL (coordinator -> worker): run one attempt of one trial.
public struct TrialAssignment: Sendable, Hashable {
    /// The trial's id; ≥ 0.
    public var trialID: Int
    /// The attempt number; ≥ 0 (hpo's coordinator counts 1, 2, ..., one more per retry).
    public var attempt: Int
    /// The hyperparameter values, name -> value (ints stay ints, reals stay reals on the wire).
    public var parameters: Assignment
    /// What to run with them.
    public var objective: ObjectiveDescriptor

    public init(trialID: Int, attempt: Int, parameters: Assignment, objective: ObjectiveDescriptor) {
        self.trialID = trialID
        self.attempt = attempt
        self.parameters = parameters
        self.objective = objective
    }

    /// The idempotency key of this attempt.
    public var key: TrialKey { TrialKey(trialID: trialID, attempt: attempt) }
}
