/// Checking one value of one parameter.
extension ParameterKind {
    /// Returns `value` in its canonical form for parameter `name`: ints as `.int`, reals as `.double` (snapped
    /// onto the step grid when within 1e-9 steps of it), a categorical choice as listed.
    ///
    /// - Throws: ``SearchSpaceError`` with code `.invalidValue` naming the parameter, the value and the allowed range.
    func canonicalValue(_ value: ParameterValue, name: String) throws(SearchSpaceError) -> ParameterValue {
        func fail(_ message: String) -> SearchSpaceError {
            SearchSpaceError(.invalidValue, parameter: name, message)
        }
        switch self {
        case .float(let low, let high, _, let step):
            guard let x = value.doubleValue else {
                throw fail("expected a real number, got \(value.kindDescription) \"\(value)\"; give a number in [\(low), \(high)]")
            }
            guard x.isFinite else {
                throw fail("expected a finite number, got \(x); give a number in [\(low), \(high)]")
            }
            guard x >= low, x <= high else {
                throw fail("\(x) is outside [\(low), \(high)]; give a value within the bounds")
            }
            guard let step, let levels = levelCount else { return .double(x) }
            let index = min(levels - 1, max(0, Int(((x - low) / step).rounded())))
            let nearest = Self.steppedValue(low: low, high: high, step: step, index: index, levels: levels)
            guard abs(x - nearest) <= 1e-9 * step else {
                throw fail("\(x) is not on the grid low + k·step (low=\(low), step=\(step)); the nearest allowed value is \(nearest)")
            }
            return .double(nearest)
        case .int(let low, let high, _, let step):
            guard let x = value.intValue else {
                throw fail("expected an integer, got \(value.kindDescription) \"\(value)\"; give an integer in [\(low), \(high)]")
            }
            guard x >= low, x <= high else {
                throw fail("\(x) is outside [\(low), \(high)]; give a value within the bounds")
            }
            if let step, (x - low) % step != 0 {
                let below = low + (x - low) / step * step
                throw fail("\(x) is not on the grid low + k·step (low=\(low), step=\(step)); use \(below) or \(below + step)")
            }
            return .int(x)
        case .categorical(let choices):
            guard let choice = choices.first(where: { $0.isNumericallyEqual(to: value) }) else {
                throw fail("\(Self.spell(value)) is not one of the choices \(Self.describe(choices)); use one of them")
            }
            return choice
        case .fixed(let fixed):
            guard fixed.isNumericallyEqual(to: value) else {
                throw fail("is fixed to \(fixed), got \(value); leave it out of the assignment or give \(fixed)")
            }
            return fixed
        }
    }
}
