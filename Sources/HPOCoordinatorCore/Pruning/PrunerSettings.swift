/// Which early-stopping rule a study uses and its settings (the study file's `pruner:` section, docs/study-file.md).
///
/// Steps are the objective's own (`PROGRESS.step`: an epoch for `mlp`, whatever a `command` script reports).
public enum PrunerSettings: Sendable, Hashable {
    /// No early stopping (the default): every trial runs to its end.
    case none
    /// The median stopping rule: prune a trial whose best value so far is worse than the median of the completed
    /// trials' values at the same step. Judged at steps `warmupSteps`, `warmupSteps + intervalSteps`, …, and only
    /// once `minTrials` trials completed.
    case median(warmupSteps: Int, minTrials: Int, intervalSteps: Int)
    /// Asynchronous successive halving (ASHA): rung `k` sits at step `minResource × reductionFactor^(k + minEarlyStoppingRate)`
    /// (below `maxResource`, when given); a trial reaching a rung continues only if its value there is in the top
    /// `1 / reductionFactor` of the values recorded at that rung.
    case asha(reductionFactor: Int, minResource: Int, maxResource: Int?, minEarlyStoppingRate: Int)
    /// Hyperband over ASHA brackets: brackets `0 ... ⌊log_η(maxResource / minResource)⌋`, bracket `s` an ASHA with
    /// `minEarlyStoppingRate = s`; trials are spread over the brackets in proportion to Hyperband's bracket sizes, and
    /// each is compared only with the trials of its own bracket.
    case hyperband(reductionFactor: Int, minResource: Int, maxResource: Int)

    /// The rule's name as the study file spells it (`none`, `median`, `asha`, `hyperband`).
    public var kind: String {
        switch self {
        case .none: "none"
        case .median: "median"
        case .asha: "asha"
        case .hyperband: "hyperband"
        }
    }
}
