package import HPOErrors

/// Why a child process could not be started; the message says what to check.
///
/// Shared by the roles that start processes (a worker's command objectives, `hpo run`'s local workers), so it stays
/// one small type of its own. `code` is stable (docs/worker.md, *Error codes*).
package typealias ChildProcessError = HPOError<ChildProcessErrorCode>

/// The class of problem of a ``ChildProcessError``; its raw value is the stable code.
package enum ChildProcessErrorCode: String, StableErrorCode {
    /// `argv[0]` is not on `PATH` (and not a path).
    case notFound = "child_not_found"
    /// The pipes to the child cannot be created (usually: out of file descriptors).
    case noPipes = "child_no_pipes"
    /// The working directory cannot be entered.
    case workingDirectory = "child_working_directory"
    /// `argv[0]` cannot be executed (not executable, wrong format).
    case cannotExecute = "child_cannot_execute"
    /// Any other failure of fork/exec.
    case spawnFailed = "child_spawn_failed"
}
