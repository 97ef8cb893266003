/// The objective against one parameter (a slice plot): one point per completed trial that has the parameter.
public enum SliceChart {
    public static func make(_ data: ReportData, parameter: ReportData.Parameter) -> String {
        let axis = ChartFrame.axis(of: parameter)
        let points = data.completed.compactMap { trial in
            ChartFrame.coordinate(trial.parameters[parameter.name], on: parameter).map { (trial: trial, x: $0) }
        }
        var frame = ChartFrame(x: axis.kind, axis.domain, y: .linear, ChartFrame.domain(of: points.map { $0.trial.value! }))
        frame.drawAxes(xTitle: parameter.name + (axis.kind == .logarithmic ? " (log)" : ""), yTitle: data.metric)
        let bestID = data.best?.id
        for point in points {
            frame.canvas.circle(
                frame.x.position(point.x), frame.y.position(point.trial.value!), radius: point.trial.id == bestID ? 5 : 3,
                class: point.trial.id == bestID ? "point best-point" : "point",
                title: "trial \(point.trial.id): \(parameter.name) = \(label(point.trial.parameters[parameter.name])), \(data.metric) = \(NumberText.short(point.trial.value!, digits: 6))")
        }
        return frame.canvas.svg(title: "\(data.metric) against \(parameter.name)", id: "slice-\(parameter.name)")
    }

    static func label(_ value: ReportData.Value?) -> String {
        switch value {
        case .number(let number)?: NumberText.short(number, digits: 6)
        case .text(let text)?: text
        case nil: "-"
        }
    }
}
