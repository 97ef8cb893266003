public import HPOSearchSpace
public import HPOWire

/// The checks ``StudyConfig/parse(yaml:file:directory:objectiveChecks:localWorkers:)`` runs on the study file's
/// `objective`, so that a bad option is reported with the file and line before anything starts.
///
/// `ObjectiveFactory` (in `HPOObjectives`) is the implementation; this target cannot import it, because the
/// objectives read their durations from here. `StudyConfig.load(contentsOf:checksObjective:localWorkers:)` and
/// `StudyConfig.parse(yaml:file:directory:checksObjective:localWorkers:)` in `HPOObjectives` pass it in.
public protocol StudyObjectiveChecks {
    /// Checks the objective's options and that `space`'s parameters are what it takes.
    static func validate(_ descriptor: ObjectiveDescriptor, space: SearchSpace) throws
    /// The objective with its relative paths made absolute against `directory`.
    static func resolvingRelativePaths(_ descriptor: ObjectiveDescriptor, against directory: String) -> ObjectiveDescriptor
    /// Checks the files the objective needs; returns a one-line summary of the data it read, if any.
    static func checkFiles(
        _ descriptor: ObjectiveDescriptor, readsData: Bool, relativeTo: String
    ) throws(StudyFileError) -> String?
}
