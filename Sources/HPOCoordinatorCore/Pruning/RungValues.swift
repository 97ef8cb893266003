public import HPOOptimizer

/// The values recorded at one rung (ASHA) or one step (median rule), kept sorted so a rank or a median costs
/// O(log n), with the values of the running sync batch held back until ``reveal()``.
public struct RungValues: Sendable, Hashable {
    /// Values that judge other trials, ascending.
    public private(set) var visible: [Double] = []
    /// Values recorded since the last reveal (sync batches only).
    public private(set) var pending: [Double] = []
    /// Whether new values wait for ``reveal()`` before they judge others.
    public let isSync: Bool

    public init(isSync: Bool) {
        self.isSync = isSync
    }

    /// Records a value: visible at once (async) or after the next ``reveal()`` (sync).
    public mutating func record(_ value: Double) {
        if isSync {
            pending.append(value)
        } else {
            visible.insert(value, at: Self.insertionIndex(of: value, in: visible))
        }
    }

    /// Makes the pending values visible.
    public mutating func reveal() {
        guard !pending.isEmpty else { return }
        for value in pending {
            visible.insert(value, at: Self.insertionIndex(of: value, in: visible))
        }
        pending = []
    }

    /// How many visible values are strictly better than `value` under `direction`.
    ///
    /// - Complexity: O(log n).
    public func countBetter(than value: Double, direction: Direction) -> Int {
        switch direction {
        case .maximize: visible.count - Self.upperBound(of: value, in: visible)
        case .minimize: Self.insertionIndex(of: value, in: visible)
        }
    }

    /// The median of the visible values (the mean of the two middle ones for an even count); nil when empty.
    public var median: Double? {
        guard !visible.isEmpty else { return nil }
        let middle = visible.count / 2
        return visible.count % 2 == 1 ? visible[middle] : (visible[middle - 1] + visible[middle]) / 2
    }

    /// The first index whose value is ≥ `value` (lower bound).
    static func insertionIndex(of value: Double, in sorted: [Double]) -> Int {
        var (low, high) = (0, sorted.count)
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The first index whose value is > `value` (upper bound).
    static func upperBound(of value: Double, in sorted: [Double]) -> Int {
        var (low, high) = (0, sorted.count)
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
