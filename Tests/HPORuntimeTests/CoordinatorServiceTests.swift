import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPORuntime
import HPOSearchSpace
import HPOWire
import Testing

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
