/// Where the acquisition's local candidates and refinement starts come from.
public enum AcquisitionStarts: String, Sendable, Hashable, Codable, CaseIterable {
    /// The best observed points by score (default): local candidates around the best 5, one refinement start at the best.
    case best
    /// The best point of each basin the data shows: points with no better observed point within one length scale
    /// (scaled distance √Σ((xₖ − x'ₖ)/ℓₖ)² < 1), best first, up to 5 (padded with the best remaining points). Each
    /// basin's best point is a refinement start and a centre of local candidates, so a batch can leave a basin that
    /// has stopped improving.
    case basins

    /// Indices of up to `limit` points to seed the acquisition from, best first.
    ///
    /// - Parameters:
    ///   - points: n points in [0, 1]^d.
    ///   - scores: n scores, smaller is better.
    ///   - lengthScales: the GP's d length scales (unit-cube units, each > 0), for ``basins``.
    /// - Returns: the indices and how many of them are basin minima (1 for ``best``: the best point).
    /// - Complexity: O(n log n) for ``best``, O(n²·d) for ``basins``.
    func seeds(points: [[Double]], scores: [Double], lengthScales: [Double], limit: Int) -> (indices: [Int], basinCount: Int) {
        let ranked = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        guard self == .basins, !ranked.isEmpty else { return (Array(ranked.prefix(limit)), min(1, ranked.count)) }
        var basins: [Int] = []
        for (rank, index) in ranked.enumerated() where basins.count < limit {
            let hasBetterNeighbour = ranked.prefix(rank).contains { better in
                var squared = 0.0
                for k in points[index].indices {
                    let step = (points[index][k] - points[better][k]) / lengthScales[k]
                    squared += step * step
                }
                return squared < 1
            }
            if !hasBetterNeighbour { basins.append(index) }
        }
        let rest = ranked.filter { !basins.contains($0) }.prefix(limit - basins.count)
        return (basins + rest, basins.count)
    }
}
