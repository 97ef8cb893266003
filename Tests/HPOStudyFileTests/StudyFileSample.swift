import HPOStudyFile
import HPOObjectives

/// The smallest valid study file, and the error a variant of it gives: shared by the study-file test suites.
enum StudyFileSample {
    static let minimal = """
        name: s
        space: {x: {type: float, low: 0, high: 1}}
        objective: {kind: "null"}
        budget: {trials: 10}
        """

    /// The error `yaml` (read as `s.yaml`) gives, or nil when it is accepted.
    static func error(_ yaml: String) -> String? {
        do {
            _ = try StudyConfig.parse(yaml: yaml, file: "s.yaml")
            return nil
        } catch {
            return error.description
        }
    }
}
