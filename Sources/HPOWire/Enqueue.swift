public import HPOSearchSpace

/// ENQUEUE (client -> coordinator, `hpo enqueue`): run a trial with these parameters before any new proposal.
///
/// The coordinator checks the parameters against its search space, journals the trial, queues it ahead of its
/// own proposals and answers ENQUEUE_REPLY with the trial's id, or ERROR (docs/protocol.md, *ENQUEUE*).
public struct Enqueue: Sendable, Hashable {
    /// The trial's hyperparameter values, name -> value (fixed parameters may be left out).
    public var parameters: Assignment
    /// The study the client means (its study file's `name:`); a coordinator running another study refuses with
    /// ERROR `wrong_study`. Nil: any study.
    public var study: String?

    public init(parameters: Assignment, study: String? = nil) {
        self.parameters = parameters
        self.study = study
    }
}

/// ENQUEUE_REPLY (coordinator -> client): the trial was journaled and queued.
public struct EnqueueReply: Sendable, Hashable {
    /// The new trial's id; ≥ 0.
    public var trialID: Int
    /// Its parameters as the coordinator will run them (canonical: every parameter of the space, reals as reals).
    public var parameters: Assignment
    /// Trials queued ahead of it (re-queued and earlier enqueued ones); ≥ 0.
    public var queuedAhead: Int

    public init(trialID: Int, parameters: Assignment, queuedAhead: Int) {
        self.trialID = trialID
        self.parameters = parameters
        self.queuedAhead = queuedAhead
    }
}
