/// Builds one inline SVG element as text: shapes with CSS classes (colours come from the page's style sheet),
/// coordinates rounded to 0.1 px, text escaped.
public struct SVGCanvas: Sendable {
    public let width: Double
    public let height: Double
    private var body = ""

    /// - Parameters: width, height: the drawing's size in px.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: String) {
        body += "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\" class=\"\(name)\"/>"
    }

    /// A dot with a tooltip.
    public mutating func circle(_ x: Double, _ y: Double, radius: Double, class name: String, title: String? = nil) {
        let open = "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(radius))\" class=\"\(name)\""
        body += title.map { open + "><title>\(Self.escape($0))</title></circle>" } ?? open + "/>"
    }

    public mutating func rect(
        _ x: Double, _ y: Double, width: Double, height: Double, class name: String, title: String? = nil
    ) {
        let open = "<rect x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(max(width, 0)))\" height=\"\(c(max(height, 0)))\" class=\"\(name)\""
        body += title.map { open + "><title>\(Self.escape($0))</title></rect>" } ?? open + "/>"
    }

    /// A polyline through `points` (nothing for fewer than 2).
    public mutating func polyline(_ points: [(x: Double, y: Double)], class name: String, title: String? = nil) {
        guard points.count >= 2 else { return }
        let coordinates = points.map { "\(c($0.x)),\(c($0.y))" }.joined(separator: " ")
        let open = "<polyline points=\"\(coordinates)\" class=\"\(name)\""
        body += title.map { open + "><title>\(Self.escape($0))</title></polyline>" } ?? open + "/>"
    }

    /// Text anchored at `x` (`start`, `middle` or `end`), optionally rotated by `rotate` degrees about its anchor.
    public mutating func text(
        _ x: Double, _ y: Double, _ content: String, anchor: String = "middle", class name: String = "label",
        rotate: Double? = nil
    ) {
        let transform = rotate.map { " transform=\"rotate(\(c($0)) \(c(x)) \(c(y)))\"" } ?? ""
        body += "<text x=\"\(c(x))\" y=\"\(c(y))\" text-anchor=\"\(anchor)\" class=\"\(name)\"\(transform)>\(Self.escape(content))</text>"
    }

    /// The finished `<svg>` element, labelled for screen readers and tests by `title`.
    public func svg(title: String, id: String) -> String {
        "<svg id=\"\(Self.escape(id))\" role=\"img\" aria-label=\"\(Self.escape(title))\" viewBox=\"0 0 \(c(width)) \(c(height))\" width=\"\(c(width))\" height=\"\(c(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title>\(Self.escape(title))</title>" + body + "</svg>"
    }

    /// `&`, `<`, `>` and quotes escaped for XML text and attributes.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    private func c(_ value: Double) -> String { NumberText.fixed(value, decimals: 1) }
}
