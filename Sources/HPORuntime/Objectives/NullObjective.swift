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
