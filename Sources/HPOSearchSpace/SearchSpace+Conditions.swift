/// Conditional parameters (`when:`): which are active in an assignment.
extension SearchSpace {
    /// The value every coordinate of an inactive parameter takes in the unit cube.
    public static let inactiveCoordinate = 0.5

    /// Whether parameter number `index` is active given the values decided so far (its parent comes earlier).
    func isActive(_ index: Int, in assignment: Assignment) -> Bool {
        guard let condition = parameters[index].condition else { return true }
        return condition.isMet(by: assignment[condition.parent])
    }

    /// Checks a condition when the space is built: the parent is an earlier categorical or fixed parameter, and
    /// every value is one of its choices.
    static func check(
        _ condition: ParameterCondition, of name: String, declaredBefore earlier: ArraySlice<Parameter>
    ) throws(SearchSpaceError) {
        guard let parent = earlier.first(where: { $0.name == condition.parent }) else {
            throw SearchSpaceError(
                .invalidParameter, parameter: name,
                "when: \(condition.parent) is not a parameter declared before \(name); declare the parent first")
        }
        guard !condition.values.isEmpty else {
            throw SearchSpaceError(.invalidParameter, parameter: name, "when: give at least one value of \(parent.name)")
        }
        let allowed: [ParameterValue]
        switch parent.kind {
        case .categorical(let choices): allowed = choices
        case .fixed(let value): allowed = [value]
        case .float, .int:
            throw SearchSpaceError(
                .invalidParameter, parameter: name,
                "when: the parent \(parent.name) is a \(parent.kind.typeName); a condition needs a categorical parent")
        }
        for value in condition.values where !allowed.contains(where: { $0.isNumericallyEqual(to: value) }) {
            throw SearchSpaceError(
                .invalidParameter, parameter: name,
                "when: \(ParameterKind.spell(value)) is not a choice of \(parent.name) \(ParameterKind.describe(allowed)); use one of them")
        }
    }
}
