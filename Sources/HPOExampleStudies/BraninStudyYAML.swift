/// The text of a study file that minimizes the Branin function (x0 in [-5, 10], x1 in [0, 15]) through the
/// `test-function` objective with simulated work: what `hpo-bench hostile` and `live-view` run and what the tests'
/// study files (`HPOTestSupport`'s `BraninStudy`) start from.
public enum BraninStudyYAML {
    /// The YAML of one such study, ending in a newline and then `extra`.
    ///
    /// - Parameters:
    ///   - name: the study's name.
    ///   - trials: the budget.
    ///   - duration: simulated seconds of work per trial.
    ///   - optimizer: the optimizer's `kind` (`random`, `gp`, …).
    ///   - seed: the optimizer's seed.
    ///   - optimizerKeys: more keys of the optimizer section, in this order, e.g. `("startup_trials", "4")`.
    ///   - maxFailures: `budget.max_failures`; nil: the study file's default.
    ///   - extra: YAML appended at the top level (e.g. `journal:`, `heartbeat:` or `enqueue:` sections).
    public static func text(
        name: String, trials: Int, duration: Double, optimizer: String, seed: Int,
        optimizerKeys: [(key: String, value: String)] = [], maxFailures: Int? = nil, extra: String = ""
    ) -> String {
        let optimizerLines = optimizerKeys.map { "\n  \($0.key): \($0.value)" }.joined()
        return """
            name: \(name)
            direction: minimize
            metric: value
            space:
              x0: {type: float, low: -5, high: 10}
              x1: {type: float, low: 0, high: 15}
            objective:
              kind: test-function
              function: branin
              duration: \(duration)
            optimizer:
              kind: \(optimizer)
              seed: \(seed)\(optimizerLines)
            budget:
              trials: \(trials)\(maxFailures.map { "\n  max_failures: \($0)" } ?? "")

            """ + extra
    }
}
