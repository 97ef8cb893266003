import HPOOptimizer
import HPOWire

/// How an attempt ended, as a worker reports it.
enum ReportedOutcome: Sendable, Equatable {
    case completed(value: Double, metrics: [String: Double])
    case failed(reason: String)
    case stopped(reason: String)
}

extension CoordinatorStateMachine {
    /// Whether `peer` may report for `key`: it held that attempt, or the attempt awaits re-adoption after a restart.
    /// Adopts the attempt in the second case.
    private mutating func authorize(
        _ peer: WorkerID, for key: TrialKey, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) -> Bool {
        guard let trial = trials[key.trial] else { return false }
        if trial.holders[key.attempt] == peer {
            touch(peer, now: now, output: &output)
            return true
        }
        if case .awaitingAdoption(let attempt, _) = trial.phase, attempt == key.attempt {
            touch(peer, now: now, output: &output)
            if let worker = workers[peer], hasRoomToAdopt(worker) {
                adopt(key, by: peer, now: now, output: &output)
                return true
            }
        }
        return false
    }

    /// Refuses a report: an ERROR reply to the peer and a warning in the log.
    private mutating func refuse(
        _ peer: WorkerID, key: TrialKey, why: String, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        let message = "refused the report for \(key) from worker \(peer): \(why)"
        warn(message, peer: peer, now: now, output: &output)
        output.send(errorReply(code: trials[key.trial] == nil ? .unknownTrial : .notHolder, message: message, about: key), to: peer)
        markSent(peer, now: now)
    }

    /// Whether `key` is an attempt `peer` runs that the coordinator never leased to it and cancelled (its HEARTBEAT
    /// named it: one from before a coordinator restart, or re-queued meanwhile). Its reports are expected, not
    /// refused: the worker was told to stop it, and it keeps a slot taken until it ends (docs/protocol.md, *A TRIAL
    /// to a busy slot*).
    private mutating func isCancelledUnheld(
        _ key: TrialKey, on peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) -> Bool {
        guard workers[peer]?.attempts[key] == .cancelling else { return false }
        touch(peer, now: now, output: &output)
        return true
    }

    /// Why `peer` may not report for `key` (for the refusal message).
    private func refusalReason(_ peer: WorkerID, _ key: TrialKey) -> String {
        guard let trial = trials[key.trial] else { return "no trial \(key.trial.rawValue) exists in this study" }
        if let holder = trial.holders[key.attempt] {
            return "that attempt is held by worker \(holder)"
        }
        return "that attempt was never dispatched (the trial is at attempt \(trial.attempt))"
    }

    /// PROGRESS: journals an intermediate value of a running attempt.
    mutating func progress(
        _ peer: WorkerID, _ key: TrialKey, step: Int, value: Double, now: ContinuousClock.Instant,
        output: inout ActionBuffer
    ) {
        guard authorize(peer, for: key, now: now, output: &output) else {
            if !isCancelledUnheld(key, on: peer, now: now, output: &output) {
                refuse(peer, key: key, why: refusalReason(peer, key), now: now, output: &output)
            }
            return
        }
        // A worker back after it was presumed lost says what it runs: re-adopt (or cancel) that attempt.
        if case .awaitingFirstReport(let held) = workers[peer]?.state, held.contains(key) {
            reconcile(peer, reported: [key], now: now, output: &output)
        }
        // Only the current attempt's values count: a superseded attempt's curve says nothing new.
        guard let trial = trials[key.trial], !trial.isFinished, value.isFinite,
            case .leased(let holder, let attempt, _) = trial.phase, holder == peer, attempt == key.attempt
        else { return }
        progressReported(key, by: peer, step: step, value: value, now: now, output: &output)
    }

