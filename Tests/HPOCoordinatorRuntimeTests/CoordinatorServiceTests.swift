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
        let machine = CoordinatorStateMachine(
            studyName: "service", direction: .minimize, space: CoordinatorFixture.space,
            configuration: CoordinatorFixture.configuration(budget: 30))
        let service = try CoordinatorService(
            machine: machine,
            optimizer: RandomSearch(space: CoordinatorFixture.space, direction: .minimize, seed: 1),
            journal: journal, logger: CoordinatorFixture.logger)
        let endpoint = try service.start()
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let workers = try CoordinatorFixture.makeWorkers(3, endpoint: endpoint)
        async let exits = withTaskGroup(of: WorkerExit.self) { group in
            for worker in workers {
                group.addTask { await worker.runOnDedicatedThread() }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let summary = await service.finished()
        let workerExits = await exits
        #expect(summary.state == .completed)
        #expect(summary.completed == 30)
        #expect(workerExits.count == 3)
        #expect(workerExits.allSatisfy { if case .shutdown = $0 { true } else { false } })
        let events = try journal.recordedEvents()
        let completed = events.compactMap { event -> TrialID? in
            if case .trialCompleted(let trial, _, _, _, _) = event { return trial }
            return nil
        }
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
        let service = try CoordinatorService(
            machine: CoordinatorStateMachine(
                studyName: "faults", direction: .minimize, space: CoordinatorFixture.space, configuration: configuration),
            optimizer: RandomSearch(space: CoordinatorFixture.space, direction: .minimize, seed: 2),
            journal: journal, logger: CoordinatorFixture.logger)
        let endpoint = try service.start()

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
