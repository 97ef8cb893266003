/// CANCEL (coordinator -> worker): stop an attempt early; the worker answers with a RESULT (usually `stopped`).
public struct Cancel: AttemptMessage, Sendable, Hashable {
    /// The trial's id; ≥ 0.
    public var trialID: Int
    /// The attempt number; ≥ 0.
    public var attempt: Int
    /// Why, for the logs (e.g. `"budget exhausted"`).
    public var reason: String

    public init(trialID: Int, attempt: Int, reason: String) {
        self.trialID = trialID
        self.attempt = attempt
        self.reason = reason
    }
}
