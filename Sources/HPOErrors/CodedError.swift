/// An error with a stable, machine-readable code: the runtime roles' error types (worker, coordinator, study file,
/// output), the shared runtime pieces (CURVE keys, child processes) and the coordinator core's journal replay.
///
/// A conformer's `code` is snake_case and never changes meaning; its `description` says what happened, echoes the
/// values and says what to do. `hpo` prints such an error as `error[<code>]: <description>` (docs/coordinator.md,
/// *Error codes*). ``HPOError`` conforms when its codes are a ``StableErrorCode``.
public protocol CodedError: Error, CustomStringConvertible {
    /// The conformer's enumeration of codes; each raw value is the stable code text.
    associatedtype Code: StableErrorCode
    /// The class of problem.
    var code: Code { get }
}

extension CodedError {
    /// The stable code, e.g. `journal_in_use`.
    public var codeText: String { code.rawValue }

    /// `error[<code>]: <description>`: the line `hpo` writes to standard error.
    public var errorLine: String { "error[\(codeText)]: \(description)" }
}
