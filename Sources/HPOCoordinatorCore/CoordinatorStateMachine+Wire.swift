import HPOOptimizer
import HPOWire

/// The only place the state machine reads or builds wire messages.
extension CoordinatorStateMachine {
    /// Routes a decoded message from a peer to its handler.
    mutating func receive(_ message: WireMessage, from peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        switch message {
        case .ready(let ready):
            workerReady(peer, host: ready.host, pid: ready.pid, capabilities: ready.capabilities, now: now, output: &output)
        case .heartbeat(let heartbeat):
            let key = heartbeat.trialID.map { TrialAttempt(trial: TrialID(rawValue: $0), attempt: heartbeat.attempt ?? 1) }
            workerHeartbeat(peer, running: key, now: now, output: &output)
        case .progress(let progress):
            let key = TrialAttempt(trial: TrialID(rawValue: progress.trialID), attempt: progress.attempt)
            self.progress(peer, key, step: progress.step, value: progress.value, now: now, output: &output)
        case .result(let result):
            let key = TrialAttempt(trial: TrialID(rawValue: result.trialID), attempt: result.attempt)
            let outcome: ReportedOutcome
            switch result.outcome {
            case .completed(let value, let metrics): outcome = .completed(value: value, metrics: metrics)
            case .failed(let reason): outcome = .failed(reason: reason)
            case .stopped(let reason): outcome = .stopped(reason: reason)
            }
            self.result(peer, key, outcome: outcome, duration: result.duration, now: now, output: &output)
        case .statusRequest:
            output.send(.statusReply(statusReport()), to: peer)
        case .trial, .cancel, .shutdown, .error, .statusReply:
            let text = "a coordinator does not accept this message type from a peer"
            output.log(.warning, "refused a message from \(peer): \(text)", ["worker.id": peer.description])
            output.send(errorReply(code: "unexpected-message", message: text), to: peer)
        }
    }

    /// TRIAL for one attempt of a trial.
    func trialMessage(_ trial: TrialRecord, attempt: Int) -> WireMessage {
        .trial(
            TrialAssignment(
                trialID: trial.id.rawValue, attempt: attempt, parameters: trial.parameters,
                objective: configuration.objective))
    }

    /// CANCEL for one attempt.
    func cancelMessage(_ key: TrialAttempt, reason: String) -> WireMessage {
        .cancel(Cancel(trialID: key.trial.rawValue, attempt: key.attempt, reason: reason))
    }

    /// SHUTDOWN.
    func shutdownMessage(reason: String) -> WireMessage {
        .shutdown(Shutdown(reason: reason))
    }

    /// HEARTBEAT from the coordinator (names the attempt the worker is expected to run).
    func heartbeatMessage(running: TrialAttempt?) -> WireMessage {
        .heartbeat(Heartbeat(trialID: running?.trial.rawValue, attempt: running?.attempt))
    }

    /// ERROR reply.
    func errorReply(code: String, message: String) -> WireMessage {
        .error(ErrorReply(code: code, message: message))
    }

    /// STATUS reply.
    func statusReport() -> StudyStatus {
        let now = snapshot
        return StudyStatus(
            done: now.completed + now.failed, running: now.running, failed: now.failed, budget: now.trialBudget,
            bestValue: now.best?.value, bestParameters: now.best?.parameters, liveWorkers: now.liveWorkers)
    }
}
