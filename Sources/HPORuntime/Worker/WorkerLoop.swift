import HPOWire
import HPOZeroMQ
import Logging

/// The worker's socket thread: everything that touches the DEALER socket happens here, in one poll loop.
///
/// Protocol (docs/protocol.md):
/// - READY after every completed handshake (first connect, and each reconnect, e.g. to a restarted coordinator),
///   then a HEARTBEAT naming the attempts held and, after a reconnect, the RESULTs sent since the last TRIAL again
///   (one in flight when the old connection died is not lost; the coordinator counts a key once).
/// - HEARTBEAT naming the attempts held whenever nothing else was sent for a heartbeat interval.
/// - A connection that dies without the TCP stack noticing (host gone, silent NAT drop) is caught by ZMTP pings
///   every heartbeat interval: libzmq drops it after `heartbeatInterval × liveness` without an answer and
///   reconnects (backing off), and READY follows the new handshake. The coordinator's libzmq answers the pings
///   itself, so a coordinator that is merely busy, or heartbeats less often than this worker, causes no churn.
///   After `coordinatorTimeout` with no message from the coordinator the worker exits non-zero.
/// - TRIAL runs at once if idle, otherwise waits its turn; a duplicate of a held attempt is ignored, and one of a
///   recently finished attempt gets that attempt's RESULT again (never a second run).
/// - CANCEL stops the attempt (its RESULT says `stopped`); SHUTDOWN stops everything and exits 0; an ERROR for an
///   unsupported version or objective exits with that message.
///
/// Not `Sendable`: created and used on the socket thread only.
final class WorkerLoop {
    private let configuration: WorkerConfiguration
    private let workerID: String
    private let mailbox: WorkerMailbox
    private let runner: TrialRunner
    private var logger: Logger
    private let context: Context
    private let dealer: Socket
    private let monitor: Socket
    private var poller = Poller()
    private let clock = ContinuousClock()

    private var lastHeard: ContinuousClock.Instant
    /// Handshakes completed so far (the first READY is not a reconnect).
    private var handshakes = 0
    /// RESULTs sent since the last TRIAL arrived, resent after a reconnect (the old connection may have lost them).
    private var unconfirmedResults: [TrialResult] = []
    /// Recent RESULTs by key: a repeated TRIAL for a finished attempt gets its RESULT again instead of a second run.
    private var recentResults: [TrialKey: TrialResult] = [:]
    private var recentOrder: [TrialKey] = []
    /// How many finished attempts `recentResults` remembers.
    private static let recentResultLimit = 1024
    private var lastSent: ContinuousClock.Instant
    private var running: RunningTrial?
    private var waiting: [TrialAssignment] = []
    private var exit: WorkerExit?
    private var exitDeadline: ContinuousClock.Instant?

    init(
        configuration: WorkerConfiguration, workerID: String, mailbox: WorkerMailbox, runner: TrialRunner,
        logger: Logger
    ) throws(ZMQError) {
        self.configuration = configuration
        self.workerID = workerID
        self.mailbox = mailbox
        self.runner = runner
        self.logger = logger
        context = try Context()
        dealer = try Socket(context, type: .dealer, linger: .seconds(1))
        try dealer.set(.routingID(Array(workerID.utf8)))
        try dealer.set(.reconnectInterval(configuration.reconnectInterval))
        try dealer.set(.reconnectIntervalMax(configuration.reconnectIntervalMax))
        try dealer.set(.maxMessageSize(configuration.maxMessageSize))
        try dealer.set(.connectionHeartbeatInterval(configuration.heartbeatInterval))
        try dealer.set(.connectionHeartbeatTimeout(configuration.heartbeatInterval * configuration.liveness))
        if let serverKey = configuration.curveServerKey {
            let keys: CurveKeyPair
            if let given = configuration.curveKeyPair { keys = given } else { keys = try ZMQ.curveKeypair() }
            try dealer.set(.curveServerKey(serverKey))
            try dealer.set(.curvePublicKey(keys.publicKey))
            try dealer.set(.curveSecretKey(keys.secretKey))
        }
        let monitorEndpoint = "inproc://hpo-worker-monitor"
        try dealer.startMonitor(
            monitorEndpoint,
            events: [.handshakeSucceeded, .disconnected, .handshakeFailedAuth, .handshakeFailedProtocol,
                .handshakeFailedNoDetail])
        monitor = try Socket(context, type: .pair, linger: .zero)
        try monitor.connect(monitorEndpoint)
        try dealer.connect(configuration.endpoint)
        poller.register(dealer)
        poller.register(monitor)
        poller.register(fileDescriptor: mailbox.wakeUp.fileDescriptor)
        let now = clock.now
        lastHeard = now
        lastSent = now
        logger.info("worker started; connecting to \(configuration.endpoint)")
    }

