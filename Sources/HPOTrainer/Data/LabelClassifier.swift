/// Turns the label texts of a file into classes, by value, and refuses columns that cannot be class labels.
///
/// - Numeric labels are compared by value (`1`, `1.0` and `+1` are one class, named `1`); classes are in numeric order.
/// - Text labels are compared by their trimmed text; classes are in text order.
/// - A column that mixes numbers and text, a placeholder for missing data (`?`, `NA`, `NaN`, empty) under
///   ``MissingLabelPolicy/error``, or more distinct values than
///   ``maximumClassFraction`` of the rows (a feature or an id, not a label) is an error that names the column, the
///   number of distinct values, a few examples and the option to set.
struct LabelClassifier {
    /// One label as read: its 1-based line and its text (already trimmed by the loader).
    struct Entry {
        var line: Int
        var text: String
    }

    /// The classes found.
    struct Classes {
        /// One class index per kept row, in row order.
        var labels: [Int32]
        /// Class names in index order.
        var names: [String]
        /// Whether each row (in the order given) was kept; nil when every row was.
        var kept: [Bool]?
    }

    /// Texts taken as "no label here" (compared case-insensitively after trimming).
    static let placeholders: Set<String> = ["", "?", "na", "n/a", "nan", "null"]
    /// More than 20 distinct values and more than this fraction of the rows: the column is a feature or an id.
    static let maximumClassFraction = 0.2
    /// Up to this many distinct values are always accepted as classes.
    static let alwaysAcceptedClassCount = 20

    let source: LabelColumnSource
    /// 1-based column number used in `file:line:column` messages.
    let fieldColumn: Int
    let missing: MissingLabelPolicy

    /// Classifies `entries` (one per data row, in file order).
    ///
    /// - Throws: `TrainerError.malformedData` for a missing label under `.error` or a column mixing numbers and text;
    ///   `.unusableData` for a column with too many distinct values. (A class with one example is refused by
    ///   ``DatasetSplit``, which needs two per class.)
    /// - Complexity: O(n log k) for n rows and k classes.
    func classify(_ entries: [Entry]) throws(TrainerError) -> Classes {
        /// `3 distinct values, e.g. "0", "1", "?"`: what the column holds, for messages.
        func columnFacts() -> String {
            var seen = Set<String>()
            var examples: [String] = []
            for entry in entries where seen.insert(entry.text).inserted && examples.count < 5 { examples.append("\"\(entry.text)\"") }
            return "the column has \(seen.count) distinct values, e.g. \(examples.joined(separator: ", "))"
        }
        var kept: [Bool]?
        var present: [Entry] = []
        present.reserveCapacity(entries.count)
        for (row, entry) in entries.enumerated() {
            if Self.placeholders.contains(entry.text.lowercased()) {
                guard missing == .drop else {
                    throw .malformedData(
                        path: source.path, line: entry.line, column: fieldColumn,
                        reason: "the label \(entry.text.isEmpty ? "is empty" : "\"\(entry.text)\" looks like a placeholder for missing data") (\(source); \(columnFacts())); fix the row, set the mlp option label_missing: drop to leave such rows out, or \(source.remedy)")
                }
                if kept == nil { kept = Array(repeating: true, count: entries.count) }
                kept![row] = false
            } else {
                present.append(entry)
            }
        }
        guard let first = present.first else {
            throw .unusableData("\(source.path): every label is missing (\(source)); \(source.remedy)")
        }
        let firstValue = Self.numericValue(first.text)
        var valueClasses: [Double: Int] = [:]
        var textClasses: [String: Int] = [:]
        var keys: [Int] = []
        keys.reserveCapacity(present.count)
        var names: [String] = []
        var counts: [Int] = []
        for entry in present {
            let value = Self.numericValue(entry.text)
            if (value == nil) != (firstValue == nil) {
                let (text, number) = value == nil ? (entry, first) : (first, entry)
                throw .malformedData(
                    path: source.path, line: entry.line, column: fieldColumn,
                    reason: "the label \"\(text.text)\" on line \(text.line) is text but the label \"\(number.text)\" on line \(number.line) is a number; a label column holds only numbers or only text (\(source); \(columnFacts())); fix the labels or \(source.remedy)")
            }
            let existing = value.map { valueClasses[$0] } ?? textClasses[entry.text]
            if let existing {
                keys.append(existing)
                counts[existing] += 1
            } else {
                let index = names.count
                if let value { valueClasses[value] = index } else { textClasses[entry.text] = index }
                names.append(value.map(Self.canonicalName) ?? entry.text)
                counts.append(1)
                keys.append(index)
            }
        }
        try checkColumn(names: names, counts: counts, rows: present.count)
        // Classes in numeric order for numbers, text order for text.
        let order: [Int]
        if firstValue != nil {
            let values = Dictionary(uniqueKeysWithValues: valueClasses.map { ($1, $0) })
            order = names.indices.sorted { values[$0]! < values[$1]! }
        } else {
            order = names.indices.sorted { names[$0] < names[$1] }
        }
        var rank = [Int32](repeating: 0, count: names.count)
        for (position, index) in order.enumerated() { rank[index] = Int32(position) }
        return Classes(labels: keys.map { rank[$0] }, names: order.map { names[$0] }, kept: kept)
    }

    /// Refuses a column with too many distinct values.
    private func checkColumn(names: [String], counts: [Int], rows: Int) throws(TrainerError) {
        let distinct = names.count
        if distinct > Self.alwaysAcceptedClassCount && Double(distinct) > Self.maximumClassFraction * Double(rows) {
            let examples = names.prefix(5).joined(separator: ", ")
            throw .unusableData(
                "\(source.path): the \(source) has \(distinct) distinct values in \(rows) rows (e.g. \(examples)): that looks like a feature or an id, not a class label; \(source.remedy)")
        }
    }

    /// The value of a label written as a decimal number (`1`, `+1`, `-0.5`, `1e3`), or nil for text.
    static func numericValue(_ text: String) -> Double? {
        guard !text.isEmpty,
            text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }),
            let value = Double(text), value.isFinite
        else { return nil }
        return value == 0 ? 0 : value  // one class for -0 and 0
    }

    /// `1` for 1.0, `-2` for -2, `0.5` for 0.5: integers print without a fraction.
    static func canonicalName(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
