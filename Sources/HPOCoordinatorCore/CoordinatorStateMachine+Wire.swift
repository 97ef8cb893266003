import HPOOptimizer
import HPOWire

/// The only place the state machine reads or builds wire messages.
extension CoordinatorStateMachine {
    /// Routes a decoded message from a peer to its handler.
    mutating func receive(_ message: WireMessage, from peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        switch message {
        case .ready(let ready):
            workerReady(peer, ready, now: now, output: &output)
        case .heartbeat(let heartbeat):
            workerHeartbeat(peer, running: heartbeat.running, now: now, output: &output)
        case .progress(let progress):
            self.progress(peer, progress.key, step: progress.step, value: progress.value, now: now, output: &output)
        case .result(let result):
            let outcome: ReportedOutcome
            switch result.outcome {
            case .completed(let value, let metrics): outcome = .completed(value: value, metrics: metrics)
            case .failed(let reason): outcome = .failed(reason: reason)
            case .stopped(let reason): outcome = .stopped(reason: reason)
            }
            let seconds = Double(result.duration.components.seconds) + Double(result.duration.components.attoseconds) * 1e-18
            self.result(peer, result.key, outcome: outcome, duration: seconds, now: now, output: &output)
        case .statusRequest:
            output.send(.statusReply(statusReport(now: now)), to: peer)
        case .enqueue(let request):
            enqueueRequested(request, from: peer, now: now, output: &output)
        case .trial, .cancel, .prune, .shutdown, .error, .statusReply, .enqueueReply:
            let text = "a coordinator does not accept \(message.typeName) messages"
            warn("refused a message from \(peer): \(text)", peer: peer, now: now, output: &output)
            output.send(errorReply(code: .malformedMessage, message: text), to: peer)
        }
    }

    /// TRIAL for one attempt of a trial.
    func trialMessage(_ trial: TrialRecord, attempt: Int) -> WireMessage {
        .trial(
            TrialAssignment(
                trialID: trial.id.rawValue, attempt: attempt, parameters: trial.parameters,
                objective: configuration.objective, study: studyName))
    }

    /// CANCEL for one attempt.
    func cancelMessage(_ key: TrialKey, reason: String) -> WireMessage {
        .cancel(Cancel(trialID: key.trialID, attempt: key.attempt, reason: reason))
    }

    /// SHUTDOWN.
    func shutdownMessage(reason: String) -> WireMessage {
        .shutdown(Shutdown(reason: reason))
    }

    /// HEARTBEAT from the coordinator to a worker: `running` lists the attempts whose leases the coordinator thinks the
    /// worker holds (`[]` when none), `study` the study's identity.
    func heartbeatMessage(to peer: WorkerID) -> WireMessage {
        .heartbeat(Heartbeat(running: workers[peer]?.leasedAttempts ?? [], study: studyName))
    }

    /// ERROR reply.
    func errorReply(code: ErrorReply.Code, message: String, about key: TrialKey? = nil) -> WireMessage {
        .error(ErrorReply(code: code, message: message, trial: key))
    }

    /// STATUS reply.
    func statusReport(now: ContinuousClock.Instant) -> StudyStatus {
        let counts = self.counts
        let bestTrial = counts.best.flatMap { best in
            best.value.map { StudyStatus.BestTrial(trialID: best.id.rawValue, value: $0, parameters: best.parameters) }
        }
        // Bounded: a flood of READYs must not make every STATUS_REPLY huge.
        var live: [StudyStatus.Worker] = []
        for worker in workers.inJoinOrder where worker.isLive {
            live.append(
                StudyStatus.Worker(
                    host: worker.host, pid: worker.pid, running: worker.busyAttempts,
                    lastSeen: now - worker.lastHeard, name: worker.id.workerName(pid: worker.pid),
                    blasKernels: worker.blasKernels, slots: worker.slots))
            if live.count == Self.maxWorkersInStatus { break }
        }
        return StudyStatus(
            study: studyName, direction: direction.rawValue, completed: counts.completed, running: counts.running,
            failed: counts.failed, budget: counts.trialBudget, elapsed: startedAt.map { now - $0 } ?? .zero,
            best: bestTrial, workers: live, finished: isFinished, pruned: counts.pruned)
    }

    /// The most workers a STATUS_REPLY lists (the first to join).
    static var maxWorkersInStatus: Int { 1_000 }
}
