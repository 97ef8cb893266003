/// The study file the hostile and live-view benchmarks run: Branin in two floats, minimized, through the
/// `test-function` objective with simulated work, random or GP with seed 1.
enum BraninStudy {
    /// The YAML of one such study.
    ///
    /// - Parameters:
    ///   - duration: simulated seconds per trial.
    ///   - optimizer: `random` or `gp`.
    ///   - maxFailures: `budget.max_failures`; nil: the study file's default.
    ///   - journal: the journal's path; nil: next to the study file.
    static func yaml(
        name: String, duration: Double, optimizer: String, trials: Int, maxFailures: Int? = nil, journal: String? = nil
    ) -> String {
        """
        name: \(name)
        direction: minimize
        metric: value
        space:
          x0: {type: float, low: -5, high: 10}
          x1: {type: float, low: 0, high: 15}
        objective: {kind: test-function, function: branin, duration: \(duration)}
        optimizer: {kind: \(optimizer), seed: 1}
        budget: {trials: \(trials)\(maxFailures.map { ", max_failures: \($0)" } ?? "")}
        """ + (journal.map { "\njournal: \($0)" } ?? "")
    }
}
