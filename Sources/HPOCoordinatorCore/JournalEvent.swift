public import HPOOptimizer
public import HPOSearchSpace
public import HPOWire

/// One fact of a study's history, appended to the journal before anything that depends on it happens.
///
/// Replaying the events in order rebuilds the coordinator's state (`CoordinatorStateMachine.replay`). The
/// on-disk form is the synthesized `Codable` form, `{"<case>": {"<label>": …}}`; renaming a case or a label
/// changes the format, and the checked-in fixture `Tests/HPORuntimeTests/Fixtures/journal-v1.db` catches it.
/// Times live in the journal store's rows, not here.
public enum JournalEvent: Sendable, Hashable, Codable {
    /// A session of the study began (the first run, or a `--resume`). `session` counts from 1. `trialBudget` is
    /// absent when only the wall time limits the study (journals before that wrote `Int.max`). `data` is what the
    /// objective's data loader read when the study file was checked (rows, features, classes, label column, split),
    /// when it was; absent otherwise and in older journals.
    case studyStarted(
        name: String, session: Int, direction: Direction, space: SearchSpace, objective: ObjectiveDescriptor, trialBudget: Int?,
        data: String? = nil)
    /// The optimizer proposed a trial; it is queued.
    case trialProposed(trial: TrialID, parameters: Assignment)
    /// A trial was leased to a worker; `attempt` counts from 1.
    case trialDispatched(trial: TrialID, attempt: Int, worker: WorkerID)
    /// After a coordinator restart, a worker reported it still runs this attempt and got its lease back.
    case trialAdopted(trial: TrialID, attempt: Int, worker: WorkerID)
    /// An intermediate value reported by the worker running the trial.
    case trialProgress(trial: TrialID, attempt: Int, step: Int, value: Double)
    /// The trial finished with a value (`duration` in seconds, as the worker measured it).
    case trialCompleted(trial: TrialID, attempt: Int, value: Double, metrics: [String: Double], duration: Double)
    /// The trial failed for good (the objective failed, or its retries ran out).
    case trialFailed(trial: TrialID, attempt: Int, reason: String)
    /// The pruner stopped the trial after `step`, whose journaled value was `value`; it counts toward the budget.
    case trialPruned(trial: TrialID, attempt: Int, step: Int, value: Double, reason: String)
    /// The trial goes back to the queue with the same parameters; `retries` counts the lost attempts so far.
    case trialRequeued(trial: TrialID, attempt: Int, retries: Int, reason: String)
    /// A worker announced itself (READY), or came back after it was presumed lost.
    case workerJoined(worker: WorkerID, host: String, pid: Int, capabilities: [String])
    /// A worker was sent away (incompatible) or shut down.
    case workerLeft(worker: WorkerID, reason: String)
    /// A worker fell silent for longer than the lease timeout, or could no longer be reached.
    case workerLost(worker: WorkerID, reason: String)
    /// The session ended. `state` is `completed`, `failed` or `interrupted` (an interrupted study resumes).
    case studyFinished(state: StudyState, reason: String)

    /// The case name (`trialCompleted`), as the journal store's `type` column holds it.
    public var caseName: String {
        switch self {
        case .studyStarted: "studyStarted"
        case .trialProposed: "trialProposed"
        case .trialDispatched: "trialDispatched"
        case .trialAdopted: "trialAdopted"
        case .trialProgress: "trialProgress"
        case .trialCompleted: "trialCompleted"
        case .trialFailed: "trialFailed"
        case .trialPruned: "trialPruned"
        case .trialRequeued: "trialRequeued"
        case .workerJoined: "workerJoined"
        case .workerLeft: "workerLeft"
        case .workerLost: "workerLost"
        case .studyFinished: "studyFinished"
        }
    }

    /// A stable dotted name of the event's kind (the journal store's `type` column, log lines).
    public var kind: String {
        switch self {
        case .studyStarted: "study.started"
        case .trialProposed: "trial.proposed"
        case .trialDispatched: "trial.dispatched"
        case .trialAdopted: "trial.adopted"
        case .trialProgress: "trial.progress"
        case .trialCompleted: "trial.completed"
        case .trialFailed: "trial.failed"
        case .trialPruned: "trial.pruned"
        case .trialRequeued: "trial.requeued"
        case .workerJoined: "worker.joined"
        case .workerLeft: "worker.left"
        case .workerLost: "worker.lost"
        case .studyFinished: "study.finished"
        }
    }
}

/// How a study (or one session of it) ended.
public enum StudyState: String, Sendable, Hashable, Codable {
    /// The trial budget (or the wall time) was spent.
    case completed
    /// Too many trials failed (budget.max_failures), or the optimizer or the journal failed.
    case failed
    /// Stopped early (signal, wall time): the journal resumes it with `--resume`.
    case interrupted
    /// The optimizer proposed nothing new before the budget was spent (the search space may be exhausted): the
    /// study did not complete its budget, and says so (exit status 3).
    case exhausted
}
