/// ERROR (coordinator -> worker or client): the coordinator could not accept the last message.
public struct ErrorReply: Sendable, Hashable {
    /// A machine-readable error code; unknown codes must be accepted (new ones may be added).
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Frame 0 named a protocol version the coordinator does not speak; see `supportedVersions`.
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// The message could not be decoded; `message` carries the decoder's error.
        public static let malformedMessage = Code(rawValue: "malformed_message")
        /// A PROGRESS or RESULT named an attempt the coordinator does not know.
        public static let unknownTrial = Code(rawValue: "unknown_trial")
        /// A PROGRESS or RESULT came from a worker that does not hold the attempt (it was re-dispatched elsewhere).
        public static let notHolder = Code(rawValue: "not_holder")
        /// A HEARTBEAT, PROGRESS or RESULT came from a peer that has not sent READY on this connection: the worker
        /// should send READY (and may then repeat its report).
        public static let notReady = Code(rawValue: "not_ready")
        /// The worker does not offer the capability the study needs.
        public static let unsupportedObjective = Code(rawValue: "unsupported_objective")
        /// A message was larger than the cap for its type (``WireSizeLimits``); it was dropped unread.
        public static let messageTooLarge = Code(rawValue: "message_too_large")
        /// The worker is pinned to another study (READY's `study` differs from the coordinator's).
        public static let wrongStudy = Code(rawValue: "wrong_study")
        /// READY from a new peer while the coordinator keeps its maximum of worker records: no record is made; the
        /// worker may send READY again later.
        public static let tooManyWorkers = Code(rawValue: "too_many_workers")
        /// An ENQUEUE's parameters do not fit the study's search space (`message` names the parameter and says why).
        public static let invalidParameters = Code(rawValue: "invalid_parameters")
        /// An ENQUEUE while every trial of the budget is done, running, queued or asked for: raise `budget.trials`
        /// and `--resume`.
        public static let budgetSpent = Code(rawValue: "budget_spent")
        /// An ENQUEUE while the study is stopping or over: it takes no new trials.
        public static let studyClosed = Code(rawValue: "study_closed")
        /// An ENQUEUE while the coordinator already holds its maximum of enqueued trials not yet dispatched: try
        /// again once some have started.
        public static let enqueueLimit = Code(rawValue: "enqueue_limit")
    }

    /// What went wrong, for programs.
    public var code: Code
    /// What went wrong and what to do, for people.
    public var message: String
    /// The protocol versions the coordinator speaks (always filled in, so a peer can pick one).
    public var supportedVersions: [Int]
    /// The attempt concerned, if any.
    public var trial: TrialKey?

    public init(code: Code, message: String, supportedVersions: [Int] = WireCodec.supportedVersions, trial: TrialKey? = nil) {
        self.code = code
        self.message = message
        self.supportedVersions = supportedVersions
        self.trial = trial
    }
}
