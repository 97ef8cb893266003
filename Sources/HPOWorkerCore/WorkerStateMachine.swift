public import HPOWire

/// The worker's side of the protocol as a pure state machine: `(event, now) -> [action]`.
///
/// It never touches a socket, clock, thread or logger: `WorkerLoop` feeds it `WorkerEvent`s with the time it saw
/// them and carries out the returned `WorkerAction`s in order. It holds all of the worker's protocol state, once.
/// Guarantees (docs/protocol.md, docs/worker.md):
/// - READY is the first message of every connection; nothing is sent while no connection is up (a DEALER would
///   deliver it to the next coordinator ahead of READY). RESULTs finished meanwhile go out after the next READY.
/// - RESULTs sent since the last TRIAL are sent again after a reconnect (the old connection may have lost them).
/// - A TRIAL for an attempt the worker runs is ignored; one for a recently finished attempt gets that attempt's
///   RESULT again (never a second run; the last `rememberedResults` attempts are remembered).
/// - A TRIAL beyond the advertised `slots` is refused unrun with RESULT `stopped`, reason `busy: …`, followed by a
///   HEARTBEAT naming the attempts that do run. A TRIAL of a kind not in `capabilities` is refused unrun with
///   RESULT `failed`. A TRIAL or coordinator HEARTBEAT naming another study than the pinned one makes the worker
///   leave (`WorkerExit.wrongStudy`) without running anything.
/// - The coordinator's HEARTBEAT lists the attempts it thinks this worker holds: one that finished here is
///   answered with its RESULT again; one this worker never received is reported at once by a HEARTBEAT with the
///   attempts it does run (so the coordinator re-queues it). An attempt the worker runs that the coordinator does
///   not list keeps running: the coordinator adopts it or sends CANCEL (it owns the lease).
/// - CANCEL stops the attempt (its RESULT says `stopped`); SHUTDOWN, a lost coordinator, a refusal or a local stop
///   stop every attempt and exit once they reported, or at `stopGracePeriod` after the stop began: one deadline.
public struct WorkerStateMachine: Sendable {
    /// Identity, capabilities and timings.
    public let settings: WorkerProtocolSettings

    /// The attempts running now, in start order; at most `settings.slots`.
    public internal(set) var running: [TrialAssignment] = []
    /// Recently finished attempts and which of their RESULTs the coordinator may not have.
    public internal(set) var finished: FinishedAttempts
    /// Whether a connection is up (between a handshake and the next disconnect).
    public internal(set) var isConnected = false
    /// Handshakes completed so far (the first READY is not a reconnect).
    public internal(set) var handshakes = 0
    /// Set once the worker is leaving: why, and when it exits even if an objective has not returned.
    public internal(set) var leaving: (exit: WorkerExit, deadline: ContinuousClock.Instant)?
    /// Set once `exit` was emitted; the machine emits nothing after it.
    public internal(set) var hasExited = false

    /// When the coordinator was last heard from (start counts as heard).
    var lastHeard: ContinuousClock.Instant
    /// When the worker last sent anything.
    var lastSent: ContinuousClock.Instant
    /// A connection is up but its handshake has not completed.
    var awaitingHandshake = false
    /// Connections closed by the peer during their handshake: the signature of a CURVE mismatch.
    var failedHandshakes = 0
    /// Handshake-failure events seen (only the first is a warning).
    var handshakeFailureReports = 0
    /// When the next "still not connected" notice is due.
    var nextWaitingNotice: ContinuousClock.Instant
    /// When the current connection's handshake completed (for the settle interval of coordinator HEARTBEATs).
    var connectedAt: ContinuousClock.Instant?
    /// Whether this connection's first coordinator HEARTBEAT (the answer to READY) was answered.
    var answeredFirstHeartbeat = false
    /// Running attempts the coordinator's HEARTBEAT did not list (each logged once).
    var unlistedReported: Set<TrialKey> = []
    /// Undecodable messages not logged since the last line about them, and when that line was written.
    var malformedSinceNotice = 0
    var lastMalformedNotice: ContinuousClock.Instant?

