import Foundation
import Glibc
import HPOTestSupport
import Testing

/// #7 "Partitions": a worker's link is cut mid-trial for longer than its lease, then restored. The trial is re-queued
/// and counted once; the late RESULT is handled as docs/protocol.md "Idempotency" says: recorded in the journal, and
/// it changes the trial only if the trial has no result yet. Coordinator and workers run in two network namespaces
/// made for the test (veth, TEST-NET-1 addresses), deleted at the end.
@Suite(.serialized) struct PartitionTests {
    /// When the link comes back, relative to the retry of the cut-off trial.
    enum Restore: String, CustomTestStringConvertible, CaseIterable {
        /// As soon as the trial was re-queued and the cut-off worker finished it: the late RESULT usually arrives
        /// while the retry still runs (the trial has no result yet), but either order is checked.
        case soonAfterTheRequeue
        /// Only once the retry completed the trial: the late RESULT must be recorded and must not change the trial.
        case afterTheRetryCompleted

        var testDescription: String { rawValue }
    }

    @Test(
        .enabled(if: NetworkPair.unavailableReason == nil, "\(NetworkPair.unavailableReason ?? "")"),
        arguments: Restore.allCases)
    func aWorkerCutOffMidTrialHasItsTrialRequeuedAndItsLateResultHandledAsDocumented(_ restore: Restore) throws {
        let network = try NetworkPair()
        defer { network.remove() }
        let directory = try ScratchDirectory.make("partition")
        defer { try? FileManager.default.removeItem(at: directory) }
        let budget = 10
        // Lease: 200 ms × 5 = 1 s. A trial runs 2 s, so the victim's ends while it is cut off.
        let study = try BraninStudy.write(in: directory, name: "partition", trials: budget, duration: 2.0, seed: 11, liveness: 5)
        let journal = FaultStudy.journal(in: directory, name: "partition")
        let endpoint = "tcp://\(network.coordinatorAddress):5555"

        // Off loopback a coordinator may require CURVE unless told --insecure (#7); pass it where this build has it.
        let help = try HPOProcess(["coordinator", "--help"])
        help.wait(timeout: 20)
        let insecure = (help.standardOutput + help.standardError).contains("--insecure") ? ["--insecure"] : []
        let coordinator = try network.hpo(
            in: network.coordinatorSide, ["coordinator", study, "--bind", endpoint, "--json", "--log-level", "debug"] + insecure)
        defer { coordinator.wait(timeout: 1) }
        _ = try coordinator.listeningEndpoint()
        func worker(_ name: String, in namespace: String) throws -> HPOProcess {
            try network.hpo(in: namespace, [
                "worker", "--connect", endpoint, "--name", name, "--heartbeat", "200ms", "--coordinator-timeout", "30s",
                "--log-level", "debug",
            ])
        }
        let steady = try worker("steady", in: network.coordinatorSide)
        defer { steady.wait(timeout: 1) }
        let victim = try worker("victim", in: network.workerSide)
        defer { victim.wait(timeout: 1) }

        // Cut the victim's link in the middle of a trial.
        var cutOff: (trial: Int, attempt: Int)?
        let midTrial = waitUntil(timeout: .seconds(30)) {
            cutOff = FaultStudy.runningAttempt(of: "victim.", in: JournalRows.readIfPresent(journal))
            return cutOff != nil
        }
        try #require(midTrial, "the victim never ran a trial; coordinator stderr: \(coordinator.standardError)")
        let (trial, attempt) = cutOff!
        try network.cut()
        var restored = false
        defer { if !restored { try? network.restore() } }

        // Longer than the lease: the coordinator presumes the victim lost and re-queues its trial.
        let victimID = { (rows: [JournalRow]) in rows.first { $0.type == "workerJoined" && $0.worker?.hasPrefix("victim.") == true }?.worker }
        let requeued = waitUntil(timeout: .seconds(20)) {
            let rows = JournalRows.readIfPresent(journal)
            return rows.contains { $0.type == "workerLost" && $0.worker == victimID(rows) }
                && rows.contains { $0.type == "trialRequeued" && $0.trial == trial && $0.attempt == attempt }
        }
        // The victim's objective finishes while it is cut off (its RESULT waits for the next connection).
        let finishedOffline = victim.waitForStandardError(timeout: 20) { log in
            log.split(separator: "\n").contains { $0.contains(" finished") && $0.contains("trial.id=\(trial) ") }
        }
        var retryCompleted = true
        if restore == .afterTheRetryCompleted {
            retryCompleted = waitUntil(timeout: .seconds(30)) {
                JournalRows.readIfPresent(journal).contains { $0.type == "trialCompleted" && $0.trial == trial && $0.attempt != attempt }
            }
        }
        try network.restore()
        restored = true
        let rejoined = waitUntil(timeout: .seconds(30)) {
            let rows = JournalRows.readIfPresent(journal)
            let id = victimID(rows)
            return rows.filter { $0.type == "workerJoined" && $0.worker == id }.count >= 2
                || coordinator.standardError.contains("is back")
        }

        let status = coordinator.wait(timeout: 90)
        let rows = JournalRows.readIfPresent(journal)
        let context = "cut off at trial \(trial) attempt \(attempt); journal:\n\(rows.map(\.description).joined(separator: "\n"))\ncoordinator stderr:\n\(coordinator.standardError)\nvictim stderr (tail):\n\(victim.standardError.suffix(3000))"
        if ProcessInfo.processInfo.environment["HPO_TEST_VERBOSE"] != nil { print(context) }
        #expect(requeued, "the cut-off worker was not presumed lost, or its trial not re-queued; \(context)")
        #expect(finishedOffline, "the victim's trial did not finish while it was cut off; \(context)")
        #expect(retryCompleted, "the retry of trial \(trial) did not complete while the victim was cut off; \(context)")
        #expect(rejoined, "the victim did not come back after the link was restored; \(context)")
        #expect(status == 0, "the study must complete; \(context)")

        // Exact: the budget completed, each trial counted once, the re-queued one included.
        let shown = try FaultStudy.show(journal)
        #expect(shown.completed == budget, "hpo show counts \(shown.completed) completed of \(budget); \(context)")
        #expect(Set(shown.trials.map(\.trial)).count == shown.trials.count)
        let shownTrial = shown.trials.first { $0.trial == trial }
        #expect(shownTrial?.state == "completed", "\(context)")
        #expect((shownTrial?.attempts ?? 0) >= attempt + 1, "trial \(trial) was not re-run; \(context)")

        // The late RESULT of the cut-off attempt is in the journal (docs/protocol.md "Idempotency": recorded), and
        // the trial's value is that of its first recorded result: the late one only if the retry had none yet.
        let completions = rows.filter { $0.type == "trialCompleted" && $0.trial == trial }
        let late = completions.first { $0.attempt == attempt }
        let coordinatorSaid = coordinator.standardError.split(separator: "\n")
            .filter { $0.contains("trial \(trial) attempt \(attempt)") && $0.contains("result") }.joined(separator: "\n")
        #expect(late != nil, "the late RESULT for trial \(trial) attempt \(attempt) is not in the journal; the coordinator logged: [\(coordinatorSaid)]; \(context)")
        let first = completions.first
        if restore == .afterTheRetryCompleted { #expect(first?.attempt != attempt, "\(context)") }
        // Within 1e-12 relative: Foundation's JSONSerialization may round the last digit differently from JSONDecoder.
        let same = { (a: Double?, b: Double?) in a != nil && b != nil && abs(a! - b!) <= 1e-12 * max(1, abs(a!)) }
        #expect(same(shownTrial?.value, first?.value), "trial \(trial) shows \(String(describing: shownTrial?.value)), its first recorded result was \(String(describing: first)); \(context)")
        let countedOnce = rows.filter { $0.type == "trialCompleted" }.compactMap(\.trial)
        #expect(Set(countedOnce).count == budget, "\(context)")
        #expect(steady.wait(timeout: 20) == 0)
        victim.wait(timeout: 20)
        // Never idle and running at once: a one-slot worker is never handed a TRIAL while it still runs one.
        for (name, worker) in [("steady", steady), ("victim", victim)] {
            let queued = worker.standardError.split(separator: "\n").filter { $0.contains("unrun: busy with") }
            #expect(queued.isEmpty, "worker \(name) was sent a trial while it ran one: \(queued.joined(separator: "\n")); \(context)")
        }
    }
}
