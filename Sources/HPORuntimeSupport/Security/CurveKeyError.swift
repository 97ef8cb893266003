/// A CURVE key file or key directory that cannot be used; the message names the file and says what to do.
///
/// Shared by the coordinator, the worker and `hpo keygen`, so it stays one small type of its own. `code` is stable
/// (docs/coordinator.md, *Error codes*).
public struct CurveKeyError: CodedError, Sendable, Hashable {
    /// The class of problem; its raw value is the stable code.
    public enum Code: String, Sendable, Hashable, CaseIterable {
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

    /// The class of problem.
    public var code: Code
    /// What is wrong and what to do.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}
