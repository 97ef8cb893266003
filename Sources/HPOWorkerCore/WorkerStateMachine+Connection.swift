import HPOWire

/// Connections, handshakes and the passage of time.
extension WorkerStateMachine {
    /// A handshake completed: READY first, then the attempts held and (after a reconnect) the unconfirmed RESULTs.
    mutating func connected(endpoint: String, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        handshakes += 1
        isConnected = true
        awaitingHandshake = false
        connectedAt = now
        unlistedReported = []
        answeredFirstHeartbeat = false
        output.log(.info, "\(handshakes == 1 ? "connected" : "reconnected") to the coordinator at \(endpoint); sending READY")
        send(readyMessage, now: now, output: &output)
        // Tell a restarted coordinator at once which attempts this worker still holds.
        if !running.isEmpty { send(heartbeatMessage, now: now, output: &output) }
        // A RESULT sent on the old connection may be lost with it; the coordinator counts a key once.
        for result in finished.unconfirmed { send(.result(result), now: now, output: &output) }
    }

    mutating func disconnected(endpoint: String, output: inout WorkerActionBuffer) {
        isConnected = false
        connectedAt = nil
        if awaitingHandshake {
            awaitingHandshake = false
            failedHandshakes += 1
            if failedHandshakes == 1 && handshakeFailureReports == 0 {
                output.log(.warning, "the coordinator at \(endpoint) closed the connection during the handshake; retrying; \(Self.handshakeHint(curve: settings.usesCurve))")
            }
        } else {
            output.log(.warning, "lost the connection to \(endpoint); reconnecting")
        }
    }

    mutating func handshakeFailed(
        endpoint: String, failure: WorkerEvent.HandshakeFailure, code: Int, output: inout WorkerActionBuffer
    ) {
        switch failure {
        case .authentication:
            // The shell reconnects after a pause (libzmq gives up after a ZAP refusal), so a key added to the
            // allow-list later (SIGHUP) lets this worker in without a restart.
            output.log(.error, "the coordinator at \(endpoint) refused this worker's CURVE key (ZAP status \(code)); add the key to its allow-list (DIR/allowed/) and send the coordinator SIGHUP; retrying")
        case .protocolMismatch:
            let hint = settings.usesCurve
                ? "check that --keys DIR is the coordinator's key directory (or --curve-server-key against its public key)"
                : "is something other than an hpo coordinator listening there, or does it run with CURVE (then pass its key directory with --keys DIR)?"
            // libzmq retries every reconnect interval: warn once, not several times a second.
            handshakeFailureReports += 1
            output.log(handshakeFailureReports == 1 ? .warning : .debug, "handshake with \(endpoint) failed (code \(code)); retrying; \(hint)")
        }
    }

    /// What a connection closed during its handshake usually means.
    public static func handshakeHint(curve: Bool) -> String {
        curve
            ? "the coordinator does not accept this worker's CURVE keys; check that --keys DIR is the coordinator's key directory (DIR/coordinator.pub), or --curve-server-key against the key it printed, and that this worker's key is on its allow-list"
            : "the coordinator probably runs with CURVE; pass its key directory with --keys DIR (or its public key with --curve-server-key)"
    }

    /// Deadlines: the stop deadline, the coordinator timeout, the heartbeat, and the "still trying" notice.
    mutating func tick(now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        if let leaving {
            if now >= leaving.deadline {
                output.log(.warning, "the running objective did not return within \(settings.stopGracePeriod.formattedSeconds) of its stop request; exiting without its result")
                exit(now: now, output: &output)
            }
            return
        }
        let silence = now - lastHeard
        if silence >= settings.coordinatorTimeout {
            if handshakes == 0, failedHandshakes > 0 {
                output.log(.error, "\(failedHandshakes) connection(s) to \(settings.endpoint) closed during the handshake and none completed: \(Self.handshakeHint(curve: settings.usesCurve))")
            }
            beginLeaving(.coordinatorLost(endpoint: settings.endpoint, silence: silence), now: now, output: &output)
            return
        }
        if now - lastSent >= settings.heartbeatInterval {
            if isConnected {
                send(heartbeatMessage, now: now, output: &output)
            } else {
                lastSent = now   // Nobody to tell; the handshake sends READY and then the held attempts.
            }
        }
        if !isConnected, now >= nextWaitingNotice {
            // A worker pointed at nothing would say nothing until --coordinator-timeout; say that it still tries.
            if silence >= settings.waitingNoticeInterval {
                output.log(.notice, "not connected: nothing heard from the coordinator at \(settings.endpoint) for \(silence.formattedSeconds); still trying until --coordinator-timeout (\(settings.coordinatorTimeout.formattedSeconds))")
            }
            nextWaitingNotice = now + settings.waitingNoticeInterval
        }
    }

    /// Frames that did not decode: a coordinator of another protocol version is fatal, anything else is logged
    /// (rate-limited: a flood of garbage must not flood the log) and ignored.
    mutating func undecodable(_ error: WireError, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        if error.code == .unsupportedVersion, let version = error.version {
            let ours = WireCodec.supportedVersions.map(String.init).joined(separator: ", ")
            beginLeaving(
                .rejected(message: "the coordinator speaks protocol version \(version), this worker speaks \(ours); run matching hpo versions"),
                now: now, output: &output)
            return
        }
        if let last = lastMalformedNotice, now - last < settings.malformedNoticeInterval {
            malformedSinceNotice += 1
            return
        }
        let others = malformedSinceNotice > 0 ? " (and \(malformedSinceNotice) more since the last notice)" : ""
        output.log(.warning, "ignored a message from the coordinator that does not decode: \(error)\(others)")
        malformedSinceNotice = 0
        lastMalformedNotice = now
    }
}
