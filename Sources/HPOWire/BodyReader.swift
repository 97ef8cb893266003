import HPOSearchSpace

/// Reads typed fields out of a parsed body, throwing a ``WireError`` that names the message type and the field.
struct BodyReader {
    /// The message type, for errors.
    let type: String
    /// The object's members.
    let members: [ParsedMember]
    /// The object's path within the body (`""` at the top, `"best."` inside `best`).
    let prefix: String

    init(type: String, members: [ParsedMember], prefix: String = "") {
        self.type = type
        self.members = members
        self.prefix = prefix
    }

    private func error(_ code: WireError.Code, _ field: String, _ message: String) -> WireError {
        WireError(code, messageType: type, field: prefix + field, message)
    }

    private func wrongType(_ field: String, _ expected: String, _ value: ParsedJSON) -> WireError {
        error(.wrongType, field, "expected \(expected), got \(value.kindDescription)")
    }

    /// The member `field`, or nil when absent or `null`.
    func optional(_ field: String) -> ParsedJSON? {
        switch members[member: field] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    /// The member `field`; absent or `null` is a `missingField` error.
    func required(_ field: String) throws(WireError) -> ParsedJSON {
        guard let value = optional(field) else { throw error(.missingField, field, "is required") }
        return value
    }

    /// An integer ≥ `minimum`.
    func int(_ field: String, minimum: Int = 0) throws(WireError) -> Int {
        try checkedInt(field, try required(field), minimum: minimum)
    }

    /// An integer ≥ `minimum`, or nil when absent or `null`.
    func optionalInt(_ field: String, minimum: Int = 0) throws(WireError) -> Int? {
        guard let value = optional(field) else { return nil }
        return try checkedInt(field, value, minimum: minimum)
    }

    private func checkedInt(_ field: String, _ value: ParsedJSON, minimum: Int) throws(WireError) -> Int {
        guard case .int(let number) = value else { throw wrongType(field, "an integer", value) }
        guard number >= minimum else {
            throw error(.invalidValue, field, "expected an integer >= \(minimum), got \(number)")
        }
        return number
    }

    /// A finite real (integer literals accepted).
    func double(_ field: String) throws(WireError) -> Double {
        try finite(field, try required(field))
    }

    private func finite(_ field: String, _ value: ParsedJSON) throws(WireError) -> Double {
        let number: Double
        switch value {
        case .int(let integer): number = Double(integer)
        case .double(let real): number = real
        default: throw wrongType(field, "a number", value)
        }
        guard number.isFinite else {
            throw error(.nonFiniteNumber, field, "expected a finite number, got \(number)")
        }
        return number
    }

    /// A duration sent as seconds (finite, ≥ 0, below 10^9 s), rounded to whole nanoseconds so that a duration
    /// in nanoseconds survives the trip through a decimal number exactly.
    func seconds(_ field: String) throws(WireError) -> Duration {
        let value = try double(field)
        guard value >= 0, value < 1e9 else {
            throw error(.invalidValue, field, "expected seconds in [0, 1e9), got \(value)")
        }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }

    /// A string.
    func string(_ field: String) throws(WireError) -> String {
        let value = try required(field)
        guard case .string(let text) = value else { throw wrongType(field, "a string", value) }
        return text
    }

    /// A string, or nil when absent or `null`.
    func optionalString(_ field: String) throws(WireError) -> String? {
        guard let value = optional(field) else { return nil }
        guard case .string(let text) = value else { throw wrongType(field, "a string", value) }
        return text
    }

    /// A boolean.
    func bool(_ field: String) throws(WireError) -> Bool {
        let value = try required(field)
        guard case .bool(let flag) = value else { throw wrongType(field, "a boolean", value) }
        return flag
    }

    /// An array of strings; absent means empty.
    func strings(_ field: String) throws(WireError) -> [String] {
        try array(field, of: "strings") { (path, element) throws(WireError) in
            guard case .string(let text) = element else { throw wrongType(path(), "a string", element) }
            return text
        }
    }

    /// An array of integers ≥ `minimum`; absent means empty.
    func ints(_ field: String, minimum: Int) throws(WireError) -> [Int] {
        try array(field, of: "integers") { (path, element) throws(WireError) in
            try checkedInt(path(), element, minimum: minimum)
        }
    }

    /// The array `field`, each element read by `read` with its path (`field[i]`, built only when `read` asks, so a
    /// reader that needs it only for errors costs no string per element); absent or `null` means empty.
    /// `elements` names what it holds, for the error when `field` is not an array ("an array of `elements`").
    private func array<Element>(
        _ field: String, of elements: String, _ read: (_ path: () -> String, ParsedJSON) throws(WireError) -> Element
    ) throws(WireError) -> [Element] {
        guard let value = optional(field) else { return [] }
        guard case .array(let items) = value else { throw wrongType(field, "an array of \(elements)", value) }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            result.append(try read({ "\(field)[\(index)]" }, item))
        }
        return result
    }

