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
/// - The header is detected: the first non-blank line is a header when any of its feature fields is
///   not a number. A label given by name requires a header.
/// - Labels may be any text; classes are the distinct labels, in numeric order when all of them are
///   numbers, otherwise in text order.
/// - Blank lines are skipped; `\r\n` line ends, surrounding spaces and double quotes around a field
///   are accepted. Gzip-compressed files are inflated.
/// - Every malformed value is reported with the file, the 1-based line and the 1-based column (field).
public enum CSVLoader {
    /// Loads the CSV file at `path`.
    ///
    /// - Throws: `TrainerError.unreadableFile`, `.malformedData` (wrong field count, empty or non-numeric
    ///   or non-finite feature, unknown label column) or `.unusableData` (no rows, one class).
    public static func load(path: String, label: LabelColumn = .last) throws(TrainerError) -> Dataset {
        try parse(DataFile.contents(of: path), source: path, label: label)
    }

    /// Parses CSV text already in memory; `source` names it in errors.
    public static func parse(_ bytes: [UInt8], source: String, label: LabelColumn = .last) throws(TrainerError) -> Dataset {
        var lines = CSVLines(bytes)
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
        switch label {
        case .index(let index):
            labelIndex = index < 0 ? columnCount + index : index
            guard labelIndex >= 0, labelIndex < columnCount else {
                throw .malformedData(path: source, line: first.number, column: 1,
                                     reason: "label \(label) is outside the \(columnCount) columns; use 0…\(columnCount - 1) or −1 for the last")
            }
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
        }

        var features: [Float] = []
        var labelTexts: [String] = []
        func addRow(_ line: CSVLines.Line) throws(TrainerError) {
            guard line.fields.count == columnCount else {
                throw .malformedData(path: source, line: line.number, column: min(line.fields.count, columnCount) + 1,
                                     reason: "found \(line.fields.count) fields, expected \(columnCount) (as on line \(first.number))")
            }
            for (column, field) in line.fields.enumerated() {
                if column == labelIndex {
                    guard !field.isEmpty else {
                        throw .malformedData(path: source, line: line.number, column: column + 1, reason: "the label is empty")
                    }
                    labelTexts.append(String(decoding: field, as: UTF8.self))
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
        guard !labelTexts.isEmpty else { throw .unusableData("\(source) has a header but no data rows") }
        let (labels, classNames) = ClassIndexer.index(labelTexts)
        return try Dataset(features: features, labels: labels, featureCount: columnCount - 1, classNames: classNames)
    }
}

/// Maps label texts to class indices: numeric order when every label is a number, text order otherwise.
enum ClassIndexer {
    static func index(_ texts: [String]) -> (labels: [Int32], classNames: [String]) {
        let distinct = Array(Set(texts))
        let numbers = distinct.map { Double($0) }
        let classNames: [String]
        if numbers.allSatisfy({ $0 != nil }) {
            classNames = zip(distinct, numbers).sorted { ($0.1!, $0.0) < ($1.1!, $1.0) }.map(\.0)
        } else {
            classNames = distinct.sorted()
        }
        var indexOf: [String: Int32] = [:]
        for (index, name) in classNames.enumerated() { indexOf[name] = Int32(index) }
        return (texts.map { indexOf[$0]! }, classNames)
    }
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
