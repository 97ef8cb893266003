// HPOError's members (`code`, `message`, the initializer) reach HPORuntimeSupport's users through this re-export.
@_exported public import HPOErrors

/// A CURVE key file or key directory that cannot be used; the message names the file and says what to do.
///
/// Shared by the coordinator, the worker and `hpo keygen`, so it stays one small type of its own. `code` is stable
/// (docs/coordinator.md, *Error codes*).
public typealias CurveKeyError = HPOError<CurveKeyErrorCode>

/// The class of problem of a ``CurveKeyError``; its raw value is the stable code.
public enum CurveKeyErrorCode: String, StableErrorCode {
    /// A key file or allow-list is missing or cannot be read.
    case unreadable = "key_unreadable"
    /// A key file holds no key, or not a 40-character Z85 key of the right kind.
    case badKey = "key_invalid"
    /// A key name (`hpo keygen --worker NAME`) is not a plain file name.
    case badName = "key_bad_name"
    /// A key file already exists (keys are never overwritten).
    case exists = "key_exists"
    /// A key file or key directory cannot be created or written.
    case cannotWrite = "key_cannot_write"
    /// libzmq cannot generate a key pair (no CURVE support).
    case noCurve = "key_no_curve"
}
