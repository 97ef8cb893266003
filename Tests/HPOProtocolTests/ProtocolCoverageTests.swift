import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// docs/protocol.md's tables against what the two pure machines send: every field a message type's table names (and
/// every field of the objects inside one, such as STATUS_REPLY's `workers`) is in some message a machine sends (both sides of every example session, a status request after each, and the
/// refusals below), every error code the ERROR table names is one the coordinator core sends, and the other way
/// round. A documented field or code that no machine produces, or one produced and not documented, fails here.
@Suite struct ProtocolCoverageTests {
    /// A refusal the coordinator core must answer with `code`: frames from peers, in order.
    struct Refusal: Sendable, CustomStringConvertible {
        var code: String
        var inputs: [(peer: String, frames: [[UInt8]])]
        var maxWorkers = 10_000
        var trialBudget: Int? = 1
        var maxEnqueuedTrials = 1_000
        var description: String { code }
    }

    static func ready(study: String? = nil, capabilities: [String] = ["null"], host: String = "node-1") -> [[UInt8]] {
        WireCodec.encode(.ready(Ready(host: host, pid: 4242, capabilities: capabilities, study: study)))
    }

    static func result(_ trial: Int) -> [[UInt8]] {
        WireCodec.encode(.result(TrialResult(trialID: trial, attempt: 1, outcome: .completed(value: 0.5, metrics: [:]), duration: .seconds(1))))
    }

    /// ENQUEUE as `hpo enqueue` sends it (`EnqueueQuery`: the parameters, and the study when a study file names it).
    static func enqueue(_ x: Double, study: String? = "digits") -> [[UInt8]] {
        WireCodec.encode(.enqueue(Enqueue(parameters: ["x": .double(x)], study: study)))
    }

    /// One way to make the coordinator core send each error code.
    static let refusals: [Refusal] = {
        var future = ready()
        future[0] = Array("hpo/2".utf8)
        let heartbeat = WireCodec.encode(.heartbeat(Heartbeat()))
        return [
            Refusal(code: "unsupported_version", inputs: [("a", future)]),
            Refusal(code: "malformed_message", inputs: [("a", [Array("hpo/1".utf8), Array("READY".utf8), Array("{".utf8)])]),
            Refusal(code: "not_ready", inputs: [("a", heartbeat)]),
            Refusal(code: "unsupported_objective", inputs: [("a", ready(capabilities: ["mlp"]))]),
            Refusal(code: "wrong_study", inputs: [("a", ready(study: "other"))]),
            Refusal(code: "unknown_trial", inputs: [("a", ready()), ("a", result(99))]),
            // Worker a holds trial 0 (it gets it on READY); worker b reports it.
            Refusal(code: "not_holder", inputs: [("a", ready()), ("a", heartbeat), ("b", ready()), ("b", result(0))]),
            Refusal(code: "message_too_large", inputs: [("a", ready(host: String(repeating: "x", count: 8_000)))]),
            Refusal(code: "too_many_workers", inputs: [("a", ready()), ("b", ready())], maxWorkers: 1),
            Refusal(code: "invalid_parameters", inputs: [("s", WireCodec.encode(.enqueue(Enqueue(parameters: ["y": .int(1)]))))]),
            // Budget 1: the first proposal takes it.
            Refusal(code: "budget_spent", inputs: [("s", enqueue(0.5))]),
            // Worker a runs the one trial of the budget; the study is over.
            Refusal(code: "study_closed", inputs: [("a", ready()), ("a", result(0)), ("s", enqueue(0.5))]),
            // The first ENQUEUE is queued (ENQUEUE_REPLY); the second is over the limit of 1.
            Refusal(
                code: "enqueue_limit", inputs: [("s", enqueue(0.25, study: nil)), ("s", enqueue(0.5))], trialBudget: nil,
                maxEnqueuedTrials: 1),
        ]
    }()

    /// The ERROR replies the coordinator core sends for `refusal`'s frames (decoded as the runtime does).
    static func errors(_ refusal: Refusal) -> [ErrorReply] {
        answers(refusal).compactMap { if case .error(let reply) = $0 { reply } else { nil } }
    }

    /// Every message the coordinator core sends for `refusal`'s frames (decoded as the runtime does).
    static func answers(_ refusal: Refusal) -> [WireMessage] {
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null"))
        configuration.trialBudget = refusal.trialBudget
        configuration.maxWorkers = refusal.maxWorkers
        configuration.maxEnqueuedTrials = refusal.maxEnqueuedTrials
        var machine = CoordinatorStateMachine(
            studyName: "digits", direction: .maximize, space: CoordinatorSessionPlayer.space, configuration: configuration)
        let now = ContinuousClock.now
        var events: [CoordinatorEvent] = [.start] + refusal.inputs.map { CoordinatorEvent(decoding: $0.frames, from: WorkerID($0.peer)) }
        var replies: [WireMessage] = []
        while !events.isEmpty {
            for action in machine.handle(events.removeFirst(), now: now) {
                switch action {
                case .send(_, let reply):
                    replies.append(reply)
                case .requestProposals:
                    events.insert(.proposalsReady([Proposal(id: TrialID(rawValue: 0), assignment: ["x": .double(0.5)], point: [0.5])]), at: 0)
                default:
                    break
                }
            }
        }
        return replies
    }

