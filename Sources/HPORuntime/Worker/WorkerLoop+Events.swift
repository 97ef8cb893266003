import HPOWire
import HPOZeroMQ
import Logging

/// How the socket thread reacts to what arrives: monitor events, coordinator messages, and the mailbox.
extension WorkerLoop {
    func handleMonitorEvents() throws(ZMQError) {
        while let frames = try monitor.tryReceive() {
            guard let event = SocketMonitorEvent(frames: frames) else { continue }
            switch event.event {
            case .connected:
                awaitingHandshake = true
            case .handshakeSucceeded:
                handshakes += 1
                connected = true
                awaitingHandshake = false
                logger.info("\(handshakes == 1 ? "connected" : "reconnected") to the coordinator at \(event.endpoint); sending READY")
                try sendReady()
                // Tell a restarted coordinator at once which attempts this worker still holds, and repeat the last
                // RESULT in case it was lost with the old connection.
                if running != nil || !waiting.isEmpty { try sendHeartbeat(now: clock.now) }
                if handshakes > 1 {
                    for result in unconfirmedResults { try send(.result(result)) }
                }
            case .disconnected:
                connected = false
                if awaitingHandshake {
                    awaitingHandshake = false
                    failedHandshakes += 1
                    if failedHandshakes == 1 && handshakeFailureReports == 0 {
                        logger.warning("the coordinator at \(event.endpoint) closed the connection during the handshake; retrying; \(Self.handshakeHint(curve: configuration.curveServerKey != nil))")
                    }
                } else {
                    logger.warning("lost the connection to \(event.endpoint); reconnecting")
                }
            case .handshakeFailedAuth:
                // libzmq does not reconnect after a ZAP refusal; retry ourselves, so a key added to the allow-list
                // later (SIGHUP) lets this worker in without a restart.
                logger.error("the coordinator at \(event.endpoint) refused this worker's CURVE key (ZAP status \(event.value)); add the key to its allow-list (DIR/allowed/) and send the coordinator SIGHUP; retrying every \(configuration.reconnectIntervalMax.formattedSeconds)")
                authRetryAt = clock.now + configuration.reconnectIntervalMax
            case .handshakeFailedProtocol, .handshakeFailedNoDetail:
                let hint = configuration.curveServerKey == nil
                    ? "is something other than an hpo coordinator listening there, or does it run with --curve (then pass its key with --curve-server-key)?"
                    : "check --curve-server-key against the coordinator's public key"
                // The worker retries every reconnect interval: warn once, not several times a second.
                handshakeFailureReports += 1
                let level: Logger.Level = handshakeFailureReports == 1 ? .warning : .debug
                logger.log(level: level, "handshake with \(event.endpoint) failed (\(event.event), code \(event.value)); retrying; \(hint)")
            default:
                break
            }
        }
    }

    func handleCoordinatorMessages() throws(ZMQError) {
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

    func handle(_ message: WireMessage) throws(ZMQError) {
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
        case .heartbeat(let heartbeat):
            leaveIfWrongStudy(heartbeat.study, what: "HEARTBEAT")   // Otherwise liveness only (`lastHeard` is set).
        case .ready, .progress, .result, .statusRequest, .statusReply:
            logger.warning("ignored a \(message.typeName) message, which a coordinator should not send to a worker")
        }
    }

