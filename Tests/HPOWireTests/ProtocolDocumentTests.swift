import Foundation
import HPOWire
import Testing

/// Keeps docs/protocol.md honest: every message of its example session decodes, and re-encodes to the same body.
@Suite struct ProtocolDocumentTests {
    static let document = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/protocol.md")

    /// `(type, body)` for each line `W → C  hpo/1 TYPE  {...}` of the document, skipping elided bodies (`{...}`).
    static func sessionLines() throws -> [(type: String, body: String)] {
        let text = try String(contentsOf: document, encoding: .utf8)
        var result: [(String, String)] = []
        for line in text.split(separator: "\n") where line.contains(" hpo/1 ") {
            let afterTag = line[line.range(of: " hpo/1 ")!.upperBound...]
            let type = afterTag.prefix { $0 != " " }
            let body = afterTag.dropFirst(type.count).trimmingCharacters(in: .whitespaces)
            if body != "{...}" { result.append((String(type), body)) }
        }
        return result
    }

    @Test func theExampleSessionDecodesAndReencodesIdentically() throws {
        let lines = try Self.sessionLines()
        #expect(lines.count >= 6)
        for (type, body) in lines {
            let frames = [Array("hpo/1".utf8), Array(type.utf8), Array(body.utf8)]
            let message = try WireCodec.decode(frames)
            #expect(message.typeName == type)
            #expect(String(decoding: WireCodec.encode(message)[2], as: UTF8.self) == body, "\(type)")
        }
    }
}
