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
        let (service, endpoint) = try CoordinatorFixture.startedService("full-disk", CoordinatorFixture.configuration(budget: 200), journal: journal)
        let (summary, workerExits) = try await CoordinatorFixture.finish(service, endpoint: endpoint, workers: 2)
        #expect(summary.state == .failed)
        #expect(summary.reason.contains("the journal could not be written"))
        let events = try journal.recordedEvents()
        let committed = Set(CoordinatorFixture.completedTrials(events))
        #expect(summary.completed == committed.count)
        #expect(Set(summary.trials.filter { $0.state == .completed }.map(\.id)) == committed)
        #expect(summary.completed < 200)
        #expect(workerExits.count == 2)
        #expect(workerExits.allSatisfy { if case .shutdown = $0 { true } else { false } })
    }
}