    @Test(arguments: refusals) func theCoordinatorCoreSendsTheCode(_ refusal: Refusal) {
        let codes = Self.errors(refusal).map(\.code.rawValue)
        #expect(codes.contains(refusal.code), "\(refusal.code): the core answered \(codes)")
    }

    @Test func everyDocumentedErrorCodeIsSentAndEverySentCodeIsDocumented() throws {
        let documented = try ProtocolDocument().documentedErrorCodes()
        let sent = Set(Self.refusals.flatMap { Self.errors($0).map(\.code.rawValue) })
        #expect(documented.count >= 13)
        #expect(documented.subtracting(sent).isEmpty, "documented, never sent: \(documented.subtracting(sent).sorted())")
        #expect(sent.subtracting(documented).isEmpty, "sent, not documented: \(sent.subtracting(documented).sorted())")
    }

    /// Every message the machines send: both sides of every example session, the core's answer to a status request
    /// after each, the refusals and what the core sends around them (e.g. ENQUEUE_REPLY), and the ENQUEUEs a client
    /// sends in them.
    static func sentMessages() throws -> [WireMessage] {
        var messages: [WireMessage] = []
        for session in try ProtocolDocument().sessions() {
            var worker = try WorkerSessionPlayer(session)
            try worker.play()
            var coordinator = try CoordinatorSessionPlayer(session)
            try coordinator.play()
            messages += worker.sent + coordinator.sent + coordinator.answer(.statusRequest)
        }
        let clients = refusals.flatMap(\.inputs).compactMap { try? WireCodec.decode($0.frames) }.filter { $0.kind == .enqueue }
        return messages + refusals.flatMap(answers) + clients
    }

    /// The top-level fields of `message`'s body as sent.
    static func fields(of message: WireMessage) throws -> Set<String> {
        let body = try JSONSerialization.jsonObject(with: Data(WireCodec.encode(message)[2]))
        return Set(try #require(body as? [String: Any]).keys)
    }

    @Test func everyDocumentedFieldIsSentAndEverySentFieldIsDocumented() throws {
        let documented = try ProtocolDocument().documentedFields()
        var sent: [WireMessageKind: Set<String>] = [:]
        for message in try Self.sentMessages() {
            sent[message.kind, default: []].formUnion(try Self.fields(of: message))
        }
        #expect(Set(documented.keys) == Set(WireMessageKind.allCases), "types with a section: \(documented.keys)")
        for kind in WireMessageKind.allCases {
            let named = documented[kind] ?? []
            let used = sent[kind] ?? []
            #expect(named.subtracting(used).isEmpty, "\(kind.rawValue): documented, never sent: \(named.subtracting(used).sorted())")
            #expect(used.subtracting(named).isEmpty, "\(kind.rawValue): sent, not documented: \(used.subtracting(named).sorted())")
        }
    }

    @Test func everyDocumentedNestedFieldIsSentAndEverySentOneIsDocumented() throws {
        let documented = try ProtocolDocument().documentedNestedFields()
        var sent: [WireMessageKind: [String: Set<String>]] = [:]
        for message in try Self.sentMessages() {
            let body = try #require(try JSONSerialization.jsonObject(with: Data(WireCodec.encode(message)[2])) as? [String: Any])
            for (field, value) in body {
                // An object, or an array of objects; an empty array, `null` and scalars say nothing about fields.
                let objects = (value as? [String: Any]).map { [$0] } ?? (value as? [[String: Any]]) ?? []
                guard !objects.isEmpty else { continue }
                sent[message.kind, default: [:]][field, default: []].formUnion(objects.flatMap(\.keys))
            }
        }
        for (kind, fields) in sent {
            for (field, keys) in fields {
                let named = try #require(
                    documented[kind]?[field], "\(kind.rawValue) `\(field)`: sent with fields \(keys.sorted()); its row names none")
                guard let named else { continue }   // A map: its keys are data.
                #expect(named.subtracting(keys).isEmpty, "\(kind.rawValue) `\(field)`: documented, never sent: \(named.subtracting(keys).sorted())")
                #expect(keys.subtracting(named).isEmpty, "\(kind.rawValue) `\(field)`: sent, not documented: \(keys.subtracting(named).sorted())")
            }
        }
        for (kind, fields) in documented {
            for (field, named) in fields where named != nil {
                #expect(sent[kind]?[field] != nil, "\(kind.rawValue) `\(field)`: its fields \(named!.sorted()) are documented, never sent")
            }
        }
        #expect(documented[.statusReply]?["workers"]??.contains("last_seen_seconds") == true)
    }

    /// `budget` is optional: a study limited only by wall time says `null` (docs/protocol.md, STATUS_REPLY).
    @Test func aStudyWithoutATrialBudgetReportsBudgetNull() throws {
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null"))
        configuration.trialBudget = nil
        configuration.wallTime = .seconds(60)
        var machine = CoordinatorStateMachine(
            studyName: "digits", direction: .maximize, space: CoordinatorSessionPlayer.space, configuration: configuration)
        let now = ContinuousClock.now
        _ = machine.handle(.start, now: now)
        let replies = machine.handle(.message(from: WorkerID("status"), .statusRequest), now: now)
        let reply = try #require(replies.lazy.compactMap { if case .send(_, .statusReply(let status)) = $0 { status } else { nil } }.first)
        #expect(reply.budget == nil)
        let body = String(decoding: WireCodec.encode(.statusReply(reply))[2], as: UTF8.self)
        #expect(body.contains("\"budget\":null"), "\(body)")
    }
}
