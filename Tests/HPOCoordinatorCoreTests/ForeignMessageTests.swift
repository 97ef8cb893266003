import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// Frames that are not hpo protocol are dropped (docs/protocol.md); hpo peers with a bad message get an ERROR.
@Suite struct ForeignMessageTests {
    private static let peer = WorkerID("z")

    @Test func framesAreClassifiedByTheirFirstFrame() {
        func kind(_ frames: [[UInt8]]) -> String {
            switch CoordinatorEvent(decoding: frames, from: Self.peer) {
            case .message: "message"
            case .foreignMessage: "foreign"
            case .malformedMessage: "malformed"
            case .unsupportedProtocol(_, let version, _): "version \(version)"
            default: "other"
            }
        }
        #expect(kind(WireCodec.encode(.heartbeat(Heartbeat()))) == "message")
        #expect(kind([[0xFF, 0x00, 0x13], Array("nonsense".utf8)]) == "foreign")
        #expect(kind([Array("GET / HTTP/1.1".utf8), [], []]) == "foreign")
        #expect(kind([]) == "foreign")
        #expect(kind([Array("hpo/1".utf8), Array("HEARTBEAT".utf8)]) == "malformed")
        #expect(kind([Array("hpo/1".utf8), Array("NOPE".utf8), Array("{}".utf8)]) == "malformed")
        var future = WireCodec.encode(.heartbeat(Heartbeat()))
        future[0] = Array("hpo/9".utf8)
        #expect(kind(future) == "version 9")
    }

    @Test func foreignMessagesGetNoReplyAndAtMostOneLogLinePerInterval() {
        var harness = Harness()
        harness.send(.start)
        var warnings: [String] = []
        for _ in 0..<5 {
            let actions = harness.send(.foreignMessage(from: Self.peer, reason: "frame 0 is \"junk\""))
            #expect(Harness.messages(actions, to: "z").isEmpty)
            for case .log(.warning, let text, _) in actions { warnings.append(text) }
        }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("not hpo protocol") == true)
        harness.elapsed += .seconds(11)
        let later = harness.send(.foreignMessage(from: Self.peer, reason: "frame 0 is \"junk\""))
        let text = later.compactMap { if case .log(.warning, let text, _) = $0 { text } else { nil } }
        #expect(text.count == 1)
        #expect(text.first?.contains("4 more") == true)
        #expect(harness.machine.workers[Self.peer] == nil)
    }
}
