import HPOWire
import Yams

/// Reads the keys of one YAML mapping of a study file, tracking the key path for errors and rejecting unknown keys.
struct YAMLMappingReader {
    /// The study file, for errors.
    let file: String?
    /// The mapping's own key path (`""` at the top, `"budget"` inside `budget:`).
    let path: String
    /// The mapping's node, for its line number.
    let node: Node
    /// The entries in document order.
    let entries: [(key: String, value: Node)]
    /// Keys this section accepts.
    let known: [String]

    init(_ node: Node, path: String, file: String?, known: [String]) throws(StudyFileError) {
        guard let mapping = node.mapping else {
            throw StudyFileError(.invalidValue, 
                file: file, keyPath: path, line: Self.line(of: node),
                "expected a mapping of keys (\(known.joined(separator: ", "))), got \(Self.describe(node))"
            )
        }
        var entries: [(key: String, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw StudyFileError(.yamlSyntax, file: file, keyPath: path, line: Self.line(of: keyNode), "keys must be plain names")
            }
            entries.append((key, value))
        }
        self.file = file
        self.path = path
        self.node = node
        self.entries = entries
        self.known = known
        try rejectUnknownKeys()
    }

    /// `path.key`.
    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value under `key`, or nil when absent or `null`.
    func value(_ key: String) -> Node? {
        guard let node = entries.first(where: { $0.key == key })?.value else { return nil }
        if node.scalar != nil, Self.tagName(of: node) == .null { return nil }
        return node
    }

    /// An error about `key`'s value.
    func error(_ key: String, _ message: String, code: StudyFileError.Code = .invalidValue) -> StudyFileError {
        StudyFileError(code, file: file, keyPath: keyPath(key), line: value(key).flatMap(Self.line(of:)) ?? Self.line(of: node), message)
    }

    /// A required value.
    func required(_ key: String, _ what: String) throws(StudyFileError) -> Node {
        guard let node = value(key) else {
            throw StudyFileError(.missingKey, file: file, keyPath: keyPath(key), line: Self.line(of: node), "is required; add \(key): <\(what)>")
        }
        return node
    }

    /// A string (any scalar, as written).
    func string(_ key: String) throws(StudyFileError) -> String? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar else { throw error(key, "expected a string, got \(Self.describe(node))") }
        return scalar.string
    }

    /// An integer in `minimum...maximum`.
    func int(_ key: String, minimum: Int, maximum: Int = .max, what: String) throws(StudyFileError) -> Int? {
        guard let node = value(key) else { return nil }
        guard node.scalar != nil, Self.tagName(of: node) == .int, let number = node.int else {
            throw error(key, "expected \(what), got \(Self.describe(node)); write a whole number such as \(max(minimum, 10))")
        }
        guard number >= minimum else {
            throw error(key, "expected \(what), got \(number); use a number >= \(minimum)")
        }
        guard number <= maximum else {
            throw error(key, "expected \(what), got \(number); use a number <= \(maximum)")
        }
        return number
    }

    /// One of `choices` (case-insensitive).
    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _ type: Choice.Type) throws(StudyFileError) -> Choice?
    where Choice.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let choice = Choice.allCases.first(where: { $0.rawValue == text.lowercased() }) else {
            let list = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(key, "expected one of \(list), got \"\(text)\"")
        }
        return choice
    }

    /// A duration (`90s`, `10m`, `1h30m`, `250ms`, or seconds).
    func duration(_ key: String) throws(StudyFileError) -> Duration? {
        guard let node = value(key) else { return nil }
        guard let text = node.scalar?.string, let seconds = StudyDuration.seconds(text) else {
            throw error(key, "expected a duration such as 90s, 10m or 1h30m, got \(Self.describe(node))")
        }
        guard seconds <= StudyDuration.maximumSeconds, let duration = StudyDuration.parse(text) else {
            throw error(key, "expected at most \(StudyDuration.maximumText), got \(Self.describe(node)); write a shorter duration such as 10m")
        }
        return duration
    }

    /// A nested mapping section, or nil when absent.
    func section(_ key: String, known: [String]) throws(StudyFileError) -> YAMLMappingReader? {
        guard let node = value(key) else { return nil }
        return try YAMLMappingReader(node, path: keyPath(key), file: file, known: known)
    }

    private func rejectUnknownKeys() throws(StudyFileError) {
        for (key, value) in entries where !known.contains(key) {
            var message = "unknown key"
            if let suggestion = SpellingSuggestion.closest(to: key, in: known) { message += "; did you mean \(suggestion)?" }
            message += " (known keys here: \(known.joined(separator: ", ")))"
            throw StudyFileError(.unknownKey, file: file, keyPath: keyPath(key), line: Self.line(of: value), message)
        }
    }

    /// The resolved tag of `node` (`!!int`, `!!str`, ...): plain scalars by their look, quoted ones as strings.
    static func tagName(of node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    /// The 1-based line of `node`, when the parser recorded it.
    static func line(of node: Node) -> Int? { node.mark?.line }

    /// `"ten"`, `a mapping`, `a list`: a node as echoed in errors.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "\"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A YAML value as free-form JSON (objective options): plain scalars by their resolved tag, quoted ones as strings.
    static func json(_ node: Node, path: String, file: String?) throws(StudyFileError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Self.tagName(of: node) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map { .number(Double($0)) } ?? .string(scalar.string)
            case .float:
                guard let number = node.float, number.isFinite else {
                    throw StudyFileError(.invalidValue, file: file, keyPath: path, line: line(of: node), "numbers must be finite, got \(scalar.string)")
                }
                return .number(number)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for (index, element) in sequence.enumerated() {
                elements.append(try json(element, path: "\(path)[\(index)]", file: file))
            }
            return .array(elements)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                let name = key.scalar?.string ?? "?"
                members[name] = try json(value, path: "\(path).\(name)", file: file)
            }
            return .object(members)
        case .alias:
            throw StudyFileError(.yamlSyntax, file: file, keyPath: path, line: line(of: node), "YAML aliases are not supported here; write the value out")
        }
    }
}
