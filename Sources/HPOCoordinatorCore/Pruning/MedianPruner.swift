public import HPOOptimizer

/// The median stopping rule (Golovin et al., "Google Vizier", 2017; Optuna's `MedianPruner`).
///
/// At each judged step — `warmupSteps`, `warmupSteps + intervalSteps`, … — a trial stops if its best value so far is
/// strictly worse than the median of the values the *completed* trials reported at that same step. Nothing is judged
/// until `minTrials` trials completed, nor at a step no completed trial reported. Pruned and failed trials never
/// join the reference.
public struct MedianPruner: Pruner {
    /// Steps before the first judgment (judged from this step on), ≥ 0.
    public let warmupSteps: Int
    /// Completed trials needed before any judgment, ≥ 1.
    public let minTrials: Int
    /// Steps between two judgments, ≥ 1.
    public let intervalSteps: Int
    public let direction: Direction

    /// Completed trials' values by step.
    public private(set) var byStep: [Int: RungValues] = [:]
    /// Completed trials that judge others (pending ones wait for `reveal` in a sync study).
    public private(set) var completedCount = 0
    private var pendingCompleted = 0
    /// Each running trial's journaled values by step, moved into `byStep` when it completes.
    private var curves: [TrialID: [Int: Double]] = [:]
    /// Each running trial's best value so far.
    private var bestSoFar: [TrialID: Double] = [:]
    private let isSync: Bool

    public init(warmupSteps: Int, minTrials: Int, intervalSteps: Int = 1, direction: Direction, isSync: Bool = false) {
        self.warmupSteps = max(0, warmupSteps)
        self.minTrials = max(1, minTrials)
        self.intervalSteps = max(1, intervalSteps)
        self.direction = direction
        self.isSync = isSync
    }

    public func judges(_ trial: TrialID, step: Int) -> Bool {
        step >= warmupSteps && (step - warmupSteps) % intervalSteps == 0
    }

    public mutating func report(_ trial: TrialID, step: Int, value: Double) -> PruneDecision {
        curves[trial, default: [:]][step] = value
        let best = bestSoFar[trial].map { direction.isBetter(value, than: $0) ? value : $0 } ?? value
        bestSoFar[trial] = best
        guard judges(trial, step: step), completedCount >= minTrials, let median = byStep[step]?.median else {
            return .keep
        }
        guard direction.isBetter(median, than: best) else { return .keep }
        let count = byStep[step]?.visible.count ?? 0
        return .prune(
            reason: "median rule at step \(step): best value so far \(best) is worse than the median \(median) of "
                + "\(count) completed trials")
    }

    public mutating func trialEnded(_ trial: TrialID, completedWith value: Double?) {
        let curve = curves.removeValue(forKey: trial)
        bestSoFar[trial] = nil
        guard value != nil else { return }
        for (step, stepValue) in curve ?? [:] {
            byStep[step, default: RungValues(isSync: isSync)].record(stepValue)
        }
        if isSync { pendingCompleted += 1 } else { completedCount += 1 }
    }

    public mutating func reveal() {
        completedCount += pendingCompleted
        pendingCompleted = 0
        for step in byStep.keys { byStep[step]?.reveal() }
    }
}
