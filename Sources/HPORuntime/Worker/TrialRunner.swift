import Foundation
import HPOWire
import Logging
import Synchronization

/// Runs one objective at a time on its own long-lived thread (never on Swift's cooperative pool) and posts its
/// progress and result to the worker's mailbox.
///
/// The socket thread decides what runs when; the runner only executes. Objectives are built once per distinct
/// descriptor (building an `mlp` objective loads its dataset) and reused for later trials.
final class TrialRunner: Sendable {
    /// Builds an objective from a descriptor; `ObjectiveFactory.make` in production.
    typealias ObjectiveMaker = @Sendable (ObjectiveDescriptor) throws -> any Objective

    private enum Job: Sendable {
        case run(TrialAssignment, StopSignal)
        case exit
    }

    private let jobs = Mutex<[Job]>([])
    private let jobAvailable = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(mailbox: WorkerMailbox, makeObjective: @escaping ObjectiveMaker, logger: Logger) {
        let thread = Thread { [self] in
            var cache: (descriptor: ObjectiveDescriptor, objective: any Objective)?
            while true {
                self.jobAvailable.wait()
                guard let job = self.jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                guard case .run(let assignment, let stop) = job else { break }
                let result = Self.run(
                    assignment, stop: stop, mailbox: mailbox, makeObjective: makeObjective, cache: &cache,
                    logger: logger)
                mailbox.post(.finished(result))
            }
            self.finished.signal()
        }
        thread.name = "hpo-trial-runner"
        thread.start()
    }

    /// Starts `assignment`; the socket thread calls it only while no other trial runs.
    func start(_ assignment: TrialAssignment, stop: StopSignal) {
        jobs.withLock { $0.append(.run(assignment, stop)) }
        jobAvailable.signal()
    }

    /// Asks the thread to exit after the current trial and waits up to `timeout` for it.
    ///
    /// - Returns: whether it exited (an objective that ignores its stop signal can keep it busy).
    @discardableResult
    func shutdown(waitingUpTo timeout: Duration) -> Bool {
        jobs.withLock { $0.append(.exit) }
        jobAvailable.signal()
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000
        return finished.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds))) == .success
    }

    private static func run(
        _ assignment: TrialAssignment, stop: StopSignal, mailbox: WorkerMailbox, makeObjective: ObjectiveMaker,
        cache: inout (descriptor: ObjectiveDescriptor, objective: any Objective)?, logger: Logger
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

        let objective: any Objective
        if let cached = cache, cached.descriptor == assignment.objective {
            objective = cached.objective
        } else {
            do {
                objective = try makeObjective(assignment.objective)
                cache = (assignment.objective, objective)
            } catch {
                logger.error("cannot build the objective: \(error)")
                return result(.failed(reason: "cannot build objective \"\(assignment.objective.kind)\": \(error)"))
            }
        }
        if let reason = stop.reason { return result(.stopped(reason: reason)) }

        let context = TrialContext(
            trialID: assignment.trialID, attempt: assignment.attempt, parameters: assignment.parameters, stop: stop)
        let (trialID, attempt) = (assignment.trialID, assignment.attempt)
        let outcome = objective.run(context) { step, value, metrics in
            // The wire carries finite numbers only; a NaN loss mid-training is not worth failing the trial for.
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
            logger.warning("trial failed: \(reason)")
            return result(.failed(reason: reason))
        case .stopped(let reason):
            return result(.stopped(reason: reason))
        }
    }
}
