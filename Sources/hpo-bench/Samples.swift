/// Measured values, sorted once, and the order statistics the benchmark tables quote.
struct Samples {
    /// The values in ascending order.
    let sorted: [Double]

    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    var count: Int { sorted.count }

    /// The middle value (the mean of the two middle ones for an even count); NaN when there are none.
    var median: Double { quantile(0.5) }

    /// The `p`-quantile, `p` in [0, 1], interpolated linearly between the two nearest ranks (NumPy's default);
    /// NaN when there are no values. `quantile(0.25)` and `quantile(0.75)` bound the interquartile range.
    func quantile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = p * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    /// The `p`-percentile by nearest rank, `p` in [0, 1]: a value that was measured, as tail latencies (p90, p99)
    /// are quoted; NaN when there are no values.
    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }
}
