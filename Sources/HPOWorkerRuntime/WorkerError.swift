/// A worker setting that cannot work, found before connecting; the message says what to change.
public struct WorkerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
