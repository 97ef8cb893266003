import HPOCoordinatorRuntime
import Foundation
public import HPOCoordinatorCore
import HPOOptimizer
import HPOReport
public import HPOSearchSpace
public import HPOStudyFile

/// How `hpo run` and `hpo coordinator` print a finished session: a few lines, or one JSON document.
public enum StudyReport {
    /// The human-readable report: state and reason, counts, the best trial (value rounded to 6 significant digits)
    /// and its parameters, a warning for each parameter whose best value sits on a bound of its range, the journal,
    /// and what to run next (`hpo show` / `hpo report`, or `resumeCommand` after an interrupted or failed session).
    public static func text(
        _ summary: StudySummary, study: String, journal: String, metric: String = "value", space: SearchSpace? = nil,
        resumeCommand: String? = nil
    ) -> String {
        var lines = ["study \(study) \(summary.state.rawValue): \(summary.reason)"]
        lines.append("trials: \(summary.completed) completed, \(summary.failed) failed, \(summary.unfinished) unfinished")
        if let pruning = pruningLine(summary) { lines.append(pruning) }
        if let best = summary.best, let value = best.value {
            lines.append("best: trial \(best.id.rawValue), \(metric) \(NumberText.short(value, digits: 6))")
            for name in best.parameters.keys.sorted() {
                let parameter = best.parameters[name]!
                lines.append("  \(name) = \(parameter.doubleValue.map { NumberText.short($0, digits: 6) } ?? parameter.description)")
            }
            if let space {
                lines += BoundaryWarning.messages(space: space, best: best.parameters).map { "warning: \($0)" }
            }
        } else {
            lines.append("best: none (no trial completed)")
        }
        lines.append("journal: \(journal)")
        let quoted = ShellQuoting.quote(journal)
        if let resumeCommand, summary.state != .completed {
            lines.append("resume with: \(resumeCommand)")
        }
        lines.append("see every trial: hpo show \(quoted); charts: hpo report \(quoted)")
        return lines.joined(separator: "\n")
    }

    /// The `hpo.session` document (docs/json.md); each trial's details come from the journal at `journal` when it can
    /// be read.
    public static func json(_ summary: StudySummary, study: String, journal: String) -> String {
        JSONOutput.encode(SessionDocument(
            summary, study: study, journal: journal, history: try? StudyHistory.load(journalPath: journal)))
    }

    /// The report for `config`'s session, as text or JSON; `resumeCommand` is suggested when the session did not
    /// complete.
    public static func render(_ summary: StudySummary, config: StudyConfig, json: Bool, resumeCommand: String? = nil) -> String {
        json
            ? Self.json(summary, study: config.name, journal: config.journalPath)
            : text(
                summary, study: config.name, journal: config.journalPath, metric: config.metric, space: config.space,
                resumeCommand: resumeCommand)
    }

    /// `summary` marked failed for `reason` (e.g. local workers kept dying and `hpo run` stopped the session).
    public static func failing(_ summary: StudySummary, because reason: String) -> StudySummary {
        var failed = summary
        failed.state = .failed
        failed.reason = reason
        return failed
    }

    /// The process exit status for a session: 0 completed, 1 failed, 3 exhausted (the optimizer proposed nothing new
    /// before the budget was spent), 130 interrupted (as after SIGINT).
    public static func exitCode(_ summary: StudySummary) -> Int32 {
        switch summary.state {
        case .completed: 0
        case .failed: 1
        case .interrupted: 130
        case .exhausted: 3
        }
    }
}
