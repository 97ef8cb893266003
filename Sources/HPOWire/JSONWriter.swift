import HPOSearchSpace

/// Appends compact JSON text to a byte buffer; hand-written because the per-trial messages are on the hot path.
///
/// Reals are always written with a fraction or an exponent (`32.0`, `1e-05`) and integers without, so a reader
/// can tell `ParameterValue.int` from `.double`. JSON has no NaN or infinity: they are written as the tokens
/// `NaN`, `Infinity` and `-Infinity`, which ``JSONParser`` reads only to reject them with a `nonFiniteNumber`
/// error naming the field.
struct JSONWriter {
    /// The text so far, UTF-8.
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends ASCII text as is (punctuation and keys known to need no escaping).
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends a quoted, escaped string.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an integer literal.
    mutating func int(_ value: Int) {
        if value >= 0, value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// Appends a real literal that always has a fraction or an exponent (`2.0`, `1e-05`).
    mutating func real(_ value: Double) {
        if value.isNaN {
            raw("NaN")
        } else if value.isInfinite {
            if value < 0 { raw("-Infinity") } else { raw("Infinity") }
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// Appends a JSON number the shortest way: integral values below 2^53 without a fraction.
    mutating func number(_ value: Double) {
        if value.isFinite, abs(value) < 9_007_199_254_740_992, value == value.rounded(.towardZero) {
            int(Int(value))
        } else {
            real(value)
        }
    }

    /// Appends a seconds value of a duration as a real.
    mutating func seconds(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        real(Double(seconds) + Double(attoseconds) * 1e-18)
    }

    /// Appends `true` or `false`.
    mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    /// Appends `key` (the member's leading punctuation and quoted name, e.g. `,"attempt":`) and an integer.
    mutating func member(_ key: StaticString, _ value: Int) {
        raw(key)
        int(value)
    }

    /// Appends `key` and a quoted, escaped string.
    mutating func member(_ key: StaticString, _ value: String) {
        raw(key)
        string(value)
    }

    /// Appends `key` and the string when there is one; nothing when `value` is nil (an optional member).
    mutating func member(_ key: StaticString, _ value: String?) {
        if let value { member(key, value) }
    }

    /// Appends `key` and a real literal.
    mutating func member(_ key: StaticString, real value: Double) {
        raw(key)
        real(value)
    }

    /// Appends `{"trial_id":<trialID>,"attempt":<attempt>`: the opening of every per-attempt object.
    mutating func openAttempt(_ trialID: Int, _ attempt: Int) {
        member("{\"trial_id\":", trialID)
        member(",\"attempt\":", attempt)
    }

    /// Appends an array, writing each element with `body`.
    mutating func array<Element>(_ elements: [Element], _ body: (inout JSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            body(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Appends a free-form JSON value, objects with sorted keys.
    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            array(elements) { writer, element in writer.write(element) }
        case .object(let members):
            object(members) { writer, member in writer.write(member) }
        }
    }

    /// Appends a hyperparameter value (ints as integer literals, reals as real literals).
    mutating func parameter(_ value: ParameterValue) {
        switch value {
        case .int(let number): int(number)
        case .double(let number): real(number)
        case .string(let text): string(text)
        case .bool(let flag): bool(flag)
        }
    }

    /// Appends an object with sorted keys, writing each member with `body`.
    mutating func object<Value>(_ members: [String: Value], _ body: (inout JSONWriter, Value) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for key in members.keys.sorted() {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            string(key)
            bytes.append(UInt8(ascii: ":"))
            body(&self, members[key]!)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `[{"trial_id":1,"attempt":0},...]`.
    mutating func trialKeys(_ keys: [TrialKey]) {
        array(keys) { writer, key in
            writer.openAttempt(key.trialID, key.attempt)
            writer.raw("}")
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
