/// PROGRESS (worker -> coordinator): an intermediate value of a running trial (e.g. accuracy after an epoch).
///
/// Named `TrialProgress` rather than `Progress` so that it never clashes with Foundation's `Progress`.
public struct TrialProgress: AttemptMessage, Sendable, Hashable {
    /// The trial's id; ≥ 0.
    public var trialID: Int
    /// The attempt number; ≥ 0.
    public var attempt: Int
    /// The step the value belongs to (e.g. the epoch, 1-based by convention); ≥ 0.
    public var step: Int
    /// The objective's metric at this step, finite.
    public var value: Double
    /// Other finite metrics at this step, name -> value (e.g. `"loss"`).
    public var metrics: [String: Double]

    public init(trialID: Int, attempt: Int, step: Int, value: Double, metrics: [String: Double] = [:]) {
        self.trialID = trialID
        self.attempt = attempt
        self.step = step
        self.value = value
        self.metrics = metrics
    }
}
