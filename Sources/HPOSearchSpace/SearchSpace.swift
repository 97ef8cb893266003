/// The hyperparameters of a study and their encoding into the unit cube `[0, 1]^d` that the optimizer works in.
///
/// Encoding, per parameter:
/// - real numbers map linearly (or linearly in `log` space on a log scale) onto one coordinate;
/// - integers and stepped reals are discrete: each of their `n` values owns an interval of width `1/n`
///   (equal width in log space on a log scale) and encodes to its centre, so every value is equally likely
///   under a uniform sample and rounding never leaves the bounds;
/// - categoricals are one-hot: one coordinate per choice, decoded by argmax. One-hot rather than an index
///   because an index would impose a false order (`adam` "between" `sgd` and `rmsprop`), while with one-hot
///   the GP's ARD kernel learns a separate length scale per choice;
/// - fixed values take no coordinate;
/// - a conditional parameter (``Parameter/condition``) that is inactive is left out of the assignment, and every
///   one of its coordinates is 0.5: all inactive points agree on it (the GP sees no spurious differences there, and
///   the parent's coordinates tell active from inactive), and 0.5 is equally far from every value it could take.
///
/// Parameters keep the order they were given in; that order fixes the coordinates, so it must be deterministic.
public struct SearchSpace: Sendable, Hashable {
    /// The parameters, in declared order.
    public let parameters: [Parameter]
    /// One entry per unit-cube coordinate; fixed parameters take none.
    public let dimensions: [EncodedDimension]
    /// For each parameter, the index of its first coordinate (meaningless for fixed parameters, which take none).
    let firstCoordinate: [Int]

    /// Checks every parameter and lays out the coordinates.
    ///
    /// - Throws: ``SearchSpaceError`` if a name is empty or repeated, or a definition is inconsistent
    ///   (see ``ParameterKind``).
    public init(_ parameters: [Parameter]) throws(SearchSpaceError) {
        var seen = Set<String>()
        var dimensions: [EncodedDimension] = []
        var firstCoordinate: [Int] = []
        for (index, parameter) in parameters.enumerated() {
            guard !parameter.name.isEmpty else {
                throw SearchSpaceError(.invalidName, parameter: nil, "parameter number \(index + 1) has an empty name; give it a name")
            }
            guard seen.insert(parameter.name).inserted else {
                throw SearchSpaceError(.invalidName, parameter: parameter.name, "is defined twice; rename or remove one of them")
            }
            try parameter.kind.check(name: parameter.name)
            if let condition = parameter.condition {
                try Self.check(condition, of: parameter.name, declaredBefore: parameters[..<index])
            }
            firstCoordinate.append(dimensions.count)
            switch parameter.kind {
            case .float(_, _, _, nil):
                dimensions.append(.continuous)
            case .float, .int:
                dimensions.append(.discrete(levels: parameter.kind.levelCount ?? 1))
            case .categorical(let choices):
                for choice in choices.indices {
                    dimensions.append(.oneHot(parameter: index, choice: choice, choices: choices.count))
                }
            case .fixed:
                break
            }
        }
        self.parameters = parameters
        self.dimensions = dimensions
        self.firstCoordinate = firstCoordinate
    }

    /// Whether any parameter has a `when:` condition.
    public var hasConditions: Bool { parameters.contains { $0.condition != nil } }

    /// The number of unit-cube coordinates `d`.
    public var dimensionCount: Int { dimensions.count }

    /// The parameter names in declared order.
    public var names: [String] { parameters.map(\.name) }

    /// The parameter called `name`, if any.
    public func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }

    /// The coordinates of parameter number `index` (empty for a fixed parameter).
    public func coordinates(ofParameter index: Int) -> Range<Int> {
        let start = firstCoordinate[index]
        return start..<(start + parameters[index].kind.coordinateCount)
    }
}
