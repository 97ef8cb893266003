/// Why the coordinator service could not start.
public struct CoordinatorServiceError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
