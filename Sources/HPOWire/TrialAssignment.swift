public import HPOSearchSpace

/// TRIAL (coordinator -> worker): run one attempt of one trial.
public struct TrialAssignment: AttemptMessage, Sendable, Hashable {
    /// The trial's id; ≥ 0.
    public var trialID: Int
    /// The attempt number; ≥ 0 (hpo's coordinator counts 1, 2, ..., one more per retry).
    public var attempt: Int
    /// The hyperparameter values, name -> value (ints stay ints, reals stay reals on the wire).
    public var parameters: Assignment
    /// What to run with them.
    public var objective: ObjectiveDescriptor
    /// The identity of the study the trial belongs to (the coordinator's study name); a worker pinned to another
    /// study never runs it. Nil from coordinators that do not send it.
    public var study: String?

    public init(trialID: Int, attempt: Int, parameters: Assignment, objective: ObjectiveDescriptor, study: String? = nil) {
        self.trialID = trialID
        self.attempt = attempt
        self.parameters = parameters
        self.objective = objective
        self.study = study
    }
}
