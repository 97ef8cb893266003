import Foundation
import HPOTestSupport
import HPOWire
import Testing

/// The command objective's process group dies with its worker, SIGKILL included (PR_SET_PDEATHSIG on the leader,
/// and a watchdog in the group that SIGKILLs it once the worker is gone).
@Suite(.serialized) struct WorkerObjectiveGroupTests {
    @Test func sigkillOfTheWorkerKillsItsObjectivesWholeProcessGroup() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("pids").path

        let coordinator = try WorkerTestCoordinator()
        let (worker, stderr) = try WorkerProcessTests.launch(["--connect", coordinator.endpoint, "--heartbeat", "100ms", "--objectives", "command"])
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        // The leader (sh) and a grandchild in the objective's group; both write their pids, then wait.
        // real time: the grandchild's `sleep 1000` is a process that must still be alive when the worker is killed.
        let script = "sleep 1000 & echo $$ $! > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; wait"
        let objective = ObjectiveDescriptor(kind: "command", options: ["argv": .array([.string("sh"), .string("-c"), .string(script), .string(pidFile)])])
        try coordinator.send(.trial(WorkerTestData.trial(1, objective: objective)), to: peer)

        var pids: [Int32] = []
        #expect(waitUntil(timeout: .seconds(20)) {
            pids = ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
            return pids.count == 2
        }, "the command never started")
        try #require(pids.count == 2)
        #expect(pids.allSatisfy(ProcessTable.isAlive))

        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        #expect(worker.terminationReason == .uncaughtSignal)
        let gone = ProcessTable.waitUntilGone(pids, timeout: 10)
        if !gone { pids.forEach { kill($0, SIGKILL) } }   // never leave them behind, even when the test fails
        #expect(gone, "the objective's processes \(pids) outlived the SIGKILLed worker")
        _ = stderr.fileHandleForReading.readDataToEndOfFile()
    }
}
