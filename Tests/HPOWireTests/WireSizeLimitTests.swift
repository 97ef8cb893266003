import Foundation
import HPOWire
import Testing

/// Per-type size caps are checked from frame sizes, before any JSON is parsed (docs/protocol.md, *Size caps*).
@Suite struct WireSizeLimitTests {
    static func frames(_ type: String, bodyBytes: Int) -> [[UInt8]] {
        // A body that would not even parse: the cap must refuse it before the parser sees it.
        [Array("hpo/1".utf8), Array(type.utf8), [UInt8](repeating: UInt8(ascii: "["), count: bodyBytes)]
    }

    @Test(arguments: WireMessageKind.allCases)
    func aBodyOverItsCapIsRefusedUnparsed(kind: WireMessageKind) throws {
        let limit = WireSizeLimits.maximumBodyBytes(kind)
        let oversize = WireSizeLimits.oversize(Self.frames(kind.rawValue, bodyBytes: limit + 1))
        #expect(oversize == WireSizeLimits.Oversize(kind: kind, bytes: limit + 1, limit: limit))
        #expect(WireSizeLimits.oversize(Self.frames(kind.rawValue, bodyBytes: limit)) == nil)
        let error = #expect(throws: WireError.self) { try WireCodec.decode(Self.frames(kind.rawValue, bodyBytes: limit + 1)) }
        #expect(error?.code == .messageTooLarge)
        #expect(error?.description.contains("\(limit + 1) bytes") == true)
    }

    @Test func workerMessagesAreSmallAndTheirCapsAreAFewKiB() throws {
        #expect(WireSizeLimits.maximumBodyBytes(.ready) == 4096)
        #expect(WireSizeLimits.maximumBodyBytes(.heartbeat) == 4096)
        #expect(WireSizeLimits.maximumBodyBytes(.statusRequest) == 1024)
        #expect(WireSizeLimits.maximumBodyBytes(.result) == 16384)
        #expect(WireSizeLimits.maximumBodyBytes(.progress) == 16384)
        #expect(WireSizeLimits.maximumBodyBytes(.enqueue) == 65536)
        #expect(WireSizeLimits.maximumBodyBytes(.enqueueReply) == WireSizeLimits.maximumBodyBytes(.trial))
        let ready = WireCodec.encode(.ready(Ready(host: String(repeating: "h", count: 255), pid: 1, capabilities: ["mlp", "command", "test-function", "null"], study: "a-study")))
        #expect(WireSizeLimits.oversize(ready) == nil)
        #expect(try WireCodec.decode(ready).kind == .ready)
    }

    @Test func anOverlongTagOrTypeFrameIsRefused() {
        let longTag = [[UInt8](repeating: UInt8(ascii: "h"), count: 17), Array("READY".utf8), Array("{}".utf8)]
        #expect(WireSizeLimits.oversize(longTag)?.kind == nil)
        let longType = [Array("hpo/1".utf8), [UInt8](repeating: UInt8(ascii: "A"), count: 33), Array("{}".utf8)]
        #expect(WireSizeLimits.oversize(longType)?.limit == WireSizeLimits.maximumTypeBytes)
        #expect(ErrorReply.Code.messageTooLarge.rawValue == "message_too_large")
    }

    /// The caps table of docs/protocol.md (*Size caps*) states exactly the caps the code enforces.
    @Test func theProtocolDocumentStatesTheCaps() throws {
        let document = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/protocol.md")
        let text = try String(contentsOf: document, encoding: .utf8)
        let section = try #require(text.range(of: "### Size caps")).upperBound
        var documented: [WireMessageKind: Int] = [:]
        for line in text[section...].split(separator: "\n").prefix(20) where line.hasPrefix("| ") && line.contains("KiB") || line.contains("MiB |") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2 else { continue }
            let parts = cells[1].split(separator: " ")
            guard let number = Int(parts[0]) else { continue }
            let bytes = number << (parts[1] == "MiB" ? 20 : 10)
            for name in cells[0].split(separator: ",") {
                let kind = try #require(WireMessageKind(rawValue: name.trimmingCharacters(in: .whitespaces)))
                documented[kind] = bytes
            }
        }
        #expect(documented.count == WireMessageKind.allCases.count)
        for kind in WireMessageKind.allCases {
            #expect(documented[kind] == WireSizeLimits.maximumBodyBytes(kind), "\(kind.rawValue)")
        }
    }

    @Test func aWorkersOversizeReportIsShrunkToFit() throws {
        let metrics = Dictionary(uniqueKeysWithValues: (0..<2000).map { ("metric_\($0)", Double($0)) })
        let big = WireMessage.result(TrialResult(trialID: 1, attempt: 1, outcome: .completed(value: 0.5, metrics: metrics), duration: .seconds(1)))
        #expect(WireSizeLimits.oversize(WireCodec.encode(big)) != nil)
        guard case .result(let fitted) = WireSizeLimits.fitted(big) else { Issue.record("not a RESULT"); return }
        #expect(fitted.outcome == .completed(value: 0.5, metrics: [:]))

        let reason = "trainer crashed: " + String(repeating: "é", count: 20_000)
        let failed = WireMessage.result(TrialResult(trialID: 1, attempt: 1, outcome: .failed(reason: reason), duration: .zero))
        let shrunk = WireSizeLimits.fitted(failed)
        let frames = WireCodec.encode(shrunk)
        #expect(WireSizeLimits.oversize(frames) == nil)
        #expect(frames[2].count > WireSizeLimits.maximumBodyBytes(.result) - 64, "as much of the reason as fits")
        guard case .result(let kept) = try WireCodec.decode(frames), case .failed(let text) = kept.outcome else {
            Issue.record("not a failed RESULT")
            return
        }
        #expect(text.hasPrefix("trainer crashed: ééé"))
        #expect(text.hasSuffix("… (truncated)"))

        let small = WireMessage.result(TrialResult(trialID: 1, attempt: 1, outcome: .failed(reason: "short"), duration: .zero))
        #expect(WireSizeLimits.fitted(small) == small)
    }
}
