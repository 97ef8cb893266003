import Foundation
import HPOWire

/// docs/protocol.md as the tests read it: its example sessions (*Example sessions*) and its message tables
/// (*Message types*). Nothing of the document is copied into test code; a line this reader does not understand
/// is an error, so the document cannot drift into a form the tests silently skip.
struct ProtocolDocument: Sendable {
    /// The document's path in the repository.
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/protocol.md")

    /// Which way a message goes.
    enum Direction: Sendable {
        case toCoordinator, toWorker
    }

    /// One line of a session.
    enum Step: Sendable {
        /// A message as written: its decoded form, its body text, and whether it is lost on the way.
        case message(Direction, WireMessage, body: String, lost: Bool)
        /// `(the connection dies; …)`: the worker's connection closes (libzmq reconnects; READY comes first again).
        case connectionDies
        /// `(the coordinator restarts with --resume …)`: a new coordinator process replays the journal.
        case coordinatorRestarts
        /// `(N s pass …)`: both sides' clocks move on.
        case timePasses(Duration)
        /// `(the coordinator gets SIGINT)`: a stop request to the coordinator.
        case stopRequested
    }

    /// One code block of *Example sessions*, named after its `###` heading.
    struct Session: Sendable, CustomStringConvertible {
        var title: String
        var steps: [Step]
        var description: String { title }

        /// The messages in the session, in order.
        var messages: [(direction: Direction, message: WireMessage, lost: Bool)] {
            steps.compactMap { if case .message(let direction, let message, _, let lost) = $0 { (direction, message, lost) } else { nil } }
        }
    }

    /// A line of the document the reader does not understand.
    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    let text: String

    init() throws {
        text = try String(contentsOf: Self.url, encoding: .utf8)
    }

