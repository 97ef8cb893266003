/// Best-so-far charts: every completed trial as a point, the best value so far as a step line.
public enum HistoryCharts {
    /// Objective against trial number (trial id).
    public static func byTrial(_ data: ReportData) -> String {
        chart(data, id: "history-trials", title: "\(data.metric) by trial", xTitle: "trial") { Double($0.id) }
    }

    /// Objective against wall time since the study's first event.
    public static func byTime(_ data: ReportData) -> String {
        chart(data, id: "history-time", title: "\(data.metric) over time", xTitle: "seconds since start") { $0.finishedAt }
    }

    private static func chart(
        _ data: ReportData, id: String, title: String, xTitle: String, x: (ReportData.Trial) -> Double?
    ) -> String {
        let points = data.completed.compactMap { trial in x(trial).map { (trial: trial, x: $0) } }.sorted { $0.x < $1.x }
        var frame = ChartFrame(
            x: .linear, ChartFrame.domain(of: points.map(\.x)), y: .linear, ChartFrame.domain(of: points.map { $0.trial.value! }))
        frame.drawAxes(xTitle: xTitle, yTitle: data.metric)
        var best: Double?
        var steps: [(x: Double, y: Double)] = []
        for point in points {
            let value = point.trial.value!
            if best.map({ data.isBetter(value, than: $0) }) ?? true {
                if let best { steps.append((frame.x.position(point.x), frame.y.position(best))) }
                best = value
            }
            steps.append((frame.x.position(point.x), frame.y.position(best!)))
        }
        frame.canvas.polyline(steps, class: "best", title: "best so far")
        for point in points {
            frame.canvas.circle(
                frame.x.position(point.x), frame.y.position(point.trial.value!), radius: 3, class: "point",
                title: "trial \(point.trial.id): \(NumberText.short(point.trial.value!, digits: 6))")
        }
        return frame.canvas.svg(title: title, id: id)
    }
}
