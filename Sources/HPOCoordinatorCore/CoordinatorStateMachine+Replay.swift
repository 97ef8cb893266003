public import HPOOptimizer
public import HPOSearchSpace

/// A trial rebuilt from the journal, for `Optimizer.register(_:as:outcome:)` (nil outcome = still pending).
public struct ReplayedTrial: Sendable, Hashable {
    public var id: TrialID
    public var parameters: Assignment
    public var outcome: TrialOutcome?

    public init(id: TrialID, parameters: Assignment, outcome: TrialOutcome?) {
        self.id = id
        self.parameters = parameters
        self.outcome = outcome
    }
}

extension CoordinatorStateMachine {
    /// Rebuilds a study's state from its journal (resume after a crash or a stop).
    ///
    /// Trials that were running are given `heartbeatInterval × liveness` for their worker to reconnect and report
    /// them (re-adoption); after that they are re-queued with `attempt + 1`. Queued trials stay queued, and every
    /// trial is returned so the caller can register it with a fresh optimizer before sending `.start`.
    ///
    /// - Parameters:
    ///   - events: the journal in append order.
    ///   - now: the current instant (adoption deadlines count from it).
    /// - Throws: `ReplayError` when the journal is for another search space or direction, or is inconsistent.
    public static func replay(
        _ events: [JournalEvent], studyName: String, direction: Direction, space: SearchSpace,
        configuration: CoordinatorConfiguration, now: ContinuousClock.Instant
    ) throws(ReplayError) -> (machine: CoordinatorStateMachine, trials: [ReplayedTrial]) {
        var machine = CoordinatorStateMachine(
            studyName: studyName, direction: direction, space: space, configuration: configuration)
        // The one fold of the journal, shared with `hpo show` (JournalFold), so the two never disagree.
        var fold = JournalFold()
        for event in events {
            if case .studyStarted(let name, _, let journalDirection, _, _, _, _) = event {
                try checkDirection(name: name, direction: journalDirection, against: direction)
            }
            try fold.apply(event)
        }
        if let last = fold.sessions.last {
            try checkResumable(from: last.space, to: space, name: last.name)
        }
        machine.session = fold.sessions.count
        let deadline = now + configuration.leaseTimeout
        var replayed: [ReplayedTrial] = []
        for folded in fold.trialsInOrder {
            var trial = TrialRecord(id: folded.id, parameters: folded.parameters)
            trial.attempt = folded.attempts
            trial.retries = folded.retries
            trial.lastProgress = folded.progressValue
            trial.lastProgressStep = folded.progressStep
            var outcome: TrialOutcome?
            switch folded.state {
            case .queued:
                machine.queue.append(folded.id)
            case .running(_, let attempt):
                trial.phase = .awaitingAdoption(attempt: attempt, deadline: deadline)
            case .completed(let value):
                trial.phase = .completed(value: value)
                outcome = .completed(value)
            case .failed(let reason):
                trial.phase = .failed(reason: reason)
                outcome = .failed(reason: reason)
                case .pruned(let step, let value):
                trial.phase = .pruned(step: step, value: value)
                switch configuration.prunedTrials {
                case .lastValue: outcome = .completed(value)
                case .ignore: outcome = .failed(reason: "pruned at step \(step)")
                }
            }
            if configuration.batchMode == .sync && !trial.isFinished {
                machine.currentBatch.insert(folded.id)
            }
            // Holders are routing ids of the previous process's connections; results are matched by adoption.
            machine.trials[folded.id] = trial
            replayed.append(ReplayedTrial(id: folded.id, parameters: folded.parameters, outcome: outcome))
        }
        machine.rebuildPruning(from: events)
        return (machine, replayed)
    }

    /// Refuses a journal whose study was run with another direction than the study file's.
    private static func checkDirection(
        name: String, direction journalDirection: Direction, against fileDirection: Direction
    ) throws(ReplayError) {
        guard journalDirection == fileDirection else {
            throw ReplayError(
                .directionChanged,
                "the journal's study \"\(name)\" was run with direction \(journalDirection.rawValue) "
                    + "but the study file says \(fileDirection.rawValue); fix the study file or use a new journal path")
        }
    }

    /// Refuses a study file whose search space does not contain the one the journal's last session ran with (the
    /// one comparison of spaces, ``SearchSpace/changes(from:)``): widened ranges and added choices resume, anything
    /// else is named with its old and new definition.
    private static func checkResumable(from old: SearchSpace, to new: SearchSpace, name: String) throws(ReplayError) {
        let refused = new.changes(from: old).filter { !$0.keepsOldTrials }
        guard !refused.isEmpty else { return }
        throw ReplayError(
            .spaceChanged,
            "the journal's study \"\(name)\" was run with another search space, and "
                + "--resume only allows widening (lower low, higher high, a finer grid, more choices): "
                + refused.map(\.description).joined(separator: "; ")
                + ". Widen instead, or resume with the study file it was started with, or start a new study (new "
                + "journal path) with optimizer.warm_start: set to this journal to reuse its trials")
    }
}
