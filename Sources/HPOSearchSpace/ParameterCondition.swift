/// When a parameter is active: `when: {optimizer: sgd}` or `when: {optimizer: [sgd, nesterov]}` in a study file.
///
/// The parent must be a categorical or fixed parameter declared earlier; a parameter is active when its parent is
/// active and has one of ``values``. An inactive parameter is left out of assignments (and of a trial's
/// parameters); in the unit cube every coordinate of an inactive parameter is 0.5 (``SearchSpace``).
public struct ParameterCondition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The parameter this one depends on.
    public var parent: String
    /// The parent's values that make this parameter active (at least one).
    public var values: [ParameterValue]

    public init(parent: String, values: [ParameterValue]) {
        self.parent = parent
        self.values = values
    }

    /// Whether `value` (the parent's value, nil when the parent is inactive) activates the parameter.
    public func isMet(by value: ParameterValue?) -> Bool {
        guard let value else { return false }
        return values.contains { $0.isNumericallyEqual(to: value) }
    }

    /// `{optimizer: sgd}` or `{optimizer: [sgd, nesterov]}`, as written in a study file.
    public var description: String {
        let shown = values.map { ParameterKind.spell($0) }
        return "{\(parent): \(shown.count == 1 ? shown[0] : "[" + shown.joined(separator: ", ") + "]")}"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParameterSpecKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw SearchSpaceError(
                .invalidSpec, parameter: decoder.codingPath.dropLast().last?.stringValue,
                "when: expected one parent parameter and its value(s), such as when: {optimizer: sgd}")
        }
        parent = key.stringValue
        if let list = try? container.decode([ParameterValue].self, forKey: key) {
            values = list
        } else {
            values = [try container.decode(ParameterValue.self, forKey: key)]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ParameterSpecKey.self)
        try container.encode(values, forKey: ParameterSpecKey(parent))
    }
}

extension ParameterCondition {
    /// Reads the optional `when:` key of parameter `parameter`'s spec.
    ///
    /// - Throws: ``SearchSpaceError`` (`.invalidSpec`) naming the parameter when `when:` is not a one-key mapping.
    static func decodeSpec(from decoder: any Decoder, parameter: String) throws -> ParameterCondition? {
        let container = try decoder.container(keyedBy: ParameterSpecKey.self)
        let key = ParameterSpecKey("when")
        guard container.contains(key) else { return nil }
        do {
            return try container.decode(ParameterCondition.self, forKey: key)
        } catch {
            throw SearchSpaceError(
                .invalidSpec, parameter: parameter,
                "when: expected one parent parameter and its value(s), such as when: {optimizer: sgd} or "
                    + "when: {optimizer: [sgd, rmsprop]}")
        }
    }
}
