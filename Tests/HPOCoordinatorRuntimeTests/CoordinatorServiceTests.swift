import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import HPOZeroMQ
import Testing
import HPOCoordinatorRuntime
import HPOWorkerCore
import HPOWorkerRuntime

@Suite(.serialized) struct CoordinatorServiceTests {
    @Test func aStudyWithInProcessWorkersRunsItsBudgetOverRealSockets() async throws {
        let directory = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = JSONLinesJournal(path: directory.appendingPathComponent("journal.jsonl").path)
        let (service, endpoint) = try CoordinatorFixture.startedService("service", CoordinatorFixture.configuration(budget: 30), journal: journal)
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let (summary, workerExits) = try await CoordinatorFixture.finish(service, endpoint: endpoint, workers: 3)
        #expect(summary.state == .completed)
        #expect(summary.completed == 30)
        #expect(workerExits.count == 3)
        #expect(workerExits.allSatisfy { if case .shutdown = $0 { true } else { false } })
        let events = try journal.recordedEvents()
        let completed = CoordinatorFixture.completedTrials(events)
        #expect(completed.count == 30)
        #expect(Set(completed).count == 30)
        #expect(events.filter { if case .workerJoined = $0 { true } else { false } }.count == 3)
        if case .studyFinished(.completed, _)? = events.last {} else {
            Issue.record("the journal must end with studyFinished(completed), got \(String(describing: events.last))")
        }
    }
}

@Suite(.serialized) struct CoordinatorServiceFaultTests {
    @Test func garbageFramesAreDroppedForeignVersionsGetErrorRepliesAndTheStudyCarriesOn() async throws {
        let directory = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = try JournalStore<JournalEvent>(path: directory.appendingPathComponent("faults.db").path)
        var configuration = CoordinatorFixture.configuration(
            kind: "test-function", budget: 4, options: ["function": .string("branin"), "duration": .number(0.2)])
        configuration.heartbeatInterval = .milliseconds(200)
        let (service, endpoint) = try CoordinatorFixture.startedService("faults", configuration, journal: journal, seed: 2)

        let context = try Context()
        defer { context.shutdown() }
        let rogue = try Socket(context, type: .dealer, linger: .zero)
        defer { rogue.close() }
        try rogue.connect(endpoint)
        func reply(to frames: [[UInt8]]) throws -> ErrorReply? {
            try rogue.send(frames)
            guard let answer = try rogue.receive(timeout: .seconds(5)) else { return nil }
            if case .error(let error) = try WireCodec.decode(answer) { return error }
            return nil
        }
        // Not hpo protocol: dropped without a reply (docs/protocol.md). Replies keep the order of the requests on
        // one connection, so the first reply that comes back must be the one to the message after the garbage.
        try rogue.send([[0xFF, 0x00, 0x13], Array("nonsense".utf8)])
        var future = WireCodec.encode(.heartbeat(Heartbeat()))
        future[0] = Array("hpo/9".utf8)
        let version = try #require(try reply(to: future))
        #expect(version.code == .unsupportedVersion)
        #expect(version.supportedVersions == [1])
        let wrongDirection = try #require(try reply(to: WireCodec.encode(.shutdown(Shutdown(reason: "me")))))
        #expect(wrongDirection.message.contains("SHUTDOWN"))
        // An hpo peer's malformed message still gets an ERROR saying what is wrong.
        let malformed = try #require(try reply(to: [Array("hpo/1".utf8), Array("HEARTBEAT".utf8)]))
        #expect(malformed.code == .malformedMessage)

        // A real worker still gets the whole study done.
        let worker = try CoordinatorFixture.makeWorkers(1, endpoint: endpoint)[0]
        async let exit = worker.runOnDedicatedThread()
        let summary = await service.finished()
        #expect(summary.state == .completed && summary.completed == 4)
        #expect(await exit == .shutdown(reason: "study faults completed: trial budget of 4 spent"))
        #expect(try journal.recordedEvents().filter { if case .trialCompleted = $0 { true } else { false } }.count == 4)
    }
}
