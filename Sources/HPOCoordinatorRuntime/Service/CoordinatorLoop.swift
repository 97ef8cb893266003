import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import HPOZeroMQ
import Logging
import HPORuntimeSupport

/// The socket thread's body: receive a batch, feed the state machine, append the journal, then act.
///
/// Not `Sendable`: created and used on the coordinator's thread only (it owns the ROUTER socket).
final class CoordinatorLoop {
    private let router: Socket
    private var machine: CoordinatorStateMachine
    private let options: CoordinatorServiceOptions
    private let inbox: Mailbox<CoordinatorEvent>
    private let driver: OptimizerDriver
    private let journal: any CoordinatorJournal
    private let logger: Logger
    private let clock = ContinuousClock()
    /// Events produced by the loop itself (e.g. a send that found its peer gone), handled in the next batch.
    private var deferred: [CoordinatorEvent] = []
    /// `trialSent` events for the TRIAL messages the current batch's actions handed to the socket.
    private var sentTrials: [CoordinatorEvent] = []
    private var summary: StudySummary?
    /// The stamp of the snapshot published last (nil before the first).
    private var publishedStamp: SnapshotStamp?
    /// When the last wake-up that brought only HEARTBEATs happened (nil after any other).
    private var lastHeartbeatWake: ContinuousClock.Instant?
    /// Waits on the inbox alone, for the pause when heartbeats crowd.
    private lazy var inboxOnly: Poller = {
        var poller = Poller()
        _ = poller.register(fileDescriptor: inbox.wakeUp.fileDescriptor)
        return poller
    }()
    /// The bound endpoint (with the real port).
    let endpoint: String
    /// Filled when `options.recordTimings` is on.
    private(set) var timings = CoordinatorTimings()
    private var dispatchedAt: [TrialKey: ContinuousClock.Instant] = [:]
    private var firstDispatch: ContinuousClock.Instant?
    private var lastResult: ContinuousClock.Instant?
    private var workerWindows: [WorkerID: (first: ContinuousClock.Instant, last: ContinuousClock.Instant)] = [:]
    /// One log line per 10 s about replies dropped at a full send queue (a peer that does not read).
    private var droppedReplies = LogRateLimiter()
    /// Peers whose send queue was found full, and when. For `saturationHold` after that, their STATUS_REQUESTs are
    /// dropped unread: the reply could not be queued anyway, and building it costs a scan of the study.
    private var saturatedPeers: [WorkerID: ContinuousClock.Instant] = [:]
    private static let saturationHold: Duration = .seconds(1)
    private static let statusRequestFrame = Array(WireMessageKind.statusRequest.rawValue.utf8)

    /// Creates and binds the ROUTER socket.
    init(
        context: Context, machine: CoordinatorStateMachine, options: CoordinatorServiceOptions, inbox: Mailbox<CoordinatorEvent>,
        driver: OptimizerDriver, journal: any CoordinatorJournal, logger: Logger
    ) throws(CoordinatorError) {
        do {
            router = try Socket(context, type: .router, linger: options.linger)
            try router.set(.routerMandatory(true))
            try router.set(.routerHandover(true))
            try router.set(.maxMessageSize(options.maxMessageSize))
            if let curve = options.curve {
                try router.set(.curveServer(true))
                try router.set(.curveSecretKey(curve.secretKey))
            }
            // Bounded queues per peer: with ROUTER_MANDATORY a full pipe makes trySend say EAGAIN (see `send`), so a
            // peer that never reads cannot grow this process; a peer that floods is back-pressured by TCP.
            try router.set(.sendHighWaterMark(options.sendHighWaterMark))
            try router.set(.receiveHighWaterMark(options.receiveHighWaterMark))
            try router.bind(options.zmqEndpoint)
            endpoint = try router.lastEndpoint
        } catch {
            throw CoordinatorError(
                .cannotListen,
                "cannot listen on \(options.bind): \(error); choose another address or port (transport.bind)")
        }
        self.machine = machine
        self.options = options
        self.inbox = inbox
        self.driver = driver
        self.journal = journal
        self.logger = logger
    }

