public import HPOSearchSpace
public import HPOWire

/// Turns an objective descriptor (kind + options from the study file) into something a worker can run.
///
/// `validate` runs on the coordinator before a study starts, so that a typo in an option or a parameter the objective
/// does not take is reported at once, not after the first trial fails on every worker. `make` runs on a worker for
/// each distinct descriptor it receives (the worker caches the result). Each kind's options are listed with its type.
public enum ObjectiveFactory {
    /// The objective kinds this build can run, advertised by workers in READY.
    public static let availableKinds: [String] = ["test-function", "null", "mlp", "command"]

    /// Builds the objective for `descriptor`.
    ///
    /// - Throws: `ObjectiveError` for an unknown kind, a kind not in this build, or bad options.
    public static func make(_ descriptor: ObjectiveDescriptor) throws -> any Objective {
        switch descriptor.kind {
        case "test-function":
            return try TestFunctionObjective(options: descriptor.options)
        case "null":
            try NullObjective.checkOptions(descriptor.options)
            return NullObjective()
        case "mlp":
            return try MLPObjective(options: descriptor.options)
        case "command":
            return try CommandObjective(options: descriptor.options)
        default:
            throw unknownKind(descriptor.kind)
        }
    }

    /// Checks `descriptor`'s options and that `space`'s parameters are what the objective takes.
    ///
    /// - Throws: `ObjectiveError` naming the option or parameter and saying what to do.
    public static func validate(_ descriptor: ObjectiveDescriptor, space: SearchSpace) throws {
        switch descriptor.kind {
        case "test-function":
            try TestFunctionObjective(options: descriptor.options).validate(space: space)
        case "null":
            try NullObjective.checkOptions(descriptor.options)
        case "mlp":
            try MLPObjective(options: descriptor.options).validate(space: space)
        case "command":
            try CommandObjective(options: descriptor.options).validate(space: space)
        default:
            throw unknownKind(descriptor.kind)
        }
    }

    private static func notInThisBuild(_ kind: String) -> ObjectiveError {
        ObjectiveError(
            kind: kind,
            "not available in this build (this build runs: \(availableKinds.joined(separator: ", "))); "
                + "use a worker built with the \(kind) objective"
        )
    }

    private static func unknownKind(_ kind: String) -> ObjectiveError {
        ObjectiveError(
            kind: kind,
            "unknown objective kind; use one of: \(Set(availableKinds + ["mlp", "command"]).sorted().joined(separator: ", "))"
        )
    }
}
