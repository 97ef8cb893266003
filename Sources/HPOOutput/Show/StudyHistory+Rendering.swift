import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
public import HPOCoordinatorRuntime

/// `hpo show` output: an aligned table for people, CSV and JSON for programs.
extension StudyHistory {
    /// An output format of `hpo show`.
    public enum Format: String, Sendable, CaseIterable {
        case table, csv, json
    }

    /// The history in `format`, ending with a newline.
    public func render(_ format: Format) -> String {
        switch format {
        case .table: renderTable()
        case .csv: renderCSV()
        case .json: renderJSON()
        }
    }

    /// A headline (study, direction, counts, best) and one aligned row per trial; the best row is marked `*`.
    func renderTable() -> String {
        let names = parameterNames
        let bestID = best?.id
        let header: [String] = ["", "trial", "state", "value"] + names + ["attempts", "seconds", "note"]
        var rows: [[String]] = [header]
        for trial in trials {
            var note = trial.reason ?? ""
            if trial.state == .running, let step = trial.progressStep, let value = trial.progressValue {
                note = "step \(step): \(Self.number(value))"
            }
            let marker = trial.id == bestID ? "*" : ""
            let value = trial.value.map(Self.number) ?? ""
            let seconds = trial.durationSeconds.map { String(format: "%.2f", $0) } ?? ""
            var row: [String] = [marker, String(trial.id), trial.state.rawValue, value]
            for name in names {
                row.append(trial.parameters[name].map(Self.parameter) ?? "")
            }
            row.append(contentsOf: [String(trial.attempts), seconds, Self.oneLine(note, limit: 60)])
            rows.append(row)
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let numeric: Set<Int> = [1, 3, rows[0].count - 3, rows[0].count - 2]
        var lines = [headline()] + (data.map { ["data: \($0)"] } ?? []) + [""]
        for row in rows {
            let cells = row.indices.map { column in
                let cell = row[column]
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return numeric.contains(column) ? padding + cell : cell + padding
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `study digits (maximize), session 2: 48/50 completed, 1 failed, 1 running, 0 queued; best #31 = 0.975 (...)`;
    /// with pruned trials `…: 50/60 done (20 completed, 30 pruned), 1 failed, …`.
    func headline() -> String {
        guard let name else {
            return eventCount == 0
                ? "the journal has no events yet (the study has not started)"
                : "the journal has \(eventCount) events but no study start; is it complete?"
        }
        var text = "study \(name) (\(direction.rawValue))"
        if sessions > 1 { text += ", \(sessions) sessions" }
        let budget = trialBudget.map { "/\($0)" } ?? ""
        if count(.pruned) > 0 {
            // Pruned trials count toward the budget like completed ones.
            text += ": \(count(.completed) + count(.pruned))\(budget) done (\(count(.completed)) completed, \(count(.pruned)) pruned)"
        } else {
            text += ": \(count(.completed))\(budget) completed"
        }
        text += ", \(count(.failed)) failed, \(count(.running)) running, \(count(.queued)) queued"
        if let best, let value = best.value { text += "; best #\(best.id) = \(Self.number(value))" }
        if let finished { text += "; \(finished.state.rawValue): \(finished.reason)" }
        return text
    }

    /// RFC 4180 CSV: a header, then one row per trial; the metrics reported with the values (e.g. the MLP's
    /// `validation_loss`) come last, as columns `metrics.<name>` in name order. Integral values and metrics are
    /// written as integers (`50`, not `50.0`).
    func renderCSV() -> String {
        let names = parameterNames
        let metricNames = Set(trials.flatMap(\.metrics.keys)).sorted()
        let header: [String] = ["trial", "state", "value"] + names + ["attempts", "duration_seconds", "reason"]
            + metricNames.map { "metrics.\($0)" }
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for trial in trials {
            var fields: [String] = [String(trial.id), trial.state.rawValue, trial.value.map(JSONOutput.number) ?? ""]
            for name in names {
                fields.append(trial.parameters[name]?.description ?? "")
            }
            fields.append(String(trial.attempts))
            fields.append(trial.durationSeconds.map(JSONOutput.number) ?? "")
            fields.append(trial.reason ?? "")
            for name in metricNames {
                fields.append(trial.metrics[name].map(JSONOutput.number) ?? "")
            }
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `hpo.study` document (docs/json.md).
    func renderJSON() -> String {
        JSONOutput.encode(StudyDocument(self)) + "\n"
    }

    /// Six significant digits: `0.972222`, `1.5e-05`.
    static func number(_ value: Double) -> String {
        String(format: "%.6g", value)
    }

    /// Parameter values as a table shows them: reals with six significant digits, strings on one line (a line
    /// break or tab in a categorical choice would break the table's rows and columns) and at most 40 characters.
    static func parameter(_ value: ParameterValue) -> String {
        if case .double(let real) = value { return number(real) }
        let text = value.description.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\r", with: "\\r")
        return text.count > 40 ? String(text.prefix(39)) + "…" : text
    }

    /// `text` on one line, cut to `limit` characters with an ellipsis.
    static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
