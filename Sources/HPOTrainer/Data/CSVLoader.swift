/// Which CSV column holds the class label.
public enum LabelColumn: Sendable, Hashable, CustomStringConvertible {
    /// 0-based column index; negative counts from the end (−1 is the last column).
    case index(Int)
    /// The column with this header name (the file must have a header row).
    case name(String)

    /// The last column, the default.
    public static let last = LabelColumn.index(-1)

    public var description: String {
        switch self {
        case .index(let index): return "column index \(index)"
        case .name(let name): return "column \"\(name)\""
        }
    }
}

/// Loads comma-separated files: one example per line, numeric features, one label column.
///
/// - A UTF-8 byte-order mark is skipped; UTF-16/UTF-32 files are refused with a message saying how to convert them.
/// - The header is detected: the first non-blank line is a header when any of its feature fields is
///   not a number. A label given by name requires a header.
/// - Labels are classified by ``LabelClassifier``: numbers by value (`1` and `1.0` are one class), text by its
///   trimmed text; placeholders for missing data (`?`, `NA`, empty) are an error or dropped per
///   ``MissingLabelPolicy``; a column that cannot be a label is refused, naming the column.
/// - Blank lines are skipped; `\r\n` line ends, surrounding spaces and double quotes around a field
///   are accepted. Gzip-compressed files are inflated.
/// - Every malformed value is reported with the file, the 1-based line and the 1-based column (field).
public enum CSVLoader {
    /// Loads the CSV file at `path`.
    ///
    /// - Throws: `TrainerError.unreadableFile`, `.malformedData` (wrong field count, empty or non-numeric
    ///   or non-finite feature, unknown label column, missing label, mixed numeric and text labels) or
    ///   `.unusableData` (no rows, one class, a class with one example, a column that is not a label).
    public static func load(path: String, label: LabelColumn = .last, missingLabels: MissingLabelPolicy = .error)
        throws(TrainerError) -> Dataset
    {
        try parse(DataFile.contents(of: path), source: path, label: label, missingLabels: missingLabels)
    }

    /// Parses CSV text already in memory; `source` names it in errors.
    public static func parse(
        _ bytes: [UInt8], source: String, label: LabelColumn = .last, missingLabels: MissingLabelPolicy = .error
    ) throws(TrainerError) -> Dataset {
        var lines = CSVLines(try TextEncoding.utf8Body(bytes, source: source))
        guard let first = lines.next() else {
            throw .unusableData("\(source) has no data lines")
        }
        let columnCount = first.fields.count
        guard columnCount >= 2 else {
            throw .malformedData(path: source, line: first.number, column: 1,
                                 reason: "found 1 field; expected features and a label separated by commas")
        }

        var header: [String]?
        var labelIndex: Int
        let remedy = "set the mlp option label to the class column's name or 0-based index"
        var choice: String
        switch label {
        case .index(let index):
            labelIndex = index < 0 ? columnCount + index : index
            guard labelIndex >= 0, labelIndex < columnCount else {
                throw .malformedData(path: source, line: first.number, column: 1,
                                     reason: "label \(label) is outside the \(columnCount) columns; use 0…\(columnCount - 1) or −1 for the last")
            }
            choice = label == .last ? "the last column, used when no label option is set" : "label: \(index)"
            let looksLikeHeader = first.fields.indices.contains { $0 != labelIndex && parseNumber(first.fields[$0]) == nil }
            if looksLikeHeader { header = first.fields.map { String(decoding: $0, as: UTF8.self) } }
        case .name(let name):
            let names = first.fields.map { String(decoding: $0, as: UTF8.self) }
            guard let index = names.firstIndex(of: name) else {
                throw .malformedData(path: source, line: first.number, column: 1,
                                     reason: "no column named \"\(name)\" in the header \(names.joined(separator: ",")); name one of these or give an index")
            }
            header = names
            labelIndex = index
            choice = ""
        }

        var features: [Float] = []
        var labelEntries: [LabelClassifier.Entry] = []
        func addRow(_ line: CSVLines.Line) throws(TrainerError) {
            guard line.fields.count == columnCount else {
                throw .malformedData(path: source, line: line.number, column: min(line.fields.count, columnCount) + 1,
                                     reason: "found \(line.fields.count) fields, expected \(columnCount) (as on line \(first.number))")
            }
            for (column, field) in line.fields.enumerated() {
                if column == labelIndex {
                    labelEntries.append(.init(line: line.number, text: String(decoding: field, as: UTF8.self)))
                    continue
                }
                guard let value = parseNumber(field) else {
                    let text = String(decoding: field, as: UTF8.self)
                    throw .malformedData(path: source, line: line.number, column: column + 1,
                                         reason: field.isEmpty ? "empty feature value" : "feature value \"\(text)\" is not a number")
                }
                guard value.isFinite else {
                    throw .malformedData(path: source, line: line.number, column: column + 1,
                                         reason: "feature value \(value) is not finite; replace it or drop the row")
                }
                features.append(value)
            }
        }
        if header == nil { try addRow(first) }
        while let line = lines.next() { try addRow(line) }
        guard !labelEntries.isEmpty else { throw .unusableData("\(source) has a header but no data rows") }
        let classifier = LabelClassifier(
            source: LabelColumnSource(path: source, index: labelIndex, name: header?[labelIndex], choice: choice, remedy: remedy),
            fieldColumn: labelIndex + 1, missing: missingLabels)
        let classes = try classifier.classify(labelEntries)
        let featureCount = columnCount - 1
        if let kept = classes.kept { features = keepRows(features, width: featureCount, kept: kept) }
        return try Dataset(features: features, labels: classes.labels, featureCount: featureCount, classNames: classes.names, labelSource: classifier.source)
    }
}

/// The rows of a row-major `width`-column matrix whose `kept` flag is set.
func keepRows(_ values: [Float], width: Int, kept: [Bool]) -> [Float] {
    var result: [Float] = []
    result.reserveCapacity(values.count)
    for (row, keep) in kept.enumerated() where keep {
        result.append(contentsOf: values[(row * width)..<((row + 1) * width)])
    }
    return result
}

/// Parses a decimal number from ASCII bytes: a fast path for plain integers, the standard library otherwise.
func parseNumber(_ field: ArraySlice<UInt8>) -> Float? {
    guard !field.isEmpty else { return nil }
    var value = 0
    var negative = false
    var index = field.startIndex
    if field[index] == UInt8(ascii: "-") || field[index] == UInt8(ascii: "+") {
        negative = field[index] == UInt8(ascii: "-")
        index += 1
    }
    var isPlainInteger = index < field.endIndex && field.endIndex - index <= 9
    while isPlainInteger && index < field.endIndex {
        let digit = field[index] &- UInt8(ascii: "0")
        if digit > 9 { isPlainInteger = false; break }
        value = value * 10 + Int(digit)
        index += 1
    }
    if isPlainInteger { return Float(negative ? -value : value) }
    return Float(String(decoding: field, as: UTF8.self))
}
