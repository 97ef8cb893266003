import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
public import Logging
import HPOObjectives
public import HPOStudyFile

/// One session of a study: the study file checked, the journal opened (and replayed on `--resume`), the optimizer
/// built, and a `CoordinatorService` ready to start.
public final class StudySession: Sendable {
    /// The study file this session runs.
    public let config: StudyConfig
    /// The coordinator.
    public let service: CoordinatorService
    /// Trials found in the journal (0 for a new study).
    public let replayedTrials: Int
    /// Completed trials found in the journal.
    public let replayedCompleted: Int

    /// Prepares a session; nothing listens until `service.start()`.
    ///
    /// - Throws: `CoordinatorError` for an objective the workers cannot run, a journal that already holds a study
    ///   (without `--resume`) or holds another one, or an optimizer that refuses the journal's trials.
    public init(config: StudyConfig, options: StudySessionOptions, logger: Logger) throws(CoordinatorError) {
        self.config = config
        do {
            try ObjectiveFactory.validate(config.objective, space: config.space)
        } catch {
            throw CoordinatorError(.objectiveRejected, "objective: \(error)")
        }
        if options.overwrite {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: config.journalPath + suffix)
            }
        }
        let journal = try StudySession.openJournal(at: config.journalPath)
        let events: [JournalEvent]
        do {
            events = try journal.recordedEvents()
        } catch {
            throw CoordinatorError(
                (error as? CoordinatorError)?.code ?? .journalBadEvent,
                "journal \(config.journalPath): cannot read it (\(error)); check the path")
        }
        if !events.isEmpty && !options.resume {
            throw CoordinatorError(
                .journalHoldsStudy,
                "journal \(config.journalPath) already holds \(events.count) events of a study; pass --resume to "
                    + "continue it, or --overwrite to delete it and start over (or set journal: in the study file)")
        }
        let configuration = StudySession.coordinatorConfiguration(config, options: options)
        var optimizer: any Optimizer
        do {
            optimizer = try StudyOptimizerFactory.make(config)
        } catch {
            throw CoordinatorError(.optimizerRejected, error.description)
        }
        var machine: CoordinatorStateMachine
        if events.isEmpty {
            if options.resume {
                logger.notice("journal \(config.journalPath) is empty: starting the study afresh")
            }
            machine = CoordinatorStateMachine(
                studyName: config.name, direction: config.direction, space: config.space, configuration: configuration)
            replayedTrials = 0
            replayedCompleted = 0
        } else {
            let replayed: (machine: CoordinatorStateMachine, trials: [ReplayedTrial])
            do {
                replayed = try CoordinatorStateMachine.replay(
                    events, studyName: config.name, direction: config.direction, space: config.space,
                    configuration: configuration, now: .now)
            } catch {
                throw CoordinatorError(.journalReplayFailed, "journal \(config.journalPath): \(error)")
            }
            try StudySession.register(replayed.trials, with: &optimizer, source: "journal \(config.journalPath)")
            machine = replayed.machine
            StudySession.logWidening(events, config: config, logger: logger)
            replayedTrials = replayed.trials.count
            replayedCompleted = replayed.trials.filter { if case .completed = $0.outcome { true } else { false } }.count
            logger.notice(
                "resuming study \(config.name): \(replayedTrials) trials in the journal, \(replayedCompleted) completed")
        }
        try StudySession.enqueueFromStudyFile(&machine, optimizer: &optimizer, config: config, logger: logger)
        try StudySession.warmStart(&optimizer, machine: &machine, config: config, logger: logger)
        var serviceOptions = CoordinatorServiceOptions(bind: options.bind ?? config.transport.bind)
        serviceOptions.tickInterval = min(.milliseconds(100), config.heartbeat.interval / 4)
        serviceOptions.curve = options.curve
        serviceOptions.insecure = options.insecure
        service = try CoordinatorService(
            machine: machine, optimizer: optimizer, journal: journal, options: serviceOptions, logger: logger)
    }

    /// The state machine's configuration for a study file and command-line options.
    static func coordinatorConfiguration(_ config: StudyConfig, options: StudySessionOptions) -> CoordinatorConfiguration {
        var configuration = CoordinatorConfiguration(objective: config.objective)
        configuration.trialBudget = config.budget.trials
        configuration.maxFailures = config.budget.resolvedMaxFailures
        configuration.wallTime = config.budget.wallTime
        configuration.batchMode = config.optimizer.batchMode == .sync ? .sync : .async
        configuration.syncBatchSize = options.syncBatchSize
        configuration.prefetch = StudyOptimizerFactory.prefetch(for: config)
        configuration.heartbeatInterval = config.heartbeat.interval
        configuration.liveness = config.heartbeat.liveness
        configuration.retries = config.retries
        configuration.dataSummary = config.dataSummary
        configuration.cancelRunningOnStop = options.cancelRunningOnStop
        configuration.pruner = config.pruner
        configuration.prunedTrials = config.prunedTrials
        let studyLimit = config.budget.trialTimeout.map { $0 + configuration.leaseTimeout }
        configuration.attemptTimeout = [attemptTimeout(config.objective, leaseTimeout: configuration.leaseTimeout), studyLimit]
            .compactMap { $0 }.min()
        return configuration
    }

    /// The coordinator's per-attempt deadline for an objective with a `timeout` option (the `command` objective):
    /// the timeout, plus its `grace_period` (default 5 s) for the worker to stop the process, plus one lease timeout
    /// for the RESULT to arrive. Nil when the objective has no timeout.
    static func attemptTimeout(_ objective: ObjectiveDescriptor, leaseTimeout: Duration) -> Duration? {
        guard let value = objective.options["timeout"], let timeout = StudyDuration.parse(option: value),
            timeout > .zero
        else { return nil }
        let grace = objective.options["grace_period"].flatMap(StudyDuration.parse(option:)) ?? .seconds(5)
        return timeout + max(.zero, grace) + leaseTimeout
    }

    /// Opens (creating if needed) the SQLite journal at `path`.
    static func openJournal(at path: String) throws(CoordinatorError) -> any CoordinatorJournal {
        do {
            return try JournalStore<JournalEvent>(path: path)
        } catch {
            // The store's error already reads "journal <path>: …" and carries its code.
            throw error
        }
    }
}
