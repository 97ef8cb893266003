public import HPOZeroMQ
import HPOObjectives

/// How a worker connects, how patient it is, and what it runs.
public struct WorkerConfiguration: Sendable {
    /// The coordinator's endpoint, e.g. `tcp://coordinator-host:5555` or `ipc:///tmp/hpo.sock`. Required.
    public var endpoint: String
    /// A readable name for logs and the coordinator's worker list; default: the host name. The routing id adds
    /// the pid and a random suffix, so two workers with the same name never take each other's place.
    public var name: String
    /// Exit (non-zero) after the coordinator has sent nothing for this long, counted from start; default 60 s.
    public var coordinatorTimeout: Duration = .seconds(60)
    /// Send a HEARTBEAT when nothing else was sent for this long; default 2 s.
    public var heartbeatInterval: Duration = .seconds(2)
    /// A connection whose ZMTP pings (sent every `heartbeatInterval`) go unanswered for `heartbeatInterval ×
    /// liveness` is dropped and reopened: catches connections that died without the TCP stack noticing; default 5 (2 s × 5,
    /// the coordinator's default too: docs/coordinator.md, *Liveness defaults*).
    public var liveness = 5
    /// First wait before reconnecting to a coordinator that is not there (yet); default 100 ms.
    public var reconnectInterval: Duration = .milliseconds(100)
    /// Cap of the exponential reconnect backoff; default 5 s.
    public var reconnectIntervalMax: Duration = .seconds(5)
    /// While not connected, a notice that the worker is still trying goes to the log this often; default 10 s.
    public var waitingNoticeInterval: Duration = .seconds(10)
    /// Largest message accepted from the coordinator, in bytes; a larger one drops the connection; default 16 MiB.
    public var maxMessageSize: Int64 = 16 << 20
    /// How long a SHUTDOWN, a lost coordinator or a local stop waits for the running objective to return; default 10 s.
    public var stopGracePeriod: Duration = .seconds(10)
    /// The coordinator's CURVE public key (40 Z85 characters); when set, the connection is encrypted and
    /// authenticated. Default: none (plain TCP; use only on a trusted network).
    public var curveServerKey: String?
    /// This worker's CURVE key pair, when `curveServerKey` is set; default: a fresh pair (the coordinator must
    /// then admit any key). Give a fixed pair when the coordinator checks an allow-list.
    public var curveKeyPair: CurveKeyPair?
    /// Limit OpenBLAS to one thread unless `OPENBLAS_NUM_THREADS` is set: a worker trains on one core, and
    /// parallelism comes from running more workers; default true.
    public var singleThreadedBLAS = true
    /// The objective kinds advertised in READY; default: every kind this build runs.
    public var capabilities: [String] = ObjectiveFactory.availableKinds
    /// The study this worker serves (`--study`): it is announced in READY, and a coordinator, HEARTBEAT or TRIAL of
    /// another study makes the worker leave without running anything. Default: nil (any study).
    public var study: String?
    /// The directory of per-trial log files (`--trial-logs`, docs/trial-logs.md): each trial's output and the
    /// worker's lines about it go to `trial-<id>.log` there, at most `TrialLog.cap` (10 MiB) each. Default: nil
    /// (no files; output goes to the log only).
    public var trialLogDirectory: String?

    /// Trials run at once, each on its own thread (announced in READY); 1 ... `maxSlots`, default 1.
    public var slots = 1
    /// The device of each slot (`--gpus`), passed to a trial as `CUDA_VISIBLE_DEVICES`; empty (default) assigns
    /// none. When not empty it has at least `slots` entries (`GPUDevices.assign` checks it).
    public var slotDevices: [String] = []
    /// This worker's index among a numbered set (`--worker-index`; `hpo run` numbers its workers 0, 1, …), passed to
    /// a trial as `HPO_WORKER_INDEX`; default 0.
    public var workerIndex = 0
    /// The most slots a worker may run: a HEARTBEAT listing them all stays far below its 4 KiB cap, and the
    /// coordinator counts no more (docs/protocol.md, *Slots*).
    public static let maxSlots = 64

    public init(endpoint: String, name: String = WorkerConfiguration.defaultName) {
        self.endpoint = endpoint
        self.name = name
    }

    /// The host name, or "worker" when it cannot be read.
    public static var defaultName: String { HostIdentity.hostName }
}
