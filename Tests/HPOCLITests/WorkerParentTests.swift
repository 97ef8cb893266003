import Foundation
import Glibc
import HPOTestSupport
import Testing

/// `hpo worker --parent-pid`: a worker never outlives the process that started it (how `hpo run` keeps its
/// workers from lingering after it is killed with SIGKILL).
@Suite struct WorkerParentTests {
    private static func hpo() throws -> String {
        try HPOBinary.url("hpo").path
    }

    /// Starts a worker from a shell that exits after `parentLifetime` seconds; returns the worker's pid.
    /// The worker's coordinator never answers (port 1), and its coordinator timeout is 60 s.
    private static func orphanedWorker(parentArgument: Bool, parentLifetime: Double) throws -> Int32 {
        let hpo = try hpo()
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-worker-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let parent = parentArgument ? "--parent-pid $$" : ""
        // No pipes: the worker would inherit them and keep a reader waiting for its end.
        // The shell's `sleep` is the parent's lifetime: real time the worker must spend with a live parent.
        let script = "\(hpo) worker --connect tcp://127.0.0.1:1 --coordinator-timeout 60s --log-level error \(parent) "
            + "</dev/null >/dev/null 2>&1 & echo $! > \(pidFile.path); sleep \(parentLifetime)"
        // system(3) waits for the shell alone; Foundation's Process would also wait for the worker it left behind.
        let status = Glibc.system(script)
        try #require(status == 0, "the shell exited with \(status)")
        let text = try String(contentsOf: pidFile, encoding: .utf8)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), "worker pid from: \(text)")
    }

    private static func waitUntilGone(_ pid: Int32, timeout: TimeInterval) -> Bool {
        ProcessTable.waitUntilGone([pid], timeout: timeout)
    }

    @Test func aWorkerStopsSoonAfterTheProcessThatStartedItIsGone() throws {
        let worker = try Self.orphanedWorker(parentArgument: true, parentLifetime: 0.5)
        defer { kill(worker, SIGKILL) }
        #expect(Self.waitUntilGone(worker, timeout: 5), "the worker outlived its parent by more than 5 s")
    }

    @Test func withoutParentPidAnOrphanedWorkerKeepsWaitingForItsCoordinator() throws {
        let worker = try Self.orphanedWorker(parentArgument: false, parentLifetime: 0.5)
        defer { kill(worker, SIGKILL) }
        #expect(!Self.waitUntilGone(worker, timeout: 1.5), "the control case must not stop by itself")
    }
}
