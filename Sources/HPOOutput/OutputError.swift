// HPOError's members (`code`, `message`, the initializer) reach HPOOutput's users through this re-export.
@_exported public import HPOErrors

/// The output role's one error type: why `hpo status`, `hpo enqueue` (to a running study), `hpo export` or `hpo logs` has nothing to show.
///
/// A journal that cannot be read is the journal's own ``CoordinatorError`` (its `journal_*` codes); this type covers
/// what the output commands find themselves. `code` is stable and machine-readable (docs/coordinator.md,
/// *Error codes*); the message says what happened, echoes the values and says what to do.
public typealias OutputError = HPOError<OutputErrorCode>

/// The class of problem of an ``OutputError``; its raw value is the stable code.
public enum OutputErrorCode: String, StableErrorCode {
    /// `hpo status`: the request could not be sent or the reply not decoded.
    case statusFailed = "status_failed"
    /// `hpo status`, `hpo enqueue` (running study): no coordinator answered within `--timeout`.
    case statusNoAnswer = "status_no_answer"
    /// `hpo status`: the peer answered something other than a status reply.
    case statusBadReply = "status_bad_reply"
    /// `hpo enqueue`: the peer answered ENQUEUE with something other than ENQUEUE_REPLY or ERROR.
    case enqueueBadReply = "enqueue_bad_reply"
    /// `hpo export --format optuna-journal`: the journal holds no study start yet.
    case nothingToExport = "nothing_to_export"
    /// `hpo logs`: the trial has no log file where the journal's study keeps them.
    case logNotFound = "log_not_found"
}
