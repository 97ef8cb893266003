import Foundation
import GRDB

/// Creating and checking the journal's tables.
extension JournalStore {
    /// Creates the schema in a new file, or checks that an existing file is an hpo journal this build can read.
    func prepareSchema() throws(CoordinatorError) {
        let state: (applicationID: Int32, userVersion: Int, tables: [String])
        do {
            state = try database.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                )
            }
        } catch {
            throw Self.translate(error, path: path, doing: "open")
        }
        if state.applicationID == 0, state.userVersion == 0, state.tables.isEmpty {
            guard mode == .readWrite else {
                throw CoordinatorError(.journalNotAJournal, path: path, "is an empty database, not an hpo journal; run a study to create one")
            }
            try createSchema()
            return
        }
        guard state.applicationID == Self.applicationID, state.tables.contains("hpo_journal_events") else {
            let tables = state.tables.isEmpty ? "none" : state.tables.prefix(5).joined(separator: ", ")
            throw CoordinatorError(
                .journalNotAJournal, path: path,
                "is an SQLite database but not an hpo journal (application_id \(state.applicationID), tables: \(tables)); "
                    + "choose another journal path"
            )
        }
        guard state.userVersion <= Self.schemaVersion else {
            throw CoordinatorError(
                .journalUnsupportedSchema, path: path,
                "has schema version \(state.userVersion), this hpo reads up to \(Self.schemaVersion); upgrade hpo"
            )
        }
    }

    private func createSchema() throws(CoordinatorError) {
        do {
            try database.write { db in
                try db.execute(sql: """
                    PRAGMA application_id = \(Self.applicationID);
                    PRAGMA user_version = \(Self.schemaVersion);
                    CREATE TABLE hpo_journal_events (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        time REAL NOT NULL,
                        type TEXT NOT NULL,
                        payload TEXT NOT NULL
                    );
                    CREATE TRIGGER hpo_journal_no_update BEFORE UPDATE ON hpo_journal_events
                        BEGIN SELECT RAISE(ABORT, 'the hpo journal is append-only'); END;
                    CREATE TRIGGER hpo_journal_no_delete BEFORE DELETE ON hpo_journal_events
                        BEGIN SELECT RAISE(ABORT, 'the hpo journal is append-only'); END;
                    """)
            }
        } catch {
            throw Self.translate(error, path: path, doing: "create")
        }
    }

    /// A ``CoordinatorError`` for an error GRDB threw while `doing` something with the file.
    static func translate(_ error: any Error, path: String, doing action: String) -> CoordinatorError {
        if let error = error as? CoordinatorError { return error }
        guard let database = error as? DatabaseError else {
            return CoordinatorError(.journalStorage, path: path, "cannot \(action) the journal: \(error)")
        }
        switch database.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return CoordinatorError(.journalCorrupt, path: path, "is not an SQLite database or is damaged (\(database.message ?? "\(database.resultCode)")); restore it from a backup or choose another journal path")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return CoordinatorError(.journalCannotOpen, path: path, "cannot \(action) the journal (\(database.message ?? "\(database.resultCode)")); check that the directory exists and is writable")
        case .SQLITE_READONLY:
            return CoordinatorError(.journalStorage, path: path, "cannot \(action) the journal: it is open read-only or the file is not writable")
        default:
            return CoordinatorError(.journalStorage, path: path, "cannot \(action) the journal: \(database.message ?? "\(database.resultCode)") (SQLite code \(database.resultCode.rawValue))")
        }
    }
}
