import Foundation
public import HPOCoordinatorCore
import HPOOptimizer
import HPOReport
public import HPOSearchSpace

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

    /// The JSON report, snake_case like `hpo show --format json` and the wire protocol: `{"study", "journal",
    /// "state", "reason", "completed", "failed", "unfinished", "pruned", "steps_saved", "steps_trained",
    /// "trial_budget" (null when unlimited), "best",
    /// "trials"}` with every trial as `{"id", "parameters", "state", "value", "failure_reason", "attempts"}`.
    public static func json(_ summary: StudySummary, study: String, journal: String) -> String {
        let document = JSONDocument(
            study: study, journal: journal, state: summary.state.rawValue, reason: summary.reason,
            completed: summary.completed, failed: summary.failed, unfinished: summary.unfinished,
            pruned: summary.pruned, stepsSaved: summary.stepsSaved, stepsTrained: summary.stepsTrained,
            trialBudget: summary.trialBudget,
            best: summary.best.map(JSONDocument.Trial.init), trials: summary.trials.map(JSONDocument.Trial.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The `--json` document; keys spelled out (a key strategy would also rewrite parameter names).
    private struct JSONDocument: Encodable {
        struct Trial: Encodable {
            var id: Int
            var parameters: Assignment
            var state: String
            var value: Double?
            var failureReason: String?
            var attempts: Int

            init(_ trial: TrialSummary) {
                id = trial.id.rawValue
                parameters = trial.parameters
                state = trial.state.rawValue
                value = trial.value
                failureReason = trial.failureReason
                attempts = trial.attempts
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(parameters, forKey: .parameters)
                try container.encode(state, forKey: .state)
                try container.encode(value, forKey: .value)
                try container.encode(failureReason, forKey: .failureReason)
                try container.encode(attempts, forKey: .attempts)
            }

            enum CodingKeys: String, CodingKey {
                case id, parameters, state, value, attempts
                case failureReason = "failure_reason"
            }
        }

        var study: String
        var journal: String
        var state: String
        var reason: String
        var completed, failed, unfinished: Int
        var pruned, stepsSaved, stepsTrained: Int
        var trialBudget: Int?
        var best: Trial?
        var trials: [Trial]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(study, forKey: .study)
            try container.encode(journal, forKey: .journal)
            try container.encode(state, forKey: .state)
            try container.encode(reason, forKey: .reason)
            try container.encode(completed, forKey: .completed)
            try container.encode(failed, forKey: .failed)
            try container.encode(unfinished, forKey: .unfinished)
            try container.encode(pruned, forKey: .pruned)
            try container.encode(stepsSaved, forKey: .stepsSaved)
            try container.encode(stepsTrained, forKey: .stepsTrained)
            try container.encode(trialBudget, forKey: .trialBudget)
            try container.encode(best, forKey: .best)
            try container.encode(trials, forKey: .trials)
        }

        enum CodingKeys: String, CodingKey {
            case study, journal, state, reason, completed, failed, unfinished, pruned, best, trials
            case trialBudget = "trial_budget"
            case stepsSaved = "steps_saved"
            case stepsTrained = "steps_trained"
        }
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