    /// Serves until SHUTDOWN, a stop request, a lost coordinator or a refusal. Closes the sockets.
    func run() -> WorkerExit {
        let result: WorkerExit
        do {
            result = try serve()
        } catch {
            result = error.isContextTerminated ? .stopped(reason: "context terminated") : .failed(message: "\(error)")
        }
        // Flush the last RESULT for a planned exit; do not wait for a coordinator that is gone.
        switch result {
        case .shutdown, .stopped: break
        default: try? dealer.set(.linger(.zero))
        }
        monitor.close()
        dealer.close()
        logger.info("worker exits: \(result)")
        return result
    }

    private func serve() throws(ZMQError) -> WorkerExit {
        while true {
            let now = clock.now
            if let exit {
                if running == nil { return exit }
                if let exitDeadline, now >= exitDeadline {
                    logger.warning("the running objective ignored its stop request; exiting without its result")
                    return exit
                }
            } else if now - lastHeard >= configuration.coordinatorTimeout {
                beginExit(.coordinatorLost(endpoint: configuration.endpoint, silence: now - lastHeard), now: now)
                continue
            }
            if exit == nil && now - lastSent >= configuration.heartbeatInterval {
                try sendHeartbeat(now: now)
            }
            let ready = try poller.poll(timeout: pollTimeout(now: now))
            if ready[1].contains(.readable) { try handleMonitorEvents() }
            if ready[0].contains(.readable) { try handleCoordinatorMessages() }
            if ready[2].contains(.readable) { try handleMailbox() }
        }
    }

    /// Until the next heartbeat, coordinator deadline or exit deadline; at most one heartbeat interval.
    private func pollTimeout(now: ContinuousClock.Instant) -> Duration {
        var deadline = exitDeadline ?? (lastHeard + configuration.coordinatorTimeout)
        if exit == nil { deadline = min(deadline, lastSent + configuration.heartbeatInterval) }
        return max(.zero, min(now.duration(to: deadline), configuration.heartbeatInterval))
    }

    // MARK: Sending

    private func send(_ message: WireMessage) throws(ZMQError) {
        // Never block the loop: while disconnected the DEALER queues up to its high-water mark, then refuses.
        if try dealer.trySend(WireCodec.encode(message)) {
            lastSent = clock.now
        } else {
            logger.debug("could not queue \(message.typeName) (coordinator unreachable, queue full); dropped")
        }
    }

    private func sendReady() throws(ZMQError) {
        try send(.ready(Ready(
            host: HostIdentity.hostName, pid: HostIdentity.processID, capabilities: configuration.capabilities)))
    }

    private func sendHeartbeat(now: ContinuousClock.Instant) throws(ZMQError) {
        let held = (running.map { [$0.key] } ?? []) + waiting.map(\.key)
        try send(.heartbeat(Heartbeat(running: held)))
        lastSent = now
    }

    // MARK: Events

