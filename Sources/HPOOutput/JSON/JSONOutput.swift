public import Foundation

/// The one JSON form of hpo's command-line output (docs/json.md): every document is an `Encodable` struct that
/// carries `schema` (`hpo.<document>/<version>`), keys are snake_case, every documented key is present (null when
/// unknown), slashes are not escaped and times are ISO 8601 UTC strings.
public enum JSONOutput {
    /// The schema version, the same for every document; raised when a key changes meaning or disappears.
    public static let version = 1

    /// The value of a document's `schema` key: `hpo.session/1`.
    public static func schema(_ document: String) -> String {
        "hpo.\(document)/\(version)"
    }

    /// `value` as pretty-printed JSON with sorted keys and unescaped slashes, without a final newline.
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // Only a non-finite Double can fail here, and documents hold finite values; say so rather than hide it.
            return #"{"error": "cannot encode JSON: \#(error)"}"#
        }
    }

    /// `2026-12-01T08:41:53.123Z`: UTC, milliseconds.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `value` for CSV and text: an integral value within ±2⁵³ as an integer (`3`, not `3.0`), else Swift's
    /// shortest round-trip form (`0.975`, `1e-05`).
    public static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }
}
