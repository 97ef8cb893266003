import HPOSearchSpace

/// A search space without continuous coordinates, seen as a finite grid of `count` snapped points that can be
/// listed by index (mixed radix: one digit per discrete coordinate or categorical parameter, in coordinate order).
struct FiniteGrid: Sendable, Hashable {
    /// One digit of the mixed-radix index.
    enum Digit: Sendable, Hashable {
        /// A discrete coordinate with `levels` values.
        case discrete(coordinate: Int, levels: Int)
        /// A categorical parameter whose one-hot group starts at `coordinate`.
        case oneHot(coordinate: Int, choices: Int)

        var radix: Int {
            switch self {
            case .discrete(_, let levels): levels
            case .oneHot(_, let choices): choices
            }
        }
    }

    /// The digits, in coordinate order.
    let digits: [Digit]
    /// The number of distinct points: the product of the radices.
    let count: Int

    /// The grid of `space`, or nil when it has a continuous coordinate or more than `Int.max` points.
    init?(_ space: SearchSpace) {
        var digits: [Digit] = []
        var count = 1
        for (coordinate, dimension) in space.dimensions.enumerated() {
            let digit: Digit
            switch dimension {
            case .continuous:
                return nil
            case .discrete(let levels):
                digit = .discrete(coordinate: coordinate, levels: max(1, levels))
            case .oneHot(_, let choice, let choices):
                guard choice == 0 else { continue }
                digit = .oneHot(coordinate: coordinate, choices: max(1, choices))
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: digit.radix)
            if overflow { return nil }
            count = product
            digits.append(digit)
        }
        self.digits = digits
        self.count = count
    }

    /// The snapped point number `index` (0..<``count``).
    ///
    /// - Complexity: O(d).
    func point(_ index: Int, in space: SearchSpace) -> [Double] {
        var raw = [Double](repeating: 0, count: space.dimensionCount)
        var rest = index
        for digit in digits {
            let value = rest % digit.radix
            rest /= digit.radix
            switch digit {
            case .discrete(let coordinate, let levels):
                raw[coordinate] = (Double(value) + 0.5) / Double(levels)
            case .oneHot(let coordinate, _):
                raw[coordinate + value] = 1
            }
        }
        return space.snap(raw)
    }
}
