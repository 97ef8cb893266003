import HPOMath

/// The completed observations a large study's Gaussian process is built on (subset of data), so that a proposal's
/// cost stops growing with the number of trials.
///
/// Past `limit` observations the exact GP costs O(n³) to factor and O(n²) per posterior, so every ask gets slower
/// than many trials. The subset keeps what the acquisition needs most and a global picture of the rest, `limit`
/// indices in all:
/// 1. **the best quarter** (`limit / 4` by score, smaller is better, ties by index): the incumbents' values;
/// 2. **the incumbents' neighbourhood** (`limit / 4`): for each of the best ``incumbentCount`` points in turn, its
///    nearest not yet chosen observations (Euclidean, unit cube), so the model sees the local shape around the
///    incumbents, including the poor values beside them, where the acquisition's local candidates and refinement
///    look;
/// 3. **a seeded random remainder** filling up to `limit`, uniform over the rest, so the far regions keep a
///    coarse, unbiased picture (the posterior there is less certain, which only adds exploration).
///
/// Pending trials are not part of the selection: the optimizer conditions the model on every one of them (constant
/// liar), so a batch still spreads out however many trials run. See docs/gaussian-process.md, *Large studies*.
public enum ObservationSubset {
    /// How many of the best points get a neighbourhood (the incumbents the acquisition's local candidates use).
    public static let incumbentCount = 5

    /// The indices of the observations to model, in increasing order: all of them when there are at most `limit`.
    ///
    /// - Parameters:
    ///   - points: n points in [0, 1]^d.
    ///   - scores: n finite scores, smaller is better.
    ///   - limit: the subset size m ≥ 1.
    ///   - seed: seeds the random remainder; the same inputs and seed give the same subset.
    /// - Returns: min(n, m) distinct indices into `points`.
    /// - Complexity: O(n log n + n·d·``incumbentCount``).
    public static func select(points: [[Double]], scores: [Double], limit: Int, seed: UInt64) -> [Int] {
        let n = min(points.count, scores.count)
        guard n > limit, limit >= 1 else { return Array(0..<n) }
        let ranked = (0..<n).sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var chosen = [Bool](repeating: false, count: n)
        var count = 0
        func take(_ index: Int) {
            if !chosen[index] {
                chosen[index] = true
                count += 1
            }
        }
        for index in ranked.prefix(max(1, limit / 4)) { take(index) }

        let incumbents = ranked.prefix(incumbentCount)
        let perIncumbent = (limit / 4) / incumbents.count
        for incumbent in incumbents where perIncumbent > 0 {
            let center = points[incumbent]
            var neighbours: [Int] = (0..<n).filter { !chosen[$0] }
            var distances = [Double](repeating: 0, count: n)
            for index in neighbours { distances[index] = squaredDistance(points[index], center) }
            neighbours.sort { (a: Int, b: Int) -> Bool in
                distances[a] < distances[b] || (distances[a] == distances[b] && a < b)
            }
            for index in neighbours.prefix(perIncumbent) { take(index) }
        }

        var rest = (0..<n).filter { !chosen[$0] }
        var generator = SeededGenerator(seed: seed)
        rest.shuffle(using: &generator)
        for index in rest.prefix(max(0, limit - count)) { take(index) }
        return (0..<n).filter { chosen[$0] }
    }

    private static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for (u, v) in zip(a, b) { sum += (u - v) * (u - v) }
        return sum
    }
}
