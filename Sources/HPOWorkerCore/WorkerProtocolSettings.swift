/// What the worker's state machine needs to know about itself: identity, what it runs, and its timings.
///
/// Plain values only (the runtime reads the host name and pid and passes them in), so the machine stays pure.
public struct WorkerProtocolSettings: Sendable {
    /// The coordinator's endpoint, for messages (`tcp://head:5555`).
    public var endpoint: String
    /// The worker's host name, announced in READY.
    public var host: String
    /// The worker's process id, announced in READY; ≥ 1.
    public var pid: Int
    /// The objective kinds this worker runs, announced in READY; a TRIAL of another kind is refused unrun.
    public var capabilities: [String]
    /// The study this worker is pinned to, announced in READY; nil: any study.
    public var study: String?
    /// The BLAS kernels this process runs on, announced in READY (for `hpo status`); nil to say nothing.
    public var blasKernels: String?
    /// Trials run at once, announced in READY; a TRIAL beyond them is refused as `busy`; ≥ 1, default 1.
    public var slots: Int = 1
    /// A HEARTBEAT goes out when nothing else was sent for this long; default 1 s.
    public var heartbeatInterval: Duration = .seconds(1)
    /// Leave (exit `coordinatorLost`) after hearing nothing from the coordinator this long; default 60 s.
    public var coordinatorTimeout: Duration = .seconds(60)
    /// The one deadline of a stop: after this long the worker exits even if a running objective has not
    /// returned; default 10 s.
    public var stopGracePeriod: Duration = .seconds(10)
    /// While not connected, a notice that the worker is still trying goes to the log this often; default 10 s.
    public var waitingNoticeInterval: Duration = .seconds(10)
    /// Whether the connection uses CURVE (only changes the hints in handshake-failure messages); default false.
    public var usesCurve = false
    /// How many finished attempts are remembered, to answer a repeated TRIAL or a coordinator HEARTBEAT with
    /// their RESULT instead of a second run; default 1024 (a few hundred KiB at most).
    public var rememberedResults = 1024
    /// Undecodable messages from the coordinator are logged at most once per this interval (the rest are
    /// counted); default 10 s.
    public var malformedNoticeInterval: Duration = .seconds(10)

    /// `log` actions below this level are not emitted (nor their text built); default `.debug` (all).
    public var logLevel: WorkerAction.LogLevel = .debug

    public init(endpoint: String, host: String, pid: Int, capabilities: [String], study: String? = nil) {
        self.endpoint = endpoint
        self.host = host
        self.pid = pid
        self.capabilities = capabilities
        self.study = study
    }
}
