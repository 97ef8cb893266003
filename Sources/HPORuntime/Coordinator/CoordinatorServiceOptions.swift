/// How the coordinator service listens.
public struct CoordinatorServiceOptions: Sendable, Hashable {
    /// Where the ROUTER socket binds, e.g. `tcp://*:5555`, `tcp://127.0.0.1:*` (an ephemeral port; `:0` means the
    /// same) or `ipc:///tmp/hpo.sock`. Default `tcp://127.0.0.1:*`.
    public var bind: String = "tcp://127.0.0.1:*"
    /// Largest message accepted from a peer, in bytes; a larger one drops that connection. Default 16 MiB.
    public var maxMessageSize: Int64 = 16 << 20
    /// How often the state machine gets a `tick` (lease and wall-time checks, heartbeats). Default 100 ms.
    public var tickInterval: Duration = .milliseconds(100)
    /// How long SHUTDOWN messages may take to leave when the service stops. Default 1 s.
    public var linger: Duration = .seconds(1)
    /// Messages received before the loop processes them as one batch (one journal transaction). Default 512.
    public var maxBatch: Int = 512

    /// CURVE encryption and client authentication; `nil` (default) is plain TCP, for trusted networks only.
    public var curve: CoordinatorCurve?
    /// After the session ended, how long late peers are still answered (SHUTDOWN, status). Default 300 ms.
    public var finishDrain: Duration = .milliseconds(300)
    /// Record `CoordinatorTimings` (a few allocations per trial; for benchmarks). Default false.
    public var recordTimings: Bool = false

    public init(bind: String = "tcp://127.0.0.1:*") {
        self.bind = bind
    }

    /// The endpoint in libzmq's spelling (`:0` becomes `:*`, the ephemeral port).
    var zmqEndpoint: String {
        bind.hasSuffix(":0") ? String(bind.dropLast()) + "*" : bind
    }
}
