/// An error from HPOMath: what went wrong, with the offending values and what to do about it.
public struct MathError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is, for code that reacts to it.
    public enum Code: String, Sendable, Equatable {
        /// An argument is outside what the function accepts (a dimension, a size, a bound).
        case invalidArgument
        /// Array or matrix shapes disagree.
        case shapeMismatch
        /// A matrix is not (numerically) symmetric positive definite, even after jitter.
        case notPositiveDefinite
        /// A value is NaN or infinite where a finite one is needed.
        case nonFinite
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence that says what happened, echoes the values, and says what to do.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