    /// Runs the session to its end and returns its summary.
    ///
    /// - Parameter publish: receives a fresh snapshot at a tick when it changed since the last one (on this thread).
    func run(publish: (StudySnapshot) -> Void) -> StudySummary {
        // One poll(2) per wake-up, none while messages wait (zmq_poll costs two and more getsockopts per call).
        var waiter: SocketWaiter
        do {
            waiter = try SocketWaiter(socket: router, fileDescriptor: inbox.wakeUp.fileDescriptor)
        } catch {
            logger.critical("the coordinator's socket failed: \(error)")
            return machine.summary(state: .failed, reason: "the coordinator's socket failed: \(error)")
        }
        process([.start])
        var nextTick = clock.now + options.tickInterval
        while summary == nil {
            let timeout = max(.zero, clock.now.duration(to: nextTick))
            let ready: SocketWaiter.Readiness
            do {
                ready = try waiter.wait(timeout: timeout)
            } catch {
                logger.critical("the coordinator's poll failed: \(error)")
                return machine.summary(state: .failed, reason: "the coordinator's socket failed: \(error)")
            }
            let wokeUp = clock.now
            var batch = deferred
            deferred = []
            if ready.descriptor {
                batch += inbox.drain()
            }
            if ready.socket {
                receive(into: &batch)
            }
            if clock.now >= nextTick {
                batch.append(.tick)
                nextTick = clock.now + options.tickInterval
                // Rebuilt only when something it shows changed: it copies every running trial.
                let stamp = machine.snapshotStamp
                if stamp != publishedStamp {
                    publishedStamp = stamp
                    publish(machine.snapshot)
                }
            }
            if !batch.isEmpty {
                let onlyHeartbeats = ready.socket && !ready.descriptor && batch.count < options.maxBatch
                    && batch.allSatisfy(Self.isHeartbeatOrTick)
                process(batch)
                if options.recordTimings {
                    record(batch, wokeUp: wokeUp)
                }
                pauseIfHeartbeatsCrowd(onlyHeartbeats: onlyHeartbeats, wokeUp: wokeUp, nextTick: nextTick)
            }
        }
        if let firstDispatch, let lastResult {
            timings.span = lastResult - firstDispatch
        }
        timings.workerSpans = workerWindows.values.reduce(.zero) { $0 + ($1.last - $1.first) }
        publish(machine.snapshot)
        if machine.isFinished {
            drain(&waiter, for: options.finishDrain)
        }
        return summary!
    }

    /// Pauses for `options.heartbeatCoalescing` when this wake-up and the one before it, less than that apart,
    /// brought nothing but HEARTBEATs: with many workers their heartbeats are then read many to a wake-up. A study
    /// whose heartbeats arrive further apart (a few workers) never pauses, and a wake-up with anything else in it
    /// (a RESULT, a READY, a signal) or a full batch never does either; the inbox (proposals, a stop) ends a pause at once.
    private func pauseIfHeartbeatsCrowd(onlyHeartbeats: Bool, wokeUp: ContinuousClock.Instant, nextTick: ContinuousClock.Instant) {
        defer { lastHeartbeatWake = onlyHeartbeats ? wokeUp : nil }
        guard onlyHeartbeats, options.heartbeatCoalescing > .zero, let last = lastHeartbeatWake,
            wokeUp - last < options.heartbeatCoalescing
        else { return }
        let pause = min(options.heartbeatCoalescing, max(.zero, clock.now.duration(to: nextTick)))
        // Only the inbox (proposals, a stop) may cut the pause short; the socket's messages wait for its end.
        if pause > .zero { _ = try? inboxOnly.poll(timeout: pause) }
    }

    /// A worker's HEARTBEAT or the loop's own tick: what a wake-up of an otherwise quiet study brings.
    private static func isHeartbeatOrTick(_ event: CoordinatorEvent) -> Bool {
        switch event {
        case .tick, .message(_, .heartbeat): true
        default: false
        }
    }

    /// After the session ended, answers late peers for a moment (SHUTDOWN to workers that join or heartbeat,
    /// status replies), so a worker that connected at the very end exits at once instead of timing out.
    private func drain(_ waiter: inout SocketWaiter, for duration: Duration) {
        let deadline = clock.now + duration
        while clock.now < deadline {
            guard let ready = try? waiter.wait(timeout: max(.zero, clock.now.duration(to: deadline))) else { return }
            var batch: [CoordinatorEvent] = []
            if ready.socket {
                receive(into: &batch)
            }
            for event in batch {
                for action in machine.handle(event, now: clock.now) {
                    if case .send(let peer, let message) = action {
                        send(message, to: peer)
                    }
                }
            }
        }
    }

    /// Closes the socket (SHUTDOWN messages still queued leave within the linger time).
    func close() {
        router.close()
    }

    /// Takes up to `maxBatch` messages waiting on the ROUTER socket.
    private func receive(into batch: inout [CoordinatorEvent]) {
        var taken = 0
        while taken < options.maxBatch {
            let frames: [[UInt8]]?
            do {
                frames = try router.tryReceive()
            } catch {
                logger.error("receive failed: \(error)")
                return
            }
            guard var message = frames, !message.isEmpty else { return }
            taken += 1
            // In place: the frames after the routing id are the message (no copy of the frame list).
            let peer = WorkerID(routingID: message.removeFirst())
            if !saturatedPeers.isEmpty, let since = saturatedPeers[peer] {
                if clock.now - since < Self.saturationHold {
                    if message.count == 3, message[1] == Self.statusRequestFrame { continue }
                } else {
                    saturatedPeers[peer] = nil
                }
            }
            batch.append(CoordinatorEvent(decoding: message, from: peer))
        }
    }

