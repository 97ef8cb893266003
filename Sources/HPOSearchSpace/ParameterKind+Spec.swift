/// The study-file form of a parameter kind:
///
/// ```yaml
/// {type: float, low: 1.0e-5, high: 0.1, log: true}      # log and step optional
/// {type: int, low: 32, high: 256, step: 32}
/// {type: categorical, choices: [sgd, adam]}
/// {type: fixed, value: 50}
/// ```
extension ParameterKind {
    /// The keys each `type` accepts (besides `type`, and `name` in list form).
    static let specKeys: [String: [String]] = [
        "float": ["low", "high", "log", "step"],
        "int": ["low", "high", "log", "step"],
        "categorical": ["choices"],
        "fixed": ["value"],
    ]

    /// Reads a spec for parameter `parameter`; unknown keys are errors (they are usually typos).
    ///
    /// - Throws: ``SearchSpaceError`` (`.invalidSpec`) naming the parameter and key, or the definition error of
    ///   ``check(name:)``.
    static func decodeSpec(from decoder: any Decoder, parameter: String, allowsName: Bool) throws -> ParameterKind {
        func fail(_ message: String) -> SearchSpaceError {
            SearchSpaceError(.invalidSpec, parameter: parameter, message)
        }
        let container: KeyedDecodingContainer<ParameterSpecKey>
        do {
            container = try decoder.container(keyedBy: ParameterSpecKey.self)
        } catch {
            throw fail("expected a mapping such as {type: float, low: 0.0, high: 1.0}; write the spec as a mapping")
        }
        func scalar(_ key: String) throws -> ParameterValue? {
            let codingKey = ParameterSpecKey(key)
            guard container.contains(codingKey) else { return nil }
            do {
                return try container.decode(ParameterValue.self, forKey: codingKey)
            } catch {
                throw fail("\(key): expected a single value (number, string or boolean); write one value")
            }
        }
        func required(_ key: String, _ type: String) throws -> ParameterValue {
            guard let value = try scalar(key) else {
                throw fail("type \(type) needs \(key):; add it")
            }
            return value
        }
        func real(_ key: String, _ value: ParameterValue) throws -> Double {
            guard let number = value.doubleValue else {
                throw fail("\(key): expected a number, got \(value.kindDescription) \"\(value)\"; write a number")
            }
            return number
        }
        func integer(_ key: String, _ value: ParameterValue) throws -> Int {
            guard let number = value.intValue else {
                throw fail("\(key): expected an integer, got \(value.kindDescription) \"\(value)\"; write an integer or use type: float")
            }
            return number
        }
        func flag(_ key: String) throws -> Bool {
            guard let value = try scalar(key) else { return false }
            guard let flag = value.boolValue else {
                throw fail("\(key): expected true or false, got \(value.kindDescription) \"\(value)\"")
            }
            return flag
        }

        guard let typeValue = try scalar("type") else {
            throw fail("has no type:; add type: float, int, categorical or fixed")
        }
        guard let type = typeValue.stringValue, let allowed = specKeys[type] else {
            throw fail("unknown type \"\(typeValue)\"; use float, int, categorical or fixed")
        }
        let accepted = Set(allowed + ["type", "when"] + (allowsName ? ["name"] : []))
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !accepted.contains($0) }) {
            throw fail("unknown key \"\(unknown)\" for type \(type); allowed keys: \(allowed.joined(separator: ", "))")
        }

        let kind: ParameterKind
        switch type {
        case "float":
            let low = try real("low", try required("low", type))
            let high = try real("high", try required("high", type))
            let step = try scalar("step").map { value throws in try real("step", value) }
            kind = .float(low: low, high: high, log: try flag("log"), step: step)
        case "int":
            let low = try integer("low", try required("low", type))
            let high = try integer("high", try required("high", type))
            let step = try scalar("step").map { value throws in try integer("step", value) }
            kind = .int(low: low, high: high, log: try flag("log"), step: step)
        case "categorical":
            let key = ParameterSpecKey("choices")
            guard container.contains(key) else {
                throw fail("type categorical needs choices:; add a list such as choices: [sgd, adam]")
            }
            do {
                kind = .categorical(try container.decode([ParameterValue].self, forKey: key))
            } catch {
                throw fail("choices: expected a list of values such as [sgd, adam]; write a list")
            }
        default:
            kind = .fixed(try required("value", type))
        }
        try kind.check(name: parameter)
        return kind
    }

    /// Writes the spec (with `name` first when given); `log: false` and a missing step are left out.
    func encodeSpec(to encoder: any Encoder, name: String?) throws {
        var container = encoder.container(keyedBy: ParameterSpecKey.self)
        if let name { try container.encode(name, forKey: ParameterSpecKey("name")) }
        try container.encode(typeName, forKey: ParameterSpecKey("type"))
        switch self {
        case .float(let low, let high, let log, let step):
            try container.encode(low, forKey: ParameterSpecKey("low"))
            try container.encode(high, forKey: ParameterSpecKey("high"))
            if log { try container.encode(true, forKey: ParameterSpecKey("log")) }
            if let step { try container.encode(step, forKey: ParameterSpecKey("step")) }
        case .int(let low, let high, let log, let step):
            try container.encode(low, forKey: ParameterSpecKey("low"))
            try container.encode(high, forKey: ParameterSpecKey("high"))
            if log { try container.encode(true, forKey: ParameterSpecKey("log")) }
            if let step { try container.encode(step, forKey: ParameterSpecKey("step")) }
        case .categorical(let choices):
            try container.encode(choices, forKey: ParameterSpecKey("choices"))
        case .fixed(let value):
            try container.encode(value, forKey: ParameterSpecKey("value"))
        }
    }
}
