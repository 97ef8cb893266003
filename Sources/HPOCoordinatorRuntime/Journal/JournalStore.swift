public import Foundation
import GRDB
import Glibc

/// An append-only journal of study events in an SQLite file (via GRDB), generic over the event type.
///
/// - One writer: the coordinator opens it `.readWrite` and is the only process that appends; an exclusive `flock`
///   on the file, held while the store lives, makes a second writer (another coordinator on the same study) fail
///   at open with `.inUse` instead of interleaving its trials with the first one's. Any number of readers
///   (`hpo show`, `hpo status`, tests) may open it `.readOnly` at the same time; WAL mode lets them read while the
///   writer appends, each seeing a consistent prefix of the journal.
/// - Watched: the lock belongs to the file, not to its name. Before and after each commit the writer checks that
///   the path still names the file it opened (device and inode; ``verifyFile()``), and ``append(_:at:)`` throws
///   `.deleted` or `.replaced` otherwise, so a journal deleted or replaced under a running study stops the study
///   at its next commit. The writer also holds a `flock` on `<journal>-lock` (``lockFilePath(for:)``), which a
///   deleted or replaced journal does not take with it, so a second writer is refused (`.inUse`) while the first
///   lives. Only if that file is removed too can a second writer open a new journal at the path; the first then
///   stops at its next commit, and the two never write to the same file.
/// - Durable: ``append(_:at:)`` writes a whole batch in one transaction and returns after it committed. With the
///   default ``Durability/full`` (`synchronous = FULL`) a commit is on disk when `append` returns, surviving power
///   loss or an OS crash as well as a crash of hpo; that is what lets a worker forget a RESULT once it is acknowledged.
///   ``Durability/normal`` survives a crash of hpo but may lose the last commits on power loss, for a lower cost.
/// - Append-only: triggers reject UPDATE and DELETE on the events table.
/// - Format: events are JSON (the event type's `Codable` form) in table `hpo_journal_events(sequence, time, type,
///   payload)`, `type` being the enum case name (or the type's name for non-enum events); `PRAGMA application_id` marks the file as an hpo journal and `PRAGMA user_version` holds
///   ``schemaVersion``. Any event type can read any journal as `JournalStore<JSONValue>`.
public final class JournalStore<Event: Codable & Sendable>: Sendable {
    /// How the journal is opened.
    public enum AccessMode: Sendable, Hashable {
        /// Create the file if needed, append and read (the coordinator).
        case readWrite
        /// Read only; the file must exist (`hpo show`, monitors).
        case readOnly
    }

    /// How hard a commit is pushed to disk.
    public enum Durability: Sendable, Hashable {
        /// `PRAGMA synchronous = FULL`: committed events survive power loss (the default).
        case full
        /// `PRAGMA synchronous = NORMAL`: committed events survive a crash of hpo, not necessarily power loss.
        case normal
    }

    /// The on-disk schema this build writes and reads.
    public static var schemaVersion: Int { 1 }
    /// `PRAGMA application_id` of hpo journals: "HPOJ" in ASCII.
    static var applicationID: Int32 { 0x4850_4F4A }

    /// The journal file's path.
    public let path: String
    /// How it was opened.
    public let mode: AccessMode
    let database: DatabaseQueue
    /// The descriptor holding the writer's exclusive `flock` (`.readWrite` only); closed, releasing it, on deinit.
    private let lockDescriptor: Int32?
    /// The descriptor holding the writer's exclusive `flock` on ``lockFilePath`` (`.readWrite` only).
    private let pathLockDescriptor: Int32?
    /// The file the writer opened (`.readWrite` only), compared with what the path names at every commit.
    private let openedFile: JournalFileIdentity?

