public import HPOWire

/// Something the runtime must do for the worker's state machine, in the order given.
public enum WorkerAction: Sendable, Equatable {
    /// Send a message to the coordinator (the machine emits it only while a connection is up).
    case send(WireMessage)
    /// Run this attempt (on the trial thread); answer with `progress` and one `finished` event.
    case start(TrialAssignment)
    /// Ask the running attempt to stop; it still answers with `finished` (normally `stopped` with this reason).
    case cancel(TrialKey, reason: String)
    /// A line for the log (`metadata` keys are dotted: `trial.id`, `trial.attempt`).
    case log(LogLevel, String, metadata: [String: String])
    /// Close the socket and return this exit; actions after it are never emitted.
    case exit(WorkerExit)

    /// Severity of a `log` action (mirrors swift-log's levels without importing it), least severe first.
    public enum LogLevel: Int, Sendable, Hashable, Comparable {
        case debug, info, notice, warning, error

        public static func < (left: LogLevel, right: LogLevel) -> Bool { left.rawValue < right.rawValue }
    }
}
