/// One value of one hyperparameter: an integer, a real number, a string or a boolean.
///
/// Codable as a bare scalar (`32`, `0.001`, `"adam"`, `true`), so a value reads the same in YAML, JSON and
/// on the wire. Decoding tries boolean, then integer, then real, then string; a decoder that cannot tell `1.0`
/// from `1` (Foundation's JSON) may return `.int(1)` for it, and ``SearchSpace/validate(_:)`` coerces such a
/// value back to the parameter's kind.
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    /// The value as a real number: exact for `.double`, converted for `.int`, `nil` for strings and booleans.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string, .bool: nil
        }
    }

    /// The value as an integer: `.int` as is, `.double` only when it is integral and in range, else `nil`.
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): Int(exactly: value)
        case .string, .bool: nil
        }
    }

    /// The value as a string, or `nil` unless it is `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The value as a boolean, or `nil` unless it is `.bool`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The kind of value in words, for error messages ("an integer", "a string", ...).
    public var kindDescription: String {
        switch self {
        case .int: "an integer"
        case .double: "a real number"
        case .string: "a string"
        case .bool: "a boolean"
        }
    }

    /// True when both values are the same number (`.int(2)` and `.double(2.0)`), or are equal otherwise.
    public func isNumericallyEqual(to other: ParameterValue) -> Bool {
        if self == other { return true }
        if let left = doubleValue, let right = other.doubleValue {
            return left == right
        }
        return false
    }

    /// The value as it would be written in a study file: `32`, `0.001`, `adam`, `true`.
    public var description: String {
        switch self {
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        case .bool(let value): String(value)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let value: ParameterValue = container.firstDecoded(
            { .bool(try $0.decode(Bool.self)) }, { .int(try $0.decode(Int.self)) },
            { .double(try $0.decode(Double.self)) }, { .string(try $0.decode(String.self)) })
        else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a scalar (integer, real number, string or boolean)"
            )
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}

/// A full set of hyperparameter values: parameter name -> value.
public typealias Assignment = [String: ParameterValue]
