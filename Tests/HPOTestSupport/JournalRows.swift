import Foundation
import GRDB

/// One event of an hpo journal as stored: its type column and its decoded JSON fields.
///
/// Read from the raw rows (`hpo_journal_events`), not through the runtime's types, so a test checks the on-disk
/// record a user's tools see. The payload is `{"<type>": {<fields>}}`.
public struct JournalRow: @unchecked Sendable, CustomStringConvertible {
    /// The row's position in the journal (from 1).
    public var sequence: Int
    /// The event's case name, e.g. `trialCompleted`.
    public var type: String
    /// The event's fields, e.g. `trial`, `attempt`, `worker`, `value`.
    public var fields: [String: Any]

    /// The `trial` field, if any.
    public var trial: Int? { fields["trial"] as? Int }
    /// The `attempt` field, if any.
    public var attempt: Int? { fields["attempt"] as? Int }
    /// The `worker` field, if any.
    public var worker: String? { fields["worker"] as? String }
    /// The `value` field, if any.
    public var value: Double? { (fields["value"] as? NSNumber)?.doubleValue }

    public var description: String {
        let shown = fields.keys.sorted().filter { $0 != "space" && $0 != "objective" && $0 != "parameters" }
            .map { "\($0): \(fields[$0] ?? "")" }.joined(separator: ", ")
        return "#\(sequence) \(type)(\(shown))"
    }
}

/// Reads an hpo journal's events, read-only (safe while a coordinator writes it).
public enum JournalRows {
    /// Every event in journal order.
    ///
    /// - Throws: GRDB's error if the file is not an SQLite journal; ``TestSupportError`` for a payload that does not
    ///   decode to `{"<type>": {…}}`.
    public static func read(_ path: String) throws -> [JournalRow] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let raw = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT sequence, type, payload FROM hpo_journal_events ORDER BY sequence")
                .map { (Int($0["sequence"] as Int64), $0["type"] as String, $0["payload"] as String) }
        }
        return try raw.map { sequence, type, payload in
            let object = try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
            guard let fields = object?[type] as? [String: Any] else {
                throw TestSupportError("journal row \(sequence) (\(type)) has payload \(payload.prefix(200)), not {\"\(type)\": {…}}")
            }
            return JournalRow(sequence: sequence, type: type, fields: fields)
        }
    }

    /// ``read(_:)``, or an empty list while the journal does not exist yet or cannot be read.
    public static func readIfPresent(_ path: String) -> [JournalRow] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return (try? read(path)) ?? []
    }
}
