import HPOWire
import Testing

/// docs/protocol.md's *Example sessions*, replayed against both pure machines: the coordinator core plays every
/// `C → W` line and the worker's state machine every `W → C` line, exactly as written (see the players).
@Suite struct ExampleSessionTests {
    /// The sessions' titles (empty when the document does not parse; `theDocumentHoldsTheSessions` says why).
    static let titles: [String] = (try? ProtocolDocument().sessions().map(\.title)) ?? []

    static func session(_ title: String) throws -> ProtocolDocument.Session {
        try #require(try ProtocolDocument().sessions().first { $0.title == title })
    }

    @Test func theDocumentHoldsTheSessions() throws {
        let titles = try ProtocolDocument().sessions().map(\.title)
        #expect(titles == [
            "A session", "Reconnect after a lost link", "A lost RESULT", "Two slots", "Cancel", "Early stopping (PRUNE)",
            "Coordinator restart (--resume)", "A TRIAL to a busy slot",
        ])
    }

    @Test(arguments: titles) func everyLineDecodesAndReencodesAsWritten(_ title: String) throws {
        for case .message(_, let message, let body, _) in try Self.session(title).steps {
            #expect(String(decoding: WireCodec.encode(message)[2], as: UTF8.self) == body, "\(title): \(message.typeName)")
        }
    }

    @Test(arguments: titles) func theWorkerPlaysTheSession(_ title: String) throws {
        var player = try WorkerSessionPlayer(try Self.session(title))
        try player.play()
    }

    @Test(arguments: titles) func theCoordinatorPlaysTheSession(_ title: String) throws {
        var player = try CoordinatorSessionPlayer(try Self.session(title))
        try player.play()
    }
}
