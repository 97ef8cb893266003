public import HPOOptimizer
public import HPOSearchSpace

/// A trial rebuilt from the journal, for `Optimizer.register(_:as:outcome:)` (nil outcome = still pending).
public struct ReplayedTrial: Sendable, Hashable {
    public var id: TrialID
    public var parameters: Assignment
    public var outcome: TrialOutcome?
}

/// Why a journal cannot be resumed.
public struct ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
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
        for (index, event) in events.enumerated() {
            try machine.apply(event, index: index, now: now)
        }
        let deadline = now + configuration.leaseTimeout
        var replayed: [ReplayedTrial] = []
        for id in machine.trials.keys.sorted() {
            guard var trial = machine.trials[id] else { continue }
            var outcome: TrialOutcome?
            switch trial.phase {
            case .queued:
                machine.queue.append(id)
            case .leased(_, let attempt, _), .awaitingAdoption(let attempt, _):
                trial.phase = .awaitingAdoption(attempt: attempt, deadline: deadline)
            case .completed(let value):
                outcome = .completed(value)
            case .failed(let reason):
                outcome = .failed(reason: reason)
            }
            if configuration.batchMode == .sync && !trial.isFinished {
                machine.currentBatch.insert(id)
            }
            // Holders were routing ids of the previous process's connections; results are matched by adoption.
            trial.holders = [:]
            machine.trials[id] = trial
            replayed.append(ReplayedTrial(id: id, parameters: trial.parameters, outcome: outcome))
        }
        return (machine, replayed)
    }

    /// Applies one journal event to the trial table (workers are not restored: their connections are gone).
    private mutating func apply(_ event: JournalEvent, index: Int, now: ContinuousClock.Instant) throws(ReplayError) {
        let position = "journal event #\(index + 1) (\(event.kind))"
        func existing(_ id: TrialID) throws(ReplayError) -> TrialRecord {
            guard let trial = trials[id] else {
                throw ReplayError(
                    description: "\(position) names trial \(id.rawValue), which was never proposed; the journal is "
                        + "damaged: restore it from a backup or start a new study with another journal path")
            }
            return trial
        }
        switch event {
        case .studyStarted(let name, _, let journalDirection, let journalSpace, _, _):
            guard journalSpace == space else {
                throw ReplayError(
                    description: "the journal's study \"\(name)\" has a different search space than the study file; "
                        + "resume with the study file it was started with, or use a new journal path")
            }
            guard journalDirection == direction else {
                throw ReplayError(
                    description: "the journal's study \"\(name)\" was run with direction \(journalDirection.rawValue) "
                        + "but the study file says \(direction.rawValue); fix the study file or use a new journal path")
            }
            session += 1
        case .trialProposed(let id, let parameters):
            if trials[id] == nil {
                trials[id] = TrialRecord(id: id, parameters: parameters)
            }
        case .trialDispatched(let id, let attempt, let worker), .trialAdopted(let id, let attempt, let worker):
            var trial = try existing(id)
            if case .trialAdopted = event, trial.phase == .queued, trial.attempt == attempt {
                // A stalled worker came back with its re-queued attempt: the retry its loss used was given back.
                trial.retries = max(0, trial.retries - 1)
            }
            trial.attempt = max(trial.attempt, attempt)
            if !trial.isFinished {
                trial.phase = .leased(worker: worker, attempt: attempt, since: now)
            }
            trials[id] = trial
        case .trialProgress(let id, _, _, let value):
            trials[id]?.lastProgress = value
            _ = try existing(id)
        case .trialCompleted(let id, let attempt, let value, _, _):
            var trial = try existing(id)
            if !trial.isFinished {
                trial.phase = .completed(value: value)
                trial.attempt = max(trial.attempt, attempt)
            }
            trials[id] = trial
        case .trialFailed(let id, let attempt, let reason):
            var trial = try existing(id)
            if !trial.isFinished {
                trial.phase = .failed(reason: reason)
                trial.attempt = max(trial.attempt, attempt)
            }
            trials[id] = trial
        case .trialRequeued(let id, _, let retries, _):
            var trial = try existing(id)
            if !trial.isFinished {
                trial.phase = .queued
                trial.retries = retries
            }
            trials[id] = trial
        case .workerJoined, .workerLeft, .workerLost, .studyFinished:
            break
        }
    }
}
