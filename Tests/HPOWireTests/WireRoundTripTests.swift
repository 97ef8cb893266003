import HPOSearchSpace
import HPOWire
import Testing

@Suite struct WireRoundTripTests {
    static let messages: [WireMessage] = [
        .ready(Ready(host: "node-7", pid: 4242, capabilities: ["mlp", "command", "null"], slots: 2)),
        .ready(Ready(host: "", pid: 1, capabilities: [])),
        .trial(TrialAssignment(
            trialID: 17, attempt: 1,
            parameters: [
                "lr": .double(1e-3), "batch_size": .int(64), "optimizer": .string("adam"), "nesterov": .bool(true),
                "momentum": .double(2.0), "weird \"name\"\n": .string("ünïcødé ✓ \u{1F600} \\ \u{01}"),
            ],
            objective: ObjectiveDescriptor(kind: "mlp", options: [
                "dataset": .string("digits"), "hidden": .array([.number(64), .number(32)]), "epochs": .number(50),
                "scale": .number(0.25), "verbose": .bool(false), "extra": .null,
                "nested": .object(["a": .array([]), "b": .object([:])]),
            ])
        )),
        .trial(TrialAssignment(trialID: 0, attempt: 0, parameters: [:], objective: ObjectiveDescriptor(kind: "null"))),
        .progress(TrialProgress(trialID: 3, attempt: 0, step: 12, value: 0.875, metrics: ["loss": 0.3125, "time": 1e-7])),
        .progress(TrialProgress(trialID: 3, attempt: 0, step: 0, value: -1.5)),
        .result(TrialResult(trialID: 9, attempt: 2, outcome: .completed(value: 0.9722222222222222, metrics: ["loss": 0.1]), duration: .milliseconds(1432))),
        .result(TrialResult(trialID: 9, attempt: 0, outcome: .failed(reason: "exit status 1: \"out of memory\""), duration: .zero)),
        .result(TrialResult(trialID: 9, attempt: 1, outcome: .stopped(reason: "cancelled"), duration: .seconds(2))),
        .heartbeat(Heartbeat()),
        .heartbeat(Heartbeat(running: [TrialKey(trialID: 1, attempt: 0), TrialKey(trialID: 5, attempt: 3)])),
        .cancel(Cancel(trialID: 4, attempt: 0, reason: "budget exhausted")),
        .prune(Prune(trialID: 5, attempt: 2, step: 9, reason: "ASHA rung 2 (step 9): value 0.4 at step 9 ranks 3 of 3, outside the top 1 (1/3)")),
        .shutdown(Shutdown(reason: "study finished")),
        .error(ErrorReply(code: .unsupportedVersion, message: "protocol version 2 is not supported", supportedVersions: [1])),
        .error(ErrorReply(code: .unknownTrial, message: "no such attempt", trial: TrialKey(trialID: 8, attempt: 1))),
        .error(ErrorReply(code: ErrorReply.Code(rawValue: "something_new"), message: "x", supportedVersions: [])),
        .statusRequest,
        .statusReply(StudyStatus(
            study: "digits", direction: "maximize", completed: 40, running: 4, failed: 1, budget: 100,
            elapsed: .nanoseconds(92_250_000_123),
            best: .init(trialID: 31, value: 0.975, parameters: ["lr": .double(0.0123), "batch_size": .int(96)]),
            workers: [
                .init(host: "a", pid: 10, running: [TrialKey(trialID: 44, attempt: 0)], lastSeen: .milliseconds(250)),
                .init(host: "b", pid: 11, running: [], lastSeen: .zero, name: "gpu-3.eu"),
            ],
            finished: false, pruned: 12
        )),
        .statusReply(StudyStatus(
            study: "s", direction: "minimize", completed: 0, running: 0, failed: 0, budget: nil,
            elapsed: .zero, best: nil, workers: [], finished: true
        )),
        .enqueue(Enqueue(parameters: ["lr": .double(0.01), "batch_size": .int(64), "optimizer": .string("adam")], study: "digits")),
        .enqueue(Enqueue(parameters: [:])),
        .enqueueReply(EnqueueReply(trialID: 12, parameters: ["lr": .double(0.01), "batch_size": .int(64)], queuedAhead: 1)),
    ]

    @Test(arguments: messages) func everyMessageSurvivesEncodeThenDecode(_ message: WireMessage) throws {
        let frames = WireCodec.encode(message)
        #expect(frames.count == 3)
        #expect(frames[0] == Array("hpo/1".utf8))
        #expect(frames[1] == Array(message.typeName.utf8))
        #expect(try WireCodec.decode(frames) == message)
    }

    @Test func everyMessageTypeIsCovered() {
        let covered = Set(Self.messages.map(\.kind))
        #expect(covered == Set(WireMessageKind.allCases))
    }

    @Test func integersAndRealsStayApartInParameters() throws {
        let message = WireMessage.trial(TrialAssignment(
            trialID: 1, attempt: 0, parameters: ["a": .int(2), "b": .double(2), "c": .double(1e-5), "d": .double(1e20)],
            objective: ObjectiveDescriptor(kind: "null")
        ))
        let frames = WireCodec.encode(message)
        let body = String(decoding: frames[2], as: UTF8.self)
        #expect(body.contains(#""parameters":{"a":2,"b":2.0,"c":1e-05,"d":1e+20}"#))
        guard case .trial(let decoded) = try WireCodec.decode(frames) else {
            Issue.record("expected a TRIAL")
            return
        }
        #expect(decoded.parameters["a"] == .int(2))
        #expect(decoded.parameters["b"] == .double(2))
    }

    @Test func bodiesAreDeterministicJSONAsDocumented() {
        let frames = WireCodec.encode(.result(TrialResult(
            trialID: 7, attempt: 1, outcome: .completed(value: 0.97, metrics: ["loss": 0.08, "epochs": 50]), duration: .milliseconds(2500)
        )))
        #expect(String(decoding: frames[2], as: UTF8.self)
            == #"{"trial_id":7,"attempt":1,"status":"completed","value":0.97,"metrics":{"epochs":50.0,"loss":0.08},"duration_seconds":2.5}"#)
        let ready = WireCodec.encode(.ready(Ready(host: "h", pid: 12, capabilities: ["mlp"])))
        #expect(String(decoding: ready[2], as: UTF8.self)
            == #"{"protocol_version":1,"host":"h","pid":12,"capabilities":["mlp"],"slots":1}"#)
    }

    @Test func bodiesFromOtherImplementationsAreAccepted() throws {
        // Whitespace, key order, escapes, extra fields (forward compatibility) and integer-valued reals.
        let body = """
            { "extra": {"ignored": [1, 2, {"x": null}]},
              "duration_seconds" : 3, "status": "failed", "attempt": 0, "trial_id": 12,
              "reason": "caf\\u00e9 \\ud83d\\ude00 \\"quoted\\" \\/ \\b\\f\\n\\r\\t" }
            """
        let message = try WireCodec.decode([Array("hpo/1".utf8), Array("RESULT".utf8), Array(body.utf8)])
        #expect(message == .result(TrialResult(
            trialID: 12, attempt: 0, outcome: .failed(reason: "café \u{1F600} \"quoted\" / \u{08}\u{0C}\n\r\t"), duration: .seconds(3)
        )))
    }
}