    func accept(_ assignment: TrialAssignment) throws(ZMQError) {
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
        if leaveIfWrongStudy(assignment.study, what: "TRIAL \(assignment.key)") { return }
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

    func start(_ assignment: TrialAssignment) {
        let trial = RunningTrial(assignment: assignment, stop: StopSignal())
        running = trial
        logger.debug("running trial", metadata: ["trial.id": "\(assignment.trialID)", "trial.attempt": "\(assignment.attempt)"])
        runner.start(assignment, stop: trial.stop)
    }

    func cancel(_ key: TrialKey, reason: String) throws(ZMQError) {
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

    func handleError(_ reply: ErrorReply) throws(ZMQError) {
        switch reply.code {
        case .unsupportedVersion:
            let versions = reply.supportedVersions.map(String.init).joined(separator: ", ")
            beginExit(.rejected(message:
                "\(reply.message) (this worker speaks protocol \(WireCodec.protocolVersion); the coordinator speaks "
                    + "\(versions)); run matching hpo versions"), now: clock.now)
        case .wrongStudy:
            beginExit(.wrongStudy(message: "\(reply.message) (this worker is pinned with --study \(configuration.study ?? "?"))"), now: clock.now)
        case .unsupportedObjective, ErrorReply.Code(rawValue: "incompatible-worker"):
            beginExit(.rejected(message: reply.message), now: clock.now)
        case .notReady:
            // The coordinator has no READY from this connection (a message raced ahead of it): announce again.
            logger.notice("coordinator asked for READY: \(reply.message)")
            try sendReady()
        case .unknownTrial:
            logger.warning("coordinator does not know \(reply.trial.map { "\($0)" } ?? "an attempt"): \(reply.message)")
            if let key = reply.trial {
                try cancel(key, reason: "the coordinator no longer runs this attempt: \(reply.message)")
            }
        default:
            logger.error("coordinator reported \(reply.code): \(reply.message)")
        }
    }

    func handleMailbox() throws(ZMQError) {
        for event in mailbox.drain() {
            switch event {
            case .progress(let progress):
                guard running?.key == progress.key else { continue }   // Late report of a finished trial.
                // Best effort: a PROGRESS queued while disconnected would reach the next coordinator before READY.
                guard connected else { continue }
                try send(.progress(progress))
            case .finished(let result):
                guard running?.key == result.key else { continue }
                running = nil
                unconfirmedResults.append(result)
                remember(result)
                logger.debug("trial finished", metadata: ["trial.id": "\(result.trialID)", "trial.attempt": "\(result.attempt)"])
                // While disconnected it waits in `unconfirmedResults`, sent after the next READY.
                if connected { try send(.result(result)) }
                if exit == nil, !waiting.isEmpty { start(waiting.removeFirst()) }
            case .stopRequested(let reason):
                if exit == nil { beginExit(.stopped(reason: reason), now: clock.now) }
            }
        }
    }

    func remember(_ result: TrialResult) {
        if recentResults.updateValue(result, forKey: result.key) == nil { recentOrder.append(result.key) }
        if recentOrder.count > Self.recentResultLimit {
            recentResults[recentOrder.removeFirst()] = nil
        }
    }

    /// Leaves (exit 4) when this worker is pinned to a study (`--study`) and the coordinator names another one;
    /// nothing of that study is run.
    ///
    /// - Returns: whether the worker is leaving.
    @discardableResult
    func leaveIfWrongStudy(_ study: String?, what: String) -> Bool {
        guard let pinned = configuration.study, let study, study != pinned else { return false }
        let text = "the coordinator at \(configuration.endpoint) serves study \"\(study)\" (its \(what) says so), but this "
            + "worker is pinned to \"\(pinned)\" (--study); point it at that study's coordinator"
        logger.error("\(text)")
        beginExit(.wrongStudy(message: text), now: clock.now)
        return true
    }

    /// Stops the running and waiting attempts and arms the exit; the loop returns once the running one reported.
    func beginExit(_ reason: WorkerExit, now: ContinuousClock.Instant) {
        guard exit == nil else { return }
        exit = reason
        exitDeadline = now + configuration.stopGracePeriod
        let why: String
        switch reason {
        case .shutdown(let text): why = "coordinator shutdown: \(text)"
        case .stopped(let text): why = "worker stopping: \(text)"
        case .coordinatorLost: why = "coordinator lost"
        case .rejected(let text): why = "worker refused by the coordinator: \(text)"
        case .wrongStudy(let text): why = text
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
