/// Why a journal could not be opened, read or written: names the file and says what to do.
public struct JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem.
    public enum Code: String, Sendable, Hashable {
        /// The file could not be opened or created (missing directory, permissions, missing file in read-only mode).
        case cannotOpen
        /// Another open store (usually another coordinator of the same study) is writing the journal.
        case inUse
        /// The file is not an SQLite database, or is damaged.
        case corrupt
        /// The file is an SQLite database but not an hpo journal.
        case notAJournal
        /// The journal was written by a newer hpo with a schema this build does not know.
        case unsupportedSchema
        /// An event could not be encoded or decoded.
        case badEvent
        /// SQLite refused a read or a write (disk full, I/O error, read-only handle, ...).
        case storage
        /// The journal file was deleted (or moved away) while the writer had it open: later commits would be lost.
        case deleted
        /// The journal's path names another file than the one the writer opened (replaced while the study ran).
        case replaced
    }

    /// The class of problem.
    public var code: Code
    /// The journal's path.
    public var path: String
    /// What happened and what to do.
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// `journal <path>: <message>`.
    public var description: String { "journal \(path): \(message)" }
}
