import HPOWire
import HPOWorkerCore
import HPOZeroMQ
import Logging
import HPORuntimeSupport

/// The worker's socket thread: a thin I/O shell around `WorkerStateMachine`, which holds all protocol decisions
/// (docs/protocol.md, docs/worker.md).
///
/// It owns the DEALER socket, its monitor and the poller; turns what they and the mailbox deliver into
/// `WorkerEvent`s; and carries out the machine's actions: sends, starts and stops on the `TrialRunner`, log lines,
/// and the exit. It ticks the machine at least by `WorkerStateMachine.nextDeadline()`.
///
/// A connection that dies without the TCP stack noticing (host gone, silent NAT drop) is caught by ZMTP pings every
/// heartbeat interval: libzmq drops it after `heartbeatInterval × liveness` without an answer and reconnects
/// (backing off); the coordinator's libzmq answers the pings itself, so a coordinator that is merely busy causes
/// no churn.
///
/// Not `Sendable`: created and used on the socket thread only.
final class WorkerLoop {
    let configuration: WorkerConfiguration
    let mailbox: Mailbox<WorkerEvent>
    let runner: TrialRunner
    let logger: Logger
    let context: Context
    let dealer: Socket
    let monitor: Socket
    var poller = Poller()
    let clock = ContinuousClock()
    var machine: WorkerStateMachine
    /// When to reconnect after the coordinator refused this worker's CURVE key (libzmq gives up on its own).
    var authRetryAt: ContinuousClock.Instant?

    init(
        configuration: WorkerConfiguration, workerID: String, mailbox: Mailbox<WorkerEvent>, runner: TrialRunner,
        logger: Logger
    ) throws(ZMQError) {
        self.configuration = configuration
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
        var settings = Self.settings(configuration)
        settings.logLevel = Self.actionLevel(logger.logLevel)
        machine = WorkerStateMachine(settings: settings, now: clock.now)
        logger.info("worker started; connecting to \(configuration.endpoint)")
    }

    /// The machine's view of the configuration, with this process's host name and pid.
    static func settings(_ configuration: WorkerConfiguration) -> WorkerProtocolSettings {
        var settings = WorkerProtocolSettings(
            endpoint: configuration.endpoint, host: HostIdentity.hostName, pid: HostIdentity.processID,
            capabilities: configuration.capabilities, study: configuration.study)
        settings.heartbeatInterval = configuration.heartbeatInterval
        settings.coordinatorTimeout = configuration.coordinatorTimeout
        settings.stopGracePeriod = configuration.stopGracePeriod
        settings.waitingNoticeInterval = configuration.waitingNoticeInterval
        settings.usesCurve = configuration.curveServerKey != nil
        settings.blasKernels = BLASKernelSelection.inUse
        settings.slots = configuration.slots
        return settings
    }

    /// Serves until the machine exits (SHUTDOWN, a stop request, a lost coordinator, a refusal). Closes the sockets.
    func run() -> WorkerExit {
        let result: WorkerExit
        do {
            result = try serve()
        } catch {
            result = error.isContextTerminated ? .stopped(reason: "context terminated") : .failed(message: "\(error)")
        }
        // Flush the last RESULT of a planned exit; do not wait for a coordinator that is gone.
        switch result {
        case .shutdown, .stopped, .wrongStudy: break
        default: try? dealer.set(.linger(.zero))
        }
        monitor.close()
        dealer.close()
        logger.info("worker exits: \(result)")
        return result
    }

    private func serve() throws(ZMQError) -> WorkerExit {
        while true {
            if let exit = try feed(.tick) { return exit }
            let now = clock.now
            if let retry = authRetryAt, now >= retry {
                authRetryAt = nil
                try? dealer.disconnect(configuration.endpoint)
                try dealer.connect(configuration.endpoint)
            }
            var deadline = machine.nextDeadline()
            if let authRetryAt { deadline = min(deadline, authRetryAt) }
            let timeout = max(.zero, min(now.duration(to: deadline), configuration.heartbeatInterval))
            let ready = try poller.poll(timeout: timeout)
            if ready[1].contains(.readable) {
                while let frames = try monitor.tryReceive() {
                    guard let event = Self.event(SocketMonitorEvent(frames: frames)) else { continue }
                    if case .handshakeFailed(_, .authentication, _) = event {
                        authRetryAt = clock.now + configuration.reconnectIntervalMax
                    }
                    if let exit = try feed(event) { return exit }
                }
            }
            if ready[0].contains(.readable) {
                while let frames = try dealer.tryReceive() {
                    let event: WorkerEvent
                    do {
                        event = .message(try WireCodec.decode(frames))
                    } catch {
                        event = .undecodable(error)
                    }
                    if let exit = try feed(event) { return exit }
                }
            }
            if ready[2].contains(.readable) {
                for event in mailbox.drain() {
                    if let exit = try feed(event) { return exit }
                }
            }
        }
    }

    /// A monitor event as the machine sees it (nil for events it does not care about).
    static func event(_ monitorEvent: SocketMonitorEvent?) -> WorkerEvent? {
        guard let monitorEvent else { return nil }
        let endpoint = monitorEvent.endpoint
        switch monitorEvent.event {
        case .connected: return .connecting(endpoint: endpoint)
        case .handshakeSucceeded: return .connected(endpoint: endpoint)
        case .disconnected: return .disconnected(endpoint: endpoint)
        case .handshakeFailedAuth:
            return .handshakeFailed(endpoint: endpoint, failure: .authentication, code: Int(monitorEvent.value))
        case .handshakeFailedProtocol, .handshakeFailedNoDetail:
            return .handshakeFailed(endpoint: endpoint, failure: .protocolMismatch, code: Int(monitorEvent.value))
        default: return nil
        }
    }

    /// Hands `event` to the machine and carries out its actions; returns the exit once the machine emits one.
    private func feed(_ event: WorkerEvent) throws(ZMQError) -> WorkerExit? {
        for action in machine.handle(event, now: clock.now) {
            switch action {
            case .send(let message):
                // Never block the loop: a full queue (coordinator unreachable) drops the message; the machine
                // resends what matters (RESULTs) after the next handshake.
                // A report over its type's size cap would be refused by the coordinator: shrink it first.
                if !(try dealer.trySend(WireCodec.encode(WireSizeLimits.fitted(message)))) {
                    logger.debug("could not queue \(message.typeName) (coordinator unreachable, queue full); dropped")
                }
            case .start(let assignment):
                runner.start(assignment)
            case .cancel(let key, let reason):
                runner.stop(key, reason: reason)
            case .log(let level, let text, let metadata):
                logger.log(level: Self.level(level), "\(text)", metadata: metadata.mapValues { .string($0) })
            case .exit(let exit):
                return exit
            }
        }
        return nil
    }

    /// The least severe machine log level that `level` lets through.
    static func actionLevel(_ level: Logger.Level) -> WorkerAction.LogLevel {
        switch level {
        case .trace, .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error, .critical: .error
        }
    }

    static func level(_ level: WorkerAction.LogLevel) -> Logger.Level {
        switch level {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        }
    }
}
