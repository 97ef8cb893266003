import HPOMath
import HPOWire
import Testing

@Suite struct WireMalformedTests {
    struct Case: Sendable, CustomStringConvertible {
        var frames: [[UInt8]]
        var code: WireError.Code
        var message: String
        var description: String { message }

        init(_ type: String, _ body: String, _ code: WireError.Code, _ message: String, header: String = "hpo/1") {
            frames = [Array(header.utf8), Array(type.utf8), Array(body.utf8)]
            self.code = code
            self.message = message
        }

        init(frames: [[UInt8]], _ code: WireError.Code, _ message: String) {
            self.frames = frames
            self.code = code
            self.message = message
        }
    }

    static let progress = #""trial_id":1,"attempt":0,"step":2"#

    static let cases: [Case] = [
        Case(frames: [Array("hpo/1".utf8), Array("READY".utf8)], .frameCount,
             "expected 3 frames (tag+version, type, body), got 2"),
        Case("READY", "{}", .wrongTag,
             #"frame 0 is "zmq/1", expected "hpo/1"; is the peer an hpo worker?"#, header: "zmq/1"),
        Case("READY", "{}", .wrongTag,
             #"frame 0 is "hpo/x1", expected "hpo/<version number>""#, header: "hpo/x1"),
        Case("READY", "{}", .unsupportedVersion,
             "protocol version 2 is not supported (supported: 1); upgrade the older side", header: "hpo/2"),
        Case("READY\u{7}", "{}", .unknownType,
             #"unknown message type "READY\x07"; known types: READY, TRIAL, PROGRESS, RESULT, HEARTBEAT, CANCEL, PRUNE, SHUTDOWN, ERROR, STATUS_REQUEST, STATUS_REPLY, ENQUEUE, ENQUEUE_REPLY"#),
        Case("RESULT", "{\"trial_id\":1", .malformedBody,
             "RESULT: malformed JSON body at byte 13: expected ',' or '}' in an object"),
        Case("RESULT", "[1]", .malformedBody, "RESULT: malformed JSON body at byte 0: expected a JSON object"),
        Case("RESULT", "{} x", .malformedBody, "RESULT: malformed JSON body at byte 3: unexpected text after the JSON object"),
        Case("RESULT", #"{"a":1,"a":2}"#, .malformedBody, #"RESULT: malformed JSON body at byte 12: duplicate key "a""#),
        Case("RESULT", #"{"a":01}"#, .malformedBody, "RESULT: malformed JSON body at byte 7: leading zero in a number"),
        Case("RESULT", "{\"a\":\"x\ny\"}", .malformedBody, "RESULT: malformed JSON body at byte 7: control character in a string"),
        Case("RESULT", #"{"a":"\ud800"}"#, .malformedBody, "RESULT: malformed JSON body at byte 12: unpaired surrogate"),
        Case("RESULT", String(repeating: "[", count: 70).replacingFirst("[", with: "{\"a\":"), .malformedBody,
             "RESULT: malformed JSON body at byte 68: nesting deeper than 64"),
        Case("PROGRESS", "{\(progress)}", .missingField, #"PROGRESS: field "value": is required"#),
        Case("PROGRESS", "{\(progress),\"value\":null}", .missingField, #"PROGRESS: field "value": is required"#),
        Case("PROGRESS", "{\(progress),\"value\":\"0.9\"}", .wrongType,
             #"PROGRESS: field "value": expected a number, got a string"#),
        Case("PROGRESS", "{\(progress),\"value\":NaN}", .nonFiniteNumber,
             #"PROGRESS: field "value": expected a finite number, got nan"#),
        Case("PROGRESS", "{\(progress),\"value\":-Infinity}", .nonFiniteNumber,
             #"PROGRESS: field "value": expected a finite number, got -inf"#),
        Case("PROGRESS", "{\(progress),\"value\":1e999}", .nonFiniteNumber,
             #"PROGRESS: field "value": expected a finite number, got inf"#),
        Case("PROGRESS", "{\(progress),\"value\":1,\"metrics\":{\"loss\":Infinity}}", .nonFiniteNumber,
             #"PROGRESS: field "metrics.loss": expected a finite number, got inf"#),
        Case("PROGRESS", #"{"trial_id":1,"attempt":-1,"step":2,"value":1}"#, .invalidValue,
             #"PROGRESS: field "attempt": expected an integer >= 0, got -1"#),
        Case("PROGRESS", #"{"trial_id":1.5,"attempt":0,"step":2,"value":1}"#, .wrongType,
             #"PROGRESS: field "trial_id": expected an integer, got a real number"#),
        Case("PROGRESS", #"{"trial_id":99999999999999999999,"attempt":0,"step":2,"value":1}"#, .wrongType,
             #"PROGRESS: field "trial_id": expected an integer, got a real number"#),
        Case("RESULT", #"{"trial_id":1,"attempt":0,"status":"done","duration_seconds":1}"#, .invalidValue,
             #"RESULT: field "status": expected "completed", "failed" or "stopped", got "done""#),
        Case("RESULT", #"{"trial_id":1,"attempt":0,"status":"completed","value":1,"duration_seconds":-1}"#, .invalidValue,
             #"RESULT: field "duration_seconds": expected seconds in [0, 1e9), got -1.0"#),
        Case("RESULT", #"{"trial_id":1,"attempt":0,"status":"failed","duration_seconds":1}"#, .missingField,
             #"RESULT: field "reason": is required"#),
        Case("READY", #"{"protocol_version":1,"host":"h","pid":0}"#, .invalidValue,
             #"READY: field "pid": expected an integer >= 1, got 0"#),
        Case("READY", #"{"protocol_version":1,"host":"h","pid":3,"capabilities":["mlp",7]}"#, .wrongType,
             #"READY: field "capabilities[1]": expected a string, got an integer"#),
        Case("TRIAL", #"{"trial_id":1,"attempt":0,"parameters":{"lr":[1]},"objective":{"kind":"mlp"}}"#, .wrongType,
             #"TRIAL: field "parameters.lr": expected a number, string or boolean, got an array"#),
        Case("TRIAL", #"{"trial_id":1,"attempt":0,"parameters":{"lr":NaN},"objective":{"kind":"mlp"}}"#, .nonFiniteNumber,
             #"TRIAL: field "parameters.lr": expected a finite number, got nan"#),
        Case("TRIAL", #"{"trial_id":1,"attempt":0,"parameters":{},"objective":{"options":{}}}"#, .missingField,
             #"TRIAL: field "objective.kind": is required"#),
        Case("TRIAL", #"{"trial_id":1,"attempt":0,"parameters":{},"objective":{"kind":"mlp","options":{"a":[1,Infinity]}}}"#,
             .nonFiniteNumber, #"TRIAL: field "objective.options.a[1]": expected a finite number, got inf"#),
        Case("HEARTBEAT", #"{"running":[{"trial_id":1}]}"#, .missingField,
             #"HEARTBEAT: field "running[0].attempt": is required"#),
        Case("HEARTBEAT", #"{"running":{}}"#, .wrongType,
             #"HEARTBEAT: field "running": expected an array of {trial_id, attempt}, got an object"#),
        Case("STATUS_REPLY", #"{"study":"s","direction":"maximize","completed":0,"running":0,"failed":0,"elapsed_seconds":0,"workers":[{"host":"h","pid":1,"last_seen_seconds":"x"}],"finished":false}"#,
             .wrongType, #"STATUS_REPLY: field "workers[0].last_seen_seconds": expected a number, got a string"#),
    ]

    @Test(arguments: cases) func malformedFramesGiveAnErrorNamingTypeAndField(_ testCase: Case) throws {
        let error = try #require(throws: WireError.self) { try WireCodec.decode(testCase.frames) }
        #expect(error.code == testCase.code)
        #expect(error.description == testCase.message)
    }

    @Test func unsupportedVersionCarriesTheVersionForTheErrorReply() throws {
        let frames = [Array("hpo/7".utf8), Array("READY".utf8), Array("{}".utf8)]
        let error = try #require(throws: WireError.self) { try WireCodec.decode(frames) }
        #expect(error.version == 7)
        #expect(WireCodec.supportedVersions == [1])
    }

    @Test func invalidUTF8IsRejected() throws {
        let body: [UInt8] = Array(#"{"host":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        let error = try #require(throws: WireError.self) {
            try WireCodec.decode([Array("hpo/1".utf8), Array("READY".utf8), body])
        }
        #expect(error.description == "READY: malformed JSON body at byte 11: string is not valid UTF-8")
    }

    @Test func seededGarbageNeverCrashesTheDecoder() {
        var generator = SeededGenerator(seed: 3)
        let valid = WireCodec.encode(.result(TrialResult(
            trialID: 1, attempt: 0, outcome: .completed(value: 0.5, metrics: ["loss": 1]), duration: .seconds(1)
        )))
        var rejected = 0
        for round in 0..<3000 {
            var frames = valid
            if round % 3 == 0 {
                frames[2] = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                // Flip a few bytes of a valid body.
                for _ in 0..<Int.random(in: 1...3, using: &generator) where !frames[2].isEmpty {
                    frames[2][Int.random(in: 0..<frames[2].count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            do {
                _ = try WireCodec.decode(frames)
            } catch {
                rejected += 1
                #expect(error.messageType == "RESULT")
            }
        }
        #expect(rejected > 1000)
    }
}

extension String {
    /// The string with its first occurrence of `target` replaced.
    func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let index = firstIndex(of: target) else { return self }
        return String(self[..<index]) + replacement + String(self[self.index(after: index)...])
    }
}

