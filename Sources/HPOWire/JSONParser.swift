/// A strict JSON parser (RFC 8259) for message bodies, hand-written for speed.
///
/// Keeps integer literals apart from reals (``ParsedJSON``), rejects duplicate keys, invalid UTF-8 and nesting
/// deeper than ``maximumDepth``; reads the tokens `NaN`, `Infinity`, `-Infinity` as non-finite reals so that the
/// field reader can report them as non-finite rather than as garbage.
struct JSONParser {
    /// Deeper nesting is rejected, so hostile input cannot exhaust the stack.
    static let maximumDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses `data` as one JSON object.
    ///
    /// - Throws: ``WireError`` `.malformedBody` saying what was expected at which byte offset.
    static func parseObject(_ data: [UInt8]) throws(WireError) -> [ParsedMember] {
        let result: Result<[ParsedMember], WireError> = data.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            do throws(WireError) {
                parser.skipWhitespace()
                guard parser.peek == UInt8(ascii: "{") else {
                    throw parser.failure("expected a JSON object")
                }
                guard case .object(let members) = try parser.parseValue() else {
                    throw parser.failure("expected a JSON object")
                }
                parser.skipWhitespace()
                guard parser.index == buffer.count else {
                    throw parser.failure("unexpected text after the JSON object")
                }
                return .success(members)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func failure(_ message: String) -> WireError {
        WireError(.malformedBody, "malformed JSON body at byte \(index): \(message)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString) throws(WireError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("truncated literal") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw failure("unexpected character") }
        index += count
    }

    private mutating func parseValue() throws(WireError) -> ParsedJSON {
        skipWhitespace()
        guard let byte = peek else { throw failure("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObjectValue()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "N"): try expect("NaN"); return .double(.nan)
        case UInt8(ascii: "I"): try expect("Infinity"); return .double(.infinity)
        case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "I"):
            index += 1
            try expect("Infinity")
            return .double(-.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func enter() throws(WireError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
    }

    private mutating func parseObjectValue() throws(WireError) -> ParsedJSON {
        var members: [ParsedMember] = []
        var keys: Set<String>?  // for duplicate checks once an object grows past a few keys
        try parseElements(close: UInt8(ascii: "}"), in: "an object") { (parser: inout JSONParser) throws(WireError) in
            parser.skipWhitespace()
            guard parser.peek == UInt8(ascii: "\"") else { throw parser.failure("expected a quoted key") }
            let key = try parser.parseString()
            parser.skipWhitespace()
            guard parser.peek == UInt8(ascii: ":") else { throw parser.failure("expected ':' after key \"\(key)\"") }
            parser.index += 1
            let value = try parser.parseValue()
            let duplicate: Bool
            if members.count < 16 {
                duplicate = members.contains { $0.key == key }
            } else {
                if keys == nil { keys = Set(members.map(\.key)) }
                duplicate = !keys!.insert(key).inserted
            }
            guard !duplicate else { throw parser.failure("duplicate key \"\(key)\"") }
            members.append((key, value))
        }
        return .object(members)
    }

    private mutating func parseArray() throws(WireError) -> ParsedJSON {
        var elements: [ParsedJSON] = []
        try parseElements(close: UInt8(ascii: "]"), in: "an array") { (parser: inout JSONParser) throws(WireError) in
            elements.append(try parser.parseValue())
        }
        return .array(elements)
    }

    /// Reads an object's members or an array's elements, from its opening byte to its `close` byte inclusive:
    /// `element` reads one (from just after the opening byte or a `,`), then a `,` or `close` must follow.
    /// `container` (`an object`, `an array`) names it in the error.
    private mutating func parseElements(
        close: UInt8, in container: String, _ element: (inout JSONParser) throws(WireError) -> Void
    ) throws(WireError) {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if peek == close {
            index += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case close: index += 1; return
            default: throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))' in \(container)")
            }
        }
    }

    private mutating func parseString() throws(WireError) -> String {
        index += 1
        let start = index
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                // ASCII needs no validation; anything else must be well-formed UTF-8.
                let text = isASCII ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self)
                guard let text else { throw failure("string is not valid UTF-8") }
                index += 1
                return text
            }
            isASCII = isASCII && byte < 0x80
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw failure("control character in a string") }
            index += 1
        }
        var buffer = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw failure("string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try appendEscape(to: &buffer)
            case 0..<0x20:
                throw failure("control character in a string")
            default:
                buffer.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func appendEscape(to buffer: inout [UInt8]) throws(WireError) {
        guard let byte = peek else { throw failure("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try parseHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                guard peek == UInt8(ascii: "\\") else { throw failure("unpaired surrogate") }
                index += 1
                guard peek == UInt8(ascii: "u") else { throw failure("unpaired surrogate") }
                index += 1
                let low = UInt32(try parseHex4())
                guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
            buffer.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw failure("invalid escape")
        }
    }

    private mutating func parseHex4() throws(WireError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(WireError) -> ParsedJSON {
        let start = index
        var negative = false
        if peek == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let digitsStart = index
        var magnitude: UInt64 = 0
        var overflow = false
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            magnitude = sum
            overflow = overflow || o1 || o2
            index += 1
        }
        let digitCount = index - digitsStart
        guard digitCount > 0 else { throw failure("expected digits") }
        guard !(digitCount > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { throw failure("leading zero in a number") }
        var isReal = false
        if peek == UInt8(ascii: ".") {
            isReal = true
            index += 1
            try skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isReal = true
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            try skipDigits()
        }
        if !isReal && !overflow {
            if negative, magnitude <= UInt64(Int.max) + 1 {
                return .int(magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude))
            }
            if !negative, magnitude <= UInt64(Int.max) {
                return .int(Int(magnitude))
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw failure("invalid number") }
        return .double(value)
    }

    private mutating func skipDigits() throws(WireError) {
        let start = index
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
        guard index > start else { throw failure("expected digits") }
    }
}
