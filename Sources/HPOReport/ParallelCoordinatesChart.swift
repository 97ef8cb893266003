/// Parallel coordinates: one vertical axis per parameter and one for the objective; each completed trial is a line
/// across them, coloured by its rank (the best fifth darkest), the best trial on top.
public enum ParallelCoordinatesChart {
    public static func make(_ data: ReportData) -> String {
        let width = 1060.0
        let height = 320.0
        let top = 36.0
        let bottom = height - 40
        let count = data.parameters.count + 1
        let left = 70.0
        let spacing = count > 1 ? (width - left - 70) / Double(count - 1) : 0
        var canvas = SVGCanvas(width: width, height: height)
        let trials = data.completed
        let valueDomain = ChartFrame.domain(of: trials.map { $0.value! }, padding: 0)
        var scales: [(name: String, scale: Scale, read: (ReportData.Trial) -> Double?)] = data.parameters.map { parameter in
            let axis = ChartFrame.axis(of: parameter)
            return (parameter.name, Scale(axis.kind, domain: axis.domain, pixels: bottom, top),
                    { ChartFrame.coordinate($0.parameters[parameter.name], on: parameter) })
        }
        scales.append((data.metric, Scale(.linear, domain: valueDomain, pixels: bottom, top), { $0.value }))
        for (index, axis) in scales.enumerated() {
            let x = left + Double(index) * spacing
            canvas.line(x, top, x, bottom, class: "axis")
            canvas.text(x, top - 12, axis.name, class: "axis-title")
            for tick in axis.scale.ticks(count: 4) {
                canvas.text(x - 4, axis.scale.position(tick.value) + 4, String(tick.label.prefix(10)), anchor: "end", class: "tick")
            }
        }
        // Worst first, so the best lines are drawn last (on top).
        let ranked = trials.sorted { data.isBetter($1.value!, than: $0.value!) }
        for (rank, trial) in ranked.enumerated() {
            let points = scales.enumerated().compactMap { index, axis in
                axis.read(trial).map { (x: left + Double(index) * spacing, y: axis.scale.position($0)) }
            }
            let quintile = ranked.count > 1 ? min(4, rank * 5 / ranked.count) : 4
            let best = rank == ranked.count - 1
            canvas.polyline(
                points, class: best ? "pc-line pc-best" : "pc-line pc-q\(quintile)",
                title: "trial \(trial.id): \(data.metric) = \(NumberText.short(trial.value!, digits: 6))")
        }
        return canvas.svg(title: "parallel coordinates", id: "parallel-coordinates")
    }
}
