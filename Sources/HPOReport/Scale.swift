/// Maps data values onto a pixel range: linear, logarithmic (base 10) or, for categories, evenly spaced bands.
public struct Scale: Sendable, Hashable {
    /// How the domain is laid out.
    public enum Kind: Sendable, Hashable {
        /// Evenly in the value.
        case linear
        /// Evenly in log10 of the value; the domain must be positive.
        case logarithmic
        /// One band per category, in the given order; a value is the category's index.
        case categories([String])
    }

    /// The layout.
    public let kind: Kind
    /// The data interval shown, `lower < upper` (for categories: `-0.5 ... count - 0.5`).
    public let domain: ClosedRange<Double>
    /// The pixel interval it maps onto; may be reversed (`upper < lower` for a y axis growing upwards).
    public let lower: Double
    public let upper: Double

    /// A scale over `domain` onto pixels `lower...upper`. An empty domain is widened around its value so that every
    /// point lands in the middle; a log domain that is not positive is clamped to stay positive.
    public init(_ kind: Kind, domain: ClosedRange<Double>, pixels lower: Double, _ upper: Double) {
        self.kind = kind
        self.lower = lower
        self.upper = upper
        switch kind {
        case .categories(let names):
            self.domain = -0.5...(Double(max(names.count, 1)) - 0.5)
        case .logarithmic:
            let low = domain.lowerBound > 0 ? domain.lowerBound : (domain.upperBound > 0 ? domain.upperBound / 10 : 1)
            let high = max(domain.upperBound, low)
            self.domain = low == high ? (low / 2)...(high * 2) : low...high
        case .linear:
            let low = domain.lowerBound
            let high = domain.upperBound
            if low == high {
                let pad = low == 0 ? 1 : abs(low) * 0.1
                self.domain = (low - pad)...(high + pad)
            } else {
                self.domain = low...high
            }
        }
    }

    /// The pixel position of `value` (values outside the domain extrapolate).
    public func position(_ value: Double) -> Double {
        let fraction: Double
        switch kind {
        case .logarithmic:
            let low = NumberText.log10(domain.lowerBound)
            let high = NumberText.log10(domain.upperBound)
            fraction = (NumberText.log10(max(value, .leastNormalMagnitude)) - low) / (high - low)
        case .linear, .categories:
            fraction = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        }
        return lower + fraction * (upper - lower)
    }

    /// Tick values and labels: round numbers for linear scales, powers of ten (and 2, 5 between them when the
    /// domain spans few decades) for log scales, every category (thinned to about `count`) for bands.
    public func ticks(count: Int = 5) -> [(value: Double, label: String)] {
        switch kind {
        case .linear:
            return Ticks.linear(domain, count: count).map { ($0, NumberText.short($0)) }
        case .logarithmic:
            return Ticks.logarithmic(domain, count: count).map { ($0, NumberText.short($0)) }
        case .categories(let names):
            let stride = max(1, (names.count + max(count, 1) * 2 - 1) / (max(count, 1) * 2))
            return names.indices.filter { $0 % stride == 0 }.map { (Double($0), names[$0]) }
        }
    }
}
