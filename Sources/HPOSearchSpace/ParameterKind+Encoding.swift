#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unit-cube encoding of one parameter. All functions assume a kind that passed ``ParameterKind/check(name:)``.
extension ParameterKind {
    /// How many unit-cube coordinates the parameter takes: 1 for numbers, one per choice for categoricals,
    /// 0 for fixed values.
    var coordinateCount: Int {
        switch self {
        case .float, .int: 1
        case .categorical(let choices): choices.count
        case .fixed: 0
        }
    }

    /// Distinct values of a discrete numeric parameter (ints, stepped floats), or `nil` for continuous ones.
    var levelCount: Int? {
        switch self {
        case .float(let low, let high, _, let step?):
            Int(((high - low) / step).rounded()) + 1
        case .float:
            nil
        case .int(let low, let high, _, let step):
            (high - low) / (step ?? 1) + 1
        case .categorical, .fixed:
            nil
        }
    }

    /// The value of level `index` (0-based) of a stepped float; the last level is exactly `high`.
    static func steppedValue(low: Double, high: Double, step: Double, index: Int, levels: Int) -> Double {
        index >= levels - 1 ? high : min(high, low + Double(index) * step)
    }

    /// The centre of level `index` of `levels` equal intervals of `[0, 1]`.
    static func levelCentre(_ index: Int, of levels: Int) -> Double {
        (Double(index) + 0.5) / Double(levels)
    }

    /// The level whose interval holds `u` (clamped to `[0, 1]`; NaN counts as 0).
    static func level(at u: Double, of levels: Int) -> Int {
        let clamped = u.isNaN ? 0 : min(1, max(0, u))
        return min(levels - 1, Int(clamped * Double(levels)))
    }

    /// `u` clamped to `[0, 1]`, with NaN mapped to 0, so that decoding is total.
    static func clampUnit(_ u: Double) -> Double {
        u.isNaN ? 0 : min(1, max(0, u))
    }

    /// Log-scale ints own `[v - 0.5, v + 0.5]` each, measured in log space.
    static func logIntegerBounds(low: Int, high: Int) -> (lower: Double, upper: Double) {
        (log(Double(low) - 0.5), log(Double(high) + 0.5))
    }

    /// Writes the coordinates of a validated `value` into `point[offset...]`.
    func encodeValidated(_ value: ParameterValue, into point: inout [Double], at offset: Int) {
        switch self {
        case .float(let low, let high, let isLog, let step):
            let x = value.doubleValue ?? low
            if let step, let levels = levelCount {
                let index = min(levels - 1, max(0, Int(((x - low) / step).rounded())))
                point[offset] = Self.levelCentre(index, of: levels)
            } else if isLog {
                point[offset] = Self.clampUnit((log(x) - log(low)) / (log(high) - log(low)))
            } else {
                point[offset] = Self.clampUnit((x - low) / (high - low))
            }
        case .int(let low, let high, let isLog, let step):
            let x = value.intValue ?? low
            if isLog {
                let (lower, upper) = Self.logIntegerBounds(low: low, high: high)
                let centre = 0.5 * (log(Double(x) - 0.5) + log(Double(x) + 0.5))
                point[offset] = Self.clampUnit((centre - lower) / (upper - lower))
            } else {
                let levels = levelCount ?? 1
                point[offset] = Self.levelCentre((x - low) / (step ?? 1), of: levels)
            }
        case .categorical(let choices):
            let chosen = choices.firstIndex(where: { $0.isNumericallyEqual(to: value) }) ?? 0
            for index in choices.indices {
                point[offset + index] = index == chosen ? 1 : 0
            }
        case .fixed:
            break
        }
    }

    /// The value at `coordinates` (``coordinateCount`` of them); total: clamps to bounds, rounds to levels,
    /// takes the argmax of one-hot coordinates (first on ties; NaN counts as lowest).
    func decode(_ coordinates: ArraySlice<Double>) -> ParameterValue {
        switch self {
        case .float(let low, let high, let isLog, let step):
            let u = Self.clampUnit(coordinates.first ?? 0)
            if let step, let levels = levelCount {
                let index = Self.level(at: u, of: levels)
                return .double(Self.steppedValue(low: low, high: high, step: step, index: index, levels: levels))
            }
            if u == 0 { return .double(low) }
            if u == 1 { return .double(high) }
            let x = isLog ? exp(log(low) + u * (log(high) - log(low))) : low + u * (high - low)
            return .double(min(high, max(low, x)))
        case .int(let low, let high, let isLog, let step):
            let u = Self.clampUnit(coordinates.first ?? 0)
            if isLog {
                let (lower, upper) = Self.logIntegerBounds(low: low, high: high)
                let x = exp(lower + u * (upper - lower)).rounded(.toNearestOrAwayFromZero)
                return .int(min(high, max(low, Int(x))))
            }
            let levels = levelCount ?? 1
            return .int(low + Self.level(at: u, of: levels) * (step ?? 1))
        case .categorical(let choices):
            var best = 0
            var bestScore = -Double.infinity
            for (index, score) in coordinates.enumerated() where score > bestScore {
                best = index
                bestScore = score
            }
            return choices[best]
        case .fixed(let value):
            return value
        }
    }
}
