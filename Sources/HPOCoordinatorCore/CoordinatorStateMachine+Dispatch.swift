import HPOOptimizer
import HPOWire

extension CoordinatorStateMachine {
    /// Leases queued trials to idle workers, in join order, until one of them runs out.
    mutating func fillIdleWorkers(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard stop == nil else { return }
        while let trial = queue.first, workers.idleCount > 0 {
            queue.removeFirst()
            guard trials[trial]?.phase == .queued, let worker = workers.popIdle() else { continue }
            lease(trial, to: worker, now: now, output: &output)
        }
    }

    /// Leases one trial (its next attempt) to a worker and sends it the TRIAL message.
    private mutating func lease(_ id: TrialID, to worker: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard var trial = trials[id] else { return }
        trial.attempt += 1
        let key = TrialKey(trial: id, attempt: trial.attempt)
        trial.holders[key.attempt] = worker
        trial.phase = .leased(worker: worker, attempt: key.attempt, since: now)
        trial.sentAt = nil
        trial.idleReportedAt = nil
        trials[id] = trial
        hold(key, .leased, on: worker, now: now)
        output.journal(.trialDispatched(trial: id, attempt: key.attempt, worker: worker))
        output.send(trialMessage(trial, attempt: key.attempt), to: worker)
        markSent(worker, now: now)
    }

    /// Asks the optimizer for more proposals when workers would otherwise wait (async) or a batch is done (sync).
    mutating func requestProposalsIfNeeded(output: inout ActionBuffer) {
        guard stop == nil, outstandingRequest == 0, !optimizerExhausted else { return }
        // Failed trials do not count: the budget is for completed ones.
        let remaining = configuration.trialBudget.map { $0 - (trials.count - trials.failedCount) } ?? .max
        guard remaining > 0 else { return }
        let count: Int
        switch configuration.batchMode {
        case .async:
            let idle = workers.freeSlotCount
            // Capped, so a flood of READYs cannot make the optimizer compute a huge batch.
            count = min(remaining, idle + configuration.prefetch - queue.count, configuration.maxProposalsPerAsk)
        case .sync:
            guard currentBatch.isEmpty else { return }
            count = min(remaining, configuration.syncBatchSize ?? workers.liveSlotCount)
        }
        guard count > 0 else { return }
        outstandingRequest = count
        output.append(.requestProposals(count: count))
    }

    /// Queues the optimizer's proposals (journaled first) and dispatches them.
    mutating func acceptProposals(_ proposals: [Proposal], now: ContinuousClock.Instant, output: inout ActionBuffer) {
        outstandingRequest = 0
        guard stop == nil else {
            // Not journaled: a resumed optimizer proposes afresh.
            output.log(.debug, "dropped \(proposals.count) proposals that arrived after the stop request", [:])
            return
        }
        if proposals.isEmpty {
            optimizerExhausted = true
            output.log(.notice, "the optimizer proposed no trial", [:])
            return
        }
        if configuration.batchMode == .sync {
            // A new batch: the last batch's values may judge its trials now (replay does the same at `trialProposed`).
            pruner.reveal()
        }
        for proposal in proposals where trials[proposal.id] == nil {
            trials[proposal.id] = TrialRecord(id: proposal.id, parameters: proposal.assignment)
            queue.append(proposal.id)
            if configuration.batchMode == .sync {
                currentBatch.insert(proposal.id)
            }
            output.journal(.trialProposed(trial: proposal.id, parameters: proposal.assignment))
        }
    }

    /// Puts a trial back in the queue with the same parameters, or fails it once its retries are spent.
    ///
    /// - Parameter countsAsRetry: false when the coordinator itself cancelled the attempt.
    mutating func requeueOrFail(
        _ id: TrialID, reason: String, countsAsRetry: Bool, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard var trial = trials[id], !trial.isFinished else { return }
        if countsAsRetry {
            trial.retries += 1
        }
        let metadata = ["trial.id": "\(id.rawValue)", "trial.attempt": "\(trial.attempt)"]
        if trial.retries > configuration.retries {
            trials[id] = trial
            recordFailure(
                id, attempt: trial.attempt,
                reason: "\(reason); gave up after \(configuration.retries) retries (raise `retries` to allow more)",
                now: now, output: &output)
            return
        }
        trial.phase = .queued
        trials[id] = trial
        queue.removeAll { $0 == id }
        queue.insert(id, at: 0)
        output.journal(.trialRequeued(trial: id, attempt: trial.attempt, retries: trial.retries, reason: reason))
        output.log(.notice, "trial \(id.rawValue) re-queued: \(reason)", metadata)
    }

