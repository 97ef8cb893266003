import HPOWire
import HPOStudyFile

/// Returns 0 at once: measures the dispatch overhead of the coordinator, the wire and the worker (`hpo-bench dispatch`).
///
/// Study-file form: `objective: {kind: "null"}`; it takes no options.
public struct NullObjective: Objective {
    public init() {}

    public func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        if let reason = context.stop.reason { return .stopped(reason: reason) }
        return .completed(value: 0, metrics: [:])
    }
}

extension NullObjective {
    /// The null objective takes no options; any key is a mistake worth reporting.
    static func checkOptions(_ options: [String: JSONValue]) throws(StudyFileError) {
        guard options.isEmpty else {
            throw StudyFileError(
                .objectiveInvalidOption, objective: "null",
                "takes no options, got \(options.keys.sorted().joined(separator: ", ")); remove them"
            )
        }
    }
}
