import HPORuntimeSupport
/// How the coordinator service listens.
public struct CoordinatorServiceOptions: Sendable, Hashable {
    /// Where the ROUTER socket binds, e.g. `tcp://*:5555`, `tcp://127.0.0.1:*` (an ephemeral port; `:0` means the
    /// same) or `ipc:///tmp/hpo.sock`. Default `tcp://127.0.0.1:*`. Anything but loopback, `ipc://` or `inproc://`
    /// needs `curve` (or `insecure`).
    public var bind: String = "tcp://127.0.0.1:*"
    /// Largest message accepted from a peer, in bytes (`ZMQ_MAXMSGSIZE`, the hard cap: libzmq drops the connection
    /// before it allocates). Each message type has a smaller cap checked before decoding (`WireSizeLimits`).
    /// Default 1 MiB.
    public var maxMessageSize: Int64 = 1 << 20
    /// Messages queued towards one peer before further sends to it are dropped (`ZMQ_SNDHWM`). A worker has at most
    /// a handful in flight; a peer that never reads (e.g. a STATUS_REQUEST flood) hits this and its replies are
    /// dropped, so it cannot grow the coordinator's memory. Default 100.
    public var sendHighWaterMark: Int = 100
    /// Messages queued from one peer before libzmq stops reading its connection (`ZMQ_RCVHWM`); the flooding peer's
    /// TCP window then closes. Default 1000.
    public var receiveHighWaterMark: Int = 1000
    /// How often the state machine gets a `tick` (lease and wall-time checks, heartbeats). Default 100 ms.
    public var tickInterval: Duration = .milliseconds(100)
    /// When two wake-ups less than this apart brought nothing but workers' HEARTBEATs, the loop waits this long
    /// before it looks at the socket again, so the heartbeats of many workers are read many to a wake-up
    /// (docs/coordinator.md, *Bounded under hostile load*). A RESULT or READY arriving in that pause waits at most
    /// this long; a study with a few workers never pauses. Zero turns it off. Default 20 ms.
    public var heartbeatCoalescing: Duration = .milliseconds(20)
    /// How long SHUTDOWN messages may take to leave when the service stops. Default 1 s.
    public var linger: Duration = .seconds(1)
    /// Messages received before the loop processes them as one batch (one journal transaction). Default 512.
    public var maxBatch: Int = 512

    /// CURVE encryption and client authentication; `nil` (default) is plain TCP, allowed only on local endpoints
    /// unless `insecure` is set.
    public var curve: CoordinatorKeys?
    /// Bind a non-local endpoint without CURVE (`--insecure`): anyone who reaches the port can take trials, report
    /// results and see the study. Default false.
    public var insecure: Bool = false
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

    /// Why these options must not start, or nil: a non-local bind without CURVE and without `insecure`.
    public var securityProblem: String? {
        guard curve == nil, !insecure, !EndpointSecurity.isLocalOnly(bind) else { return nil }
        return Self.plainBindRefusal(bind)
    }

    /// The error for binding `bind` without CURVE: what is wrong, and the commands that fix it.
    public static func plainBindRefusal(_ bind: String) -> String {
        "refusing to listen on \(bind) without CURVE: anyone who reaches that port could take trials, report results "
            + "or impersonate workers. Set up keys once with `hpo keygen keys/` and start the coordinator with "
            + "`--keys keys/` (workers and `hpo status` then pass `--keys keys/` too; see README, Security); or bind "
            + "a loopback address (tcp://127.0.0.1:*); or pass --insecure on a network you trust"
    }
}