    private func handleMonitorEvents() throws(ZMQError) {
        while let frames = try monitor.tryReceive() {
            guard let event = SocketMonitorEvent(frames: frames) else { continue }
            switch event.event {
            case .handshakeSucceeded:
                handshakes += 1
                logger.info("\(handshakes == 1 ? "connected" : "reconnected") to the coordinator at \(event.endpoint); sending READY")
                try sendReady()
                // Tell a restarted coordinator at once which attempts this worker still holds, and repeat the last
                // RESULT in case it was lost with the old connection.
                if running != nil || !waiting.isEmpty { try sendHeartbeat(now: clock.now) }
                if handshakes > 1 {
                    for result in unconfirmedResults { try send(.result(result)) }
                }
            case .disconnected:
                logger.warning("lost the connection to \(event.endpoint); reconnecting")
            case .handshakeFailedAuth:
                logger.error("the coordinator at \(event.endpoint) refused this worker's CURVE key (ZAP status \(event.value)); add the key to its allow-list")
            case .handshakeFailedProtocol, .handshakeFailedNoDetail:
                let hint = configuration.curveServerKey == nil
                    ? "is something other than an hpo coordinator listening there?"
                    : "check --curve-server-key against the coordinator's public key"
                logger.warning("handshake with \(event.endpoint) failed (\(event.event), code \(event.value)); retrying; \(hint)")
            default:
                break
            }
        }
    }

    private func handleCoordinatorMessages() throws(ZMQError) {
        while let frames = try dealer.tryReceive() {
            lastHeard = clock.now
            let message: WireMessage
            do {
                message = try WireCodec.decode(frames)
            } catch {
                if error.code == .unsupportedVersion, let version = error.version {
                    // A coordinator that speaks another version cannot be served; say so instead of idling.
                    beginExit(.rejected(message:
                        "the coordinator speaks protocol version \(version), this worker speaks "
                            + "\(WireCodec.supportedVersions.map(String.init).joined(separator: ", ")); run matching hpo versions"),
                        now: clock.now)
                    return
                }
                logger.warning("ignored a message from the coordinator that does not decode: \(error)")
                continue
            }
            try handle(message)
        }
    }

    private func handle(_ message: WireMessage) throws(ZMQError) {
        switch message {
        case .trial(let assignment):
            try accept(assignment)
        case .cancel(let cancel):
            try self.cancel(cancel.key, reason: "cancelled by the coordinator: \(cancel.reason)")
        case .shutdown(let shutdown):
            logger.info("coordinator asked to shut down: \(shutdown.reason)")
            beginExit(.shutdown(reason: shutdown.reason), now: clock.now)
        case .error(let reply):
            try handleError(reply)
        case .heartbeat:
            break   // Liveness only; `lastHeard` is already updated.
        case .ready, .progress, .result, .statusRequest, .statusReply:
            logger.warning("ignored a \(message.typeName) message, which a coordinator should not send to a worker")
        }
    }

    private func accept(_ assignment: TrialAssignment) throws(ZMQError) {
        unconfirmedResults = []   // The coordinator moved on; no need to repeat earlier RESULTs.
        var trialLogger = logger
        trialLogger[metadataKey: "trial.id"] = "\(assignment.trialID)"
        trialLogger[metadataKey: "trial.attempt"] = "\(assignment.attempt)"
        guard exit == nil else {
            trialLogger.info("refused a trial while stopping")
            try send(.result(TrialResult(
                trialID: assignment.trialID, attempt: assignment.attempt,
                outcome: .stopped(reason: "the worker is shutting down"), duration: .zero)))
            return
        }
        if running?.key == assignment.key || waiting.contains(where: { $0.key == assignment.key }) {
            trialLogger.debug("ignored a duplicate TRIAL")
            return
        }
        if let finished = recentResults[assignment.key] {
            trialLogger.debug("repeated the RESULT of an attempt that already ran")
            try send(.result(finished))
            return
        }
        guard configuration.capabilities.contains(assignment.objective.kind) else {
            let reason =
                "worker \(workerID) cannot run objective kind \"\(assignment.objective.kind)\" (it runs: "
                + "\(configuration.capabilities.joined(separator: ", "))); start a worker that does"
            trialLogger.error("\(reason)")
            try send(.result(TrialResult(
                trialID: assignment.trialID, attempt: assignment.attempt, outcome: .failed(reason: reason),
                duration: .zero)))
            return
        }
        if running == nil {
            start(assignment)
        } else {
            trialLogger.info("queued behind the running trial")
            waiting.append(assignment)
        }
    }