    /// Opens (and in `.readWrite` mode creates) the journal at `path`.
    ///
    /// - Throws: ``CoordinatorError``: `.cannotOpen` if the file cannot be opened or (read-only) does not exist,
    ///   `.corrupt` if it is not an SQLite database, `.notAJournal` if it is someone else's database,
    ///   `.unsupportedSchema` if a newer hpo wrote it.
    public init(path: String, mode: AccessMode = .readWrite, durability: Durability = .full) throws(CoordinatorError) {
        self.path = path
        self.mode = mode
        if mode == .readOnly, !FileManager.default.fileExists(atPath: path) {
            throw CoordinatorError(.journalCannotOpen, path: path, "no such file; check the path (the journal is <study name>.db next to the study file by default)")
        }
        if mode == .readWrite {
            // The path's lock first: it outlives a deleted or replaced journal file, so a second writer is refused
            // while the first lives even then.
            let pathLock = try Self.lockForWriting(Self.lockFilePath(for: path), journal: path)
            do {
                lockDescriptor = try Self.lockForWriting(path, journal: path)
            } catch {
                close(pathLock)
                throw error
            }
            pathLockDescriptor = pathLock
        } else {
            lockDescriptor = nil
            pathLockDescriptor = nil
        }
        openedFile = lockDescriptor.flatMap { JournalFileIdentity.of(descriptor: $0)?.identity }
        var configuration = Configuration()
        configuration.readonly = mode == .readOnly
        configuration.busyMode = .timeout(10)
        configuration.journalMode = .wal
        configuration.label = "hpo-journal"
        if mode == .readWrite {
            let synchronous = durability == .full ? "FULL" : "NORMAL"
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            }
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            if let lockDescriptor { close(lockDescriptor) }
            if let pathLockDescriptor { close(pathLockDescriptor) }
            throw Self.translate(error, path: path, doing: "open")
        }
        do {
            try prepareSchema()
        } catch {
            if let lockDescriptor { close(lockDescriptor) }
            if let pathLockDescriptor { close(pathLockDescriptor) }
            throw error
        }
    }

    deinit {
        if let lockDescriptor { close(lockDescriptor) }
        if let pathLockDescriptor { close(pathLockDescriptor) }
    }

    /// `<journal>-lock`: an empty file next to the journal whose `flock` the writer holds besides the journal's
    /// own. It is kept after the study (removing it while no study runs is harmless).
    public static func lockFilePath(for journal: String) -> String { journal + "-lock" }

    /// Opens (creating if needed) `file` (the journal or its lock file) and takes an exclusive, non-blocking
    /// `flock` on it.
    ///
    /// - Throws: ``CoordinatorError`` `.inUse` when another open store (in this or another process) holds it,
    ///   `.cannotOpen` when the file cannot be opened.
    private static func lockForWriting(_ file: String, journal path: String) throws(CoordinatorError) -> Int32 {
        let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            let what = file == path ? "the journal" : "the journal's lock file \(file)"
            throw CoordinatorError(.journalCannotOpen, path: path, "cannot open \(what) (\(reason)); check that the directory exists and is writable")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw CoordinatorError(
                    .journalInUse, path: path,
                    "another process is writing this journal (an hpo coordinator or hpo run of the same study); "
                        + "stop it first, watch it with hpo status / hpo show, or set journal: to another file")
            }
            throw CoordinatorError(.journalCannotOpen, path: path, "cannot lock \(file) (\(String(cString: strerror(code))))")
        }
        return descriptor
    }

    /// Appends `events` in one transaction, stamped with `time`; returns their sequence numbers, in order.
    ///
    /// Durable when it returns (see ``Durability``). An empty batch writes nothing.
    ///
    /// - Throws: ``CoordinatorError`` `.badEvent` if an event cannot be encoded (nothing is written then), `.storage` if
    ///   SQLite refuses the write (e.g. a read-only handle, a full disk), `.deleted` or `.replaced` if the path no
    ///   longer names the file this writer opened (checked before writing, and again after the commit: then the
    ///   batch went to the old file and must be counted as lost).
    @discardableResult
    public func append(_ events: [Event], at time: Date = Date()) throws(CoordinatorError) -> [Int64] {
        guard !events.isEmpty else { return [] }
        let encoder = JSONEncoder()
        var rows: [(type: String, payload: String)] = []
        rows.reserveCapacity(events.count)
        for event in events {
            do {
                let data = try encoder.encode(event)
                rows.append((JournalEventType.name(of: event), String(decoding: data, as: UTF8.self)))
            } catch {
                throw CoordinatorError(.journalBadEvent, path: path, "cannot encode an event of type \(Event.self) (\(error)); nothing was written")
            }
        }
        try verifyFile(beforeWriting: true)
        let seconds = time.timeIntervalSince1970
        let sequences: [Int64]
        do {
            sequences = try database.write { db in
                let statement = try db.cachedStatement(
                    sql: "INSERT INTO hpo_journal_events (time, type, payload) VALUES (?, ?, ?)"
                )
                var sequences: [Int64] = []
                sequences.reserveCapacity(rows.count)
                for row in rows {
                    try statement.execute(arguments: [seconds, row.type, row.payload])
                    sequences.append(db.lastInsertedRowID)
                }
                return sequences
            }
        } catch {
            throw Self.translate(error, path: path, doing: "append to")
        }
        // Deleted or replaced during the commit: this batch went to a file nobody will read; say so.
        try verifyFile(beforeWriting: false)
        if rows.contains(where: { Self.sessionEndTypes.contains($0.type) }) {
            // The session is over: fold the WAL into the main file, so that the .db alone holds the whole journal
            // (a user who copies or archives just the .db then loses nothing). Already durable either way.
            try? checkpoint()
        }
        return sequences
    }

    /// Checks that the journal's path still names the file this writer opened (no-op for readers).
    ///
    /// ``append(_:at:)`` calls it before and after each commit. A coordinator that may go long without committing
    /// (hour-long trials) can also call it on a timer, to notice a deleted journal sooner.
    ///
    /// - Throws: ``CoordinatorError`` `.deleted` when no file is at the path any more (or the open file lost its last
    ///   name), `.replaced` when the path names another file; the message says what happened and what to do.
    public func verifyFile() throws(CoordinatorError) {
        try verifyFile(beforeWriting: true)
    }

    private func verifyFile(beforeWriting: Bool) throws(CoordinatorError) {
        guard let openedFile, let lockDescriptor,
            let change = openedFile.change(descriptor: lockDescriptor, path: path)
        else { return }
        let lost = beforeWriting
            ? "nothing more is written to it"
            : "the batch just committed went to the old file and is lost with it"
        switch change {
        case .deleted:
            throw CoordinatorError(
                .journalDeleted, path: path,
                "the journal file was deleted (or moved away) while the study ran; \(lost), and the study stops. "
                    + "Find what removed it (a cleanup job, an rm of the study's directory); to continue, put the "
                    + "file back and run with --resume, or run the study again to start afresh")
        case .replaced(let now):
            throw CoordinatorError(
                .journalReplaced, path: path,
                "the journal path now names another file (device:inode \(now), opened as \(openedFile)): it was "
                    + "replaced while the study ran (moved over, or deleted and created again, perhaps by another "
                    + "coordinator); \(lost), and this coordinator stops so that two journals never mix. Check "
                    + "which file holds the study before resuming it with --resume")
        }
    }

    /// Event types (the `type` column) that end a session; appending one checkpoints the journal.
    static var sessionEndTypes: Set<String> { ["studyFinished"] }

    /// Copies every committed event from the write-ahead log into the main database file and empties the log, so
    /// the `.db` file alone holds the whole journal. Called after a session's last event; safe at any time.
    ///
    /// - Throws: ``CoordinatorError`` `.storage` if SQLite refuses (e.g. on a read-only handle).
    public func checkpoint() throws(CoordinatorError) {
        do {
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw Self.translate(error, path: path, doing: "checkpoint")
        }
    }

    /// Appends one event; see ``append(_:at:)``.
    @discardableResult
    public func append(_ event: Event, at time: Date = Date()) throws(CoordinatorError) -> Int64 {
        try append([event], at: time)[0]
    }

    /// Every event, in append order, for replay.
    ///
    /// - Throws: ``CoordinatorError`` `.badEvent` naming the first entry that does not decode as `Event`.
    public func readAll() throws(CoordinatorError) -> [JournalEntry<Event>] {
        try read(after: 0)
    }

    /// The events with a sequence number above `sequence`, in order (at most `limit` of them), e.g. to follow a
    /// journal that another process is writing.
    public func read(after sequence: Int64, limit: Int? = nil) throws(CoordinatorError) -> [JournalEntry<Event>] {
        let rows: [Row]
        do {
            rows = try database.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT sequence, time, type, payload FROM hpo_journal_events WHERE sequence > ? ORDER BY sequence LIMIT ?",
                    arguments: [sequence, limit ?? -1]
                )
            }
        } catch {
            throw Self.translate(error, path: path, doing: "read")
        }
        let decoder = JSONDecoder()
        var entries: [JournalEntry<Event>] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            let sequence: Int64 = row["sequence"]
            let type: String = row["type"]
            let payload: String = row["payload"]
            do {
                let event = try decoder.decode(Event.self, from: Data(payload.utf8))
                entries.append(JournalEntry(sequence: sequence, time: Date(timeIntervalSince1970: row["time"]), type: type, event: event))
            } catch {
                throw CoordinatorError(
                    .journalBadEvent, path: path,
                    "entry \(sequence) (type \(type)) does not decode as \(Event.self): \(error); "
                        + "was the journal written by a different hpo version?"
                )
            }
        }
        return entries
    }

    /// The number of events.
    public func count() throws(CoordinatorError) -> Int {
        do {
            return try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM hpo_journal_events") ?? 0 }
        } catch {
            throw Self.translate(error, path: path, doing: "read")
        }
    }
}
