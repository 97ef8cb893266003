import Foundation
public import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace

/// How `hpo run` and `hpo coordinator` print a finished session: a few lines, or one JSON document.
public enum StudyReport {
    /// The human-readable report: state and reason, counts, the best trial and its parameters.
    public static func text(_ summary: StudySummary, study: String, journal: String) -> String {
        var lines = ["study \(study) \(summary.state.rawValue): \(summary.reason)"]
        lines.append("trials: \(summary.completed) completed, \(summary.failed) failed, \(summary.unfinished) unfinished")
        if let best = summary.best, let value = best.value {
            lines.append("best: trial \(best.id.rawValue), value \(value)")
            for name in best.parameters.keys.sorted() {
                lines.append("  \(name) = \(best.parameters[name]!)")
            }
        } else {
            lines.append("best: none (no trial completed)")
        }
        lines.append("journal: \(journal)")
        return lines.joined(separator: "\n")
    }

    /// The JSON report: `{"study", "journal", "state", "reason", "completed", "failed", "unfinished", "trialBudget",
    /// "best", "trials"}` with every trial (`id`, `parameters`, `state`, `value`, `failureReason`, `attempts`).
    public static func json(_ summary: StudySummary, study: String, journal: String) -> String {
        struct Document: Encodable {
            var study: String
            var journal: String
            var summary: StudySummary

            func encode(to encoder: any Encoder) throws {
                try summary.encode(to: encoder)
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(study, forKey: .study)
                try container.encode(journal, forKey: .journal)
            }

            enum Key: String, CodingKey { case study, journal }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = (try? encoder.encode(Document(study: study, journal: journal, summary: summary))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The report for `config`'s session, as text or JSON.
    public static func render(_ summary: StudySummary, config: StudyConfig, json: Bool) -> String {
        json
            ? Self.json(summary, study: config.name, journal: config.journalPath)
            : text(summary, study: config.name, journal: config.journalPath)
    }

    /// The process exit status for a session: 0 completed, 1 failed, 130 interrupted (as after SIGINT).
    public static func exitCode(_ summary: StudySummary) -> Int32 {
        switch summary.state {
        case .completed: 0
        case .failed: 1
        case .interrupted: 130
        }
    }
}
