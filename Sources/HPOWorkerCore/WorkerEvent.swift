public import HPOWire

/// Something that happened to the worker; the runtime feeds each one with the time it saw it.
public enum WorkerEvent: Sendable, Equatable {
    /// A TCP/IPC connection is up; its ZMTP handshake has not completed yet (monitor `ZMQ_EVENT_CONNECTED`).
    case connecting(endpoint: String)
    /// A connection's handshake completed (monitor `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`): the worker announces itself.
    case connected(endpoint: String)
    /// The connection closed (monitor `ZMQ_EVENT_DISCONNECTED`); libzmq reconnects by itself.
    case disconnected(endpoint: String)
    /// A handshake failed (monitor `ZMQ_EVENT_HANDSHAKE_FAILED_*`); libzmq retries by itself.
    case handshakeFailed(endpoint: String, failure: HandshakeFailure, code: Int)
    /// A decoded message from the coordinator.
    case message(WireMessage)
    /// Frames from the coordinator that did not decode.
    case undecodable(WireError)
    /// The running objective reported an intermediate value.
    case progress(TrialProgress)
    /// An objective returned (the runtime started it after a `start` action).
    case finished(TrialResult)
    /// Time passed: heartbeats, the coordinator timeout and the stop deadline are checked. The runtime sends it
    /// at least by `WorkerStateMachine.nextDeadline`.
    case tick
    /// A local stop request (SIGINT/SIGTERM, the parent process gone, an embedding program). The first one stops
    /// running attempts and waits for them up to `stopGracePeriod`; a second one exits at once.
    case stopRequested(reason: String)

    /// How a handshake failed.
    public enum HandshakeFailure: Sendable, Equatable {
        /// The coordinator's ZAP handler refused this worker's CURVE key.
        case authentication
        /// The peer does not speak ZMTP as configured (a CURVE mismatch, or not a ZeroMQ peer).
        case protocolMismatch
    }
}
