public import HPOOptimizer
public import HPOSearchSpace

/// What a session ended with: its state, counts, the best trial, and every trial.
public struct StudySummary: Sendable, Hashable, Codable {
    /// How the session ended.
    public var state: StudyState
    /// Why, in words (e.g. "trial budget of 20 spent", "interrupted by signal").
    public var reason: String
    /// Trials the study is to complete (the budget); nil when only the wall time limits the study.
    public var trialBudget: Int?
    /// Trials that completed with a value.
    public var completed: Int
    /// Trials that failed for good.
    public var failed: Int
    /// Trials proposed but not finished (queued or running when the session ended).
    public var unfinished: Int
    /// Trials the pruner stopped early (they count toward the budget).
    public var pruned: Int = 0
    /// Steps the pruned trials were spared: for each, the most steps any completed trial reported minus the step it
    /// was pruned at (0 without pruned or completed trials). Epochs for `mlp`.
    public var stepsSaved: Int = 0
    /// Steps reported by every finished trial (completed: its last reported step; pruned: its pruned step), so
    /// `stepsSaved / (stepsTrained + stepsSaved)` is the share of compute saved.
    public var stepsTrained: Int = 0
    /// The best completed trial under the study's direction, if any.
    public var best: TrialSummary?
    /// Every trial, in id order.
    public var trials: [TrialSummary]

    public init(
        state: StudyState, reason: String, trialBudget: Int?, completed: Int, failed: Int, unfinished: Int,
        best: TrialSummary?, trials: [TrialSummary]
    ) {
        self.state = state
        self.reason = reason
        self.trialBudget = trialBudget
        self.completed = completed
        self.failed = failed
        self.unfinished = unfinished
        self.best = best
        self.trials = trials
    }
}

/// One trial as the summary and `hpo status` show it.
public struct TrialSummary: Sendable, Hashable, Codable {
    /// Where a trial is in its lifecycle.
    public enum State: String, Sendable, Hashable, Codable {
        case queued, running, completed, failed, pruned
    }

    public var id: TrialID
    public var parameters: Assignment
    public var state: State
    /// The objective's value when completed; the last judged intermediate value when pruned.
    public var value: Double?
    /// Why it failed, when failed.
    public var failureReason: String?
    /// Attempts dispatched so far (1 for a trial that ran once).
    public var attempts: Int
    /// The step at which it was pruned, when pruned.
    public var prunedStep: Int?

    public init(
        id: TrialID, parameters: Assignment, state: State, value: Double?, failureReason: String?, attempts: Int,
        prunedStep: Int? = nil
    ) {
        self.prunedStep = prunedStep
        self.id = id
        self.parameters = parameters
        self.state = state
        self.value = value
        self.failureReason = failureReason
        self.attempts = attempts
    }
}
