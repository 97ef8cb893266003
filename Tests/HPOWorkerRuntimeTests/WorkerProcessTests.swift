import Foundation
import HPOTestSupport
import HPOWire
import Testing

/// `hpo worker` as a real child process against a ROUTER socket in the test.
@Suite(.serialized) struct WorkerProcessTests {
    /// The `hpo` executable built next to the test bundle (`swift build --build-tests` builds it).
    static func hpoExecutable() throws -> URL {
        try HPOBinary.url("hpo")
    }

    static func launch(_ arguments: [String]) throws -> (process: Process, stderr: Pipe) {
        let process = Process()
        process.executableURL = try hpoExecutable()
        process.arguments = ["worker"] + arguments
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, stderr)
    }

    /// Waits for the process to exit (killing it after `timeout`) and returns its status and stderr.
    static func finish(_ process: Process, _ stderr: Pipe, timeout: TimeInterval = 30) -> (status: Int32, stderr: String) {
        // Wait for the exit on a thread of its own, bounded: a stuck worker fails the test below, never hangs it.
        let exited = DispatchSemaphore(value: 0)
        Thread { process.waitUntilExit(); exited.signal() }.start()
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            exited.wait()
        }
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }

    @Test func aWorkerProcessRunsATrialAndExitsZeroOnShutdown() throws {
        let coordinator = try WorkerTestCoordinator()
        let (process, stderr) = try Self.launch(["--connect", coordinator.endpoint, "--heartbeat", "100ms", "--name", "proc"])
        let (peer, message, _) = try #require(try coordinator.receive(.ready))
        guard case .ready(let ready) = message else { return }
        #expect(ready.pid == Int(process.processIdentifier))
        #expect(String(decoding: peer, as: UTF8.self).hasPrefix("proc.\(process.processIdentifier)."))

        try coordinator.send(.trial(WorkerTestData.trial(0)), to: peer)
        let (_, result, _) = try #require(try coordinator.receive(.result))
        guard case .result(let trialResult) = result, case .completed(let value, _) = trialResult.outcome else {
            Issue.record("expected a completed RESULT, got \(result)")
            return
        }
        #expect(abs(value - 0.397887) < 1e-5)
        try coordinator.send(.shutdown(Shutdown(reason: "study finished")), to: peer)
        let (status, text) = Self.finish(process, stderr)
        #expect(status == 0, "stderr: \(text)")
        #expect(text.contains("study finished"))
    }

    @Test func aWorkerProcessExitsTwoWhenTheCoordinatorIsSilent() throws {
        let coordinator = try WorkerTestCoordinator()
        let (process, stderr) = try Self.launch([
            "--connect", coordinator.endpoint, "--heartbeat", "100ms", "--coordinator-timeout", "500ms",
        ])
        _ = try #require(try coordinator.receive(.ready))
        let (status, text) = Self.finish(process, stderr)
        #expect(status == 2)
        #expect(text.contains("no message from the coordinator at \(coordinator.endpoint)"))
    }

    @Test func sigtermStopsTheRunningTrialAndExitsZero() throws {
        let coordinator = try WorkerTestCoordinator()
        let (process, stderr) = try Self.launch(["--connect", coordinator.endpoint, "--heartbeat", "100ms"])
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        let slow = ObjectiveDescriptor(
            kind: "test-function", options: ["function": .string("branin"), "duration": .number(3600)])
        try coordinator.send(.trial(WorkerTestData.trial(1, objective: slow)), to: peer)
        // A heartbeat naming the trial shows it is running.
        while true {
            let (_, message, _) = try #require(try coordinator.receive(.heartbeat))
            if message == .heartbeat(Heartbeat(running: [TrialKey(trialID: 1, attempt: 0)])) { break }
        }
        process.terminate()
        let (_, result, _) = try #require(try coordinator.receive(.result))
        guard case .result(let trialResult) = result, case .stopped(let reason) = trialResult.outcome else {
            Issue.record("expected a stopped RESULT, got \(result)")
            return
        }
        #expect(reason.contains("SIGTERM"))
        let (status, text) = Self.finish(process, stderr)
        #expect(status == 0, "stderr: \(text)")
    }

    @Test func badArgumentsExitWithUsageStatus() throws {
        let (process, stderr) = try Self.launch(["--connect", "tcp://127.0.0.1:1", "--heartbeat", "soon"])
        let (status, text) = Self.finish(process, stderr)
        #expect(status == 64)
        #expect(text.contains("--heartbeat"))
    }
}
