import Foundation
import HPOWire
import HPOWorkerCore
import Testing

/// docs/protocol.md's example sessions, replayed against the worker's state machine: every C → W line is fed to
/// it, and every W → C line must be what it sends (an objective's PROGRESS or RESULT, a READY after a handshake and
/// a HEARTBEAT after an idle interval are caused by the matching event first). A session the worker would not play
/// exactly as written fails here.
@Suite struct ProtocolSessionTests {
    static let document = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/protocol.md")

    /// One line of a session.
    enum Step {
        case coordinator(WireMessage?, type: String)   // nil: elided body `{...}`
        case worker(WireMessage?, type: String)
        case connectionDies
    }

    /// The code blocks after "## A session" that hold `hpo/1` lines, each as steps.
    static func sessions() throws -> [[Step]] {
        let text = try String(contentsOf: document, encoding: .utf8)
        guard let start = text.range(of: "## A session") else { return [] }
        var sessions: [[Step]] = []
        var current: [Step]?
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let steps = current, !steps.isEmpty { sessions.append(steps) }
                current = current == nil ? [] : nil
                continue
            }
            guard current != nil else { continue }
            if line.contains("connection dies") {
                current!.append(.connectionDies)
                continue
            }
            guard let tag = line.range(of: " hpo/1 ") else { continue }
            let rest = line[tag.upperBound...]
            let type = String(rest.prefix { $0 != " " })
            let body = rest.dropFirst(type.count).trimmingCharacters(in: .whitespaces)
            let message = body == "{...}"
                ? nil : try WireCodec.decode([Array("hpo/1".utf8), Array(type.utf8), Array(body.utf8)])
            current!.append(line.hasPrefix("C → W") ? .coordinator(message, type: type) : .worker(message, type: type))
        }
        return sessions
    }

    @Test func theDocumentHasTheSessionsThisTestReplays() throws {
        #expect(try Self.sessions().count >= 3)
    }

    @Test func everyExampleSessionIsWhatTheWorkerMachineDoes() throws {
        for (index, session) in try Self.sessions().enumerated() {
            try replay(session, index: index)
        }
    }

    private func replay(_ session: [Step], index: Int) throws {
        // The worker advertises what the session's READY says.
        var announced: Ready?
        for case .worker(.ready(let ready)?, _) in session { announced = ready }
        var worker = WorkerHarness { settings in
            guard let ready = announced else { return settings.capabilities = ["null"] }
            settings.capabilities = ready.capabilities
            settings.study = ready.study
            settings.slots = ready.slots
            settings.host = ready.host
            settings.pid = ready.pid
        }
        var pending: [WireMessage] = []
        var cancelReasons: [TrialKey: String] = [:]
        var lastTrial: TrialAssignment?
        func record(_ actions: [WorkerAction]) {
            pending += actions.sent
            for case .cancel(let key, let reason) in actions { cancelReasons[key] = reason }
        }
        if case .coordinator = session.first { _ = worker.connect() }   // a session that starts mid-connection
        for step in session {
            switch step {
            case .connectionDies:
                #expect(pending.isEmpty, "session \(index): unsent before the disconnect: \(pending)")
                record(worker.disconnect())
            case .coordinator(let message, let type):
                var message = message
                if message == nil, type == "TRIAL", let last = lastTrial {
                    message = .trial(TrialAssignment(
                        trialID: last.trialID + 1, attempt: 1, parameters: last.parameters, objective: last.objective))
                }
                let fed = try #require(message, "session \(index): cannot stand in for an elided \(type)")
                if case .trial(let assignment) = fed { lastTrial = assignment }
                record(worker.receive(fed))
            case .worker(let message, let type):
                if pending.isEmpty {
                    // Cause it: a handshake, an objective's report or end, or an idle heartbeat interval.
                    switch (message, type) {
                    case (.ready?, _): record(worker.connect())
                    case (.progress(let progress)?, _): record(worker.send(.progress(progress)))
                    case (.heartbeat?, _): record(worker.advance(worker.machine.settings.heartbeatInterval))
                    case (.result(let result)?, _):
                        if case .stopped(let reason) = result.outcome, let asked = cancelReasons[result.key] {
                            #expect(reason == asked, "session \(index): a stopped RESULT carries the stop's reason")
                        }
                        record(worker.send(.finished(result)))
                    case (nil, "RESULT"):
                        let running = try #require(worker.machine.running.first, "session \(index): RESULT with nothing running")
                        record(worker.send(.finished(TrialResult(
                            trialID: running.trialID, attempt: running.attempt,
                            outcome: .completed(value: 0.5, metrics: [:]), duration: .seconds(1)))))
                    default:
                        Issue.record("session \(index): the worker does not send \(type) by itself")
                    }
                }
                let sent = try #require(pending.first, "session \(index): the worker did not send \(type)")
                pending.removeFirst()
                if let message {
                    #expect(sent == message, "session \(index): the worker sent \(sent), the document says \(message)")
                } else {
                    #expect(sent.typeName == type, "session \(index): the worker sent \(sent), the document says \(type)")
                }
            }
        }
        #expect(pending.isEmpty, "session \(index): the worker also sent \(pending), which the document does not show")
    }
}
