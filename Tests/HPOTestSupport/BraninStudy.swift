public import Foundation
import HPOExampleStudies

/// Study files for tests: Branin (x0 in [-5, 10], x1 in [0, 15], minimized) as a `test-function` objective.
public enum BraninStudy {
    /// Writes `<name>.yaml` in `directory` and returns its path; the journal is `<name>.db` next to it.
    ///
    /// - Parameters:
    ///   - trials: the budget.
    ///   - duration: how long each trial's objective takes, in seconds.
    ///   - optimizer: the optimizer's `kind`; `seed`, `startupTrials` and `batchMode` are its other keys.
    ///   - heartbeat: the heartbeat interval (e.g. `200ms`); the lease is `heartbeat × liveness`.
    ///   - extra: YAML appended at the top level (e.g. `enqueue:` or `transport:` sections).
    public static func write(
        in directory: URL, name: String = "e2e", trials: Int, duration: Double, optimizer: String = "random",
        batchMode: String = "async", seed: Int = 7, startupTrials: Int = 4, heartbeat: String = "200ms",
        liveness: Int = 3, extra: String = ""
    ) throws -> String {
        let yaml = BraninStudyYAML.text(
            name: name, trials: trials, duration: duration, optimizer: optimizer, seed: seed,
            optimizerKeys: [("startup_trials", "\(startupTrials)"), ("batch_mode", batchMode)],
            extra: "heartbeat:\n  interval: \(heartbeat)\n  liveness: \(liveness)\n\(extra)")
        let path = directory.appendingPathComponent("\(name).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
