@testable import HPOWire
import Testing

/// The HEARTBEAT fast path decodes exactly what the general parser decodes, and leaves everything else to it.
@Suite struct HeartbeatScannerTests {
    /// The general path alone: the JSON parser and the field reader (a parse error names the type, as `decode` does).
    private static func general(_ body: String) -> Result<Heartbeat, WireError> {
        Result { () throws(WireError) -> Heartbeat in
            let members: [ParsedMember]
            do throws(WireError) {
                members = try JSONParser.parseObject(Array(body.utf8))
            } catch {
                var located = error
                located.messageType = "HEARTBEAT"
                throw located
            }
            guard case .heartbeat(let heartbeat) = try WireCodec.decodeBody(BodyReader(type: "HEARTBEAT", members: members), as: .heartbeat)
            else { throw WireError(.unknownType, "not a heartbeat") }
            return heartbeat
        }
    }

    /// `WireCodec.decode` of a HEARTBEAT with `body`.
    private static func decoded(_ body: String) -> Result<WireMessage, WireError> {
        Result { () throws(WireError) -> WireMessage in
            try WireCodec.decode([Array("hpo/1".utf8), Array("HEARTBEAT".utf8), Array(body.utf8)])
        }
    }

    @Test(arguments: [
        #"{"running":[]}"#,
        #"{"running":[{"trial_id":0,"attempt":1}]}"#,
        #"{"running":[{"trial_id":7,"attempt":0},{"trial_id":123456789012345678,"attempt":2}]}"#,
    ])
    func theCanonicalFormIsReadByTheScannerWithTheParsersResult(body: String) throws {
        let fast = try #require(HeartbeatScanner.canonical(Array(body.utf8)))
        #expect(Self.general(body) == .success(fast))
        #expect(Self.decoded(body) == .success(.heartbeat(fast)))
    }

    @Test func everyWorkerHeartbeatTheEncoderWritesTakesTheFastPath() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let running = (0..<Int.random(in: 0...64, using: &generator)).map { _ in
                TrialKey(trialID: Int.random(in: 0...Int(1e17), using: &generator), attempt: Int.random(in: 0...99, using: &generator))
            }
            let frames = WireCodec.encode(.heartbeat(Heartbeat(running: running)))
            #expect(HeartbeatScanner.canonical(frames[2]) == Heartbeat(running: running))
        }
    }

    /// Variations the scanner must leave to the parser, which decodes or refuses each as it always did.
    @Test(arguments: [
        #"{ "running":[]}"#,  // whitespace
        #"{"running":[{"trial_id":1,"attempt":1}],"study":"digits"}"#,  // the coordinator's form
        #"{"running":[{"attempt":1,"trial_id":1}]}"#,  // another order
        #"{"running":[{"trial_id":1,"attempt":1,"gpu":0}]}"#,  // an unknown member (ignored by the parser)
        #"{"running":[],"running":[]}"#,  // a duplicate key
        #"{"running":[{"trial_id":1,"trial_id":2,"attempt":1}]}"#,  // a duplicate nested key
        #"{"running":[{"trial_id":01,"attempt":1}]}"#,  // a leading zero
        #"{"running":[{"trial_id":-1,"attempt":1}]}"#,  // negative
        #"{"running":[{"trial_id":1.0,"attempt":1}]}"#,  // a real
        #"{"running":[{"trial_id":1e3,"attempt":1}]}"#,  // an exponent
        #"{"running":[{"trial_id":9223372036854775807,"attempt":1}]}"#,  // 19 digits: Int.max
        #"{"running":[{"trial_id":99999999999999999999,"attempt":1}]}"#,  // overflows Int
        #"{"running":[{"trial_id":1,"attempt":1},]}"#,  // a trailing comma
        #"{"running":[{"trial_id":1,"attempt":1}]"#,  // truncated
        #"{"running":[]}x"#,  // text after the object
        #"{"running":null}"#,
        #"{}"#,
        #"{"\u0072unning":[]}"#,  // an escaped key
        #"{"running":[{"trial_id":1,"attempt":1}]}  "#,  // trailing whitespace
    ])
    func aVariationIsLeftToTheParserWhichDecidesAsBefore(body: String) {
        #expect(HeartbeatScanner.canonical(Array(body.utf8)) == nil)
        #expect(Self.decoded(body).map { message -> Heartbeat? in
            if case .heartbeat(let heartbeat) = message { return heartbeat }
            return nil
        } == Self.general(body).map { Optional($0) })
    }

    /// Random corruptions of a canonical body: whatever the scanner accepts, the parser accepts with the same result.
    @Test func theScannerNeverAcceptsWhatTheParserReadsDifferently() {
        let base = Array(#"{"running":[{"trial_id":12,"attempt":3},{"trial_id":0,"attempt":1}]}"#.utf8)
        let alphabet = Array(#"{}[]":,0123456789-.e runigtal_dmp"#.utf8)
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<20_000 {
            var body = base
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<body.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: body[position] = alphabet.randomElement(using: &generator)!
                case 1: body.insert(alphabet.randomElement(using: &generator)!, at: position)
                default: body.remove(at: position)
                }
            }
            guard let fast = HeartbeatScanner.canonical(body) else { continue }
            accepted += 1
            #expect(Self.general(String(decoding: body, as: UTF8.self)) == .success(fast), "\(String(decoding: body, as: UTF8.self))")
        }
        // Some corruptions stay canonical (a digit for a digit): the comparison above was exercised.
        #expect(accepted > 0)
    }
}
