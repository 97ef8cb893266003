import Foundation
import Glibc
import HPOTestSupport
import Testing

/// #7 "Stalls": a worker paused (SIGSTOP, a starved VM) for twice its lease and then resumed is re-adopted or its
/// trial cleanly re-assigned; the study stays exact and the worker is not lost for good. Real `hpo coordinator` and
/// `hpo worker` processes on loopback.
@Suite(.serialized) struct StallTests {
    /// Lease: heartbeat interval 200 ms × liveness 5 = 1 s.
    static let lease: Duration = .seconds(1)

    @Test func aWorkerStoppedForTwiceItsLeaseIsTakenBackAndTheStudyStaysExact() throws {
        let directory = try ScratchDirectory.make("stall")
        defer { try? FileManager.default.removeItem(at: directory) }
        let budget = 12
        let study = try BraninStudy.write(in: directory, name: "stall", trials: budget, duration: 1.0, seed: 11, liveness: 5)
        let journal = FaultStudy.journal(in: directory, name: "stall")
        let coordinator = try HPOProcess(["coordinator", study, "--bind", FreePort.loopbackEndpoint(), "--json"])
        defer { coordinator.wait(timeout: 1) }
        let endpoint = try coordinator.listeningEndpoint()
        func worker(_ name: String) throws -> HPOProcess {
            try HPOProcess([
                "worker", "--connect", endpoint, "--name", name, "--heartbeat", "200ms", "--coordinator-timeout", "30s",
            ])
        }
        let steady = try worker("steady")
        defer { steady.wait(timeout: 1) }
        let paused = try worker("paused")
        defer {
            kill(paused.pid, SIGCONT)
            paused.wait(timeout: 1)
        }

        // Stop the paused worker in the middle of a trial: dispatched to it, PROGRESS seen, not finished.
        var stalled: (trial: Int, attempt: Int)?
        let midTrial = waitUntil(timeout: .seconds(30)) {
            stalled = FaultStudy.runningAttempt(of: "paused.", in: JournalRows.readIfPresent(journal))
            return stalled != nil
        }
        try #require(midTrial, "the paused worker never ran a trial; coordinator stderr: \(coordinator.standardError)")
        let stopped = ContinuousClock.now
        paused.signal(SIGSTOP)
        #expect(waitUntil(timeout: .seconds(5)) { ProcessTable.state(of: paused.pid) == "T" }, "SIGSTOP did not stop the worker")
        // real time: the worker stays stopped for twice its lease, as a starved VM would; no event can stand in.
        Thread.sleep(forTimeInterval: (Self.lease * 2 - (ContinuousClock.now - stopped)).seconds)
        let resumed = JournalRows.readIfPresent(journal).count
        paused.signal(SIGCONT)

        let status = coordinator.wait(timeout: 90)
        let pausedStatus = paused.wait(timeout: 20)
        let rows = JournalRows.readIfPresent(journal)
        let context = "stalled \(String(describing: stalled)); journal:\n\(rows.map(\.description).joined(separator: "\n"))\ncoordinator stderr:\n\(coordinator.standardError)\npaused worker's stderr:\n\(paused.standardError)"
        #expect(status == 0, "the study must complete; \(context)")

        // Exact: the budget completed, each trial once.
        let shown = try FaultStudy.show(journal)
        #expect(shown.completed == budget, "hpo show counts \(shown.completed) completed of \(budget)")
        #expect(shown.failed == 0)
        #expect(Set(shown.trials.map(\.trial)).count == shown.trials.count)
        #expect(FaultStudy.completedTwice(rows).isEmpty, "trials completed twice: \(FaultStudy.completedTwice(rows)); \(context)")
        #expect(rows.filter { $0.type == "trialCompleted" }.count == budget, "\(context)")

        // The stalled attempt was adopted, or re-queued and completed exactly once.
        if let stalled {
            let completions = rows.filter { $0.type == "trialCompleted" && $0.trial == stalled.trial }
            #expect(completions.count == 1, "trial \(stalled.trial) completed \(completions.count) times; \(context)")
        }

        // Not replaced: the paused worker was never sent away, took trials again after it resumed and completed them, and
        // left only with everyone else at the end (SHUTDOWN, exit 0).
        let pausedID = rows.first { $0.type == "workerJoined" && $0.worker?.hasPrefix("paused.") == true }?.worker
        let finishedAt = rows.first { $0.type == "studyFinished" }?.sequence ?? Int.max
        let sentAway = rows.filter { $0.type == "workerLeft" && $0.worker == pausedID && $0.sequence < finishedAt }
        #expect(sentAway.isEmpty, "the stalled worker was sent away: \(sentAway); \(context)")
        // Never idle and running at once: a one-slot worker is never handed a TRIAL while it still runs one.
        #expect(!paused.standardError.contains("unrun: busy with"), "the coordinator sent the stalled worker a trial while it still ran its old one; \(context)")
        let laterAttempts = rows.filter { $0.sequence > resumed && $0.type == "trialDispatched" && $0.worker == pausedID }
        let completedLater = laterAttempts.filter { attempt in
            rows.contains { $0.type == "trialCompleted" && $0.trial == attempt.trial && $0.attempt == attempt.attempt }
        }
        #expect(!completedLater.isEmpty, "the resumed worker completed no trial after it came back; \(context)")
        #expect(pausedStatus == 0, "the stalled worker must stay in the study until its SHUTDOWN; \(context)")
        #expect(paused.standardError.contains("coordinator asked to shut down"), "\(context)")
        #expect(steady.wait(timeout: 20) == 0)
    }
}
