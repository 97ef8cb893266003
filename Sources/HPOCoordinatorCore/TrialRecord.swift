public import HPOOptimizer
public import HPOSearchSpace

/// The coordinator's view of one trial: queued -> leased(worker, attempt) -> completed | failed | re-queued.
public struct TrialRecord: Sendable, Hashable {
    /// Where the trial is in its lifecycle.
    public enum Phase: Sendable, Hashable {
        /// Waiting for an idle worker.
        case queued
        /// Running on `worker` as `attempt`, leased at `since`.
        case leased(worker: WorkerID, attempt: Int, since: ContinuousClock.Instant)
        /// Was running when the previous coordinator stopped; its worker may reconnect and report it before
        /// `deadline`, otherwise it is re-queued.
        case awaitingAdoption(attempt: Int, deadline: ContinuousClock.Instant)
        /// Finished with a value.
        case completed(value: Double)
        /// Failed for good.
        case failed(reason: String)
        /// Stopped early by the pruner after `step`, whose value was `value` (docs/coordinator.md, *Early stopping*).
        case pruned(step: Int, value: Double)
    }

    /// The optimizer's id for the trial.
    public var id: TrialID
    /// The parameters every attempt runs with.
    public var parameters: Assignment
    /// Lifecycle phase.
    public var phase: Phase
    /// The last attempt number dispatched (0 before the first dispatch).
    public var attempt: Int = 0
    /// Attempts lost with their worker so far; past `retries` the trial fails. Attempts the coordinator cancelled,
    /// that a shutting-down worker stopped, or whose TRIAL never reached the worker do not count.
    public var retries: Int = 0
    /// Which worker held each attempt, so a late result is accepted from its holder only.
    public var holders: [Int: WorkerID] = [:]
    /// Attempts the coordinator asked to stop (their `stopped` result is expected, not a fault).
    public var cancelledAttempts: Set<Int> = []
    /// Attempts whose RESULT (completed or failed) is in the journal: the one that finished the trial, and late ones
    /// of attempts superseded by a retry (journaled once each; they never change the trial).
    public var reportedAttempts: Set<Int> = []
    /// When the current attempt's TRIAL was sent (the runtime reports it with `trialSent`); nil until then. The
    /// lease is timed from it, so heartbeats a worker sent before the TRIAL reached it never count against it.
    public var sentAt: ContinuousClock.Instant?
    /// When the holder first said it runs nothing although the TRIAL left a lease timeout before; the lease is given
    /// up only if it says so again at least a heartbeat interval later (a coordinator that stalled reads a backlog of
    /// old heartbeats all at one instant, so they never count twice).
    public var idleReportedAt: ContinuousClock.Instant?
    /// The last intermediate value reported, if any.
    public var lastProgress: Double?
    /// The step of the last intermediate value reported, if any.
    public var lastProgressStep: Int?

    public init(id: TrialID, parameters: Assignment, phase: Phase = .queued) {
        self.id = id
        self.parameters = parameters
        self.phase = phase
    }

    /// Whether the trial completed, failed or was pruned.
    public var isFinished: Bool {
        switch phase {
        case .completed, .failed, .pruned: true
        case .queued, .leased, .awaitingAdoption: false
        }
    }

    /// Whether an attempt is running (or presumed running after a restart).
    public var isRunning: Bool {
        switch phase {
        case .leased, .awaitingAdoption: true
        case .queued, .completed, .failed, .pruned: false
        }
    }

    /// The summary form.
    public var summary: TrialSummary {
        switch phase {
        case .queued:
            TrialSummary(id: id, parameters: parameters, state: .queued, value: nil, failureReason: nil, attempts: attempt)
        case .leased, .awaitingAdoption:
            TrialSummary(id: id, parameters: parameters, state: .running, value: nil, failureReason: nil, attempts: attempt)
        case .completed(let value):
            TrialSummary(id: id, parameters: parameters, state: .completed, value: value, failureReason: nil, attempts: attempt)
        case .failed(let reason):
            TrialSummary(id: id, parameters: parameters, state: .failed, value: nil, failureReason: reason, attempts: attempt)
        case .pruned(let step, let value):
            TrialSummary(
                id: id, parameters: parameters, state: .pruned, value: value, failureReason: nil, attempts: attempt,
                prunedStep: step)
        }
    }
}
