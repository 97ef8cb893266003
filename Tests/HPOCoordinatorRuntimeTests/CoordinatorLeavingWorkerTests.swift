import Foundation
import Glibc
import HPOCoordinatorCore
import HPOOptimizer
import HPOTestSupport
import HPOWire
import Testing
import HPOCoordinatorRuntime
import HPOWorkerRuntime

/// A real `hpo worker` process stopped with SIGTERM mid-trial: its trial goes to another worker without using a
/// retry, and the leaving worker is sent nothing more.
@Suite(.serialized) struct CoordinatorLeavingWorkerTests {
    @Test func aWorkerStoppedWithSIGTERMMidTrialUsesNoRetryAndGetsNoNewTrial() async throws {
        let directory = try CoordinatorFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = JSONLinesJournal(path: directory.appendingPathComponent("journal.jsonl").path)
        var configuration = CoordinatorFixture.configuration(
            kind: "test-function", budget: 1, options: ["function": .string("branin"), "duration": .number(1.5)])
        // No retry allowed: before the fix, the SIGTERM used one (and the TRIAL sent to the leaving worker another).
        configuration.retries = 0
        configuration.maxFailures = 1
        let (service, endpoint) = try CoordinatorFixture.startedService("leaving", configuration, journal: journal, seed: 3)

        let leaving = try HPOProcess([
            "worker", "--connect", endpoint, "--name", "t1", "--heartbeat", "200ms", "--coordinator-timeout", "30s",
            "--log-level", "debug",
        ])
        defer { if leaving.process.isRunning { leaving.signal(SIGKILL) } }
        let started = leaving.waitForStandardError(timeout: 60) { $0.contains("running trial") }
        try #require(started, "the worker never started its trial: \(leaving.standardError)")
        leaving.signal(SIGTERM)
        #expect(leaving.wait(timeout: 30) == 0, "stderr: \(leaving.standardError)")

        // The trial waits for a worker; a second one runs it as attempt 2 and the study completes.
        let worker = try CoordinatorFixture.makeWorkers(1, endpoint: endpoint)[0]
        async let exit = worker.runOnDedicatedThread()
        let summary = await service.finished()
        _ = await exit
        #expect(summary.state == .completed, "\(summary.reason)")
        #expect(summary.completed == 1 && summary.failed == 0)
        #expect(summary.trials.first?.attempts == 2)

        let events = try journal.recordedEvents()
        let dispatches = events.compactMap { event -> (Int, String)? in
            if case .trialDispatched(_, let attempt, let worker) = event { return (attempt, worker.description) }
            return nil
        }
        #expect(dispatches.count == 2, "\(dispatches)")
        #expect(dispatches.filter { $0.1.hasPrefix("t1.") }.count == 1, "nothing more is sent to the leaving worker: \(dispatches)")
        let retries = events.compactMap { event -> Int? in
            if case .trialRequeued(_, _, let retries, _) = event { return retries }
            return nil
        }
        #expect(retries == [0])
        #expect(events.contains { if case .workerLeft(let id, _) = $0 { id.description.hasPrefix("t1.") } else { false } })
    }
}
