/// The indices of some scores from the highest, ties in index order, sorted only as far as a walk down the ranking
/// reads: the first `sortedPrefix` positions are selected and sorted up front (O(m + p·log p)), the rest only when a
/// position past them is read. Every position reads what a full sort would give (``AcquisitionMaximizer/descendingOrder(_:)``).
///
/// - Precondition: no score is NaN (the order would not be total).
struct DescendingRanking {
    private var ranked: [(score: Double, index: Int)]
    /// Positions 0 ..< sortedCount hold the highest entries in order; the rest are all lower, in no order.
    private var sortedCount: Int

    /// - Parameters:
    ///   - scores: m values.
    ///   - sortedPrefix: how many leading positions to sort up front (clamped to 0 ... m).
    init(_ scores: [Double], sortedPrefix: Int) {
        ranked = scores.indices.map { (score: scores[$0], index: $0) }
        sortedCount = min(max(sortedPrefix, 0), ranked.count)
        if sortedCount > 0, sortedCount < ranked.count { Self.select(&ranked, first: sortedCount) }
        ranked[0..<sortedCount].sort(by: Self.precedes)
    }

    /// Number of positions (m).
    var count: Int { ranked.count }

    /// The index at `position` (0 = the highest score); sorts the unsorted rest on first reading past the prefix.
    mutating func index(at position: Int) -> Int {
        if position >= sortedCount {
            ranked[sortedCount...].sort(by: Self.precedes)
            sortedCount = ranked.count
        }
        return ranked[position].index
    }

    /// The indices at `position` and after, in no particular order.
    func indices(from position: Int) -> [Int] {
        ranked[position...].map(\.index)
    }

    /// Whether `a` ranks before `b`: higher score, or the same score and a lower index.
    static func precedes(_ a: (score: Double, index: Int), _ b: (score: Double, index: Int)) -> Bool {
        a.score > b.score || (a.score == b.score && a.index < b.index)
    }

    /// Reorders `entries` so that its first `first` positions hold the `first` entries that rank first (in no order):
    /// quickselect with a median-of-three pivot. Ties are broken by index, so the chosen set is unique.
    private static func select(_ entries: inout [(score: Double, index: Int)], first: Int) {
        var low = 0
        var high = entries.count - 1
        while low < high {
            let middle = low + (high - low) / 2
            // Median of three at `high` as the pivot.
            if precedes(entries[middle], entries[low]) { entries.swapAt(middle, low) }
            if precedes(entries[high], entries[low]) { entries.swapAt(high, low) }
            if precedes(entries[middle], entries[high]) { entries.swapAt(middle, high) }
            let pivot = entries[high]
            var store = low
            for position in low..<high where precedes(entries[position], pivot) {
                entries.swapAt(position, store)
                store += 1
            }
            entries.swapAt(store, high)
            // entries[low ..< store] rank before the pivot, now at `store`; the rest rank after it.
            if store == first || store == first - 1 { return }
            if store < first { low = store + 1 } else { high = store - 1 }
        }
    }
}
