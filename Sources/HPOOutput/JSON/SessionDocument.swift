public import HPOCoordinatorRuntime
import HPOOptimizer
public import HPOCoordinatorCore

/// The `hpo.session` document (docs/json.md): how a session of `hpo run` or `hpo coordinator` ended (`--json`).
///
/// The counts, state and best trial are the session's; each trial's details (metrics, times, worker) come from the
/// journal when it can be read, so a trial reads as in `hpo show --format json`.
public struct SessionDocument: Encodable, Sendable {
    public var schema = JSONOutput.schema("session")
    public var study: String
    /// The journal's path.
    public var journal: String
    /// `completed`, `failed`, `interrupted` or `exhausted`.
    public var state: String
    /// Why, in words.
    public var reason: String
    public var completed, failed, unfinished: Int
    /// Trials the pruner stopped early, the steps they did not train, and the steps trained in all (#9).
    public var pruned, stepsSaved, stepsTrained: Int
    /// Null when only the wall time limits the study.
    @JSONNullable public var trialBudget: Int? = nil
    /// The best completed trial (ties: the first to complete); null when none completed.
    @JSONNullable public var best: TrialDocument? = nil
    /// Every trial in id order.
    public var trials: [TrialDocument]

    /// The document of `summary`, with the trials' details from `history` (the session's journal) when given.
    public init(_ summary: StudySummary, study: String, journal: String, history: StudyHistory?) {
        self.study = study
        self.journal = journal
        state = summary.state.rawValue
        reason = summary.reason
        completed = summary.completed
        failed = summary.failed
        unfinished = summary.unfinished
        pruned = summary.pruned
        stepsSaved = summary.stepsSaved
        stepsTrained = summary.stepsTrained
        trialBudget = summary.trialBudget
        let journaled = Dictionary(
            (history?.trials ?? []).map { ($0.id, TrialDocument($0)) }, uniquingKeysWith: { first, _ in first })
        trials = summary.trials.map { journaled[$0.id.rawValue] ?? TrialDocument($0) }
        best = summary.best.map { journaled[$0.id.rawValue] ?? TrialDocument($0) }
    }

    enum CodingKeys: String, CodingKey {
        case schema, study, journal, state, reason, completed, failed, unfinished, pruned, best, trials
        case trialBudget = "trial_budget", stepsSaved = "steps_saved", stepsTrained = "steps_trained"
    }

}
