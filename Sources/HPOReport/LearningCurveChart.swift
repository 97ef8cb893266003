/// Learning curves: each trial's intermediate values against their step; pruned trials end in a cross, failed
/// trials are dashed, the best trial is drawn on top.
public enum LearningCurveChart {
    public static func make(_ data: ReportData) -> String {
        let curves = data.trials.filter { !$0.curve.isEmpty }
        let steps = curves.flatMap { $0.curve.map { Double($0.step) } }
        let values = curves.flatMap { $0.curve.map(\.value) }
        var frame = ChartFrame(x: .linear, ChartFrame.domain(of: steps, padding: 0.02), y: .linear, ChartFrame.domain(of: values))
        frame.drawAxes(xTitle: "step", yTitle: data.metric)
        let bestID = data.best?.id
        for trial in curves.sorted(by: { ($0.id == bestID ? 1 : 0, $0.id) < ($1.id == bestID ? 1 : 0, $1.id) }) {
            let points = trial.curve.map { (x: frame.x.position(Double($0.step)), y: frame.y.position($0.value)) }
            let kind: String
            switch trial.state {
            case .pruned: kind = "curve curve-pruned"
            case .failed: kind = "curve curve-failed"
            default: kind = trial.id == bestID ? "curve curve-best" : "curve"
            }
            let title = "trial \(trial.id) (\(trial.state.rawValue)): last \(NumberText.short(trial.curve.last!.value, digits: 6)) at step \(trial.curve.last!.step)"
            if points.count == 1 {
                frame.canvas.circle(points[0].x, points[0].y, radius: 2, class: kind, title: title)
            } else {
                frame.canvas.polyline(points, class: kind, title: title)
            }
            if trial.state == .pruned || trial.state == .failed, let end = points.last {
                frame.canvas.line(end.x - 4, end.y - 4, end.x + 4, end.y + 4, class: "mark-\(trial.state.rawValue)")
                frame.canvas.line(end.x - 4, end.y + 4, end.x + 4, end.y - 4, class: "mark-\(trial.state.rawValue)")
            }
        }
        if curves.isEmpty {
            frame.canvas.text(ChartFrame.width / 2, ChartFrame.height / 2, "no intermediate values were reported", class: "label")
        }
        return frame.canvas.svg(title: "learning curves", id: "learning-curves")
    }
}
