/// The coordinator's view of one worker.
public struct WorkerRecord: Sendable, Hashable {
    /// The worker's peer id.
    public var id: WorkerID
    /// Host name and process id it announced (empty/0 when it re-joined without READY).
    public var host: String
    public var pid: Int
    /// Objective kinds it can run; `nil` when it re-joined without READY (assumed capable).
    public var capabilities: [String]?
    /// Whether it may receive trials (false when it cannot run the study's objective).
    public var isCompatible: Bool
    /// False once it was declared lost or left; any message from it brings it back.
    public var isAlive: Bool = true
    /// When the coordinator last heard from it.
    public var lastHeard: ContinuousClock.Instant
    /// When the coordinator last sent it anything (heartbeats go to workers silent-to for an interval).
    public var lastSent: ContinuousClock.Instant
    /// It reported a `stopped` RESULT the coordinator had not asked for: it is shutting down. It gets no trial, is
    /// not listed as live, and only a new READY brings it back (other messages from it do not).
    public var hasLeft = false
    /// The trial and attempt it runs, if any.
    public var running: TrialAttempt?
    /// Joined while trials awaited re-adoption after a restart: it may still run one of them, so it gets no trial
    /// until a heartbeat (or result) says what it runs.
    public var awaitsFirstReport = false

    public init(
        id: WorkerID, host: String, pid: Int, capabilities: [String]?, isCompatible: Bool, now: ContinuousClock.Instant
    ) {
        self.id = id
        self.host = host
        self.pid = pid
        self.capabilities = capabilities
        self.isCompatible = isCompatible
        self.lastHeard = now
        self.lastSent = now
    }

    /// Alive, compatible and not running anything.
    public var isIdle: Bool { isAlive && isCompatible && running == nil && !awaitsFirstReport }
}
