import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOStudyFile
import Logging

/// A study that evolves between sessions: widened ranges, enqueued trials, a warm start (docs/study-file.md).
extension StudySession {
    /// Logs the parameters a `--resume` widened (replay has already refused any other change).
    static func logWidening(_ events: [JournalEvent], config: StudyConfig, logger: Logger) {
        let lastSpace = events.last { if case .studyStarted = $0 { true } else { false } }
        guard case .studyStarted(_, _, _, let old, _, _, _)? = lastSpace else { return }
        for change in config.space.changes(from: old) where change.keepsOldTrials {
            logger.notice("search space \(change)")
        }
    }

    /// Registers trials with the optimizer (from the journal, the study file's `enqueue:` or a warm start).
    ///
    /// - Throws: `CoordinatorError` (`.data`) naming `source` and the trial the optimizer refused.
    static func register(
        _ trials: [ReplayedTrial], with optimizer: inout any Optimizer, source: String
    ) throws(CoordinatorError) {
        for trial in trials {
            do {
                try optimizer.register(trial.parameters, as: trial.id, outcome: trial.outcome)
            } catch {
                throw CoordinatorError(
                    .optimizerRejected, "\(source): the optimizer refused trial \(trial.id.rawValue): \(error)")
            }
        }
    }

    /// Queues the study file's `enqueue:` trials not yet in the journal and registers them as pending.
    static func enqueueFromStudyFile(
        _ machine: inout CoordinatorStateMachine, optimizer: inout any Optimizer, config: StudyConfig, logger: Logger
    ) throws(CoordinatorError) {
        guard !config.enqueue.isEmpty else { return }
        let created = machine.enqueue(config.enqueue)
        try register(created, with: &optimizer, source: "enqueue")
        let known = config.enqueue.count - created.count
        logger.notice(
            "enqueue: \(created.count) trials queued ahead of proposals (\(known) of the study file's \(config.enqueue.count) are already in the journal)")
    }

    /// Tells the optimizer the completed trials of `optimizer.warm_start`'s journal that fit the study file's space;
    /// the rest are skipped and counted in the log line. They take ids after every trial the machine knows, so they
    /// never collide with this study's own trials (whose later ids skip past them, enqueued ones too).
    ///
    /// - Throws: `CoordinatorError` (`.data`) when that journal cannot be read or ran the opposite direction.
    static func warmStart(
        _ optimizer: inout any Optimizer, machine: inout CoordinatorStateMachine, config: StudyConfig, logger: Logger
    ) throws(CoordinatorError) {
        guard let path = config.optimizer.warmStart else { return }
        let fold: JournalFold
        do {
            let store = try JournalStore<JournalEvent>(path: path, mode: .readOnly)
            fold = try JournalFold(store.readAll().map(\.event))
        } catch {
            throw CoordinatorError(
                .warmStartRejected, "optimizer.warm_start: cannot read the journal \(path) (\(error)); check the path")
        }
        if let other = fold.sessions.last, other.direction != config.direction {
            throw CoordinatorError(
                .warmStartRejected,
                "optimizer.warm_start: the journal \(path) ran study \"\(other.name)\" with direction "
                    + "\(other.direction.rawValue) but this study file says \(config.direction.rawValue); its values would "
                    + "be read backwards: warm-start from a study of the same direction")
        }
        var next = (machine.trials.keys.map(\.rawValue).max() ?? -1) + 1
        var fitting: [ReplayedTrial] = []
        var skipped = 0
        for trial in fold.trialsInOrder {
            guard case .completed(let value) = trial.state else { continue }
            guard let parameters = try? config.space.validate(trial.parameters) else {
                skipped += 1
                continue
            }
            fitting.append(ReplayedTrial(id: TrialID(next), parameters: parameters, outcome: .completed(value)))
            next += 1
        }
        try register(fitting, with: &optimizer, source: "optimizer.warm_start \(path)")
        machine.reserveTrialIDs(below: next)   // An ENQUEUE takes an id the optimizer does not hold.
        logger.notice(
            "warm start from \(path): \(fitting.count) completed trials told to the optimizer, \(skipped) skipped (outside this search space)")
    }
}
