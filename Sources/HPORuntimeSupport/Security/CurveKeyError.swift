/// A CURVE key file or key directory that cannot be used; the message names the file and says what to do.
public struct CurveKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
