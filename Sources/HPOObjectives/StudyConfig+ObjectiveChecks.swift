public import HPOStudyFile

/// `ObjectiveFactory` is what checks a study file's objective (the study file target cannot import it).
extension ObjectiveFactory: StudyObjectiveChecks {}

extension StudyConfig {
    /// Reads and checks the study file at `path`, checking the objective with ``ObjectiveFactory`` unless
    /// `checksObjective` is false (see `load(contentsOf:objectiveChecks:localWorkers:)`).
    ///
    /// - Throws: ``StudyFileError`` naming the file, the key path and the line.
    public static func load(
        contentsOf path: String, checksObjective: Bool = true, localWorkers: Bool = false
    ) throws(StudyFileError) -> StudyConfig {
        try load(contentsOf: path, objectiveChecks: checksObjective ? ObjectiveFactory.self : nil, localWorkers: localWorkers)
    }

    /// Parses a study file's text, checking the objective with ``ObjectiveFactory`` unless `checksObjective` is false
    /// (see `parse(yaml:file:directory:objectiveChecks:localWorkers:)`).
    ///
    /// - Throws: ``StudyFileError`` naming the key path and the line, echoing the value and saying what to do.
    public static func parse(
        yaml: String, file: String? = nil, directory: String = ".", checksObjective: Bool = true,
        localWorkers: Bool = false
    ) throws(StudyFileError) -> StudyConfig {
        try parse(
            yaml: yaml, file: file, directory: directory, objectiveChecks: checksObjective ? ObjectiveFactory.self : nil,
            localWorkers: localWorkers)
    }
}
