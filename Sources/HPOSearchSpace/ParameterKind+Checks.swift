extension ParameterKind {
    /// Integer ranges wider than this cannot be encoded exactly in a `Double` coordinate.
    static let widestIntegerRange = 1 << 53

    /// Checks the definition of parameter `name`.
    ///
    /// - Throws: ``SearchSpaceError`` with code `.invalidParameter`, naming the parameter, echoing the values and
    ///   saying what to change.
    func check(name: String) throws(SearchSpaceError) {
        func fail(_ message: String) -> SearchSpaceError {
            SearchSpaceError(.invalidParameter, parameter: name, message)
        }
        switch self {
        case .float(let low, let high, let log, let step):
            guard low.isFinite, high.isFinite else {
                throw fail("bounds must be finite numbers, got low=\(low), high=\(high); set both to finite values")
            }
            if low == high {
                throw fail("low == high (\(low)) leaves a single value; use type: fixed with value: \(low)")
            }
            guard low < high else {
                throw fail("needs low < high, got low=\(low), high=\(high); swap them")
            }
            if log, low <= 0 {
                throw fail("log scale needs low > 0, got low=\(low); raise low or use log: false")
            }
            guard let step else { return }
            if log {
                throw fail("step and log: true cannot be combined (got step=\(step)); drop step or use log: false")
            }
            guard step.isFinite, step > 0 else {
                throw fail("step must be a positive number, got step=\(step); use a step > 0 or drop it")
            }
            let intervals = (high - low) / step
            guard intervals >= 1 - 1e-9 else {
                throw fail("step=\(step) is wider than high - low = \(high - low); use a smaller step")
            }
            guard intervals < Double(Self.widestIntegerRange) else {
                throw fail("step=\(step) gives more than 2^53 values in [\(low), \(high)]; use a larger step or drop it")
            }
            if abs(intervals - intervals.rounded()) > 1e-9 * max(1, intervals) {
                let suggestion = low + intervals.rounded(.down) * step
                throw fail(
                    "high - low = \(high - low) is not a multiple of step=\(step); set high to \(suggestion) (low + k·step)"
                )
            }
        case .int(let low, let high, let log, let step):
            if low == high {
                throw fail("low == high (\(low)) leaves a single value; use type: fixed with value: \(low)")
            }
            guard low < high else {
                throw fail("needs low < high, got low=\(low), high=\(high); swap them")
            }
            let (width, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, width < Self.widestIntegerRange else {
                throw fail("range [\(low), \(high)] is wider than 2^53; narrow it or use type: float")
            }
            if log, low < 1 {
                throw fail("log scale needs low >= 1, got low=\(low); raise low or use log: false")
            }
            guard let step else { return }
            if log, step != 1 {
                throw fail("step and log: true cannot be combined (got step=\(step)); drop step or use log: false")
            }
            guard step >= 1 else {
                throw fail("step must be a positive integer, got step=\(step); use a step >= 1 or drop it")
            }
            if width % step != 0 {
                let suggestion = low + (width / step) * step
                throw fail(
                    "high - low = \(width) is not a multiple of step=\(step); set high to \(suggestion) (low + k·step)"
                )
            }
        case .categorical(let choices):
            guard !choices.isEmpty else {
                throw fail("needs at least one choice; list them under choices:")
            }
            // One hash lookup per choice (a list of 100,000 choices took seconds when each was compared with all
            // earlier ones). `ChoiceKey` equality is `isNumericallyEqual`: 1 and 1.0 are the same choice, "1" is not.
            var seen = Set<ChoiceKey>(minimumCapacity: choices.count)
            for (index, choice) in choices.enumerated() {
                if let number = choice.doubleValue, !number.isFinite {
                    throw fail("choice \(choice) is not a finite number; remove it")
                }
                guard seen.insert(ChoiceKey(choice)).inserted else {
                    throw fail(
                        "choice \(Self.spell(choice)) (number \(index + 1)) appears twice in \(Self.describe(choices)); "
                            + "remove the duplicate")
                }
            }
        case .fixed(let value):
            if let number = value.doubleValue, !number.isFinite {
                throw fail("fixed value \(value) is not a finite number; use a finite value")
            }
        }
    }

    /// `[sgd, adam, "1", 1]`: choices as a study file would list them (see ``spell(_:)``).
    /// At most ``describedChoiceLimit`` are listed, then how many more there are.
    static func describe(_ choices: [ParameterValue]) -> String {
        guard choices.count > describedChoiceLimit else {
            return "[" + choices.map(spell).joined(separator: ", ") + "]"
        }
        let shown = choices.prefix(describedChoiceLimit).map(spell).joined(separator: ", ")
        return "[\(shown), … (\(choices.count) choices)]"
    }

    /// How many choices an error message lists.
    static let describedChoiceLimit = 20

    /// A value as a study file would write it: bare, except a string that would read as a number or a boolean,
    /// which is quoted, so that `"1"` and `1` do not look alike in a message.
    static func spell(_ value: ParameterValue) -> String {
        guard case .string(let text) = value else { return value.description }
        let readsAsOtherType = Double(text) != nil || ["true", "false", "yes", "no", "on", "off", "null", "~", ""]
            .contains(text.lowercased())
        return readsAsOtherType ? "\"\(text)\"" : text
    }
}


/// A categorical choice for duplicate detection: numbers by value (`1`, `1.0` and `-0.0`/`0` coincide, as
/// ``ParameterValue/isNumericallyEqual(to:)`` has it), strings and booleans by themselves (`"1"` is not `1`).
private enum ChoiceKey: Hashable {
    case number(Double)
    case string(String)
    case bool(Bool)

    init(_ value: ParameterValue) {
        switch value {
        case .int, .double: self = .number(value.doubleValue ?? .nan)
        case .string(let text): self = .string(text)
        case .bool(let flag): self = .bool(flag)
        }
    }
}
