import HPOStudyFile
import HPOWire

extension CommandObjective {
    /// Reads `persistent` and `max_trials_per_process`, and checks that a persistent argv has no placeholder (one
    /// process serves many trials, so the parameters come in each trial message, not on the command line).
    ///
    /// - Throws: `StudyFileError` naming the option (and for argv the element, `argv[2]`) and saying what to do.
    static func persistence(
        _ options: [String: JSONValue], template: CommandTemplate
    ) throws(StudyFileError) -> (persistent: Bool, maxTrialsPerProcess: Int) {
        var persistent = false
        if let value = options["persistent"] {
            guard case .bool(let flag) = value else {
                throw StudyFileError(.objectiveInvalidOption, objective: "command", option: "persistent", "option \"persistent\" must be true or false, got \(value)")
            }
            persistent = flag
        }
        var maxTrials = 0
        if let value = options["max_trials_per_process"] {
            guard let number = value.numberValue, let count = Int(exactly: number), count >= 0 else {
                throw StudyFileError(
                    .objectiveInvalidOption, objective: "command", option: "max_trials_per_process",
                    "option \"max_trials_per_process\" must be an integer ≥ 0 (0: never restart), got \(value)")
            }
            guard persistent else {
                throw StudyFileError(
                    .objectiveInvalidOption, objective: "command", option: "max_trials_per_process",
                    "option \"max_trials_per_process\" only applies to a persistent process; add persistent: true, or remove it")
            }
            maxTrials = count
        }
        guard persistent else { return (false, 0) }
        for (index, pieces) in template.arguments.enumerated() {
            for case .placeholder(let name) in pieces {
                throw StudyFileError(
                    .objectiveParameterMismatch, objective: "command", option: "argv",
                    "argv[\(index)] uses {\(name)}, but with persistent: true one process serves many trials: read the "
                        + "parameters from each trial message (HPO_PARAMS, docs/objective-protocol.md) and remove the placeholder")
            }
        }
        return (true, maxTrials)
    }
}
