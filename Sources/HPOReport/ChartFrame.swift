/// The plotting area of a chart with its two axes: margins, scales, ticks, grid lines and axis titles.
struct ChartFrame {
    static let width = 520.0
    static let height = 300.0
    static let margin = (left: 64.0, right: 16.0, top: 28.0, bottom: 48.0)

    let x: Scale
    let y: Scale
    var canvas: SVGCanvas

    /// A frame whose x axis maps `xKind` over `xDomain` and y axis `yKind` over `yDomain` (y grows upwards).
    init(x xKind: Scale.Kind, _ xDomain: ClosedRange<Double>, y yKind: Scale.Kind, _ yDomain: ClosedRange<Double>,
         width: Double = ChartFrame.width, height: Double = ChartFrame.height) {
        x = Scale(xKind, domain: xDomain, pixels: Self.margin.left, width - Self.margin.right)
        y = Scale(yKind, domain: yDomain, pixels: height - Self.margin.bottom, Self.margin.top)
        canvas = SVGCanvas(width: width, height: height)
    }

    /// Draws grid lines, ticks with labels, and the axis titles.
    mutating func drawAxes(xTitle: String, yTitle: String) {
        let left = Self.margin.left
        let right = canvas.width - Self.margin.right
        let bottom = canvas.height - Self.margin.bottom
        let top = Self.margin.top
        for tick in y.ticks() {
            let position = y.position(tick.value)
            guard position >= top - 0.5, position <= bottom + 0.5 else { continue }
            canvas.line(left, position, right, position, class: "grid")
            canvas.text(left - 6, position + 4, tick.label, anchor: "end", class: "tick")
        }
        let rotate = x.ticks().contains { $0.label.count > 8 }
        for tick in x.ticks(count: 6) {
            let position = x.position(tick.value)
            guard position >= left - 0.5, position <= right + 0.5 else { continue }
            canvas.line(position, bottom, position, bottom + 4, class: "axis")
            if rotate {
                canvas.text(position, bottom + 14, String(tick.label.prefix(14)), anchor: "end", class: "tick", rotate: -30)
            } else {
                canvas.text(position, bottom + 16, tick.label, class: "tick")
            }
        }
        canvas.line(left, bottom, right, bottom, class: "axis")
        canvas.line(left, top, left, bottom, class: "axis")
        canvas.text((left + right) / 2, canvas.height - 8, xTitle, class: "axis-title")
        canvas.text(14, (top + bottom) / 2, yTitle, class: "axis-title", rotate: -90)
    }

    /// A domain that covers `values` with a little room (or 0...1 when there are none).
    static func domain(of values: [Double], padding: Double = 0.04) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return 0...1 }
        let pad = (high - low) * padding
        return (low - pad)...(high + pad)
    }

    /// The x axis of a parameter, and how to read a trial's value on it (nil: the trial has no such value).
    static func axis(of parameter: ReportData.Parameter) -> (kind: Scale.Kind, domain: ClosedRange<Double>) {
        switch parameter.axis {
        case .numeric(let low, let high, let log):
            return (log ? .logarithmic : .linear, low...max(high, low))
        case .categories(let names):
            return (.categories(names), 0...1)
        }
    }

    /// The position of `value` on a parameter's axis (category index for categories).
    static func coordinate(_ value: ReportData.Value?, on parameter: ReportData.Parameter) -> Double? {
        switch (value, parameter.axis) {
        case (.number(let number)?, .numeric): return number
        case (.text(let text)?, .categories(let names)): return names.firstIndex(of: text).map(Double.init)
        case (.number(let number)?, .categories(let names)):
            return names.firstIndex(of: NumberText.short(number, digits: 15)).map(Double.init)
        default: return nil
        }
    }
}
