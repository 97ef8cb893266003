/// A parsed JSON value that keeps what `JSONValue` drops: whether a number was written as an integer
/// (`32`) or as a real (`32.0`, `3.2e1`), so that `ParameterValue.int` and `.double` survive the wire.
enum ParsedJSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ParsedJSON])
    /// Members in document order; keys are unique (the parser rejects duplicates). An array rather than a
    /// dictionary because bodies have a handful of keys, where a linear scan beats hashing.
    case object([ParsedMember])

    /// The kind of value in words, for error messages.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a real number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One member of a parsed JSON object.
typealias ParsedMember = (key: String, value: ParsedJSON)

extension Array where Element == ParsedMember {
    /// The value under `key`, if any.
    subscript(member key: String) -> ParsedJSON? {
        for member in self where member.key == key { return member.value }
        return nil
    }
}
