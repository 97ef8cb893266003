public import HPOOptimizer

/// Hyperband (Li et al., 2018) over ASHA brackets, as Optuna's `HyperbandPruner` and Ray Tune's async Hyperband.
///
/// With `sMax = ⌊log_η(maxResource / minResource)⌋`, bracket `s` (0 … sMax) is an ``ASHAPruner`` with
/// `minEarlyStoppingRate = s`: bracket 0 judges from `minResource` on (most aggressive), bracket `sMax` hardly at all.
/// Bracket `s` gets trials in proportion to Hyperband's bracket size `⌈(sMax + 1) / (sMax − s + 1) · η^(sMax − s)⌉`,
/// assigned by trial id through a smooth weighted round robin, so any run of consecutive ids is spread over the
/// brackets and the assignment survives a resume. A trial is compared only with the trials of its own bracket.
public struct HyperbandPruner: Pruner {
    /// One ASHA per bracket, bracket `s` at index `s`.
    public private(set) var brackets: [ASHAPruner]
    /// Bracket index for trial ids `0 ..< schedule.count`, repeated for larger ids.
    public let schedule: [Int]

    public init(reductionFactor: Int, minResource: Int, maxResource: Int, direction: Direction, isSync: Bool = false) {
        let eta = max(2, reductionFactor)
        let minimum = max(1, minResource)
        var sMax = 0
        var resource = minimum
        while resource.multipliedReportingOverflow(by: eta).overflow == false, resource * eta <= maxResource {
            resource *= eta
            sMax += 1
        }
        brackets = (0...sMax).map {
            ASHAPruner(
                reductionFactor: eta, minResource: minimum, maxResource: maxResource, minEarlyStoppingRate: $0,
                direction: direction, isSync: isSync)
        }
        let weights = (0...sMax).map { s -> Int in
            let power = Int((0..<(sMax - s)).reduce(1.0) { value, _ in value * Double(eta) })
            return Int((Double(sMax + 1) / Double(sMax - s + 1) * Double(power)).rounded(.up))
        }
        schedule = Self.smoothRoundRobin(weights: weights, length: min(weights.reduce(0, +), 100_000))
    }

    /// The bracket of `trial`.
    public func bracket(of trial: TrialID) -> Int {
        schedule[trial.rawValue % schedule.count]
    }

    public func judges(_ trial: TrialID, step: Int) -> Bool {
        brackets[bracket(of: trial)].judges(trial, step: step)
    }

    public mutating func report(_ trial: TrialID, step: Int, value: Double) -> PruneDecision {
        let index = bracket(of: trial)
        switch brackets[index].report(trial, step: step, value: value) {
        case .keep: return .keep
        case .prune(let reason): return .prune(reason: "Hyperband bracket \(index): " + reason)
        }
    }

    public mutating func trialEnded(_ trial: TrialID, completedWith value: Double?) {}

    public mutating func reveal() {
        for index in brackets.indices { brackets[index].reveal() }
    }

    /// Nginx's smooth weighted round robin: `length` picks, each index picked in proportion to its weight and spread
    /// out evenly.
    static func smoothRoundRobin(weights: [Int], length: Int) -> [Int] {
        let total = weights.reduce(0, +)
        var current = [Int](repeating: 0, count: weights.count)
        var picks: [Int] = []
        picks.reserveCapacity(length)
        for _ in 0..<max(1, length) {
            var chosen = 0
            for index in weights.indices {
                current[index] += weights[index]
                if current[index] > current[chosen] { chosen = index }
            }
            current[chosen] -= total
            picks.append(chosen)
        }
        return picks
    }
}
