/// One attempt of one trial: the key that makes results idempotent.
///
/// A trial that is retried after a lost worker gets a new attempt number; a RESULT counts once per key,
/// so a late or duplicated RESULT for an attempt that was already settled is ignored.
public struct TrialKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The trial's id (0, 1, 2, ... in the order the optimizer proposed them).
    public var trialID: Int
    /// Which attempt at the trial; ≥ 0 (hpo's coordinator counts 1, 2, 3, ..., one more per retry).
    public var attempt: Int

    public init(trialID: Int, attempt: Int) {
        self.trialID = trialID
        self.attempt = attempt
    }

    public static func < (left: TrialKey, right: TrialKey) -> Bool {
        (left.trialID, left.attempt) < (right.trialID, right.attempt)
    }

    /// `trial 7 attempt 1`.
    public var description: String { "trial \(trialID) attempt \(attempt)" }
}
