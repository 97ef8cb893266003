// HPOError's members (`code`, `message`, the initializer) reach HPOMath's users through this re-export.
@_exported public import HPOErrors

/// An error from HPOMath: what went wrong, with the offending values and what to do about it.
public typealias MathError = HPOError<MathErrorCode>

/// What kind of failure a ``MathError`` is, for code that reacts to it.
public enum MathErrorCode: String, Sendable, Hashable {
    /// An argument is outside what the function accepts (a dimension, a size, a bound).
    case invalidArgument
    /// Array or matrix shapes disagree.
    case shapeMismatch
    /// A matrix is not (numerically) symmetric positive definite, even after jitter.
    case notPositiveDefinite
    /// A value is NaN or infinite where a finite one is needed.
    case nonFinite
}
