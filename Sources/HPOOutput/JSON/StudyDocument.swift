public import HPOCoordinatorRuntime
import HPOCoordinatorCore
import HPOOptimizer

/// The `hpo.study` document (docs/json.md): a study as its journal tells it, printed by `hpo show --format json`
/// and `hpo export --format json`.
public struct StudyDocument: Encodable, Sendable {
    public var schema = JSONOutput.schema("study")
    /// The study's name; null before the first session started.
    @JSONNullable public var study: String? = nil
    /// `maximize` or `minimize`.
    public var direction: String
    /// What the data loader read (rows, features, classes, split); null when not journaled.
    @JSONNullable public var data: String? = nil
    /// Sessions started (1 + resumes).
    public var sessions: Int
    /// The latest session's trial budget; null when unlimited.
    @JSONNullable public var trialBudget: Int? = nil
    public var completed, failed, running, queued: Int
    /// Trials the pruner stopped early.
    public var pruned: Int
    /// How the latest session ended (`completed`, `failed`, `interrupted`, `exhausted`); null while it runs.
    @JSONNullable public var state: String? = nil
    /// Why it ended; null while it runs.
    @JSONNullable public var reason: String? = nil
    /// The best completed trial (ties: the first to complete); null when none completed.
    @JSONNullable public var best: TrialDocument? = nil
    /// Every trial in id order.
    public var trials: [TrialDocument]

    public init(_ history: StudyHistory) {
        study = history.name
        direction = history.direction.rawValue
        data = history.data
        sessions = history.sessions
        trialBudget = history.trialBudget
        completed = history.count(.completed)
        failed = history.count(.failed)
        running = history.count(.running)
        queued = history.count(.queued)
        pruned = history.count(.pruned)
        state = history.finished?.state.rawValue
        reason = history.finished?.reason
        best = history.best.map(TrialDocument.init)
        trials = history.trials.map(TrialDocument.init)
    }

    enum CodingKeys: String, CodingKey {
        case schema, study, direction, data, sessions, completed, failed, running, queued, pruned, state, reason, best, trials
        case trialBudget = "trial_budget"
    }

}
