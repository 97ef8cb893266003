/// The study-file form of a search space.
///
/// Decodes from either form:
/// ```yaml
/// lr:         {type: float, low: 1.0e-5, high: 1.0e-1, log: true}   # mapping: name -> spec
/// batch_size: {type: int, low: 32, high: 256, step: 32}
/// ---
/// - {name: lr, type: float, low: 1.0e-5, high: 1.0e-1, log: true}   # list with name: keys
/// ```
/// A list keeps its order. A mapping keeps its declared order only when the decoder says it keeps key order
/// (``SearchSpace/keepsMappingOrder`` in `userInfo`, as Yams does); otherwise its parameters are sorted by name,
/// because coordinates must not depend on a dictionary's hash order. Encodes as the list form, which round-trips
/// exactly through any coder.
extension SearchSpace: Codable {
    /// Set this `userInfo` key to `true` on a decoder whose keyed containers list keys in document order
    /// (e.g. Yams' `YAMLDecoder`), to keep a mapping's declared parameter order.
    public static let keepsMappingOrder = CodingUserInfoKey(rawValue: "hpo.searchSpace.keepsMappingOrder")!

    public init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var parameters: [Parameter] = []
            while !list.isAtEnd {
                parameters.append(try list.decode(Parameter.self))
            }
            try self.init(parameters)
            return
        }
        let mapping: KeyedDecodingContainer<ParameterSpecKey>
        do {
            mapping = try decoder.container(keyedBy: ParameterSpecKey.self)
        } catch {
            throw SearchSpaceError(
                .invalidSpec, parameter: nil,
                "a search space must be a mapping (name: {type: ...}) or a list of specs with name: keys"
            )
        }
        var keys = mapping.allKeys
        if (decoder.userInfo[Self.keepsMappingOrder] as? Bool) != true {
            keys.sort { $0.stringValue < $1.stringValue }
        }
        var parameters: [Parameter] = []
        for key in keys {
            let mapped = try mapping.decode(MappedKind.self, forKey: key)
            parameters.append(Parameter(name: key.stringValue, kind: mapped.kind, condition: mapped.condition))
        }
        try self.init(parameters)
    }

    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        for parameter in parameters {
            try list.encode(parameter)
        }
    }
}

/// A spec under a parameter's name in the mapping form; the name is the last key of the coding path.
private struct MappedKind: Decodable {
    var kind: ParameterKind
    var condition: ParameterCondition?

    init(from decoder: any Decoder) throws {
        let name = decoder.codingPath.last?.stringValue ?? "?"
        kind = try ParameterKind.decodeSpec(from: decoder, parameter: name, allowsName: false)
        condition = try ParameterCondition.decodeSpec(from: decoder, parameter: name)
    }
}
