/// An error from the Gaussian process: what happened, the values involved, and what to do.
public struct GPError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Equatable {
        /// x and y disagree in count or dimension, are empty, or hold NaN/∞ or points outside [0, 1].
        case invalidInput
        /// The kernel matrix could not be factored, even with jitter.
        case factorizationFailed
        /// Hyperparameter fitting failed; the model fell back to earlier or default hyperparameters.
        case fitFailed
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
