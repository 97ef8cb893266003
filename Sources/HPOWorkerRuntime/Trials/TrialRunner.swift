import Foundation
import HPOWire
import HPOWorkerCore
import Logging
import Synchronization
import HPOObjectives
import HPORuntimeSupport

/// The one place trials execute: each of the worker's slots has a `SerialThread` of its own, so up to `slots`
/// objectives run at once, each with a `StopSignal`; they post their progress and result (`WorkerEvent.progress`,
/// `.finished`) to the worker's mailbox.
///
/// It decides nothing: the worker's state machine says what starts (`WorkerAction.start`, never more than `slots`
/// at once) and what stops (`.cancel`). An attempt takes the lowest free slot, which is freed before its `.finished`
/// is posted, so the machine's count and the runner's always agree. Objectives are built once per distinct
/// descriptor (building an `mlp` objective loads its dataset) and shared by the slots (objectives are thread-safe:
/// `Objective`).
final class TrialRunner: Sendable {
    /// Builds an objective from a descriptor; `ObjectiveFactory.make` in production.
    typealias ObjectiveMaker = @Sendable (ObjectiveDescriptor) throws -> any Objective

    /// One thread per slot.
    private let threads: [SerialThread]
    private let mailbox: Mailbox<WorkerEvent>
    private let makeObjective: ObjectiveMaker
    private let logger: Logger
    /// Where each trial's log file goes (`TrialLog`), with the worker's name for its first line; nil: no files.
    private let trialLogs: (directory: String, worker: String)?
    private let workerIndex: Int
    /// The device of each slot; empty when the worker assigns none.
    private let devices: [String]
    /// The attempt each slot runs (nil: free) and the stop signal of each attempt started and not yet finished.
    private let state = Mutex<(slots: [TrialKey?], stops: [TrialKey: StopSignal])>(([], [:]))
    /// The last objective built, reused while the descriptor repeats.
    private let cache = Mutex<(descriptor: ObjectiveDescriptor, objective: any Objective)?>(nil)

    /// - Parameters:
    ///   - trialLogs: where each trial's log file goes, and the worker's name; nil: no files.
    ///   - slots: attempts run at once (one thread each); ≥ 1.
    ///   - devices: the device of each slot (`CUDA_VISIBLE_DEVICES`), or empty.
    ///   - workerIndex: the worker's index, passed to trials as `HPO_WORKER_INDEX`.
    init(
        mailbox: Mailbox<WorkerEvent>, makeObjective: @escaping ObjectiveMaker, logger: Logger,
        trialLogs: (directory: String, worker: String)? = nil, slots: Int = 1, devices: [String] = [], workerIndex: Int = 0
    ) {
        self.trialLogs = trialLogs
        let count = max(1, slots)
        threads = (0..<count).map { SerialThread(name: count == 1 ? "hpo-trial-runner" : "hpo-trial-slot-\($0)") }
        state.withLock { $0.slots = Array(repeating: nil, count: count) }
        self.mailbox = mailbox
        self.makeObjective = makeObjective
        self.logger = logger
        self.devices = devices
        self.workerIndex = workerIndex
    }

    /// Runs `assignment` in the lowest free slot; posts `.finished` when it ends.
    func start(_ assignment: TrialAssignment) {
        let stop = StopSignal()
        let slot: Int? = state.withLock { state in
            guard let free = state.slots.firstIndex(where: { $0 == nil }) else { return nil }
            state.slots[free] = assignment.key
            state.stops[assignment.key] = stop
            return free
        }
        guard let slot else {
            // The state machine starts at most `slots` attempts; answer rather than lose the attempt if it did not.
            logger.error("no free slot for \(assignment.key) (all \(threads.count) run); refused it")
            mailbox.post(.finished(TrialResult(
                trialID: assignment.trialID, attempt: assignment.attempt,
                outcome: .stopped(reason: "busy: every one of the \(threads.count) slot(s) runs an attempt"), duration: .zero)))
            return
        }
        let placement = TrialPlacement(
            workerIndex: workerIndex, slot: slot, device: devices.indices.contains(slot) ? devices[slot] : nil)
        threads[slot].submit { [self] in
            let result = run(assignment, placement: placement, stop: stop)
            state.withLock { state in
                state.slots[slot] = nil
                state.stops[assignment.key] = nil
            }
            mailbox.post(.finished(result))
        }
    }

    /// Asks `key` to stop (its objective sees `StopSignal.request(reason:)`); ignored when it is not running.
    func stop(_ key: TrialKey, reason: String) {
        let stop = state.withLock { $0.stops[key] }
        stop?.request(reason: reason)
    }

    /// Lets the threads end after their current attempts, and closes the objective (`Objective.close()`: a
    /// persistent command's processes read end-of-file and get up to its `grace_period` to exit). Never waits for a
    /// running attempt (the state machine owns the stop deadline).
    func close() {
        threads.forEach { $0.close() }
        cache.withLock { $0?.objective }?.close()
    }

    /// Runs `assignment`, logging it to its trial log file when the worker keeps them.
    private func run(_ assignment: TrialAssignment, placement: TrialPlacement, stop: StopSignal) -> TrialResult {
        let log = trialLogs.flatMap { settings in
            TrialLog(
                directory: settings.directory, trialID: assignment.trialID, attempt: assignment.attempt,
                worker: settings.worker, problem: { [logger] in logger.warning("\($0)") })
        }
        let result = evaluate(assignment, placement: placement, stop: stop, log: log)
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

    private func evaluate(
        _ assignment: TrialAssignment, placement: TrialPlacement, stop: StopSignal, log: TrialLog?
    ) -> TrialResult {
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
        if threads.count > 1 { logger[metadataKey: "worker.slot"] = "\(placement.slot)" }

        let objective: any Objective
        if let cached = cache.withLock({ $0 }), cached.descriptor == assignment.objective {
            objective = cached.objective
        } else {
            do {
                objective = try makeObjective(assignment.objective)
                let replaced = cache.withLock { cache in
                    defer { cache = (assignment.objective, objective) }
                    return cache?.objective
                }
                replaced?.close()   // another study's objective: its persistent processes are no longer needed
            } catch {
                logger.error("cannot build the objective: \(error)")
                return result(.failed(reason: "cannot build objective \"\(assignment.objective.kind)\": \(error)"))
            }
        }
        if let reason = stop.reason { return result(.stopped(reason: reason)) }

        var context = TrialContext(
            trialID: assignment.trialID, attempt: assignment.attempt, parameters: assignment.parameters, stop: stop,
            placement: placement)
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
            guard let log else {
                logger.warning("trial failed: \(reason)")
                return result(.failed(reason: reason))
            }
            // The reason carries the output's tail and now the log's path to the coordinator, whose one warning
            // shows both; a warning here as well would print the tail twice (docs/trial-logs.md).
            logger.info("trial failed; its output is in \(log.path)")
            return result(.failed(reason: "\(reason) (log: \(log.path))"))
        case .stopped(let reason):
            return result(.stopped(reason: reason))
        }
    }
}
