/// Short, readable numbers for axes, tooltips and tables, without Foundation.
public enum NumberText {
    /// `value` with at most `digits` significant digits, trailing zeros dropped; scientific notation below 1e-4 and
    /// from 1e6 on (`1.5e-05`, `2.35e+06`); `nan`/`inf` spelled out.
    ///
    /// - Parameter digits: significant digits, 1...15; default 4.
    public static func short(_ value: Double, digits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        var exponent = Int((log10(abs(value))).rounded(.down))
        // Rounding to `digits` significant digits may carry into the next power (999999.9 -> 1e+06).
        if abs(roundTo(value / power(exponent), decimals: digits - 1)) >= 10 { exponent += 1 }
        if exponent >= 6 || exponent <= -5 {
            var mantissa = value / power(exponent)
            // Rounding may carry into the next power (9.9996e5 -> 10.00e5).
            if abs(roundTo(mantissa, decimals: digits - 1)) >= 10 {
                exponent += 1
                mantissa = value / power(exponent)
            }
            let sign = exponent < 0 ? "-" : "+"
            let digitsText = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
            return fixed(mantissa, decimals: digits - 1) + "e" + sign + digitsText
        }
        return fixed(value, decimals: max(0, digits - 1 - exponent))
    }

    /// `value` rounded to `decimals` places, trailing zeros (and a bare point) dropped.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        let scale = power(decimals)
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        var digits = String(Int64(scaled))
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            let point = digits.index(digits.endIndex, offsetBy: -decimals)
            var fraction = digits[point...]
            while fraction.last == "0" { fraction = fraction.dropLast() }
            digits = String(digits[..<point]) + (fraction.isEmpty ? "" : "." + fraction)
        }
        return (value < 0 && scaled != 0 ? "-" : "") + digits
    }

    /// A duration in seconds as `850ms`, `12.5s`, `4m 05s` or `2h 03m`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 1 { return fixed(seconds * 1000, decimals: 0) + "ms" }
        if seconds < 60 { return fixed(seconds, decimals: seconds < 10 ? 2 : 1) + "s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60)m " + twoDigits(whole % 60) + "s" }
        return "\(whole / 3600)h " + twoDigits(whole % 3600 / 60) + "m"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func roundTo(_ value: Double, decimals: Int) -> Double {
        (value * power(decimals)).rounded() / power(decimals)
    }

    static func power(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }

    static func log10(_ value: Double) -> Double {
        // ln(x)/ln(10) through the standard library's floating-point log (no Foundation).
        value.naturalLogarithm / 2.302585092994046
    }
}

extension Double {
    /// ln(self) for positive finite values, by range reduction and the atanh series (no Foundation needed).
    var naturalLogarithm: Double {
        guard self > 0, isFinite else { return self == 0 ? -.infinity : .nan }
        let exponent = Double(self.exponent)
        let mantissa = self.significand  // in [1, 2)
        let y = (mantissa - 1) / (mantissa + 1)
        let y2 = y * y
        var term = y
        var sum = 0.0
        var k = 1.0
        while abs(term) > 1e-17 {
            sum += term / k
            term *= y2
            k += 2
        }
        return 2 * sum + exponent * 0.6931471805599453
    }
}
