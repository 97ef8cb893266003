/// The one error shape of hpo's modules: a code from the module's own enumeration and a message.
///
/// Each module names its error as an alias with its own codes, e.g.
/// `public typealias MathError = HPOError<MathErrorCode>`, so `MathError(.shapeMismatch, "…")`,
/// `catch let error as MathError`, `error.code == .shapeMismatch` and `MathError.Code` read as for a type of its own,
/// and errors of different modules stay different types. A module adds what only its error has (a static constructor)
/// in a constrained extension (`extension ReplayError { … }`); an error with more fields is a struct of its own.
/// With codes that are a ``StableErrorCode`` the error is a ``CodedError``, which `hpo` prints as
/// `error[<code>]: <message>`.
public struct HPOError<ErrorCode: Hashable & Sendable>: Error, CustomStringConvertible, Sendable, Hashable {
    /// The module's enumeration of codes (`MathError.Code`).
    public typealias Code = ErrorCode

    /// The class of problem, for code that reacts to it.
    public var code: Code
    /// A sentence that says what happened, echoes the values, and says what to do.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

extension HPOError: CodedError where ErrorCode: StableErrorCode {}
