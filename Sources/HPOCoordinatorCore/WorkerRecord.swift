/// The coordinator's view of one worker.
public struct WorkerRecord: Sendable, Hashable {
    /// Where a worker is in its lifecycle. Exactly one holds at a time, so a worker is never both idle and running.
    public enum State: Sendable, Hashable {
        /// It joined (or came back) while it may still run an attempt from before: it gets no trial until a
        /// HEARTBEAT or RESULT says what it runs. `previouslyHeld` is the attempt it held when it was presumed
        /// lost; nil when it joined after a coordinator restart (it may run any trial awaiting re-adoption).
        case awaitingFirstReport(previouslyHeld: TrialAttempt?)
        /// Live, can run the study's objective, runs nothing: the next queued trial goes to it.
        case idle
        /// Holds the lease of this attempt (the trial's phase is `leased` to this worker as this attempt).
        case running(TrialAttempt)
        /// Runs an attempt nobody waits for any more (cancelled, or finished elsewhere): it is busy, and gets no
        /// trial, until it reports the attempt's end (a RESULT, or a HEARTBEAT without it).
        case cancelling(TrialAttempt)
        /// Silent for longer than the lease timeout, or unreachable. `heldAttempt` is the attempt it held then (re-queued
        /// with a retry); if the worker comes back still running it before it was handed out again, it is re-adopted
        /// and the retry is given back.
        case presumedLost(heldAttempt: TrialAttempt?)
        /// It stopped an attempt on its own: it is shutting down. Only a new READY brings it back.
        case left
        /// It cannot run the study's objective (or is pinned to another study); it was sent away.
        case incompatible
    }

    /// The worker's peer id.
    public var id: WorkerID
    /// Host name and process id it announced.
    public var host: String
    public var pid: Int
    /// Objective kinds it can run.
    public var capabilities: [String]
    /// Its lifecycle state.
    public internal(set) var state: State
    /// When `state` last changed (records of lost, left and incompatible workers are removed a grace time after).
    public internal(set) var stateSince: ContinuousClock.Instant
    /// When the coordinator last heard from it.
    public var lastHeard: ContinuousClock.Instant
    /// When the coordinator last sent it anything (heartbeats go to workers silent-to for an interval).
    public var lastSent: ContinuousClock.Instant
    /// Orders workers by when their record was created (the worker table sets it).
    public internal(set) var joinSequence: UInt64 = 0
    /// It sent a HEARTBEAT, PROGRESS or RESULT after READY: it reads and answers. While any live worker has, only
    /// such workers are given trials (a worker answers the coordinator's first HEARTBEAT at once, so this costs one
    /// round trip), so identities that send READY and vanish never take a trial: docs/protocol.md, *Handshake*.
    public internal(set) var hasReported = false
    /// The BLAS kernels it announced in READY, for `hpo status`.
    public var blasKernels: String?

    public init(
        id: WorkerID, host: String, pid: Int, capabilities: [String], state: State, now: ContinuousClock.Instant
    ) {
        self.id = id
        self.host = host
        self.pid = pid
        self.capabilities = capabilities
        self.state = state
        self.stateSince = now
        self.lastHeard = now
        self.lastSent = now
    }

    /// Live, compatible and running nothing: it may be given a trial (see ``hasReported``).
    public var isIdle: Bool { state == .idle }

    /// Connected and able to run the study's objective (idle, running, cancelling or awaiting its first report).
    public var isLive: Bool {
        switch state {
        case .awaitingFirstReport, .idle, .running, .cancelling: true
        case .presumedLost, .left, .incompatible: false
        }
    }

    /// Lost, left or incompatible: the record is kept a grace time (a late message is recognised), then removed.
    public var isRetired: Bool { !isLive }

    /// The attempt whose lease it holds, if any.
    public var leasedAttempt: TrialAttempt? {
        if case .running(let key) = state { return key }
        return nil
    }

    /// The attempt it is busy with: the leased one, or one being cancelled.
    public var busyAttempt: TrialAttempt? {
        switch state {
        case .running(let key), .cancelling(let key): key
        case .awaitingFirstReport, .idle, .presumedLost, .left, .incompatible: nil
        }
    }
}
