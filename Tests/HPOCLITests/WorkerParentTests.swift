import Foundation
import Glibc
import HPOTestSupport
import Synchronization
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
        let scratch = try ScratchDirectory.make("worker-parent")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pidFile = scratch.appendingPathComponent("worker.pid").path
        // The shell (the worker's parent) exits once its `read` gets a line from this FIFO.
        let gate = scratch.appendingPathComponent("gate").path
        try #require(mkfifo(gate, 0o600) == 0, "mkfifo \(gate): \(String(cString: strerror(errno)))")
        let parent = parentArgument ? "--parent-pid $$" : ""
        let script = "\(hpo) worker --connect tcp://127.0.0.1:\(listener.port) --coordinator-timeout 60s --log-level error "
            + "\(parent) </dev/null >/dev/null 2>&1 & echo $! > \(pidFile); read line < \(gate)"
        // system(3) waits for the shell alone; Foundation's Process would also wait for the worker it left behind.
        let shellStatus = Mutex<Int32?>(nil)
        let exited = DispatchSemaphore(value: 0)
        Thread {
            let status = Glibc.system(script)
            shellStatus.withLock { $0 = status }
            exited.signal()
        }.start()
        let started = waitUntil(timeout: .seconds(30)) { listener.accepted > 0 }
        // Opening the FIFO to write without blocking fails (ENXIO) until the shell opens it to read.
        var writer: Int32 = -1
        let released = waitUntil(timeout: .seconds(30)) { writer = open(gate, O_WRONLY | O_NONBLOCK); return writer >= 0 }
        if released {
            _ = write(writer, "go\n", 3)
            close(writer)
        }
        let shellExited = exited.wait(timeout: .now() + 10) == .success
        let worker = Int32(((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        if let worker, !(started && shellExited) { kill(worker, SIGKILL) }
        try #require(released && shellExited, "the shell never read its line from \(gate)")
        try #require(shellStatus.withLock { $0 } == 0, "the shell exited with \(String(describing: shellStatus.withLock { $0 }))")
        try #require(started, "the worker never tried to reach its coordinator on port \(listener.port)")
        return try #require(worker, "no worker pid in \(pidFile)")
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