    /// A nested object, read with the same message type and a longer path.
    func object(_ field: String) throws(WireError) -> BodyReader {
        try nested(field, try required(field))
    }

    /// A nested object, or nil when absent or `null`.
    func optionalObject(_ field: String) throws(WireError) -> BodyReader? {
        guard let value = optional(field) else { return nil }
        return try nested(field, value)
    }

    private func nested(_ field: String, _ value: ParsedJSON) throws(WireError) -> BodyReader {
        guard case .object(let inner) = value else { throw wrongType(field, "an object", value) }
        return BodyReader(type: type, members: inner, prefix: prefix + field + ".")
    }

    /// An object of finite numbers; absent means empty.
    func metrics(_ field: String) throws(WireError) -> [String: Double] {
        guard let reader = try optionalObject(field) else { return [:] }
        var result: [String: Double] = [:]
        for (name, value) in reader.members {
            result[name] = try reader.finite(name, value)
        }
        return result
    }

    /// Hyperparameter values: an object of scalars; integer literals become `.int`, reals `.double`.
    func assignment(_ field: String) throws(WireError) -> Assignment {
        let reader = try object(field)
        var result = Assignment(minimumCapacity: reader.members.count)
        for (name, value) in reader.members {
            switch value {
            case .int(let number): result[name] = .int(number)
            case .double(let number):
                guard number.isFinite else {
                    throw reader.error(.nonFiniteNumber, name, "expected a finite number, got \(number)")
                }
                result[name] = .double(number)
            case .string(let text): result[name] = .string(text)
            case .bool(let flag): result[name] = .bool(flag)
            default: throw reader.wrongType(name, "a number, string or boolean", value)
            }
        }
        return result
    }

    /// Free-form JSON members (e.g. objective options); absent means empty. Numbers must be finite.
    func jsonObject(_ field: String) throws(WireError) -> [String: JSONValue] {
        guard let reader = try optionalObject(field) else { return [:] }
        var result: [String: JSONValue] = [:]
        for (name, value) in reader.members {
            result[name] = try reader.json(value, path: name)
        }
        return result
    }

    private func json(_ value: ParsedJSON, path: String) throws(WireError) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(Double(number))
        case .double(let number):
            guard number.isFinite else {
                throw error(.nonFiniteNumber, path, "expected a finite number, got \(number)")
            }
            return .number(number)
        case .string(let text): return .string(text)
        case .array(let elements):
            var result: [JSONValue] = []
            for (index, element) in elements.enumerated() {
                result.append(try json(element, path: "\(path)[\(index)]"))
            }
            return .array(result)
        case .object(let inner):
            var result: [String: JSONValue] = [:]
            for (name, element) in inner {
                result[name] = try json(element, path: "\(path).\(name)")
            }
            return .object(result)
        }
    }

    /// `[{"trial_id": 1, "attempt": 0}, ...]`; absent means empty.
    func trialKeys(_ field: String) throws(WireError) -> [TrialKey] {
        try array(field, of: "{trial_id, attempt}") { (path, element) throws(WireError) in
            try nested(path(), element).trialKey()
        }
    }

    /// `trial_id` and `attempt` of this object.
    func trialKey() throws(WireError) -> TrialKey {
        TrialKey(trialID: try int("trial_id"), attempt: try int("attempt"))
    }

    /// An error about a field's value.
    func invalid(_ field: String, _ message: String) -> WireError {
        error(.invalidValue, field, message)
    }
}
