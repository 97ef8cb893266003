import Foundation
import HPOWire

/// One report of a command trial: a line `{"hpo": {...}}` on stdout, or the `$HPO_RESULT` file.
///
/// With a `step` it is an intermediate value, without one the final result (the last final report wins;
/// the result file beats stdout). Every other number in the object is recorded as a metric. A report with a text
/// `error` (`{"hpo": {"error": "ValueError: …"}}`) is final whatever else it holds: the trial failed for that reason.
struct CommandReport: Equatable {
    /// The longest `error` text kept, in characters (the rest of a long traceback is cut from the front).
    static let errorLimit = 4096

    /// The step (e.g. epoch) of an intermediate report; `nil` for a final one.
    var step: Int?
    /// Every numeric member except `step` (non-finite values included, so they can be rejected by name).
    var values: [String: Double]
    /// The program's own failure reason (`"error"`), at most ``errorLimit`` characters; nil when it reported none.
    var error: String? = nil

    /// Whether this report ends the trial: no `step`, or an `error`.
    var isFinal: Bool { step == nil || error != nil }

    /// Parses a stdout line; `nil` for a line that is not a report (passed through to the log).
    ///
    /// - Throws: `WorkerError` for a line that starts like a report (`{"hpo"`) but is not valid JSON or
    ///   whose `hpo` member is not an object.
    static func parse(line: String) throws(WorkerError) -> CommandReport? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{"), trimmed.contains("\"hpo\"") else { return nil }
        guard let object = parseJSON(trimmed)?.objectValue else {
            throw WorkerError(.badReport, "this line looks like a report but is not valid JSON: \(trimmed.prefix(200))")
        }
        guard let body = object["hpo"] else { return nil }
        guard let members = body.objectValue else {
            throw WorkerError(.badReport, "\"hpo\" must be an object like {\"hpo\": {\"accuracy\": 0.9}}, got: \(trimmed.prefix(200))")
        }
        return report(from: members)
    }

    /// Reads the file a program may write its final result to (`$HPO_RESULT`); nil when it wrote none.
    ///
    /// - Throws: `WorkerError` with the I/O error, or with `parse(resultFile:metric:)`'s reason.
    static func readResultFile(at path: String, metric: String) throws(WorkerError) -> CommandReport? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw WorkerError(.badResultFile, "\(error)") }
        return try parse(resultFile: text, metric: metric)
    }

    /// Parses the result file's text: `{"hpo": {...}}`, a plain object `{"accuracy": 0.9, ...}`, or a bare number
    /// (taken as the metric).
    static func parse(resultFile text: String, metric: String) throws(WorkerError) -> CommandReport {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let number = Double(trimmed) { return CommandReport(step: nil, values: [metric: number]) }
        guard let object = parseJSON(trimmed)?.objectValue else {
            throw WorkerError(.badResultFile, "the result file ($HPO_RESULT) is not a JSON object or a number: \(trimmed.prefix(200))")
        }
        var report = report(from: object["hpo"]?.objectValue ?? object)
        report.step = nil
        return report
    }

    /// The report in an `hpo` object's members.
    static func report(from members: [String: JSONValue]) -> CommandReport {
        var values: [String: Double] = [:]
        var step: Int?
        var error: String?
        for (key, value) in members {
            if key == "error", let text = value.stringValue {
                error = text.count > errorLimit ? "…" + text.suffix(errorLimit - 1) : text
                continue
            }
            guard let number = value.numberValue else {
                if let text = value.stringValue, let special = nonFinite(text) { values[key] = special }
                continue
            }
            if key == "step" {
                step = Int(exactly: number.rounded(.towardZero))
            } else {
                values[key] = number
            }
        }
        return CommandReport(step: step, values: values, error: error)
    }

    /// JSON with Python's bare `NaN`, `Infinity` and `-Infinity` tokens accepted as numbers (JSON5 decoding, a real
    /// grammar: the same letters inside a string stay text, e.g. `"note": "val: NaN"`).
    static func parseJSON(_ text: String) -> JSONValue? {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try? decoder.decode(JSONValue.self, from: Data(text.utf8))
    }

    private static func nonFinite(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan": .nan
        case "infinity", "inf": .infinity
        case "-infinity", "-inf": -.infinity
        default: nil
        }
    }
}
