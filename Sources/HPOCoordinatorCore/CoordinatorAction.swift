public import HPOOptimizer
public import HPOSearchSpace
public import HPOWire

/// Something the runtime must do for the state machine, in order, for the actions of one batch of events:
/// first append every `journal` event durably, then carry out the others.
public enum CoordinatorAction: Sendable, Equatable {
    /// Append these events to the journal (durably, before any later action of the same batch).
    case journal([JournalEvent])
    /// Send a message to a peer.
    case send(to: WorkerID, WireMessage)
    /// Ask the optimizer for `count` proposals off the socket thread; answer with `proposalsReady`.
    /// At most one request is outstanding at a time.
    case requestProposals(count: Int)
    /// Tell the optimizer how a trial ended (in the order given).
    case tellOptimizer(TrialID, TrialOutcome)
    /// Register a trial the optimizer did not propose (an ENQUEUE) as pending, in order with asks and tells: every
    /// later ask takes it into account and proposes ids after it, and its result is told like any other.
    case registerTrial(TrialID, Assignment)
    /// A line for the log (`metadata` keys are dotted: `trial.id`, `trial.attempt`, `worker.id`).
    case log(LogLevel, String, metadata: [String: String])
    /// The session is over: stop the socket loop after the actions before this one are done.
    case finish(StudySummary)
}

/// Severity of a `log` action (mirrors swift-log's levels without importing it).
public enum LogLevel: String, Sendable, Hashable, Codable {
    case debug, info, notice, warning, error
}
