public import HPOWire

/// The coordinator's view of one worker.
public struct WorkerRecord: Sendable, Hashable {
    /// Where a worker is in its lifecycle. Exactly one holds at a time; the attempts a live worker runs are in
    /// `attempts` (docs/protocol.md, *Leases*).
    public enum State: Sendable, Hashable {
        /// It joined (or came back) while it may still run attempts from before: it gets no trial until a
        /// HEARTBEAT or RESULT says what it runs. `previouslyHeld` are the attempts it held when it was presumed
        /// lost; empty when it joined after a coordinator restart (it may run any trial awaiting re-adoption).
        case awaitingFirstReport(previouslyHeld: [TrialKey])
        /// Live and able to run the study's objective: it runs the attempts in `attempts`, and is given the next
        /// queued trial while it has a free slot (fewer attempts than `slots`).
        case serving
        /// Silent for longer than the lease timeout, or unreachable. `heldAttempts` are the attempts it held then
        /// (re-queued with a retry); one it comes back still running before it was handed out again is re-adopted
        /// and its retry given back.
        case presumedLost(heldAttempts: [TrialKey])
        /// It stopped an attempt on its own: it is shutting down. Only a new READY brings it back.
        case left
        /// It cannot run the study's objective (or is pinned to another study); it was sent away.
        case incompatible
    }

    /// What a serving worker does with one attempt it runs.
    public enum Hold: Sendable, Hashable {
        /// It holds the attempt's lease (the trial's phase is `leased` to this worker as this attempt).
        case leased
        /// It runs an attempt nobody waits for any more (cancelled, or finished elsewhere): the slot stays taken
        /// until it reports the attempt's end (a RESULT, or a HEARTBEAT without it).
        case cancelling
    }

    /// The worker's peer id.
    public var id: WorkerID
    /// Host name and process id it announced.
    public var host: String
    public var pid: Int
    /// Objective kinds it can run.
    public var capabilities: [String]
    /// Trials it runs at once, as announced in READY (clamped to 1...`maxSlots`).
    public var slots: Int = 1
    /// The attempts it runs now: leased ones and ones being cancelled; empty unless `state` is `serving`.
    public internal(set) var attempts: [TrialKey: Hold] = [:]
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

    /// A record; `slots` and `attempts` (kept only while `state` is `serving`) default to one free slot.
    public init(
        id: WorkerID, host: String, pid: Int, capabilities: [String], state: State, now: ContinuousClock.Instant,
        slots: Int = 1, attempts: [TrialKey: Hold] = [:]
    ) {
        self.id = id
        self.slots = slots
        self.attempts = state == .serving ? attempts : [:]
        self.host = host
        self.pid = pid
        self.capabilities = capabilities
        self.state = state
        self.stateSince = now
        self.lastHeard = now
        self.lastSent = now
    }

    /// The most slots the coordinator counts for one worker: a HEARTBEAT naming this many attempts fits its 4 KiB
    /// cap with room to spare, and a peer cannot make one event cost more (docs/protocol.md, *READY*).
    public static let maxSlots = 64

    /// Serving with a free slot: it may be given a trial (see ``hasReported``).
    public var isIdle: Bool { state == .serving && attempts.count < slots }

    /// Slots it may be given trials in now (0 unless serving).
    public var freeSlots: Int { state == .serving ? max(0, slots - attempts.count) : 0 }

    /// Connected and able to run the study's objective (serving or awaiting its first report).
    public var isLive: Bool {
        switch state {
        case .awaitingFirstReport, .serving: true
        case .presumedLost, .left, .incompatible: false
        }
    }

    /// Lost, left or incompatible: the record is kept a grace time (a late message is recognised), then removed.
    public var isRetired: Bool { !isLive }

    /// The attempts whose leases it holds, in trial order.
    public var leasedAttempts: [TrialKey] {
        if attempts.count == 1, let only = attempts.first { return only.value == .leased ? [only.key] : [] }
        return attempts.filter { $0.value == .leased }.keys.sorted()
    }

    /// The attempts it is busy with (leased or being cancelled), in trial order.
    public var busyAttempts: [TrialKey] { attempts.keys.sorted() }
}
