/// Every message of the hpo worker protocol (see docs/protocol.md); ``WireCodec`` turns them into frames and back.
public enum WireMessage: Sendable, Equatable {
    /// Worker -> coordinator: here I am, give me work.
    case ready(Ready)
    /// Coordinator -> worker: run this attempt.
    case trial(TrialAssignment)
    /// Worker -> coordinator: an intermediate value.
    case progress(TrialProgress)
    /// Worker -> coordinator: how an attempt ended.
    case result(TrialResult)
    /// Both ways: still alive.
    case heartbeat(Heartbeat)
    /// Coordinator -> worker: stop an attempt.
    case cancel(Cancel)
    /// Coordinator -> worker: the pruner stopped this attempt's trial.
    case prune(Prune)
    /// Coordinator -> worker: stop everything and exit.
    case shutdown(Shutdown)
    /// Coordinator -> peer: the last message was not accepted.
    case error(ErrorReply)
    /// Client -> coordinator: how is the study doing?
    case statusRequest
    /// Coordinator -> client: the study's status.
    case statusReply(StudyStatus)
    /// Client -> coordinator: run a trial with these parameters before any new proposal.
    case enqueue(Enqueue)
    /// Coordinator -> client: the enqueued trial's id.
    case enqueueReply(EnqueueReply)

    /// The message's type as sent in frame 1 (`"TRIAL"`).
    public var typeName: String { kind.rawValue }

    /// The message's type.
    public var kind: WireMessageKind {
        switch self {
        case .ready: .ready
        case .trial: .trial
        case .progress: .progress
        case .result: .result
        case .heartbeat: .heartbeat
        case .cancel: .cancel
        case .prune: .prune
        case .shutdown: .shutdown
        case .error: .error
        case .statusRequest: .statusRequest
        case .statusReply: .statusReply
        case .enqueue: .enqueue
        case .enqueueReply: .enqueueReply
        }
    }
}

/// The message types, spelled as in frame 1.
public enum WireMessageKind: String, Sendable, Hashable, CaseIterable {
    case ready = "READY"
    case trial = "TRIAL"
    case progress = "PROGRESS"
    case result = "RESULT"
    case heartbeat = "HEARTBEAT"
    case cancel = "CANCEL"
    case prune = "PRUNE"
    case shutdown = "SHUTDOWN"
    case error = "ERROR"
    case statusRequest = "STATUS_REQUEST"
    case statusReply = "STATUS_REPLY"
    case enqueue = "ENQUEUE"
    case enqueueReply = "ENQUEUE_REPLY"
}