    /// The lines of the section that starts with `heading` (a `## ` line), up to the next `## ` heading.
    func section(_ heading: String) throws -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == heading }) else {
            throw FormatError(description: "docs/protocol.md has no section \"\(heading)\"")
        }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        return Array(lines[(start + 1)..<end])
    }

    // MARK: Sessions

    /// Every code block of *Example sessions*, in order.
    func sessions() throws -> [Session] {
        var sessions: [Session] = []
        var title = ""
        var current: [Step]?
        for line in try section("## Example sessions") {
            if line.hasPrefix("### ") { title = String(line.dropFirst(4)) }
            if line.hasPrefix("```") {
                if let steps = current { sessions.append(Session(title: title, steps: steps)) }
                current = current == nil ? [] : nil
                continue
            }
            guard current != nil else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            current!.append(try Self.step(trimmed, in: title))
        }
        return sessions
    }

    /// One non-empty line of a session block.
    static func step(_ line: String, in title: String) throws -> Step {
        if line.hasPrefix("(") { return try event(line, in: title) }
        let direction: Direction
        if line.hasPrefix("W → C  hpo/1 ") {
            direction = .toCoordinator
        } else if line.hasPrefix("C → W  hpo/1 ") {
            direction = .toWorker
        } else {
            throw FormatError(description: "session \"\(title)\": a line that is neither a message nor an event: \(line)")
        }
        let afterTag = line.dropFirst("W → C  hpo/1 ".count)
        let type = String(afterTag.prefix { $0 != " " })
        let rest = afterTag.dropFirst(type.count).drop { $0 == " " }
        guard rest.first == "{", let close = rest.lastIndex(of: "}") else {
            throw FormatError(description: "session \"\(title)\": no JSON body on the line: \(line)")
        }
        let body = String(rest[...close])
        let comment = rest[rest.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard comment.isEmpty || (comment.hasPrefix("(") && comment.hasSuffix(")")) else {
            throw FormatError(description: "session \"\(title)\": text after the body that is not a (comment): \(line)")
        }
        let message: WireMessage
        do {
            message = try WireCodec.decode([Array("hpo/1".utf8), Array(type.utf8), Array(body.utf8)])
        } catch {
            throw FormatError(description: "session \"\(title)\": \(type) does not decode (\(error)): \(body)")
        }
        return .message(direction, message, body: body, lost: comment.hasPrefix("(lost"))
    }

    /// A line that is only a parenthesis: something that happens to one side.
    static func event(_ line: String, in title: String) throws -> Step {
        if line.hasPrefix("(the connection dies") { return .connectionDies }
        if line.hasPrefix("(the coordinator restarts with --resume") { return .coordinatorRestarts }
        if line.hasPrefix("(the coordinator gets SIGINT") { return .stopRequested }
        let words = line.dropFirst().split(separator: " ", maxSplits: 3)
        if words.count >= 3, let seconds = Int(words[0]), words[1] == "s", words[2].hasPrefix("pass") {
            return .timePasses(.seconds(seconds))
        }
        throw FormatError(description: "session \"\(title)\": an event line the tests do not know: \(line)")
    }

    // MARK: Tables

    /// The fields each message type's table names (`type → field names`), from *Message types*; a type without a
    /// table (STATUS_REQUEST) has none.
    func documentedFields() throws -> [WireMessageKind: Set<String>] {
        var fields: [WireMessageKind: Set<String>] = [:]
        var kind: WireMessageKind?
        for line in try section("## Message types") {
            if line.hasPrefix("### ") {
                let name = line.dropFirst(4).prefix { $0 != " " }
                guard let named = WireMessageKind(rawValue: String(name)) else {
                    throw FormatError(description: "*Message types* has a heading for an unknown type: \(line)")
                }
                kind = named
                fields[named, default: []] = []
                continue
            }
            guard let kind, line.hasPrefix("| `") else { continue }
            let firstCell = line.dropFirst().prefix { $0 != "|" }
            fields[kind, default: []].formUnion(Self.codeSpans(firstCell))
        }
        return fields
    }

    /// The fields of the objects inside a message's fields, as the tables name them: `type → field → names`. For a
    /// field of type `object` or `array of objects`, the names are the identifiers in backticks in its meaning; for
    /// a type written as a JSON template (`{"trial_id": int, …}`), the template's keys; for a map
    /// (`object: name → …`), nil: its keys are data.
    func documentedNestedFields() throws -> [WireMessageKind: [String: Set<String>?]] {
        var nested: [WireMessageKind: [String: Set<String>?]] = [:]
        var kind: WireMessageKind?
        for line in try section("## Message types") {
            if line.hasPrefix("### ") { kind = WireMessageKind(rawValue: String(line.dropFirst(4).prefix { $0 != " " })) }
            guard let kind, line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            let names = Self.codeSpans(Substring(cells[1]))
            guard names.count == 1, let field = names.first else { continue }
            let type = cells[2]
            var fields: [String] = []
            if type.hasPrefix("object"), type.contains("→") {
                nested[kind, default: [:]][field] = .some(nil)
            } else if type.hasPrefix("object") || type.hasPrefix("array of objects") {
                fields = Self.codeSpans(Substring(cells[3])).filter { $0.allSatisfy { $0.isLowercase || $0 == "_" } }
            } else if let template = Self.codeSpans(Substring(type)).first(where: { $0.hasPrefix("{") }) {
                fields = template.split(separator: "\"", omittingEmptySubsequences: false).enumerated().compactMap {
                    $0.offset % 2 == 1 ? String($0.element) : nil
                }
            }
            if !fields.isEmpty { nested[kind, default: [:]][field] = Set(fields) }
        }
        return nested
    }

    /// The error codes the ERROR table's `code` row names.
    func documentedErrorCodes() throws -> Set<String> {
        let lines = try section("## Message types")
        guard let row = lines.first(where: { $0.hasPrefix("| `code` |") }) else {
            throw FormatError(description: "the ERROR table has no `code` row")
        }
        let meaning = row.split(separator: "|", omittingEmptySubsequences: false).dropFirst(3).first ?? ""
        return Set(Self.codeSpans(meaning).filter { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
    }

    /// The texts between backticks in `text`.
    static func codeSpans(_ text: Substring) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { index, part in
            index % 2 == 1 ? String(part) : nil
        }
    }
}
