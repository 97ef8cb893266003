/// Parameter importance as horizontal bars, largest first.
public enum ImportanceChart {
    public static func make(_ data: ReportData) -> String {
        let rows = data.importance.sorted { $0.weight > $1.weight }
        let rowHeight = 26.0
        let left = 150.0
        let width = 520.0
        let height = max(60, 30 + rowHeight * Double(rows.count))
        var canvas = SVGCanvas(width: width, height: height)
        let scale = Scale(.linear, domain: 0...max(rows.first?.weight ?? 1, 1e-12), pixels: left, width - 60)
        for (index, row) in rows.enumerated() {
            let y = 16 + Double(index) * rowHeight
            canvas.text(left - 8, y + 14, row.name, anchor: "end", class: "label")
            canvas.rect(
                left, y, width: scale.position(row.weight) - left, height: rowHeight - 8, class: "bar",
                title: "\(row.name): \(NumberText.fixed(row.weight * 100, decimals: 1)) %")
            canvas.text(scale.position(row.weight) + 6, y + 14, NumberText.fixed(row.weight * 100, decimals: 1) + " %", anchor: "start", class: "tick")
        }
        if rows.isEmpty {
            canvas.text(width / 2, 34, "not enough completed trials to estimate importance", class: "label")
        }
        return canvas.svg(title: "parameter importance", id: "importance")
    }
}
