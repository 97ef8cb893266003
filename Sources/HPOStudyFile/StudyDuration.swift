import Foundation
public import HPOWire

/// Durations as written in a study file or on the command line: `90s`, `10m`, `1h30m`, `250ms`, `1.5s`, `1d`, or a
/// bare number of seconds. At most ``maximumSeconds`` (a year): longer values are never meant, and durations are
/// multiplied later (heartbeat × liveness, timeouts × 3), which must not overflow `Duration`.
public enum StudyDuration {
    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
    ]

    /// The longest duration accepted: 365 days, in seconds.
    static let maximumSeconds: Double = 365 * 86400

    /// `365d`: ``maximumSeconds`` as written in a study file.
    static let maximumText = "365d"

    /// The duration `text` denotes, or nil when it is not one (or is negative, not finite, or over a year).
    public static func parse(_ text: String) -> Duration? {
        guard let seconds = seconds(text), seconds <= maximumSeconds else { return nil }
        return .seconds(seconds)
    }

    /// The seconds `text` denotes, uncapped, or nil when it is not a duration (or is negative or not finite).
    package static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) {
            return seconds.isFinite && seconds >= 0 ? seconds : nil
        }
        var total = 0.0
        var rest = Substring(trimmed)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == String(unitText) }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.seconds
        }
        return total.isFinite ? total : nil
    }

    /// `1.5s`, `10m`, `1h30m`: the shortest study-file spelling of `duration`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0, seconds > 0 {
            if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
            if seconds % 60 == 0 { return "\(seconds / 60)m" }
            return "\(seconds)s"
        }
        return "\(Double(seconds) + Double(attoseconds) * 1e-18)s"
    }

    /// Reads a duration given on the command line: `"60s"`, `"1.5s"`, `"200ms"`, `"2m"`, `"1h30m"`, `"1d"`, or a bare
    /// number of seconds (`"30"`); case and spaces are ignored.
    ///
    /// - Returns: the duration, or `nil` when the text is not one of those forms, is negative, or is longer than a
    ///   year (longer values are never meant, and would overflow `Duration` once multiplied).
    public static func parseIgnoringCaseAndSpaces(_ text: String) -> Duration? {
        parse(String(text.filter { !$0.isWhitespace }).lowercased())
    }

    /// Reads an objective option's duration: seconds as a number, or text with a unit: `"1.5s"`, `"200ms"`, `"2m"`,
    /// `"3"` (seconds).
    public static func parse(option value: JSONValue) -> Duration? {
        if let seconds = value.numberValue {
            return seconds.isFinite ? .milliseconds(Int64((seconds * 1000).rounded())) : nil
        }
        return value.stringValue.flatMap(parseIgnoringCaseAndSpaces)
    }
}
