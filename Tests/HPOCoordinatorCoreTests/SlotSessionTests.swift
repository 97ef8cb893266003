import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// docs/protocol.md's two-slot session, replayed against the coordinator core: every W → C line is fed to it, and
/// every C → W line must be exactly what it sends (a TRIAL is caused by the optimizer answering with the document's
/// parameters, a HEARTBEAT by an idle interval). The worker's side of the same session is replayed by
/// HPOWorkerCoreTests' ProtocolSessionTests.
@Suite struct SlotSessionTests {
    static let document = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/protocol.md")

    /// The session whose READY announces two slots, as (from the coordinator?, message).
    static func twoSlotSession() throws -> [(fromCoordinator: Bool, message: WireMessage)] {
        let text = try String(contentsOf: document, encoding: .utf8)
        var blocks: [[(Bool, WireMessage)]] = []
        var current: [(Bool, WireMessage)]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let block = current { blocks.append(block) }
                current = current == nil ? [] : nil
                continue
            }
            guard current != nil, let tag = line.range(of: " hpo/1 ") else { continue }
            let rest = line[tag.upperBound...]
            let type = String(rest.prefix { $0 != " " })
            let body = rest.dropFirst(type.count).trimmingCharacters(in: .whitespaces)
            guard body != "{...}" else { continue }
            let message = try WireCodec.decode([Array("hpo/1".utf8), Array(type.utf8), Array(body.utf8)])
            current!.append((line.hasPrefix("C → W"), message))
        }
        return try #require(blocks.first { block in
            block.contains { if case .ready(let ready) = $1 { ready.slots == 2 } else { false } }
        })
    }

    @Test func theCoordinatorCorePlaysTheTwoSlotSessionExactlyAsWritten() throws {
        let session = try Self.twoSlotSession()
        let trials = session.compactMap { if case .trial(let trial) = $0.message { trial } else { nil } }
        let first = try #require(trials.first)
        var configuration = CoordinatorConfiguration(objective: first.objective)
        configuration.trialBudget = 10
        configuration.prefetch = 1
        var machine = CoordinatorStateMachine(
            studyName: try #require(first.study), direction: .maximize, space: Harness.space, configuration: configuration)
        let origin = ContinuousClock.now
        var now = origin
        let worker = WorkerID("gpu-node.77.0001")
        var pending: [WireMessage] = []
        var asked = 0
        var proposed = 0
        func feed(_ event: CoordinatorEvent) {
            for action in machine.handle(event, now: now) {
                switch action {
                case .send(let peer, let message) where peer == worker:
                    pending.append(message)
                    if case .trial(let trial) = message {
                        _ = machine.handle(.trialSent(TrialAttempt(trial: TrialID(rawValue: trial.trialID), attempt: trial.attempt), to: peer), now: now)
                    }
                case .requestProposals(let count): asked += count
                default: break
                }
            }
        }
        feed(.start)
        for (fromCoordinator, message) in session {
            guard fromCoordinator else {
                #expect(pending.isEmpty, "the core also sent \(pending) before the worker's \(message.typeName)")
                pending = []
                feed(.message(from: worker, message))
                continue
            }
            if pending.isEmpty, case .trial = message {
                // The optimizer answers what the core asked with the document's trials, in order.
                let answer = trials[proposed..<min(trials.count, proposed + max(asked, 1))].map { trial in
                    Proposal(id: TrialID(rawValue: trial.trialID), assignment: trial.parameters, point: [0.5])
                }
                proposed += answer.count
                asked = 0
                feed(.proposalsReady(answer))
            }
            if pending.isEmpty, case .heartbeat = message {
                now += configuration.heartbeatInterval
                feed(.tick)
            }
            let sent = try #require(pending.first, "the core did not send \(message.typeName)")
            pending.removeFirst()
            #expect(sent == message, "the core sent \(sent), the document says \(message)")
        }
        #expect(machine.workers[worker]?.slots == 2)
    }
}
