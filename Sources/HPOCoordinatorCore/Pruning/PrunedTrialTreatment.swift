/// What the optimizer is told about a pruned trial (docs/gaussian-process.md, *Pruned trials*).
public enum PrunedTrialTreatment: String, Sendable, Hashable, Codable, CaseIterable {
    /// Its last judged intermediate value, as if it were the trial's result (a pessimistic value at a lower
    /// fidelity): the GP learns that the region is poor. The default, chosen by benchmark.
    case lastValue = "last_value"
    /// Nothing the model trains on: it is told as failed, so it leaves the pending set and is never proposed again.
    case ignore
}
