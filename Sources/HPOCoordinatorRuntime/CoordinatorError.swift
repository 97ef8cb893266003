public import HPOErrors

/// The coordinator role's one error type: why the coordinator could not start or go on (its service, its journal,
/// its study setup, `hpo run`'s local workers).
///
/// The message names the file, key or address at fault, echoes the values and says what to do. `code` is stable and
/// machine-readable (docs/coordinator.md, *Error codes*); it also decides the exit status of `hpo run` and
/// `hpo coordinator` (`exitCode`). Journal problems carry the journal's path and read `journal <path>: …`.
public struct CoordinatorError: CodedError, Sendable, Hashable {
    /// The class of problem; its raw value is the stable code.
    public enum Code: String, StableErrorCode {
        /// The journal cannot be opened or created (missing directory, permissions, missing file in read-only mode).
        case journalCannotOpen = "journal_cannot_open"
        /// Another open store (usually another coordinator of the same study) is writing the journal.
        case journalInUse = "journal_in_use"
        /// The journal is not an SQLite database, or is damaged.
        case journalCorrupt = "journal_corrupt"
        /// The file is an SQLite database but not an hpo journal (or holds no study).
        case journalNotAJournal = "journal_not_a_journal"
        /// The journal was written by a newer hpo with a schema this build does not know.
        case journalUnsupportedSchema = "journal_unsupported_schema"
        /// An event could not be encoded or decoded.
        case journalBadEvent = "journal_bad_event"
        /// SQLite refused a read or a write (disk full, I/O error, read-only handle, ...).
        case journalStorage = "journal_storage"
        /// The journal file was deleted (or moved away) while the writer had it open: later commits would be lost.
        case journalDeleted = "journal_deleted"
        /// The journal's path names another file than the one the writer opened (replaced while the study ran).
        case journalReplaced = "journal_replaced"
        /// The journal already holds a study and neither `--resume` nor `--overwrite` was given.
        case journalHoldsStudy = "journal_holds_study"
        /// The journal's events do not replay into this study (another study, a changed search space).
        case journalReplayFailed = "journal_replay_failed"
        /// The study's objective cannot be run by the workers (bad options, kind not in this build).
        case objectiveRejected = "objective_rejected"
        /// The optimizer refuses the study's settings, or a trial from the journal or a warm start.
        case optimizerRejected = "optimizer_rejected"
        /// `optimizer.warm_start` names a journal that cannot be read or ran the opposite direction.
        case warmStartRejected = "warm_start_rejected"
        /// A CURVE key or key directory given to the coordinator cannot be used.
        case badKeys = "bad_keys"
        /// The bind address is refused (not loopback without CURVE or `--insecure`), or cannot be bound.
        case cannotListen = "cannot_listen"
        /// The ZeroMQ context, mailbox or CURVE authenticator cannot be created.
        case transportSetup = "transport_setup"
        /// `start()` was called twice.
        case alreadyStarted = "already_started"
        /// The CURVE allow-list cannot be reloaded (none in use, or unreadable; the previous one stays).
        case allowListReload = "allow_list_reload"
        /// `hpo run` cannot start a local worker process.
        case workerSpawnFailed = "worker_spawn_failed"
        /// `hpo run`'s local workers keep dying past the restart limit.
        case workersKeepDying = "workers_keep_dying"
    }

    /// The class of problem.
    public var code: Code
    /// The journal's path, for a journal problem.
    public var path: String?
    /// What happened and what to do.
    public var message: String

    /// A problem of the service or the study setup; `message` is the whole text.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A problem with the journal at `path`; reads `journal <path>: <message>`.
    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// `journal <path>: <message>` for a journal problem, else the message.
    public var description: String { path.map { "journal \($0): \(message)" } ?? message }

    /// The process exit status for this error: 65 (EX_DATAERR) for the study file, its objective or its journal
    /// (used, locked, for another study, damaged), else 1 (a process that cannot be spawned, a socket, a peer).
    public var exitCode: Int32 {
        switch code {
        case .journalCannotOpen, .journalInUse, .journalCorrupt, .journalNotAJournal, .journalUnsupportedSchema,
            .journalBadEvent, .journalStorage, .journalDeleted, .journalReplaced, .journalHoldsStudy,
            .journalReplayFailed, .objectiveRejected, .optimizerRejected, .warmStartRejected:
            65
        case .badKeys, .cannotListen, .transportSetup, .alreadyStarted, .allowListReload, .workerSpawnFailed,
            .workersKeepDying:
            1
        }
    }
}