    /// A worker that has just started at `now`, not connected yet.
    public init(settings: WorkerProtocolSettings, now: ContinuousClock.Instant) {
        self.settings = settings
        finished = FinishedAttempts(capacity: settings.rememberedResults)
        lastHeard = now
        lastSent = now
        nextWaitingNotice = now + settings.waitingNoticeInterval
    }

    /// Handles one event and returns what the runtime must do, in order.
    ///
    /// - Parameters:
    ///   - event: what happened.
    ///   - now: when the runtime saw it (a monotonic instant; only differences matter).
    /// - Returns: the actions; after an `exit` action every later call returns `[]`.
    public mutating func handle(_ event: WorkerEvent, now: ContinuousClock.Instant) -> [WorkerAction] {
        guard !hasExited else { return [] }
        var output = WorkerActionBuffer(minimumLevel: settings.logLevel)
        switch event {
        case .connecting:
            awaitingHandshake = true
        case .connected(let endpoint):
            connected(endpoint: endpoint, now: now, output: &output)
        case .disconnected(let endpoint):
            disconnected(endpoint: endpoint, output: &output)
        case .handshakeFailed(let endpoint, let failure, let code):
            handshakeFailed(endpoint: endpoint, failure: failure, code: code, output: &output)
        case .message(let message):
            lastHeard = now
            receive(message, now: now, output: &output)
        case .undecodable(let error):
            lastHeard = now
            undecodable(error, now: now, output: &output)
        case .progress(let progress):
            // A late report of a finished attempt, or one while disconnected (best effort), is dropped.
            if isConnected, running.contains(where: { $0.key == progress.key }) {
                send(.progress(progress), now: now, output: &output)
            }
        case .finished(let result):
            trialFinished(result, now: now, output: &output)
        case .tick:
            tick(now: now, output: &output)
        case .stopRequested(let reason):
            if leaving == nil {
                beginLeaving(.stopped(reason: reason), now: now, output: &output)
            } else if !hasExited {
                output.log(.warning, "a second stop request: exiting without waiting for the running objective")
                exit(now: now, output: &output)
            }
        }
        return output.actions
    }

    /// The latest instant by which the runtime must send the next `tick` (it may send more).
    public func nextDeadline() -> ContinuousClock.Instant {
        if let leaving { return leaving.deadline }
        return min(lastHeard + settings.coordinatorTimeout, lastSent + settings.heartbeatInterval)
    }

    // MARK: Sending

    /// Sends while connected (and remembers when), otherwise drops the message: READY must come first on the
    /// next connection. Callers that must not lose a message (RESULT) keep it in `finished` instead.
    mutating func send(_ message: WireMessage, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        guard isConnected else { return }
        output.append(.send(message))
        lastSent = now
    }

    /// READY with this worker's identity, capabilities, slots and study pin.
    var readyMessage: WireMessage {
        .ready(Ready(
            host: settings.host, pid: settings.pid, capabilities: settings.capabilities, slots: settings.slots,
            study: settings.study, blasKernels: settings.blasKernels))
    }

    /// HEARTBEAT naming the attempts running now.
    var heartbeatMessage: WireMessage {
        .heartbeat(Heartbeat(running: running.map(\.key)))
    }

    /// Log metadata naming an attempt.
    static func metadata(_ key: TrialKey) -> [String: String] {
        ["trial.id": "\(key.trialID)", "trial.attempt": "\(key.attempt)"]
    }
}

/// Collects the actions of one `handle` call.
struct WorkerActionBuffer {
    /// Log lines below this level are not even built (a trial's debug lines would cost every trial microseconds).
    let minimumLevel: WorkerAction.LogLevel
    private(set) var actions: [WorkerAction] = []

    mutating func append(_ action: WorkerAction) {
        actions.append(action)
    }

    mutating func log(
        _ level: WorkerAction.LogLevel, _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> [String: String] = [:]
    ) {
        guard level >= minimumLevel else { return }
        actions.append(.log(level, message(), metadata: metadata()))
    }
}
