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
    let configuration: WorkerConfiguration
    let workerID: String
    let mailbox: WorkerMailbox
    let runner: TrialRunner
    var logger: Logger
    let context: Context
    let dealer: Socket
    let monitor: Socket
    var poller = Poller()
    let clock = ContinuousClock()

    var lastHeard: ContinuousClock.Instant
    /// Handshakes completed so far (the first READY is not a reconnect).
    var handshakes = 0
    /// Whether a connection is up (between a handshake and the next disconnect). While it is not, HEARTBEAT,
    /// PROGRESS and RESULT are not queued: the DEALER would deliver them on the next connection before its READY,
    /// and a (restarted) coordinator must hear READY first. A RESULT waits in `unconfirmedResults` instead.
    var connected = false
    /// A TCP/IPC connection is up but its ZMTP handshake has not completed yet.
    var awaitingHandshake = false
    /// Connections closed by the peer before their handshake completed: the signature of a CURVE mismatch
    /// (a coordinator with --curve and a worker without --curve-server-key or with the wrong key).
    var failedHandshakes = 0
    /// Handshake-failure events seen (only the first is a warning).
    var handshakeFailureReports = 0
    /// When the next "still not connected" notice is due (`configuration.waitingNoticeInterval`).
    lazy var nextWaitingNotice: ContinuousClock.Instant = clock.now + configuration.waitingNoticeInterval
    /// RESULTs sent since the last TRIAL arrived, resent after a reconnect (the old connection may have lost them).
    var unconfirmedResults: [TrialResult] = []
    /// Recent RESULTs by key: a repeated TRIAL for a finished attempt gets its RESULT again instead of a second run.
    var recentResults: [TrialKey: TrialResult] = [:]
    var recentOrder: [TrialKey] = []
    /// How many finished attempts `recentResults` remembers.
    static let recentResultLimit = 1024
    var lastSent: ContinuousClock.Instant
    var running: RunningTrial?
    var waiting: [TrialAssignment] = []
    var exit: WorkerExit?
    var exitDeadline: ContinuousClock.Instant?
    /// When to reconnect after the coordinator refused this worker's CURVE key (libzmq gives up on its own).
    var authRetryAt: ContinuousClock.Instant?

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
            events: [.connected, .handshakeSucceeded, .disconnected, .handshakeFailedAuth, .handshakeFailedProtocol,
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
                if handshakes == 0, failedHandshakes > 0 {
                    logger.error("\(failedHandshakes) connection(s) to \(configuration.endpoint) closed during the handshake and none completed: \(Self.handshakeHint(curve: configuration.curveServerKey != nil))")
                }
                beginExit(.coordinatorLost(endpoint: configuration.endpoint, silence: now - lastHeard), now: now)
                continue
            }
            if exit == nil && now - lastSent >= configuration.heartbeatInterval {
                try sendHeartbeat(now: now)
            }
            if exit == nil, !connected, now >= nextWaitingNotice {
                // A worker pointed at nothing said nothing until --coordinator-timeout; say that it is still trying.
                if now - lastHeard >= configuration.waitingNoticeInterval {
                    logger.notice("not connected: nothing heard from the coordinator at \(configuration.endpoint) for \((now - lastHeard).formattedSeconds); still trying until --coordinator-timeout (\(configuration.coordinatorTimeout.formattedSeconds))")
                }
                nextWaitingNotice = now + configuration.waitingNoticeInterval
            }
            if let retry = authRetryAt, now >= retry {
                authRetryAt = nil
                try? dealer.disconnect(configuration.endpoint)
                try dealer.connect(configuration.endpoint)
            }
            let ready = try poller.poll(timeout: pollTimeout(now: now))
            if ready[1].contains(.readable) { try handleMonitorEvents() }
            if ready[0].contains(.readable) { try handleCoordinatorMessages() }
            if ready[2].contains(.readable) { try handleMailbox() }
        }
    }

    /// What a connection closed during its handshake usually means.
    static func handshakeHint(curve: Bool) -> String {
        curve
            ? "the coordinator does not accept this worker's CURVE keys; check that --keys DIR is the coordinator's key directory (DIR/coordinator.pub), or --curve-server-key against the key it printed, and that this worker's key is on its allow-list"
            : "the coordinator probably runs with CURVE; pass its key directory with --keys DIR (or its public key with --curve-server-key)"
    }

    /// Until the next heartbeat, coordinator deadline or exit deadline; at most one heartbeat interval.
    private func pollTimeout(now: ContinuousClock.Instant) -> Duration {
        var deadline = exitDeadline ?? (lastHeard + configuration.coordinatorTimeout)
        if exit == nil { deadline = min(deadline, lastSent + configuration.heartbeatInterval) }
        if let authRetryAt { deadline = min(deadline, authRetryAt) }
        return max(.zero, min(now.duration(to: deadline), configuration.heartbeatInterval))
    }

    // MARK: Sending

    func send(_ message: WireMessage) throws(ZMQError) {
        // Never block the loop: while disconnected the DEALER queues up to its high-water mark, then refuses.
        // A report over its type's size cap would be refused by the coordinator: shrink it first.
        if try dealer.trySend(WireCodec.encode(WireSizeLimits.fitted(message))) {
            lastSent = clock.now
        } else {
            logger.debug("could not queue \(message.typeName) (coordinator unreachable, queue full); dropped")
        }
    }

    func sendReady() throws(ZMQError) {
        try send(.ready(Ready(
            host: HostIdentity.hostName, pid: HostIdentity.processID, capabilities: configuration.capabilities,
            study: configuration.study)))
    }

    func sendHeartbeat(now: ContinuousClock.Instant) throws(ZMQError) {
        guard connected else {
            lastSent = now   // Nobody to tell; the handshake sends READY and then the held attempts.
            return
        }
        let held = (running.map { [$0.key] } ?? []) + waiting.map(\.key)
        try send(.heartbeat(Heartbeat(running: held)))
        lastSent = now
    }
}
