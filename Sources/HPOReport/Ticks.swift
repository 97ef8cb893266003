/// Round tick values for axes.
public enum Ticks {
    /// About `count` round values (1, 2 or 5 × a power of ten apart) inside `domain`, ascending.
    ///
    /// - Complexity: O(result).
    public static func linear(_ domain: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, span.isFinite, count > 0 else { return [domain.lowerBound] }
        let rough = span / Double(count)
        let base = NumberText.power(Int(NumberText.log10(rough).rounded(.down)))
        let step = [1.0, 2, 5, 10].map { $0 * base }.first { $0 >= rough * 0.999 } ?? 10 * base
        let first = (domain.lowerBound / step).rounded(.up)
        let last = (domain.upperBound / step).rounded(.down)
        guard last >= first, last - first < 1000 else { return [domain.lowerBound, domain.upperBound] }
        // Multiply, not accumulate, so 0.1 × 3 stays 0.3 (and -0 prints as 0).
        return stride(from: first, through: last, by: 1).map { $0 * step == 0 ? 0 : $0 * step }
    }

    /// Powers of ten inside `domain` (positive), with 2× and 5× multiples added when that gives fewer than
    /// `count`; thinned to every k-th decade when there are many.
    public static func logarithmic(_ domain: ClosedRange<Double>, count: Int = 5) -> [Double] {
        guard domain.lowerBound > 0, domain.upperBound >= domain.lowerBound else { return [] }
        let lowExponent = Int(NumberText.log10(domain.lowerBound).rounded(.down))
        let highExponent = Int(NumberText.log10(domain.upperBound).rounded(.up))
        let inside = { (value: Double) in value >= domain.lowerBound * 0.999999 && value <= domain.upperBound * 1.000001 }
        var decades = (lowExponent...highExponent).map { NumberText.power($0) }.filter(inside)
        if decades.count < count {
            let withMultiples = (lowExponent...highExponent).flatMap { exponent in
                [1.0, 2, 5].map { $0 * NumberText.power(exponent) }
            }.filter(inside)
            if withMultiples.count <= count * 2 { return withMultiples }
            if decades.count < 2 { return withMultiples.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) }
        }
        let thin = max(1, (decades.count + count - 1) / count)
        decades = decades.enumerated().filter { $0.offset % thin == 0 }.map(\.element)
        return decades
    }
}
