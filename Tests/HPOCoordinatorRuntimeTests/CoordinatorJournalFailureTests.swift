import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import HPOWorkerCore
import Testing
import HPOCoordinatorRuntime
import HPOWorkerRuntime

/// A journal append that fails mid-study: the core ends the study as failed, the summary counts exactly what the
/// journal holds, and the workers are shut down (issue #16 §2).
@Suite(.serialized) struct CoordinatorJournalFailureTests {
    /// A real JSON-lines journal that fails, as a full disk would, from the first append at or after the `failFrom`-th
    /// that records a completion (so the lost batch always holds one) on.
    final class FailingJournal: CoordinatorJournal, @unchecked Sendable {
        let inner: JSONLinesJournal
        let failFrom: Int
        private let lock = NSLock()
        private var appends = 0
        private var failing = false

        init(path: String, failFrom: Int) {
            inner = JSONLinesJournal(path: path)
            self.failFrom = failFrom
        }

        func record(_ events: [JournalEvent]) throws {
            lock.lock()
            appends += 1
            if appends >= failFrom && events.contains(where: { if case .trialCompleted = $0 { true } else { false } }) {
                failing = true
            }
            let fail = failing
            lock.unlock()
            if fail { throw CocoaError(.fileWriteOutOfSpace) }
            try inner.record(events)
        }

        func recordedEvents() throws -> [JournalEvent] {
            try inner.recordedEvents()
        }
    }

    @Test func theSummaryCountsOnlyWhatTheJournalHolds() async throws {
        let directory = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = FailingJournal(path: directory.appendingPathComponent("journal.jsonl").path, failFrom: 12)
        let machine = CoordinatorStateMachine(
            studyName: "full-disk", direction: .minimize, space: CoordinatorFixture.space,
            configuration: CoordinatorFixture.configuration(budget: 200))
        let service = try CoordinatorService(
            machine: machine,
            optimizer: RandomSearch(space: CoordinatorFixture.space, direction: .minimize, seed: 1),
            journal: journal, logger: CoordinatorFixture.logger)
        let endpoint = try service.start()
        let workers = try CoordinatorFixture.makeWorkers(2, endpoint: endpoint)
        async let exits = withTaskGroup(of: WorkerExit.self) { group in
            for worker in workers {
                group.addTask { await worker.runOnDedicatedThread() }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let summary = await service.finished()
        let workerExits = await exits
        #expect(summary.state == .failed)
        #expect(summary.reason.contains("the journal could not be written"))
        let events = try journal.recordedEvents()
        let committed = Set(events.compactMap { event -> TrialID? in
            if case .trialCompleted(let trial, _, _, _, _) = event { return trial }
            return nil
        })
        #expect(summary.completed == committed.count)
        #expect(Set(summary.trials.filter { $0.state == .completed }.map(\.id)) == committed)
        #expect(summary.completed < 200)
        #expect(workerExits.count == 2)
        #expect(workerExits.allSatisfy { if case .shutdown = $0 { true } else { false } })
    }
}
