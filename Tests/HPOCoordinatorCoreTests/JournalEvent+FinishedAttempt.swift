import HPOCoordinatorCore
import HPOWire

extension JournalEvent {
    /// The trial and attempt a `trial.completed` or `trial.failed` event records; nil for every other event.
    var completedOrFailedAttempt: TrialKey? {
        switch self {
        case .trialCompleted(let id, let attempt, _, _, _), .trialFailed(let id, let attempt, _):
            TrialKey(trial: id, attempt: attempt)
        default:
            nil
        }
    }
}
