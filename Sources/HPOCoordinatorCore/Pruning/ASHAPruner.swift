public import HPOOptimizer

/// Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning", 2020), in
/// the stop-based form of Optuna's `SuccessiveHalvingPruner` and Ray Tune's ASHA: no trial waits for a promotion.
///
/// Rung `k` sits at resource `minResource × η^(k + minEarlyStoppingRate)` steps (only rungs below `maxResource`
/// count: a trial that reaches `maxResource` simply completes). The first report of a trial at a step at or past a
/// rung's resource records its value there and judges it: with `n` values at that rung (its own included), it
/// continues if at most `max(1, ⌊n / η⌋) − 1` other values are strictly better (ties favour the trial), so the first
/// trial at a rung always continues and later ones must be in the top `1/η`. A report that jumps over several rungs
/// (an objective that reports every few steps) records and judges each of them in order. Rungs are kept per trial,
/// not per attempt: a retried attempt is never judged again at a rung its trial passed.
public struct ASHAPruner: Pruner {
    /// η ≥ 2: one trial in η continues past each rung.
    public let reductionFactor: Int
    /// Steps of the first rung (before the early-stopping rate), ≥ 1.
    public let minResource: Int
    /// Steps at which trials complete; rungs sit strictly below it. nil: no limit (rungs go on geometrically).
    public let maxResource: Int?
    /// Skips the first rungs: rung 0 sits at `minResource × η^minEarlyStoppingRate`. ≥ 0.
    public let minEarlyStoppingRate: Int
    public let direction: Direction

    /// Values recorded at each rung, by rung index.
    public private(set) var rungs: [RungValues] = []
    /// The first rung each trial has not been judged at yet (absent: 0).
    public private(set) var nextRung: [TrialID: Int] = [:]
    private let isSync: Bool

    public init(
        reductionFactor: Int, minResource: Int, maxResource: Int?, minEarlyStoppingRate: Int = 0, direction: Direction,
        isSync: Bool = false
    ) {
        self.reductionFactor = max(2, reductionFactor)
        self.minResource = max(1, minResource)
        self.maxResource = maxResource
        self.minEarlyStoppingRate = max(0, minEarlyStoppingRate)
        self.direction = direction
        self.isSync = isSync
    }

    /// The step of rung `k`, or nil when it is at or past `maxResource` (or would overflow).
    public func resource(ofRung k: Int) -> Int? {
        var steps = minResource
        for _ in 0..<(k + minEarlyStoppingRate) {
            let (product, overflow) = steps.multipliedReportingOverflow(by: reductionFactor)
            guard !overflow else { return nil }
            steps = product
        }
        if let maxResource, steps >= maxResource { return nil }
        return steps
    }

    public func judges(_ trial: TrialID, step: Int) -> Bool {
        guard let resource = resource(ofRung: nextRung[trial] ?? 0) else { return false }
        return step >= resource
    }

    public mutating func report(_ trial: TrialID, step: Int, value: Double) -> PruneDecision {
        var rung = nextRung[trial] ?? 0
        while let resource = resource(ofRung: rung), step >= resource {
            while rungs.count <= rung { rungs.append(RungValues(isSync: isSync)) }
            let better = rungs[rung].countBetter(than: value, direction: direction)
            let recorded = rungs[rung].visible.count + 1
            let kept = max(1, recorded / reductionFactor)
            rungs[rung].record(value)
            rung += 1
            nextRung[trial] = rung
            if better >= kept {
                return .prune(
                    reason: "ASHA rung \(rung - 1) (step \(resource)): value \(value) at step \(step) ranks \(better + 1) of "
                        + "\(recorded), outside the top \(kept) (1/\(reductionFactor))")
            }
        }
        return .keep
    }

    public mutating func trialEnded(_ trial: TrialID, completedWith value: Double?) {}

    public mutating func reveal() {
        for index in rungs.indices { rungs[index].reveal() }
    }
}
