import Foundation
import HPOWire
import Testing

/// The command objective's process group dies with its worker, SIGKILL included (PR_SET_PDEATHSIG on the leader,
/// and a watchdog in the group that SIGKILLs it once the worker is gone).
@Suite(.serialized) struct WorkerObjectiveGroupTests {
    /// Whether `pid` is gone: no such process, or a zombie nobody reaped yet (PID 1 in a container may not reap).
    static func isGone(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state == "Z" || state == "X"
    }

    /// Checks `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
    static func eventually(within timeout: Duration, _ condition: () -> Bool) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)   // the condition is another process's state: look again shortly
        }
        return condition()
    }

    @Test func sigkillOfTheWorkerKillsItsObjectivesWholeProcessGroup() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("pids").path

        let coordinator = try WorkerTestCoordinator()
        let (worker, stderr) = try WorkerProcessTests.launch(["--connect", coordinator.endpoint, "--heartbeat", "100ms", "--objectives", "command"])
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        // The leader (sh) and a grandchild (sleep) in the objective's group; both write their pids, then wait.
        let script = "sleep 1000 & echo $$ $! > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; wait"
        let objective = ObjectiveDescriptor(kind: "command", options: ["argv": .array([.string("sh"), .string("-c"), .string(script), .string(pidFile)])])
        try coordinator.send(.trial(WorkerTestData.trial(1, objective: objective)), to: peer)

        var pids: [Int32] = []
        #expect(Self.eventually(within: .seconds(20)) {
            pids = ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
            return pids.count == 2
        }, "the command never started")
        try #require(pids.count == 2)
        #expect(!Self.isGone(pids[0]) && !Self.isGone(pids[1]))

        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        #expect(worker.terminationReason == .uncaughtSignal)
        let gone = Self.eventually(within: .seconds(10)) { pids.allSatisfy(Self.isGone) }
        if !gone { pids.forEach { kill($0, SIGKILL) } }   // never leave them behind, even when the test fails
        #expect(gone, "the objective's processes \(pids) outlived the SIGKILLed worker")
        _ = stderr.fileHandleForReading.readDataToEndOfFile()
    }
}
