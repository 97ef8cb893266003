import Foundation
import HPOReport
import HPOSearchSpace

/// Says when the best trial's value of a numeric parameter sits on a bound of its range: the optimum may lie
/// outside, and widening the range is worth a try.
enum BoundaryWarning {
    /// One message per parameter whose best value is on a bound (within 0.1 % of the range, in its own scale).
    static func messages(space: SearchSpace, best: Assignment) -> [String] {
        space.parameters.compactMap { parameter in
            let low: Double
            let high: Double
            let log: Bool
            switch parameter.kind {
            case .float(let l, let h, let isLog, _): (low, high, log) = (l, h, isLog)
            case .int(let l, let h, let isLog, _): (low, high, log) = (Double(l), Double(h), isLog)
            case .categorical, .fixed: return nil
            }
            guard high > low, let value = best[parameter.name]?.doubleValue else { return nil }
            let position = log && low > 0 ? (ln(value) - ln(low)) / (ln(high) - ln(low)) : (value - low) / (high - low)
            let range = "[\(NumberText.short(low)), \(NumberText.short(high))]"
            if position <= 0.001 {
                return "the best trial's \(parameter.name) = \(NumberText.short(value)) is on the lower bound of its range \(range): the optimum may lie below it; lower space.\(parameter.name).low and run again"
            }
            if position >= 0.999 {
                return "the best trial's \(parameter.name) = \(NumberText.short(value)) is on the upper bound of its range \(range): the optimum may lie above it; raise space.\(parameter.name).high and run again"
            }
            return nil
        }
    }

    private static func ln(_ value: Double) -> Double { value > 0 ? Foundation.log(value) : -.infinity }
}
