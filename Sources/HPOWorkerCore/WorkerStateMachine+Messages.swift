import HPOWire

/// What the coordinator says.
extension WorkerStateMachine {
    mutating func receive(_ message: WireMessage, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        guard leaving == nil || message.kind != .heartbeat else { return }
        switch message {
        case .trial(let assignment):
            trial(assignment, now: now, output: &output)
        case .cancel(let cancel):
            self.cancel(cancel.key, reason: "cancelled by the coordinator: \(cancel.reason)", now: now, output: &output)
        case .prune(let prune):
            self.prune(prune, now: now, output: &output)
        case .shutdown(let shutdown):
            output.log(.info, "coordinator asked to shut down: \(shutdown.reason)")
            beginLeaving(.shutdown(reason: shutdown.reason), now: now, output: &output)
        case .error(let reply):
            error(reply, now: now, output: &output)
        case .heartbeat(let heartbeat):
            coordinatorHeartbeat(heartbeat, now: now, output: &output)
        case .ready, .progress, .result, .statusRequest, .statusReply, .enqueue, .enqueueReply:
            output.log(.warning, "ignored a \(message.typeName) message, which a coordinator should not send to a worker")
        }
    }

    /// The text of a study mismatch, or nil when `study` is compatible with the pin.
    func studyMismatch(_ study: String?, in what: String) -> String? {
        guard let pinned = settings.study, let study, study != pinned else { return nil }
        return "the coordinator at \(settings.endpoint) serves study \"\(study)\" (its \(what) says so), but this worker "
            + "is pinned to \"\(pinned)\" (--study); point it at that study's coordinator"
    }

    mutating func trial(_ assignment: TrialAssignment, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        let key = assignment.key
        let metadata = Self.metadata(key)
        finished.confirmAll()   // The coordinator moved on: the RESULTs before this TRIAL arrived.
        func refuse(_ outcome: TrialResult.Outcome) {
            send(.result(TrialResult(trialID: key.trialID, attempt: key.attempt, outcome: outcome, duration: .zero)), now: now, output: &output)
        }
        if let mismatch = studyMismatch(assignment.study, in: "TRIAL") {
            output.log(.error, "refused \(key) unrun: \(mismatch)", metadata)
            refuse(.stopped(reason: "wrong study: \(mismatch)"))
            beginLeaving(.wrongStudy(message: mismatch), now: now, output: &output)
            return
        }
        guard leaving == nil else {
            output.log(.info, "refused \(key) while stopping", metadata)
            refuse(.stopped(reason: "the worker is shutting down"))
            return
        }
        if running.contains(where: { $0.key == key }) {
            output.log(.debug, "ignored a duplicate TRIAL for \(key), which runs", metadata)
            return
        }
        if let result = finished[key] {
            output.log(.debug, "repeated the RESULT of \(key), which already ran", metadata)
            send(.result(result), now: now, output: &output)
            return
        }
        guard settings.capabilities.contains(assignment.objective.kind) else {
            let reason = "this worker cannot run objective kind \"\(assignment.objective.kind)\" (it runs: "
                + "\(settings.capabilities.joined(separator: ", "))); start a worker that does"
            output.log(.error, "refused \(key) unrun: \(reason)", metadata)
            refuse(.failed(reason: reason))
            return
        }
        guard running.count < settings.slots else {
            let held = running.map(\.key.description).joined(separator: ", ")
            output.log(.warning, "refused \(key) unrun: busy with \(held) (slots \(settings.slots))", metadata)
            refuse(.stopped(reason: "busy: this worker runs \(held) and has \(settings.slots) slot(s)"))
            // Tell the coordinator what does run, so it can adopt or cancel it.
            send(heartbeatMessage, now: now, output: &output)
            return
        }
        running.append(assignment)
        output.log(.debug, "running \(key)", metadata)
        output.append(.start(assignment))
    }

