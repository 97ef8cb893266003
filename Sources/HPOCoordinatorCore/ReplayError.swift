// HPOError's members (`code`, `message`, the initializer) reach HPOCoordinatorCore's users through this re-export.
@_exported public import HPOErrors
import HPOOptimizer

/// Why the journal cannot be folded or resumed: the pure coordinator core's one error type.
///
/// `code` is stable (docs/coordinator.md, *Error codes*); the runtime reports it inside
/// `CoordinatorError.journalReplayFailed`. The message says what happened, echoes the values and says what to do.
public typealias ReplayError = HPOError<ReplayErrorCode>

/// The class of problem of a ``ReplayError``; its raw value is the stable code.
public enum ReplayErrorCode: String, StableErrorCode {
    /// An event names a trial the journal never proposed: the journal is damaged.
    case unknownTrial = "unknown_trial"
    /// The journal's study ran with the other direction than the study file's.
    case directionChanged = "direction_changed"
    /// The study file's search space does not contain the one the journal ran with (only widening resumes).
    case spaceChanged = "space_changed"
}

extension ReplayError {
    /// An event (1-based `eventNumber`, of `kind` such as `trial.completed`) naming `trial`, never proposed.
    static func unknownTrial(eventNumber: Int, kind: String, trial: TrialID) -> ReplayError {
        ReplayError(
            .unknownTrial,
            "journal event #\(eventNumber) (\(kind)) names trial \(trial.rawValue), which was never proposed; the journal "
                + "is damaged: restore it from a backup or start a new study with another journal path")
    }
}
