import HPOOptimizer

/// Why the journal cannot be folded or resumed: the pure coordinator core's one error type.
///
/// `code` is stable (docs/coordinator.md, *Error codes*); the runtime reports it inside
/// `CoordinatorError.journalReplayFailed`. The message says what happened, echoes the values and says what to do.
public struct ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem; its raw value is the stable code.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// An event names a trial the journal never proposed: the journal is damaged.
        case unknownTrial = "unknown_trial"
        /// The journal's study ran with the other direction than the study file's.
        case directionChanged = "direction_changed"
        /// The study file's search space does not contain the one the journal ran with (only widening resumes).
        case spaceChanged = "space_changed"
    }

    /// The class of problem.
    public var code: Code
    /// What happened and what to do.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// An event (1-based `eventNumber`, of `kind` such as `trial.completed`) naming `trial`, never proposed.
    static func unknownTrial(eventNumber: Int, kind: String, trial: TrialID) -> ReplayError {
        ReplayError(
            .unknownTrial,
            "journal event #\(eventNumber) (\(kind)) names trial \(trial.rawValue), which was never proposed; the journal "
                + "is damaged: restore it from a backup or start a new study with another journal path")
    }

    public var description: String { message }
}
