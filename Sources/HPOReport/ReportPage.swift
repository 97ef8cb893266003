/// The whole report: one self-contained HTML page (inline CSS and SVG, no script, no network), readable in any
/// browser and as a mailed file. Opened with a section's id as fragment (`report.html#timeline`), a browser shows that
/// section alone.
public enum ReportPage {
    /// The sections in page order, by element id (tests and the browser check find each chart by these).
    public static let sectionIDs = [
        "summary", "history", "slices", "parallel", "importance", "curves", "timeline", "top-trials", "settings",
    ]

    /// Renders `data` as an HTML document.
    public static func render(_ data: ReportData) -> String {
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>\(e(data.title)) — hpo report</title><style>\(style)</style></head><body>"
        html += "<header><h1>\(e(data.title))</h1><p class=\"sub\">hpo \(e(data.version)) · \(data.maximize ? "maximize" : "minimize") \(e(data.metric))</p></header>"
        html += section("summary", "Summary", summary(data))
        html += section("history", "History", HistoryCharts.byTrial(data) + HistoryCharts.byTime(data))
        html += section("slices", "Objective against each parameter", data.parameters.map { SliceChart.make(data, parameter: $0) }.joined())
        html += section("parallel", "Parallel coordinates", ParallelCoordinatesChart.make(data))
        html += section("importance", "Parameter importance", ImportanceChart.make(data) + "<p class=\"note\">\(e(data.importanceMethod))</p>")
        html += section("curves", "Learning curves", LearningCurveChart.make(data))
        html += section("timeline", "Workers", WorkerTimelineChart.make(data))
        html += section("top-trials", "Top trials", topTable(data))
        html += section("settings", "Settings", settingsTable(data))
        html += "<footer>Written by hpo \(e(data.version)). Hover a point or bar for details.</footer></body></html>\n"
        return html
    }

    private static func section(_ id: String, _ title: String, _ content: String) -> String {
        "<section id=\"\(id)\"><h2>\(e(title))</h2><div class=\"charts\">\(content)</div></section>"
    }

    private static func summary(_ data: ReportData) -> String {
        let counts = ReportData.Trial.State.allStates.map { state in (state, data.trials.filter { $0.state == state }.count) }
        var html = "<p>" + counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: " · ") + "</p>"
        if let best = data.best {
            let parameters = data.parameters.map { "\(e($0.name)) = \(e(SliceChart.label(best.parameters[$0.name])))" }
            html += "<p class=\"best\">Best: trial \(best.id), \(e(data.metric)) = <b>\(NumberText.short(best.value!, digits: 6))</b> (\(parameters.joined(separator: ", ")))</p>"
        } else {
            html += "<p class=\"best\">No trial has completed yet.</p>"
        }
        for warning in data.warnings { html += "<p class=\"warning\">⚠ \(e(warning))</p>" }
        return html
    }

    private static func topTable(_ data: ReportData, limit: Int = 20) -> String {
        let ranked = data.completed.enumerated().sorted { lhs, rhs in
            data.isBetter(lhs.element.value!, than: rhs.element.value!)
                || (lhs.element.value! == rhs.element.value! && lhs.offset < rhs.offset)
        }.prefix(limit).map(\.element)
        var html = "<table><thead><tr><th>#</th><th>trial</th><th>\(e(data.metric))</th>"
        html += data.parameters.map { "<th>\(e($0.name))</th>" }.joined() + "</tr></thead><tbody>"
        for (rank, trial) in ranked.enumerated() {
            html += "<tr><td>\(rank + 1)</td><td>\(trial.id)</td><td>\(NumberText.short(trial.value!, digits: 6))</td>"
            html += data.parameters.map { "<td>\(e(SliceChart.label(trial.parameters[$0.name])))</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }

    private static func settingsTable(_ data: ReportData) -> String {
        var html = "<table class=\"settings\"><tbody>"
        for (key, value) in data.settings + [("hpo version", data.version)] {
            html += "<tr><th>\(e(key))</th><td>\(e(value))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    private static func e(_ text: String) -> String { SVGCanvas.escape(text) }

    static let style = """
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2330;background:#fff;max-width:1100px}
        h1{margin:0;font-size:24px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e8;padding-bottom:4px}
        .sub{color:#5b6475;margin:2px 0 0}.best{font-size:15px}.warning{color:#8a4b00;background:#fff4e0;padding:6px 10px;border-radius:4px}
        .note{color:#5b6475;font-size:12px;max-width:900px}.charts{display:flex;flex-wrap:wrap;gap:12px}
        svg{background:#fff;border:1px solid #eef0f4;border-radius:4px}
        .grid{stroke:#eef0f4}.axis{stroke:#8a93a3}.tick{font-size:11px;fill:#5b6475}.label{font-size:12px;fill:#1d2330}
        .axis-title{font-size:12px;fill:#1d2330;font-weight:600}
        .point{fill:#2f6fdb;fill-opacity:.75}.best-point{fill:#e0452b;fill-opacity:1}.best{fill:none;stroke:#e0452b;stroke-width:2}
        .pc-line{fill:none;stroke-width:1.2}.pc-q0{stroke:#c9d6ee}.pc-q1{stroke:#a6bde6}.pc-q2{stroke:#7e9fdc}.pc-q3{stroke:#4f7dd1}.pc-q4{stroke:#1f4fb0}.pc-best{stroke:#e0452b;stroke-width:2.5}
        .bar{fill:#2f6fdb}
        .curve{fill:none;stroke:#7e9fdc;stroke-width:1.2}.curve-best{stroke:#e0452b;stroke-width:2.2}.curve-pruned{stroke:#b9bfca;stroke-dasharray:none}.curve-failed{stroke:#d08a2c;stroke-dasharray:4 3}
        .mark-pruned{stroke:#6b7385;stroke-width:1.5}.mark-failed{stroke:#d08a2c;stroke-width:1.5}
        .run{stroke:#fff;stroke-width:.5}.run-completed{fill:#2f6fdb}.run-failed{fill:#d08a2c}.run-pruned{fill:#9aa3b2}.run-requeued{fill:#e0452b}.run-running{fill:#52b36b}
        .event-lost{fill:#e0452b}.event-left{fill:#6b7385}
        table{border-collapse:collapse;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #eef0f4;text-align:left}th{background:#f6f7fa}
        footer{margin-top:32px;color:#5b6475;font-size:12px}
        body:has(section:target) section:not(:target),body:has(section:target) header,body:has(section:target) footer{display:none}
        """
}

extension ReportData.Trial.State {
    /// Every state, in the order the summary lists them.
    static let allStates: [Self] = [.completed, .pruned, .failed, .running, .queued]
}
