/// Loads LibSVM/SVMlight sparse files: `label index:value index:value … [# comment]` per line.
///
/// Indices are 1-based positive integers (any order); absent features are 0. The feature count is
/// the largest index seen, or `featureCount` when given. Labels are classified by ``LabelClassifier`` (numbers by
/// value, so `+1` and `1` are one class; placeholders such as `?` are an error or dropped per ``MissingLabelPolicy``).
/// A UTF-8 byte-order mark is skipped; UTF-16/UTF-32 files are refused.
/// A malformed entry is reported with the file, the 1-based line and the 1-based column, counted in
/// whitespace-separated tokens (column 1 is the label). Gzip-compressed files are inflated.
public enum LibSVMLoader {
    /// Loads the LibSVM file at `path`.
    ///
    /// - Parameter featureCount: the number of features; `nil` uses the largest index in the file.
    /// - Throws: `TrainerError.malformedData` for a token without `:`, a non-positive or non-integer
    ///   index, an index above `featureCount`, or a non-numeric value; `.unusableData` for no rows.
    public static func load(path: String, featureCount: Int? = nil, missingLabels: MissingLabelPolicy = .error)
        throws(TrainerError) -> Dataset
    {
        try parse(DataFile.contents(of: path), source: path, featureCount: featureCount, missingLabels: missingLabels)
    }

    /// Parses LibSVM text already in memory; `source` names it in errors.
    public static func parse(
        _ bytes: [UInt8], source: String, featureCount: Int? = nil, missingLabels: MissingLabelPolicy = .error
    ) throws(TrainerError) -> Dataset {
        var rows: [[(index: Int, value: Float)]] = []
        var labelEntries: [LabelClassifier.Entry] = []
        var largest = 0
        var lineNumber = 0
        for rawLine in try TextEncoding.utf8Body(bytes, source: source).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = rawLine.prefix { $0 != UInt8(ascii: "#") }
            let tokens = content.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            guard let labelToken = tokens.first else { continue }
            labelEntries.append(.init(line: lineNumber, text: String(decoding: labelToken, as: UTF8.self)))
            var entries: [(index: Int, value: Float)] = []
            for (position, token) in tokens.dropFirst().enumerated() {
                let column = position + 2
                let text = String(decoding: token, as: UTF8.self)
                guard let colon = token.firstIndex(of: UInt8(ascii: ":")) else {
                    throw .malformedData(path: source, line: lineNumber, column: column,
                                         reason: "\"\(text)\" is not index:value")
                }
                guard let index = Int(String(decoding: token[..<colon], as: UTF8.self)), index >= 1 else {
                    throw .malformedData(path: source, line: lineNumber, column: column,
                                         reason: "index in \"\(text)\" must be a positive integer (LibSVM indices start at 1)")
                }
                if let featureCount, index > featureCount {
                    throw .malformedData(path: source, line: lineNumber, column: column,
                                         reason: "index \(index) exceeds the declared feature count \(featureCount)")
                }
                guard let value = parseNumber(token[(colon + 1)...]), value.isFinite else {
                    throw .malformedData(path: source, line: lineNumber, column: column,
                                         reason: "value in \"\(text)\" is not a finite number")
                }
                largest = max(largest, index)
                entries.append((index, value))
            }
            rows.append(entries)
        }
        guard !rows.isEmpty else { throw .unusableData("\(source) has no data lines") }
        let width = featureCount ?? largest
        guard width >= 1 else { throw .unusableData("\(source) has no feature values (every line is only a label)") }
        let classifier = LabelClassifier(
            source: LabelColumnSource(
                path: source, index: 0, name: nil, choice: "the first field of each LibSVM line",
                remedy: "put the class label first on every line"),
            fieldColumn: 1, missing: missingLabels)
        let classes = try classifier.classify(labelEntries)
        if let kept = classes.kept { rows = zip(rows, kept).filter(\.1).map(\.0) }
        var features = [Float](repeating: 0, count: rows.count * width)
        for (row, entries) in rows.enumerated() {
            for entry in entries { features[row * width + entry.index - 1] = entry.value }
        }
        return try Dataset(features: features, labels: classes.labels, featureCount: width, classNames: classes.names, labelSource: classifier.source)
    }
}