    /// Feeds a batch of events to the state machine, appends their journal events in one go, then acts.
    private func process(_ batch: [CoordinatorEvent]) {
        let finishedBefore = machine.isFinished
        var events: [JournalEvent] = []
        var actions: [CoordinatorAction] = []
        for event in batch {
            for action in machine.handle(event, now: clock.now) {
                if case .journal(let appended) = action {
                    events += appended
                } else {
                    actions.append(action)
                }
            }
        }
        if !events.isEmpty {
            if options.recordTimings {
                timings.journalAppends += 1
                timings.journalEvents += events.count
            }
            do {
                try journal.record(events)
            } catch {
                if !finishedBefore {
                    // Nothing that depends on these events may happen: none of this batch's actions are carried
                    // out. The core rolls the lost events back and ends the study (its summary, its SHUTDOWNs).
                    logger.critical("the journal append failed, stopping the study: \(error)")
                    sentTrials = []
                    process([.journalFailed(reason: "\(error)", lost: events)])
                    return
                }
                // The end itself could not be journaled (the disk still fails): the session ends all the same.
                logger.error("the journal append of the study's end failed too: \(error)")
            }
        }
        for action in actions {
            perform(action)
        }
        // Time the leases from the sends just made (a follow-up batch: its actions may send again, rarely).
        if !sentTrials.isEmpty {
            let sent = sentTrials
            sentTrials = []
            process(sent)
        }
    }

    private func perform(_ action: CoordinatorAction) {
        switch action {
        case .journal:
            break
        case .send(let peer, let message):
            send(message, to: peer)
        case .requestProposals(let count):
            driver.ask(count: count)
        case .tellOptimizer(let id, let outcome):
            driver.tell(id, outcome)
        case .registerTrial(let id, let parameters):
            driver.register(id, parameters)
        case .log(let level, let text, let metadata):
            logger.log(level: level.swiftLogLevel, "\(text)", metadata: metadata.mapValues { .string($0) })
        case .finish(let result):
            summary = result
        }
    }

    private func send(_ message: WireMessage, to peer: WorkerID) {
        if options.recordTimings, case .trial(let trial) = message {
            let now = clock.now
            dispatchedAt[trial.key] = now
            if firstDispatch == nil { firstDispatch = now }
            if workerWindows[peer] == nil { workerWindows[peer] = (now, now) }
        }
        do {
            if try router.trySend([peer.routingID] + WireCodec.encode(message)) {
                if case .trial(let trial) = message {
                    sentTrials.append(.trialSent(trial.key, to: peer))
                }
            } else {
                dropAtFullQueue(message, to: peer)
            }
        } catch {
            if error.isHostUnreachable {
                deferUnreachable(peer, message)
            } else {
                logger.error("send of \(message.typeName) to \(peer) failed: \(error)", metadata: ["worker.id": "\(peer)"])
            }
        }
    }
}

extension CoordinatorLoop {
    /// Reports a message that did not reach `peer` in the next batch: one event per peer listing every message that
    /// failed, so an undelivered TRIAL is seen as such.
    private func deferUnreachable(_ peer: WorkerID, _ message: WireMessage) {
        let index = deferred.firstIndex { if case .peerUnreachable(peer, _) = $0 { true } else { false } }
        if let index, case .peerUnreachable(_, let earlier) = deferred[index] {
            deferred[index] = .peerUnreachable(peer, undelivered: earlier + [message])
        } else {
            deferred.append(.peerUnreachable(peer, undelivered: [message]))
        }
    }

    /// A send found the peer's queue full (`sendHighWaterMark` messages it has not read). Replies to such a peer are
    /// dropped (docs/protocol.md, *Bounds*); a TRIAL that cannot be queued is reported like one to a gone peer, so
    /// the attempt goes back to the queue without using a retry.
    private func dropAtFullQueue(_ message: WireMessage, to peer: WorkerID) {
        if case .trial = message {
            deferUnreachable(peer, message)
        }
        if saturatedPeers.count >= 4096 {
            // Many peers at once (a flood of identities): forget the expired marks so the table stays bounded.
            let now = clock.now
            saturatedPeers = saturatedPeers.filter { now - $0.value < Self.saturationHold }
            if saturatedPeers.count >= 4096 { saturatedPeers.removeAll(keepingCapacity: true) }
        }
        saturatedPeers[peer] = clock.now
        let (log, held) = droppedReplies.admit(now: clock.now)
        if log {
            let text = "dropped a \(message.typeName) message to \(peer): it has \(options.sendHighWaterMark) unread "
                + "messages queued (a peer that does not read its replies)\(LogRateLimiter.suffix(held))"
            logger.warning("\(text)", metadata: ["worker.id": "\(peer)"])
        }
    }

    /// Attributes the batch's processing time to each RESULT in it, and each RESULT's round trip.
    private func record(_ batch: [CoordinatorEvent], wokeUp: ContinuousClock.Instant) {
        let now = clock.now
        var results = 0
        for case .message(_, .result) in batch {
            results += 1
        }
        for case .message(let peer, .result(let result)) in batch {
            timings.overheadPerResult.append(now - wokeUp)
            timings.amortizedOverheadPerResult.append((now - wokeUp) / results)
            workerWindows[peer]?.last = wokeUp
            timings.workerBusy += result.duration
            if let sent = dispatchedAt.removeValue(forKey: result.key) {
                timings.roundTrips.append(wokeUp - sent)
            }
            lastResult = wokeUp
        }
    }
}

extension LogLevel {
    /// The swift-log level.
    var swiftLogLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        }
    }
}
