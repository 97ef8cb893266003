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

    /// Starts a worker in the background from a shell, lets the shell exit once the worker is running, and returns
    /// the worker's pid. The worker's coordinator is a listener that closes every connection: its first connection
    /// attempt shows the worker is up (the parent watch starts before it connects), and it keeps waiting (60 s).
    private static func orphanedWorker(parentArgument: Bool) throws -> Int32 {
        let hpo = try hpo()
        let listener = try ClosingListener(port: FreePort.loopback())
        defer { listener.stop() }
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("hpo-worker-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let parent = parentArgument ? "--parent-pid $$" : ""
        // The worker's standard streams are /dev/null: it must not hold the shell's pipe open. The shell's `read`
        // returns when the test closes its standard input, and then the shell (the worker's parent) exits.
        let script = "\(hpo) worker --connect tcp://127.0.0.1:\(listener.port) --coordinator-timeout 60s --log-level error "
            + "\(parent) </dev/null >/dev/null 2>&1 & echo $! > \(pidFile.path); read line"
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script]
        let input = Pipe()
        shell.standardInput = input
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        shell.terminationHandler = { _ in exited.signal() }
        try shell.run()
        let started = waitUntil(timeout: .seconds(30)) { listener.accepted > 0 }
        try input.fileHandleForWriting.close()
        try #require(exited.wait(timeout: .now() + 10) == .success, "the shell did not exit when its input closed")
        let text = try String(contentsOf: pidFile, encoding: .utf8)
        let worker = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), "worker pid from: \(text)")
        if !started { kill(worker, SIGKILL) }
        try #require(started, "the worker never tried to reach its coordinator on port \(listener.port)")
        return worker
    }

    private static func waitUntilGone(_ pid: Int32, timeout: TimeInterval) -> Bool {
        ProcessTable.waitUntilGone([pid], timeout: timeout)
    }

    @Test func aWorkerStopsSoonAfterTheProcessThatStartedItIsGone() throws {
        let worker = try Self.orphanedWorker(parentArgument: true)
        defer { kill(worker, SIGKILL) }
        #expect(Self.waitUntilGone(worker, timeout: 5), "the worker outlived its parent by more than 5 s")
    }

    @Test func withoutParentPidAnOrphanedWorkerKeepsWaitingForItsCoordinator() throws {
        let worker = try Self.orphanedWorker(parentArgument: false)
        defer { kill(worker, SIGKILL) }
        // real time: a worker that stops does so within 200 ms of its parent's exit; 1.5 s shows this one does not.
        #expect(!Self.waitUntilGone(worker, timeout: 1.5), "the control case must not stop by itself")
    }
}
