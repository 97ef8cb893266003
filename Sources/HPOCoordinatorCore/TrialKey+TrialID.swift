public import HPOOptimizer
public import HPOWire

/// The coordinator's view of the wire's ``TrialKey``: the trial as the optimizer and the trial table name it.
///
/// One key serves the wire (TRIAL, RESULT, HEARTBEAT, ERROR) and the core (leases, holds, curves); the wire stores
/// the id as a plain `Int` so that it does not depend on the optimizer.
extension TrialKey {
    /// The key of `attempt` (counting from 1) of `trial`.
    public init(trial: TrialID, attempt: Int) {
        self.init(trialID: trial.rawValue, attempt: attempt)
    }

    /// The trial this key is an attempt of.
    public var trial: TrialID {
        get { TrialID(rawValue: trialID) }
        set { trialID = newValue.rawValue }
    }
}