    /// RESULT: records the outcome of an attempt once, re-queues stopped attempts, and frees the worker.
    mutating func result(
        _ peer: WorkerID, _ key: TrialKey, outcome: ReportedOutcome, duration: Double,
        now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        // A RESULT repeated after a reconnect (workers resend unacknowledged ones), or the late RESULT of an attempt
        // superseded by a retry, for a trial already recorded: the trial keeps its first result (docs/protocol.md,
        // *Idempotency*); a late result of its holder is journaled once, so the journal shows it arrived.
        if let trial = trials[key.trial], trial.isFinished, key.attempt <= trial.attempt {
            touch(peer, now: now, output: &output)
            attemptEnded(key, on: peer, now: now)
            let metadata = ["worker.id": peer.description, "trial.id": "\(key.trial.rawValue)", "trial.attempt": "\(key.attempt)"]
            guard !trial.reportedAttempts.contains(key.attempt), trial.holders[key.attempt] == peer else {
                output.log(.debug, "ignored a repeated result for \(key): already recorded", metadata)
                return
            }
            switch outcome {
            case .completed(let value, let metrics) where value.isFinite:
                trials[key.trial]?.reportedAttempts.insert(key.attempt)
                output.journal(.trialCompleted(
                    trial: key.trial, attempt: key.attempt, value: value, metrics: metrics.filter { $0.value.isFinite },
                    duration: duration))
                output.log(.info, "recorded the late result of \(key) (superseded by a retry); the trial keeps its first result", metadata)
            case .failed(let reason):
                trials[key.trial]?.reportedAttempts.insert(key.attempt)
                output.journal(.trialFailed(trial: key.trial, attempt: key.attempt, reason: reason))
                output.log(.info, "recorded the late failure of \(key) (superseded by a retry); the trial keeps its first result", metadata)
            case .completed, .stopped:
                output.log(.debug, "ignored a late \(key) result: nothing to record", metadata)
            }
            return
        }
        guard authorize(peer, for: key, now: now, output: &output) else {
            if isCancelledUnheld(key, on: peer, now: now, output: &output) {
                // Its end frees the slot it kept taken; there is nothing to record.
                attemptEnded(key, on: peer, now: now)
            } else {
                refuse(peer, key: key, why: refusalReason(peer, key), now: now, output: &output)
            }
            return
        }
        attemptEnded(key, on: peer, now: now)
        guard let trial = trials[key.trial], !trial.isFinished else {
            output.log(
                .debug, "ignored a result for \(key): the trial already finished",
                ["worker.id": peer.description, "trial.id": "\(key.trial.rawValue)"])
            return
        }
        let isCurrent: Bool
        switch trial.phase {
        case .leased(let holder, let attempt, _): isCurrent = holder == peer && attempt == key.attempt
        case .queued, .awaitingAdoption, .completed, .failed, .pruned: isCurrent = false
        }
        switch outcome {
        case .completed(let value, let metrics):
            guard value.isFinite else {
                recordFailure(key.trial, attempt: key.attempt, reason: "the objective returned \(value)", now: now, output: &output)
                return
            }
            let finiteMetrics = metrics.filter { $0.value.isFinite }
            recordCompletion(
                key.trial, attempt: key.attempt, value: value, metrics: finiteMetrics, duration: duration, now: now,
                output: &output)
        case .failed(let reason) where isCurrent && trial.cancelledAttempts.contains(key.attempt):
            // The coordinator cancelled it (the study is stopping, or it ran past its deadline): a failure now is
            // most likely the cancel's doing, so it is re-queued like `stopped` and does not count as a failure.
            requeueOrFail(
                key.trial, reason: "cancelled (it then reported failed: \(reason))", countsAsRetry: false, now: now,
                output: &output)
        case .failed(let reason):
            recordFailure(key.trial, attempt: key.attempt, reason: reason, now: now, output: &output)
        case .stopped(let reason) where reason.hasPrefix("busy:") && !trial.cancelledAttempts.contains(key.attempt):
            // The worker had no free slot (docs/protocol.md, *TRIAL*): it stays in service, and the HEARTBEAT that
            // follows says what it runs. Nothing ran, so no retry is used.
            guard isCurrent else { return }
            requeueOrFail(
                key.trial, reason: "worker \(peer) had no free slot for it: \(reason)", countsAsRetry: false, now: now,
                output: &output)
        case .stopped(let reason):
            let cancelled = trial.cancelledAttempts.contains(key.attempt)
            if !cancelled {
                // Workers stop an attempt on their own only when they shut down (signal, parent gone).
                workerLeaving(peer, reason: "it stopped \(key) on its own: \(reason)", now: now, output: &output)
            }
            // A stopped attempt that is no longer current was already re-queued when its worker was lost.
            guard isCurrent else { return }
            if cancelled {
                requeueOrFail(key.trial, reason: "cancelled (\(reason))", countsAsRetry: false, now: now, output: &output)
            } else {
                // Not the trial's fault: a graceful worker shutdown uses no retry.
                requeueOrFail(
                    key.trial, reason: "worker \(peer) stopped it while shutting down: \(reason)", countsAsRetry: false,
                    now: now, output: &output)
            }
        }
    }

    /// A worker reported the end of `key`: the slot it took is free (or, for a worker back after it was presumed
    /// lost, that attempt is accounted for; it serves once none it held is left). The caller then records the
    /// outcome, which ends the trial's lease.
    private mutating func attemptEnded(_ key: TrialKey, on peer: WorkerID, now: ContinuousClock.Instant) {
        guard let worker = workers[peer] else { return }
        switch worker.state {
        case .serving:
            release(key, on: peer)
        case .awaitingFirstReport(let held) where held.isEmpty || held == [key]:
            setState(peer, .serving, now: now)
        case .awaitingFirstReport(let held) where held.contains(key):
            setState(peer, .awaitingFirstReport(previouslyHeld: held.filter { $0 != key }), now: now)
        default:
            break
        }
    }
}
