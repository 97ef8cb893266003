import Foundation
import HPOCoordinatorCore
import HPOCoordinatorRuntime
import HPOLocalRun
import HPOOutput
import HPOStudyFile

/// One `hpo run` of the early-stopping benchmark's study and what it measured.
struct EarlyStoppingRun {
    var rule: String
    var wallSeconds: Double
    /// Epochs the finished trials trained (`steps_trained` of `hpo run --json`).
    var epochsTrained: Int
    var pruned: Int
    /// The best completed trial's accuracy (its last epoch's: `final: last`).
    var best: Double
    /// Completed trials as (seconds since the study started, accuracy), in completion order.
    var completions: [(seconds: Double, value: Double)]
    /// Seconds until a completed trial first reached the target; nil if none did.
    var timeToTarget: Double?

    var line: String {
        String(
            format: "%.1f s, %d epochs, %d pruned, best %.4f, target at %@", wallSeconds, epochsTrained, pruned, best,
            timeToTarget.map { String(format: "%.1f s", $0) } ?? "never")
    }

    /// The run as one JSON object on one line: rule, seed, wall_seconds, epochs_trained, pruned, best,
    /// seconds_to_target (null: never) and completions (`[[seconds since the study started, accuracy], …]`).
    func jsonLine(seed: Int) throws -> String {
        let object: [String: Any] = [
            "rule": rule, "seed": seed, "wall_seconds": wallSeconds, "epochs_trained": epochsTrained, "pruned": pruned,
            "best": best, "seconds_to_target": timeToTarget.map { $0 as Any } ?? NSNull(), "completions": completions.map { [$0.seconds, $0.value] },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// When a completed trial first reached `target`.
    func firstReached(_ target: Double) -> Double? {
        completions.first { $0.value >= target }?.seconds
    }

    /// The study file's `pruner:` line for a rule: `none`, `median` (warm-up 5, 5 trials), `asha` or `hyperband` with
    /// the documented defaults (η 3, min_resource ⌈epochs / 27⌉, max_resource the epochs), `asha-min1` (any
    /// `-minN`: that min_resource), and `-ignore` at the end (`asha-ignore`): the optimizer learns nothing of pruned
    /// trials. nil for a rule it does not know.
    static func pruner(_ rule: String) -> String? {
        var parts = rule.split(separator: "-").map(String.init)
        var settings: [String] = []
        if parts.last == "ignore" {
            parts.removeLast()
            settings.append("pruned_trials: ignore")
        }
        if let last = parts.last, last.hasPrefix("min"), let steps = Int(last.dropFirst(3)) {
            parts.removeLast()
            settings.insert("min_resource: \(steps)", at: 0)
        }
        switch parts.joined(separator: "-") {
        case "median" where !settings.contains(where: { $0.hasPrefix("min_resource") }):
            settings.insert(contentsOf: ["warmup_steps: 5", "min_trials: 5"], at: 0)
        case "asha", "hyperband": break
        case "none" where settings.isEmpty: return "pruner: {kind: none}"
        default: return nil
        }
        return "pruner: {" + (["kind: \(parts.joined(separator: "-"))"] + settings).joined(separator: ", ") + "}"
    }

    /// Writes the study, runs `hpo run --json`, and reads its report and journal.
    static func execute(binary: String, rule: String, seed: Int, trials: Int, epochs: Int, workers: Int) throws -> EarlyStoppingRun {
        guard let prunerLine = pruner(rule) else {
            throw HostileBenchmarkError(
                "rule \"\(rule)\" is not none, median, asha or hyperband (with an optional -minN and -ignore); fix --rules")
        }
        let directory = try ScratchDirectory("early-\(rule)-\(seed)")
        defer { directory.remove() }
        let study = try directory.write("es.yaml", """
            name: es
            direction: maximize
            space:
              lr: {type: float, low: 0.00001, high: 1.0, log: true}
              batch_size: {type: int, low: 16, high: 256, log: true}
              hidden_1: {type: int, low: 16, high: 128, log: true}
              hidden_2: {type: int, low: 8, high: 64, log: true}
              optimizer: {type: categorical, choices: [sgd, adam]}
              weight_decay: {type: float, low: 0.000001, high: 0.01, log: true}
            objective: {kind: mlp, dataset: digits, epochs: \(epochs), final: last}
            optimizer: {kind: gp, seed: \(seed)}
            budget: {trials: \(trials)}
            \(prunerLine)
            """)
        let started = Date()
        SpawnedProcess.waitForExit(try SpawnedProcess.start(
            binary, ["run", study, "--workers", "\(workers)", "--json"],
            stdout: directory.file("out.json"), stderr: directory.file("err.log")))
        let wall = Date().timeIntervalSince(started)
        guard let report = SessionCounts.read(directory.file("out.json")) else {
            throw HostileBenchmarkError("hpo run printed no JSON report; stderr: \(directory.tail("err.log"))")
        }
        let entries = try JournalStore<JournalEvent>(path: directory.file("es.db"), mode: .readOnly).readAll()
        let origin = entries.first?.time ?? started
        var completions: [(Double, Double)] = []
        for entry in entries {
            if case .trialCompleted(_, _, let value, _, _) = entry.event {
                completions.append((entry.time.timeIntervalSince(origin), value))
            }
        }
        return EarlyStoppingRun(
            rule: rule, wallSeconds: wall, epochsTrained: report.stepsTrained, pruned: report.pruned,
            best: completions.map(\.1).max() ?? 0, completions: completions, timeToTarget: nil)
    }
}
