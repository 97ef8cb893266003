/// SHUTDOWN (coordinator -> worker): stop running attempts, report them as `stopped`, and exit.
public struct Shutdown: Sendable, Hashable {
    /// Why, for the logs (e.g. `"study finished"`).
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