    /// Puts back a trial whose TRIAL message never reached its worker (the send failed: the peer is gone), as the
    /// same attempt and without using a retry: nothing ran, so nothing was lost.
    mutating func requeueUndelivered(
        _ key: TrialKey, to peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard var trial = trials[key.trial], case .leased(let holder, let attempt, _) = trial.phase, holder == peer,
            attempt == key.attempt, trial.attempt == key.attempt
        else { return }
        trial.attempt -= 1
        trial.holders[key.attempt] = nil
        trial.cancelledAttempts.remove(key.attempt)
        trial.phase = .queued
        trials[key.trial] = trial
        release(key, on: peer)
        queue.removeAll { $0 == key.trial }
        queue.insert(key.trial, at: 0)
        let reason =
            "the TRIAL for \(key) never reached worker \(peer) (it had disconnected); it will be sent again as the "
            + "same attempt, using no retry"
        output.journal(.trialRequeued(trial: key.trial, attempt: key.attempt, retries: trial.retries, reason: reason))
        output.log(
            .notice, "trial \(key.trial.rawValue) re-queued: \(reason)",
            ["trial.id": "\(key.trial.rawValue)", "trial.attempt": "\(key.attempt)", "worker.id": peer.description])
    }

    /// Records a completed trial once, tells the optimizer, and stops any other attempt of it.
    mutating func recordCompletion(
        _ id: TrialID, attempt: Int, value: Double, metrics: [String: Double], duration: Double,
        now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard let trial = trials[id], !trial.isFinished else { return }
        stopOtherAttempts(of: trial, except: attempt, reason: "another attempt of this trial completed", now: now, output: &output)
        trials[id]?.phase = .completed(value: value)
        trials[id]?.reportedAttempts.insert(attempt)
        queue.removeAll { $0 == id }
        output.journal(.trialCompleted(trial: id, attempt: attempt, value: value, metrics: metrics, duration: duration))
        trialEndedForPruning(id, completedWith: value)
        output.log(
            .info, "trial \(id.rawValue) completed: \(value)",
            ["trial.id": "\(id.rawValue)", "trial.attempt": "\(attempt)"])
        tell(id, .completed(value), output: &output)
    }

    /// Records a failed trial once, tells the optimizer, and stops any other attempt of it.
    mutating func recordFailure(
        _ id: TrialID, attempt: Int, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard let trial = trials[id], !trial.isFinished else { return }
        stopOtherAttempts(of: trial, except: attempt, reason: "another attempt of this trial failed", now: now, output: &output)
        trials[id]?.phase = .failed(reason: reason)
        trials[id]?.reportedAttempts.insert(attempt)
        queue.removeAll { $0 == id }
        output.journal(.trialFailed(trial: id, attempt: attempt, reason: reason))
        trialEndedForPruning(id, completedWith: nil)
        output.log(.warning, "trial \(id.rawValue) failed: \(reason)", ["trial.id": "\(id.rawValue)", "trial.attempt": "\(attempt)"])
        tell(id, .failed(reason: reason), output: &output)
        // Stop at once: the worker this failure freed must not get a trial in the same instant.
        if stop == nil && trials.failedCount >= configuration.maxFailures {
            beginStop(
                state: .failed,
                reason: "too many trials failed: the limit budget.max_failures = \(configuration.maxFailures) was reached",
                cancelRunning: true, now: now, output: &output)
        }
    }

    /// Cancels the attempt of `trial` another worker runs (its worker stays busy until it answers).
    private mutating func stopOtherAttempts(
        of trial: TrialRecord, except attempt: Int, reason: String, now: ContinuousClock.Instant,
        output: inout ActionBuffer
    ) {
        guard case .leased(let worker, let running, _) = trial.phase, running != attempt else { return }
        let key = TrialKey(trial: trial.id, attempt: running)
        // The trial is finished, so its lease ends: the worker is busy with an attempt nobody waits for.
        markCancelling(key, on: worker)
        cancel(key, on: worker, reason: reason, now: now, output: &output)
    }

    /// Tells the optimizer now (async), or when the whole batch is done, in trial order (sync).
    mutating func tell(_ id: TrialID, _ outcome: TrialOutcome, output: inout ActionBuffer) {
        optimizerExhausted = false
        guard configuration.batchMode == .sync, currentBatch.contains(id) else {
            output.append(.tellOptimizer(id, outcome))
            return
        }
        heldTells.append((id, outcome))
        let batchDone = currentBatch.allSatisfy { trials[$0]?.isFinished ?? true }
        guard batchDone else { return }
        for (trial, result) in heldTells.sorted(by: { $0.0 < $1.0 }) {
            output.append(.tellOptimizer(trial, result))
        }
        heldTells = []
        currentBatch = []
    }
}