    private func start(_ assignment: TrialAssignment) {
        let trial = RunningTrial(assignment: assignment, stop: StopSignal())
        running = trial
        logger.debug("running trial", metadata: ["trial.id": "\(assignment.trialID)", "trial.attempt": "\(assignment.attempt)"])
        runner.start(assignment, stop: trial.stop)
    }

    private func cancel(_ key: TrialKey, reason: String) throws(ZMQError) {
        if let running, running.key == key {
            logger.info("stopping \(key): \(reason)", metadata: ["trial.id": "\(key.trialID)", "trial.attempt": "\(key.attempt)"])
            running.stop.request(reason: reason)
        } else if let index = waiting.firstIndex(where: { $0.key == key }) {
            waiting.remove(at: index)
            try send(.result(TrialResult(
                trialID: key.trialID, attempt: key.attempt, outcome: .stopped(reason: reason), duration: .zero)))
        } else {
            logger.debug("ignored CANCEL for \(key), which this worker does not hold")
        }
    }

    private func handleError(_ reply: ErrorReply) throws(ZMQError) {
        switch reply.code {
        case .unsupportedVersion:
            let versions = reply.supportedVersions.map(String.init).joined(separator: ", ")
            beginExit(.rejected(message:
                "\(reply.message) (this worker speaks protocol \(WireCodec.protocolVersion); the coordinator speaks "
                    + "\(versions)); run matching hpo versions"), now: clock.now)
        case .unsupportedObjective, ErrorReply.Code(rawValue: "incompatible-worker"):
            beginExit(.rejected(message: reply.message), now: clock.now)
        case .unknownTrial:
            logger.warning("coordinator does not know \(reply.trial.map { "\($0)" } ?? "an attempt"): \(reply.message)")
            if let key = reply.trial {
                try cancel(key, reason: "the coordinator no longer runs this attempt: \(reply.message)")
            }
        default:
            logger.error("coordinator reported \(reply.code): \(reply.message)")
        }
    }

    private func handleMailbox() throws(ZMQError) {
        for event in mailbox.drain() {
            switch event {
            case .progress(let progress):
                guard running?.key == progress.key else { continue }   // Late report of a finished trial.
                try send(.progress(progress))
            case .finished(let result):
                guard running?.key == result.key else { continue }
                running = nil
                unconfirmedResults.append(result)
                remember(result)
                logger.debug("trial finished", metadata: ["trial.id": "\(result.trialID)", "trial.attempt": "\(result.attempt)"])
                try send(.result(result))
                if exit == nil, !waiting.isEmpty { start(waiting.removeFirst()) }
            case .stopRequested(let reason):
                if exit == nil { beginExit(.stopped(reason: reason), now: clock.now) }
            }
        }
    }

    private func remember(_ result: TrialResult) {
        if recentResults.updateValue(result, forKey: result.key) == nil { recentOrder.append(result.key) }
        if recentOrder.count > Self.recentResultLimit {
            recentResults[recentOrder.removeFirst()] = nil
        }
    }

    /// Stops the running and waiting attempts and arms the exit; the loop returns once the running one reported.
    private func beginExit(_ reason: WorkerExit, now: ContinuousClock.Instant) {
        guard exit == nil else { return }
        exit = reason
        exitDeadline = now + configuration.stopGracePeriod
        let why: String
        switch reason {
        case .shutdown(let text): why = "coordinator shutdown: \(text)"
        case .stopped(let text): why = "worker stopping: \(text)"
        case .coordinatorLost: why = "coordinator lost"
        case .rejected(let text): why = "worker refused by the coordinator: \(text)"
        case .failed(let text): why = text
        }
        running?.stop.request(reason: why)
        for assignment in waiting {
            try? send(.result(TrialResult(
                trialID: assignment.trialID, attempt: assignment.attempt, outcome: .stopped(reason: why),
                duration: .zero)))
        }
        waiting = []
    }
}
