/// Splits CSV bytes into non-blank lines of comma-separated fields.
///
/// Fields are trimmed of spaces, tabs and `\r` and lose one pair of surrounding double quotes.
/// Quoted commas are not supported (numeric data does not need them).
struct CSVLines: IteratorProtocol {
    /// One non-blank line.
    struct Line {
        /// 1-based line number in the file.
        var number: Int
        /// The fields, trimmed.
        var fields: [ArraySlice<UInt8>]
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int
    private var lineNumber = 0

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    mutating func next() -> Line? {
        while position < bytes.endIndex {
            lineNumber += 1
            let start = position
            var end = start
            while end < bytes.endIndex && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            position = end + 1
            let line = bytes[start..<end]
            if line.allSatisfy({ Self.isSpace($0) }) { continue }
            var fields: [ArraySlice<UInt8>] = []
            var fieldStart = start
            for index in start...end {
                if index == end || bytes[index] == UInt8(ascii: ",") {
                    fields.append(Self.trim(bytes[fieldStart..<index]))
                    fieldStart = index + 1
                }
            }
            return Line(number: lineNumber, fields: fields)
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private static func trim(_ field: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lower = field.startIndex
        var upper = field.endIndex
        while lower < upper && isSpace(field[lower]) { lower += 1 }
        while upper > lower && isSpace(field[upper - 1]) { upper -= 1 }
        if upper - lower >= 2 && field[lower] == UInt8(ascii: "\"") && field[upper - 1] == UInt8(ascii: "\"") {
            lower += 1
            upper -= 1
        }
        return field[lower..<upper]
    }
}
