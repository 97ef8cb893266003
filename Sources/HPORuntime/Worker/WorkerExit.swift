/// Why a worker stopped, and the process exit code that goes with it.
public enum WorkerExit: Sendable, Equatable, CustomStringConvertible {
    /// The coordinator sent SHUTDOWN (study finished or stopped). Exit code 0.
    case shutdown(reason: String)
    /// Stopped locally (`WorkerService.requestStop`, e.g. SIGINT/SIGTERM). Exit code 0.
    case stopped(reason: String)
    /// The coordinator sent nothing for `silence`. Exit code 2.
    case coordinatorLost(endpoint: String, silence: Duration)
    /// The coordinator refused this worker (unsupported protocol version, objective kind it cannot run). Exit code 3.
    case rejected(message: String)
    /// The coordinator serves another study than the one this worker is pinned to (`--study`): it left before
    /// running anything. Exit code 4.
    case wrongStudy(message: String)
    /// The socket failed (bad endpoint, CURVE key rejected by libzmq, …). Exit code 1.
    case failed(message: String)

    /// The process exit status for `hpo worker`.
    public var exitCode: Int32 {
        switch self {
        case .shutdown, .stopped: 0
        case .failed: 1
        case .coordinatorLost: 2
        case .rejected: 3
        case .wrongStudy: 4
        }
    }

    public var description: String {
        switch self {
        case .shutdown(let reason): "coordinator asked the worker to shut down: \(reason)"
        case .stopped(let reason): "worker stopped: \(reason)"
        case .coordinatorLost(let endpoint, let silence):
            "no message from the coordinator at \(endpoint) for \(silence.formattedSeconds); is it running and "
                + "reachable from here? (raise --coordinator-timeout to wait longer)"
        case .rejected(let message): "the coordinator refused this worker: \(message)"
        case .wrongStudy(let message): "wrong study: \(message)"
        case .failed(let message): "worker failed: \(message)"
        }
    }
}

extension Duration {
    /// `"1.5 s"`: seconds with up to three decimals, for messages.
    var formattedSeconds: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(Double(milliseconds) / 1000) s"
    }
}