    /// CANCEL: stops `key` if it runs. Otherwise a finished attempt's RESULT is sent again, and an attempt this
    /// worker never received is answered `stopped`, so the coordinator does not wait for it.
    mutating func cancel(_ key: TrialKey, reason: String, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        if running.contains(where: { $0.key == key }) {
            output.log(.info, "stopping \(key): \(reason)", Self.metadata(key))
            output.append(.cancel(key, reason: reason))
        } else if let result = finished[key] {
            output.log(.debug, "\(key) already finished; sent its RESULT again", Self.metadata(key))
            send(.result(result), now: now, output: &output)
        } else {
            output.log(.debug, "CANCEL for \(key), which this worker never received; answered stopped", Self.metadata(key))
            send(.result(TrialResult(
                trialID: key.trialID, attempt: key.attempt, outcome: .stopped(reason: "never received: \(reason)"),
                duration: .zero)), now: now, output: &output)
        }
    }

    mutating func error(_ reply: ErrorReply, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        switch reply.code {
        case .unsupportedVersion:
            let versions = reply.supportedVersions.map(String.init).joined(separator: ", ")
            beginLeaving(
                .rejected(message: "\(reply.message) (this worker speaks protocol \(WireCodec.protocolVersion); the coordinator speaks \(versions)); run matching hpo versions"),
                now: now, output: &output)
        case .unsupportedObjective:
            beginLeaving(.rejected(message: reply.message), now: now, output: &output)
        case .wrongStudy:
            beginLeaving(.wrongStudy(message: reply.message), now: now, output: &output)
        case .notReady:
            // The coordinator has no READY from this connection (a message raced ahead of it): announce again.
            output.log(.notice, "coordinator asked for READY: \(reply.message)")
            send(readyMessage, now: now, output: &output)
        case .unknownTrial, .notHolder:
            output.log(.warning, "coordinator does not count \(reply.trial.map { "\($0)" } ?? "an attempt") as this worker's (\(reply.code)): \(reply.message)")
            // Stop the attempt if it still runs; never answer with a RESULT (a refused RESULT sent again would be
            // refused again, forever).
            if let key = reply.trial, running.contains(where: { $0.key == key }) {
                output.log(.info, "stopping \(key): the coordinator no longer counts it as this worker's", Self.metadata(key))
                output.append(.cancel(key, reason: "the coordinator no longer counts this attempt as this worker's: \(reply.message)"))
            }
        default:
            output.log(.error, "coordinator reported \(reply.code): \(reply.message)")
        }
    }

    /// The coordinator's HEARTBEAT: its study, and the attempts it thinks this worker holds.
    mutating func coordinatorHeartbeat(_ heartbeat: Heartbeat, now: ContinuousClock.Instant, output: inout WorkerActionBuffer) {
        if let mismatch = studyMismatch(heartbeat.study, in: "HEARTBEAT") {
            output.log(.error, "leaving: \(mismatch)")
            beginLeaving(.wrongStudy(message: mismatch), now: now, output: &output)
            return
        }
        let listed = Set(heartbeat.running)
        var reportMissing = false
        for key in heartbeat.running where !running.contains(where: { $0.key == key }) {
            if let result = finished[key] {
                // Its RESULT was lost (or crossed this HEARTBEAT): send it again; the coordinator counts it once.
                output.log(.debug, "coordinator still lists \(key), which finished; sent its RESULT again", Self.metadata(key))
                send(.result(result), now: now, output: &output)
            } else {
                output.log(.notice, "coordinator lists \(key), which this worker never received; reporting what runs here", Self.metadata(key))
                reportMissing = true
            }
        }
        // The first HEARTBEAT of a connection (the answer to READY) is answered at once: the coordinator gives trials
        // only to workers that have answered it (docs/protocol.md, *Handshake*).
        if reportMissing || !answeredFirstHeartbeat { send(heartbeatMessage, now: now, output: &output) }
        answeredFirstHeartbeat = true
        // An attempt the coordinator does not list keeps running: the coordinator adopts it or sends CANCEL. Said
        // once per attempt, and only once the connection has settled (a restarted coordinator's answer to READY
        // cannot know yet what this worker runs).
        guard let connectedAt, now - connectedAt >= settings.heartbeatInterval else { return }
        for assignment in running where !listed.contains(assignment.key) && !unlistedReported.contains(assignment.key) {
            unlistedReported.insert(assignment.key)
            output.log(.notice, "coordinator does not list \(assignment.key), which runs here; keeping it until the coordinator cancels it", Self.metadata(assignment.key))
        }
    }
}
