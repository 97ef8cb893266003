/// One named hyperparameter and the values it may take.
///
/// Codable as a spec with a `name` key, e.g. `{name: lr, type: float, low: 1.0e-5, high: 0.1, log: true}`;
/// ``SearchSpace`` also reads the mapping form (name -> spec without `name`).
public struct Parameter: Sendable, Hashable, Codable {
    /// The name a trial sees; unique within a search space, not empty.
    public var name: String
    /// The values it may take.
    public var kind: ParameterKind
    /// When it is active (`when:`); nil: always.
    public var condition: ParameterCondition?

    public init(name: String, kind: ParameterKind, condition: ParameterCondition? = nil) {
        self.name = name
        self.kind = kind
        self.condition = condition
    }

    /// This parameter, active only when `parent` has one of `values`.
    public func when(_ parent: String, is values: ParameterValue...) -> Parameter {
        Parameter(name: name, kind: kind, condition: ParameterCondition(parent: parent, values: values))
    }

    /// A real-valued parameter in `[low, high]`.
    public static func float(_ name: String, _ low: Double, _ high: Double, log: Bool = false, step: Double? = nil) -> Parameter {
        Parameter(name: name, kind: .float(low: low, high: high, log: log, step: step))
    }

    /// An integer parameter in `[low, high]`.
    public static func int(_ name: String, _ low: Int, _ high: Int, log: Bool = false, step: Int? = nil) -> Parameter {
        Parameter(name: name, kind: .int(low: low, high: high, log: log, step: step))
    }

    /// A categorical parameter with the given choices.
    public static func categorical(_ name: String, _ choices: [ParameterValue]) -> Parameter {
        Parameter(name: name, kind: .categorical(choices))
    }

    /// A constant parameter.
    public static func fixed(_ name: String, _ value: ParameterValue) -> Parameter {
        Parameter(name: name, kind: .fixed(value))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParameterSpecKey.self)
        let nameKey = ParameterSpecKey("name")
        guard container.contains(nameKey) else {
            throw SearchSpaceError(
                .invalidSpec, parameter: nil,
                "a parameter in list form has no \"name\" key; add name: <parameter name> to it"
            )
        }
        let name: String
        do {
            name = try container.decode(String.self, forKey: nameKey)
        } catch {
            throw SearchSpaceError(.invalidSpec, parameter: nil, "a parameter's \"name\" is not a string; quote it")
        }
        self.init(
            name: name, kind: try ParameterKind.decodeSpec(from: decoder, parameter: name, allowsName: true),
            condition: try ParameterCondition.decodeSpec(from: decoder, parameter: name))
    }

    public func encode(to encoder: any Encoder) throws {
        try kind.encodeSpec(to: encoder, name: name)
        if let condition {
            var container = encoder.container(keyedBy: ParameterSpecKey.self)
            try container.encode(condition, forKey: ParameterSpecKey("when"))
        }
    }
}
