/// What evaluating a trial gave.
public enum TrialOutcome: Sendable, Hashable {
    /// The objective's value (finite), in the study's units; the ``Direction`` says whether larger is better.
    case completed(Double)
    /// The evaluation failed; the point never trains the model.
    case failed(reason: String)

    /// Whether a second report of a trial repeats this one: equal values, or two failures (whatever their reasons).
    func isSameResult(as other: TrialOutcome) -> Bool {
        switch (self, other) {
        case (.completed(let a), .completed(let b)): a == b
        case (.failed, .failed): true
        default: false
        }
    }
}
