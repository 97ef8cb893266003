import Foundation
import HPOWire
import HPOWorkerCore
import Logging
import Synchronization
import HPOObjectives
import HPORuntimeSupport

/// The one place trials execute: objectives run one after another on a `SerialThread`, each with a `StopSignal`,
/// and post their progress and result (`WorkerEvent.progress`, `.finished`) to the worker's mailbox.
///
/// It decides nothing: the worker's state machine says what starts (`WorkerAction.start`) and what stops
/// (`.cancel`). Objectives are built once per distinct descriptor (building an `mlp` objective loads its dataset)
/// and reused for later trials.
final class TrialRunner: Sendable {
    /// Builds an objective from a descriptor; `ObjectiveFactory.make` in production.
    typealias ObjectiveMaker = @Sendable (ObjectiveDescriptor) throws -> any Objective

    private let thread = SerialThread(name: "hpo-trial-runner")
    private let mailbox: Mailbox<WorkerEvent>
    private let makeObjective: ObjectiveMaker
    private let logger: Logger
    /// Where each trial's log file goes (`TrialLog`), with the worker's name for its first line; nil: no files.
    private let trialLogs: (directory: String, worker: String)?
    /// The stop signal of each attempt started and not yet finished.
    private let stops = Mutex<[TrialKey: StopSignal]>([:])
    /// The last objective built, reused while the descriptor repeats. Touched on the runner thread only.
    private let cache = Mutex<(descriptor: ObjectiveDescriptor, objective: any Objective)?>(nil)

    init(
        mailbox: Mailbox<WorkerEvent>, makeObjective: @escaping ObjectiveMaker, logger: Logger,
        trialLogs: (directory: String, worker: String)? = nil
    ) {
        self.trialLogs = trialLogs
        self.mailbox = mailbox
        self.makeObjective = makeObjective
        self.logger = logger
    }

    /// Runs `assignment` after the attempts started before it; posts `.finished` when it ends.
    func start(_ assignment: TrialAssignment) {
        let stop = StopSignal()
        stops.withLock { $0[assignment.key] = stop }
        thread.submit { [self] in
            let result = run(assignment, stop: stop)
            stops.withLock { $0[assignment.key] = nil }
            mailbox.post(.finished(result))
        }
    }

    /// Asks `key` to stop (its objective sees `StopSignal.request(reason:)`); ignored when it is not running.
    func stop(_ key: TrialKey, reason: String) {
        let stop = stops.withLock { $0[key] }
        stop?.request(reason: reason)
    }

    /// Lets the thread end after the current attempt; never waits (the state machine owns the stop deadline).
    func close() {
        thread.close()
    }

    /// Runs `assignment`, logging it to its trial log file when the worker keeps them.
    private func run(_ assignment: TrialAssignment, stop: StopSignal) -> TrialResult {
        let log = trialLogs.flatMap { settings in
            TrialLog(
                directory: settings.directory, trialID: assignment.trialID, attempt: assignment.attempt,
                worker: settings.worker, problem: { [logger] in logger.warning("\($0)") })
        }
        let result = evaluate(assignment, stop: stop, log: log)
        if let log {
            let how: String
            switch result.outcome {
            case .completed(let value, _): how = "completed: value \(value)"
            case .failed(let reason): how = "failed: \(reason)"
            case .stopped(let reason): how = "stopped: \(reason)"
            }
            log.close("trial \(assignment.trialID) attempt \(assignment.attempt) \(how)")
        }
        return result
    }

    private func evaluate(_ assignment: TrialAssignment, stop: StopSignal, log: TrialLog?) -> TrialResult {
        let clock = ContinuousClock()
        let started = clock.now
        func result(_ outcome: TrialResult.Outcome) -> TrialResult {
            TrialResult(
                trialID: assignment.trialID, attempt: assignment.attempt, outcome: outcome,
                duration: clock.now - started)
        }
        var logger = logger
        logger[metadataKey: "trial.id"] = "\(assignment.trialID)"
        logger[metadataKey: "trial.attempt"] = "\(assignment.attempt)"

        let objective: any Objective
        if let cached = cache.withLock({ $0 }), cached.descriptor == assignment.objective {
            objective = cached.objective
        } else {
            do {
                objective = try makeObjective(assignment.objective)
                cache.withLock { $0 = (assignment.objective, objective) }
            } catch {
                logger.error("cannot build the objective: \(error)")
                return result(.failed(reason: "cannot build objective \"\(assignment.objective.kind)\": \(error)"))
            }
        }
        if let reason = stop.reason { return result(.stopped(reason: reason)) }

        var context = TrialContext(
            trialID: assignment.trialID, attempt: assignment.attempt, parameters: assignment.parameters, stop: stop)
        if let log {
            context.output = { @Sendable _, line in log.write(line) }
        }
        let (trialID, attempt, mailbox) = (assignment.trialID, assignment.attempt, mailbox)
        let outcome = objective.run(context) { step, value, metrics in
            // The wire carries finite numbers only; a NaN loss mid-training is not worth failing the trial for.
            let others = metrics.keys.sorted().map { "\($0) \(metrics[$0]!)" }
            log?.write("[hpo] step \(step): value \(value)" + (others.isEmpty ? "" : " (\(others.joined(separator: ", ")))"))
            guard value.isFinite else { return }
            mailbox.post(.progress(TrialProgress(
                trialID: trialID, attempt: attempt, step: max(0, step), value: value,
                metrics: metrics.filter { $0.value.isFinite })))
        }
        switch outcome {
        case .completed(let value, let metrics):
            guard value.isFinite else {
                return result(.failed(reason: "the objective returned \(value), not a finite number"))
            }
            return result(.completed(value: value, metrics: metrics.filter { $0.value.isFinite }))
        case .failed(let reason):
            let logPath = log.map { " (log: \($0.path))" } ?? ""
            logger.warning("trial failed: \(reason)\(logPath)")
            return result(.failed(reason: reason))
        case .stopped(let reason):
            return result(.stopped(reason: reason))
        }
    }
}
