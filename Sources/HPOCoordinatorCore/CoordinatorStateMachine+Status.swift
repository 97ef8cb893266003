import HPOOptimizer
import HPOSearchSpace
import HPOWire

extension CoordinatorStateMachine {
    /// The study's counts and its running trials (the live view).
    ///
    /// - Complexity: O(r log r) for r running trials, each copied; ``snapshotStamp`` tells when it changed.
    public var snapshot: StudySnapshot {
        var snapshot = counts
        snapshot.runningTrials = runningTrials
        return snapshot
    }

    /// What ``snapshot`` is computed from: while the stamp stays the same, so does the snapshot.
    public var snapshotStamp: SnapshotStamp {
        SnapshotStamp(
            trials: trials.revision, queued: queue.count, liveWorkers: liveCompatibleWorkerCount, isStopping: stop != nil)
    }

    /// The snapshot without its running trials (`hpo status` lists workers instead): O(1).
    var counts: StudySnapshot {
        StudySnapshot(
            completed: trials.completedCount, failed: trials.failedCount, running: runningCount, queued: queue.count,
            trialBudget: configuration.trialBudget, best: trials.best.flatMap { trials[$0.trial]?.summary },
            liveWorkers: liveCompatibleWorkerCount, isStopping: stop != nil, pruned: trials.prunedCount)
    }

    /// The leased trials in id order, with their worker, lease start and latest intermediate value (the live view).
    var runningTrials: [RunningTrial] {
        trials.leased.sorted().compactMap { id in
            guard let record = trials[id], case .leased(let worker, let attempt, let since) = record.phase else { return nil }
            return RunningTrial(
                trial: id, attempt: attempt, worker: worker.description, since: record.sentAt ?? since,
                step: record.lastProgressStep, value: record.lastProgress)
        }
    }

    /// The summary of the session so far (every trial in id order), counted from the trial table.
    public func summary(state: StudyState, reason: String) -> StudySummary {
        let all = trials.keys.sorted().compactMap { trials[$0]?.summary }
        var summary = StudySummary(
            state: state, reason: reason, trialBudget: configuration.trialBudget, completed: trials.completedCount,
            failed: trials.failedCount, unfinished: trials.unfinishedCount,
            best: trials.best.flatMap { trials[$0.trial]?.summary }, trials: all)
        summary.pruned = trials.prunedCount
        (summary.stepsTrained, summary.stepsSaved) = stepsTrainedAndSaved()
        return summary
    }
}

/// A study's progress at one moment (the live progress line and `hpo status`).
public struct StudySnapshot: Sendable, Hashable {
    public var completed: Int
    public var failed: Int
    /// Trials the pruner stopped early; like completed ones they count toward the trial budget.
    public var pruned: Int
    /// Trials leased to workers (or awaiting re-adoption after a restart).
    public var running: Int
    /// Trials proposed and waiting for a worker.
    public var queued: Int
    /// The trial budget; nil when only the wall time limits the study.
    public var trialBudget: Int?
    /// The best completed trial so far.
    public var best: TrialSummary?
    public var liveWorkers: Int
    /// True once a stop was requested or the budget ran out and running trials are winding down.
    public var isStopping: Bool
    /// The trials running now, in id order.
    public var runningTrials: [RunningTrial]

    public init(
        completed: Int, failed: Int, running: Int, queued: Int, trialBudget: Int?, best: TrialSummary?, liveWorkers: Int,
        isStopping: Bool, runningTrials: [RunningTrial] = [], pruned: Int = 0
    ) {
        self.runningTrials = runningTrials
        self.pruned = pruned
        self.completed = completed
        self.failed = failed
        self.running = running
        self.queued = queued
        self.trialBudget = trialBudget
        self.best = best
        self.liveWorkers = liveWorkers
        self.isStopping = isStopping
    }
}
