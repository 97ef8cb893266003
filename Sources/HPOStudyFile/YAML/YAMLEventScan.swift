import CYaml

/// Screens a study file's YAML event stream before any node tree is built, so that hostile or broken input is
/// refused in time and memory linear in its size.
///
/// Yams (`Yams.compose`) expands aliases while it builds the tree, and hashes mapping keys (aliases included) to
/// find duplicates; a few hundred bytes of nested `&a [*b, *b, …]` then cost exponential time and memory, long
/// before a check on the tree could run. This scan reads the events of libyaml's parser (`yaml_parser_parse`, the
/// parser Yams itself wraps), which reports an alias as one event without expanding it, and refuses:
/// - any anchor (`&name`) or alias (`*name`): a study file is small enough to write out;
/// - nesting deeper than ``maximumDepth`` (Yams builds the tree recursively, so depth must be bounded);
/// - a key that is repeated in one mapping (by its text: `1:` and `"1":` are the same key for a study file), or a
///   key that is a list or a mapping;
/// - more than one document, and syntax errors, at libyaml's line and column.
///
/// Every refusal is a ``StudyFileError`` with the file, the 1-based line and, where known, the key path.
enum YAMLEventScan {
    /// The deepest nesting of lists and mappings accepted. A study file needs about 5 (`space.lr.{...}.choices`);
    /// objective options may nest a little more.
    static let maximumDepth = 64

    /// One open list or mapping.
    private struct Frame {
        /// Whether it is a mapping (else a list).
        var isMapping: Bool
        /// Its key path (`space.lr`, `objective.argv[2]`).
        var path: String
        /// Mapping: the next node is a key (else a value).
        var expectsKey = true
        /// Mapping: the key whose value comes next.
        var currentKey: String?
        /// Mapping: keys seen, with the 1-based line of each.
        var keys: [String: Int] = [:]
        /// List: the index of the next element.
        var count = 0

        /// The key path of the node that comes next in this frame.
        var childPath: String {
            if isMapping {
                let key = currentKey ?? "?"
                return path.isEmpty ? key : "\(path).\(key)"
            }
            return "\(path)[\(count)]"
        }
    }

    /// Checks `text` (UTF-8) event by event.
    ///
    /// - Complexity: O(n) time and memory in the length of `text`: each event is looked at once, and only the keys
    ///   of the open mappings are kept.
    /// - Throws: ``StudyFileError`` naming `file`, the line and the key path of the first problem.
    static func check(_ text: String, file: String?) throws(StudyFileError) {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw StudyFileError(.yamlSyntax, file: file, keyPath: "", "cannot start the YAML parser (out of memory?); try again")
        }
        defer { yaml_parser_delete(&parser) }
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(StudyFileError) in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            try scan(&parser, file: file, bytes: UnsafeBufferPointer(buffer))
        }
    }

    private static func scan(
        _ parser: inout yaml_parser_t, file: String?, bytes: UnsafeBufferPointer<UInt8>
    ) throws(StudyFileError) {
        var frames: [Frame] = []
        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw syntaxError(parser, file: file, bytes: bytes)
            }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            func fail(_ path: String, _ message: String) -> StudyFileError {
                StudyFileError(.yamlSyntax, file: file, keyPath: shortened(path), line: line, message)
            }
            let path = frames.last?.childPath ?? ""
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw fail("", "a second YAML document starts here (---); a study file is one document: remove it or move it to its own file")
                }
            case YAML_ALIAS_EVENT:
                let name = string(event.data.alias.anchor)
                throw fail(path, "YAML aliases (*\(name)) are not supported in a study file; write the value out")
            case YAML_SCALAR_EVENT:
                try refuseAnchor(event.data.scalar.anchor, path: path, fail: fail)
                if frames.last?.isMapping == true, frames[frames.count - 1].expectsKey {
                    let key = string(event.data.scalar.value, length: event.data.scalar.length)
                    try noteKey(key, line: line, in: &frames[frames.count - 1], file: file)
                } else {
                    advance(&frames)
                }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                try refuseAnchor(anchor, path: path, fail: fail)
                if frames.last?.isMapping == true, frames[frames.count - 1].expectsKey {
                    throw fail(frames.last!.path, "a key must be a plain name, got a \(isMapping ? "mapping" : "list"); write name: value")
                }
                guard frames.count < maximumDepth else {
                    throw fail(path, "lists and mappings are nested more than \(maximumDepth) levels deep; a study file needs fewer than 10")
                }
                frames.append(Frame(isMapping: isMapping, path: path))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                frames.removeLast()
                advance(&frames)
            default:
                break
            }
        }
    }

    /// `path`, or its last 80 characters after `…` when longer (deeply nested paths would fill the message).
    private static func shortened(_ path: String) -> String {
        path.count <= 80 ? path : "…" + path.suffix(80)
    }

    /// Records mapping key `key` at `line`; throws when the mapping already has it.
    private static func noteKey(_ key: String, line: Int, in frame: inout Frame, file: String?) throws(StudyFileError) {
        let path = frame.path.isEmpty ? key : "\(frame.path).\(key)"
        if let first = frame.keys[key] {
            throw StudyFileError(.duplicateKey, 
                file: file, keyPath: shortened(path), line: line,
                "duplicate key (first at line \(first)); keep one of them")
        }
        frame.keys[key] = line
        frame.currentKey = key
        frame.expectsKey = false
    }

    /// A value (or a list element) ended: the enclosing mapping expects a key next, a list counts it.
    private static func advance(_ frames: inout [Frame]) {
        guard !frames.isEmpty else { return }
        if frames[frames.count - 1].isMapping {
            frames[frames.count - 1].expectsKey = true
        } else {
            frames[frames.count - 1].count += 1
        }
    }

    private static func refuseAnchor(
        _ anchor: UnsafeMutablePointer<yaml_char_t>?, path: String, fail: (String, String) -> StudyFileError
    ) throws(StudyFileError) {
        guard let anchor else { return }
        let name = string(anchor)
        throw fail(path, "YAML anchors (&\(name)) and aliases are not supported in a study file; remove &\(name) and write the values out")
    }

    /// libyaml's syntax error at its 1-based line and column.
    private static func syntaxError(
        _ parser: yaml_parser_t, file: String?, bytes: UnsafeBufferPointer<UInt8>
    ) -> StudyFileError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if problem.hasPrefix("Maximum nesting level") {
            // libyaml's own cap (1000 levels), met while it reads ahead in a flow collection before ours triggers.
            return StudyFileError(.yamlSyntax, 
                file: file, keyPath: "", line: Int(parser.problem_mark.line) + 1,
                "lists and mappings are nested more than \(maximumDepth) levels deep; a study file needs fewer than 10")
        }
        var message = "not valid YAML: \(problem)"
        var line = Int(parser.problem_mark.line) + 1
        let column = Int(parser.problem_mark.column) + 1
        if let context = parser.context.map({ String(cString: $0) }) {
            message += " (\(context) at line \(Int(parser.context_mark.line) + 1))"
        }
        if parser.error == YAML_READER_ERROR {
            // The reader reports a byte offset, not a line (e.g. a control character).
            let offset = min(Int(parser.problem_offset), bytes.count)
            line = 1 + bytes[..<offset].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            message += " at byte \(offset)"
        } else {
            message += " at column \(column)"
        }
        message += "; check the indentation, colons and quotes there"
        return StudyFileError(.yamlSyntax, file: file, keyPath: "", line: line > 0 ? line : nil, message)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let pointer else { return "" }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}
