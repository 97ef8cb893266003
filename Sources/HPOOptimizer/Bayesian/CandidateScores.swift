import HPOMath

/// The acquisition values of a maximizer's candidates, computed exactly only where they can matter.
///
/// A candidate's mean costs O(n·d) and its variance O(n²) (a triangular solve). Every ``AcquisitionFunction`` is
/// non-decreasing in the variance, and a posterior variance never exceeds the prior σ², so the value at the prior
/// variance bounds a candidate's value from above at the price of its mean alone. Candidates are scored exactly in
/// the order of their bounds, 64 at a time, until `keep` exact values exceed every remaining bound; the rest are
/// *pruned* (value −∞ here). A consumer that walks the ranking past ``isExactlyRanked(_:)`` calls
/// ``complete(model:acquisition:best:points:)`` first, so every decision equals the one from scoring all candidates
/// (docs/gaussian-process.md, *Fourth round*).
struct CandidateScores {
    /// One value per candidate: exact, or −∞ where pruned (also −∞ where the exact value is not a number).
    private(set) var values: [Double]
    /// The pruned candidates' indices.
    private(set) var pruned: [Int]
    /// The largest upper bound among the pruned candidates (−∞ when none is pruned): every exact value above it
    /// ranks where it would among all exact values.
    private(set) var prunedBound: Double

    /// Each candidate's upper bound (its value at the prior variance; +∞ where that is not a number), by which the
    /// pruned ones are scored in order in ``complete(model:acquisition:best:points:)``; empty when all are exact.
    private var bounds: [Double] = []

    /// How many candidates are solved per `dtrsm`.
    static let chunk = 64

    /// Scores every candidate exactly (no pruning): the values as given.
    init(exact values: [Double]) {
        self.values = values
        self.pruned = []
        self.prunedBound = -.infinity
    }

    /// Scores `points` on `model`, exactly for at least the `keep` best (all of them when fewer), pruning the rest.
    ///
    /// - Parameters:
    ///   - points: m candidates of the model's dimension.
    ///   - keep: how many exact values must beat every pruned candidate's bound.
    /// - Complexity: O(n·m·d) for the means and bounds, O(n²) per candidate scored exactly.
    init(model: GaussianProcess, acquisition: AcquisitionFunction, best: Double, points: [[Double]], keep: Int) {
        let m = points.count
        values = [Double](repeating: -.infinity, count: m)
        pruned = []
        prunedBound = -.infinity
        guard m > 0 else { return }
        let (cross, standardizedMeans) = model.crossCovarianceBatch(points)
        let means = standardizedMeans.map { model.targetMean + model.targetScale * $0 }
        let priorVariance = model.scaledVariance(model.hyperparameters.signalVariance)
        let bounds = means.map { mean in
            let bound = acquisition.value(mean: mean, variance: priorVariance, best: best)
            return bound.isNaN ? Double.infinity : bound  // no bound: score it
        }
        // Usually a few chunks are scored before the bounds fall below the leaders: sort only that far up front.
        var order = DescendingRanking(bounds, sortedPrefix: keep + 4 * Self.chunk)
        var leaders: [Double] = []  // the best `keep` exact values so far, descending
        var next = 0
        while next < m {
            if leaders.count >= keep, let last = leaders.last, bounds[order.index(at: next)] < last - 1e-9 * max(1, abs(last)) {
                break
            }
            let indices = (next..<min(next + Self.chunk, m)).map { order.index(at: $0) }
            var columns = Matrix(rows: model.pointCount, columns: indices.count)
            let n = model.pointCount
            for (column, index) in indices.enumerated() {
                columns.elements.replaceSubrange(column * n..<(column + 1) * n, with: cross.elements[index * n..<(index + 1) * n])
            }
            let variances = model.whitenedVariances(columns).standardizedVariances
            for (column, index) in indices.enumerated() {
                let value = acquisition.value(mean: means[index], variance: model.scaledVariance(variances[column]), best: best)
                values[index] = value.isNaN ? -.infinity : value
                let position = leaders.firstIndex { $0 < values[index] } ?? leaders.count
                if position < keep {
                    leaders.insert(values[index], at: position)
                    if leaders.count > keep { leaders.removeLast() }
                }
            }
            next += indices.count
        }
        pruned = next < m ? order.indices(from: next) : []
        prunedBound = pruned.isEmpty ? -.infinity : bounds[order.index(at: next)]
        self.bounds = bounds
    }

    /// Whether `value` (a candidate's, or any other point's exact value) ranks against every candidate as it would
    /// with all values exact.
    func isExactlyRanked(_ value: Double) -> Bool {
        pruned.isEmpty || value > prunedBound
    }

    /// The indices of `values` that are exactly ranked (``isExactlyRanked(_:)``), highest first, ties in index order:
    /// the prefix of ``AcquisitionMaximizer/descendingOrder(_:)`` that a walk down the ranking may use before it
    /// must ``complete(model:acquisition:best:points:)``. Only the exact values are sorted, a few dozen of the
    /// candidates while most are pruned.
    func exactlyRankedOrder(_ values: [Double]) -> [Int] {
        guard !pruned.isEmpty else { return AcquisitionMaximizer.descendingOrder(values) }
        let ranked = values.indices.filter { isExactlyRanked(values[$0]) }
        return AcquisitionMaximizer.descendingOrder(ranked.map { values[$0] }).map { ranked[$0] }
    }

    /// Scores the pruned candidates exactly, so that every value is exact.
    mutating func complete(model: GaussianProcess, acquisition: AcquisitionFunction, best: Double, points: [[Double]]) {
        guard !pruned.isEmpty else { return }
        // Highest bound first, as a full sort of the bounds lists them (the batch is solved in that order).
        pruned.sort { DescendingRanking.precedes((bounds[$0], $0), (bounds[$1], $1)) }
        let posterior = model.posterior(batch: pruned.map { points[$0] })
        for (position, index) in pruned.enumerated() {
            let value = acquisition.value(mean: posterior.means[position], variance: posterior.variances[position], best: best)
            values[index] = value.isNaN ? -.infinity : value
        }
        pruned = []
        prunedBound = -.infinity
    }
}
