import HPOOptimizer
import HPOWire

/// Early stopping: which PROGRESS reports are journaled, what the pruner decides about them, and how a pruned trial
/// is recorded (docs/coordinator.md, *Early stopping*).
extension CoordinatorStateMachine {
    /// A PROGRESS of the current attempt `key` of an unfinished trial: journals it when the coalescer admits it,
    /// shows it to the pruner, and prunes the trial when the pruner says so (the PRUNE goes out in this same round).
    mutating func progressReported(
        _ key: TrialKey, by peer: WorkerID, step: Int, value: Double, now: ContinuousClock.Instant,
        output: inout ActionBuffer
    ) {
        trials[key.trial]?.lastProgress = value
        trials[key.trial]?.lastProgressStep = step
        let judged = pruner.judges(key.trial, step: step)
        guard curves.admit(key, step: step, judged: judged, now: now) else { return }
        output.journal(.trialProgress(trial: key.trial, attempt: key.attempt, step: step, value: value))
        // Every journaled row is shown to the pruner, live and on replay alike, so a resume rebuilds its state.
        guard case .prune(let reason) = pruner.report(key.trial, step: step, value: value) else { return }
        // While stopping, the trial is left to finish or be cancelled: a prune now would only race the stop.
        guard stop == nil else { return }
        prune(key, by: peer, step: step, value: value, reason: reason, now: now, output: &output)
    }

    /// Records `key`'s trial as pruned (journal first), sends PRUNE to its worker, and tells the optimizer.
    private mutating func prune(
        _ key: TrialKey, by peer: WorkerID, step: Int, value: Double, reason: String, now: ContinuousClock.Instant,
        output: inout ActionBuffer
    ) {
        guard var trial = trials[key.trial], !trial.isFinished else { return }
        trial.phase = .pruned(step: step, value: value)
        // Its worker's answer to PRUNE (normally `stopped`) is expected and changes nothing.
        trial.reportedAttempts.insert(key.attempt)
        trial.cancelledAttempts.insert(key.attempt)
        trials[key.trial] = trial
        queue.removeAll { $0 == key.trial }
        output.journal(.trialPruned(trial: key.trial, attempt: key.attempt, step: step, value: value, reason: reason))
        output.log(
            .info, "trial \(key.trial.rawValue) pruned at step \(step) (value \(value)): \(reason)",
            ["trial.id": "\(key.trial.rawValue)", "trial.attempt": "\(key.attempt)", "worker.id": peer.description])
        // The lease ends; the worker's slot stays busy until it reports the attempt's end.
        markCancelling(key, on: peer)
        output.send(pruneMessage(key, step: step, reason: reason), to: peer)
        markSent(peer, now: now)
        pruner.trialEnded(key.trial, completedWith: nil)
        curves.forget(key.trial, attempts: trial.attempt)
        switch configuration.prunedTrials {
        case .lastValue: tell(key.trial, .completed(value), output: &output)
        case .ignore: tell(key.trial, .failed(reason: "pruned at step \(step)"), output: &output)
        }
    }

    /// PRUNE for one attempt.
    func pruneMessage(_ key: TrialKey, step: Int, reason: String) -> WireMessage {
        .prune(Prune(trialID: key.trial.rawValue, attempt: key.attempt, step: step, reason: reason))
    }

    /// The pruner learns that a trial ended another way than by pruning (completed, failed).
    mutating func trialEndedForPruning(_ id: TrialID, completedWith value: Double?) {
        pruner.trialEnded(id, completedWith: value)
        curves.forget(id, attempts: trials[id]?.attempt ?? 0)
    }

    /// Steps the finished trials trained, and steps the pruned ones were spared (see ``StudySummary/stepsSaved``).
    func stepsTrainedAndSaved() -> (trained: Int, saved: Int) {
        // Steps are whatever a worker reported (any Int): sums saturate instead of overflowing.
        func add(_ a: Int, _ b: Int) -> Int {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? .max : sum
        }
        var full = 0
        var trained = 0
        var prunedSteps: [Int] = []
        for trial in trials.values {
            switch trial.phase {
            case .completed:
                let steps = max(0, trial.lastProgressStep ?? 0)
                full = max(full, steps)
                trained = add(trained, steps)
            case .pruned(let step, _):
                trained = add(trained, max(0, step))
                prunedSteps.append(max(0, step))
            case .queued, .leased, .awaitingAdoption, .failed:
                break
            }
        }
        return (trained, prunedSteps.reduce(0) { add($0, full - $1 > 0 ? full - $1 : 0) })
    }

    /// Replays the journal's progress rows and trial ends through the pruner and the coalescer, in journal order,
    /// so both are where the previous coordinator left them: no rung is judged twice after a resume.
    mutating func rebuildPruning(from events: [JournalEvent]) {
        var finished = Set<TrialID>()
        for event in events {
            switch event {
            case .trialProposed where configuration.batchMode == .sync:
                pruner.reveal()
            case .trialProgress(let id, let attempt, let step, let value) where !finished.contains(id):
                curves.replayed(TrialKey(trial: id, attempt: attempt), step: step)
                _ = pruner.report(id, step: step, value: value)
            case .trialCompleted(let id, _, let value, _, _) where finished.insert(id).inserted:
                pruner.trialEnded(id, completedWith: value)
            case .trialFailed(let id, _, _) where finished.insert(id).inserted,
                .trialPruned(let id, _, _, _, _) where finished.insert(id).inserted:
                pruner.trialEnded(id, completedWith: nil)
            default:
                break
            }
        }
    }
}
