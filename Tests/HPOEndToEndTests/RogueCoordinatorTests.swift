import Foundation
import Glibc
import HPOSearchSpace
import HPOWire
import HPOZeroMQ
import Testing
#if canImport(HPOTestSupport)
import HPOTestSupport   // HPOProcess moved there on main; this keeps the file compiling before and after the merge.
#endif

/// A plain ROUTER in the test plays a coordinator that should not be obeyed: one that took the port first and sends
/// a `command` TRIAL, or one of another study than the worker is pinned to. The worker is the real `hpo worker`.
@Suite(.serialized, .scratchDirectory("e2e")) struct RogueCoordinatorTests {
    /// A ROUTER on a loopback port that plays the coordinator.
    final class Rogue: LoopbackRouter {
        /// The next message, with its sender; nil after `timeout`.
        func receive(timeout: Duration) throws -> (peer: [UInt8], message: WireMessage)? {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                guard let frames = try router.receive(timeout: deadline - ContinuousClock.now) else { return nil }
                if let message = try? WireCodec.decode(Array(frames.dropFirst())) { return (frames[0], message) }
            }
            return nil
        }

        /// Waits for READY.
        func ready(timeout: Duration = .seconds(30)) throws -> (peer: [UInt8], ready: Ready) {
            while let (peer, message) = try receive(timeout: timeout) {
                if case .ready(let ready) = message { return (peer, ready) }
            }
            throw RogueError.noReady
        }

        func send(_ message: WireMessage, to peer: [UInt8]) throws {
            try router.send([peer] + WireCodec.encode(message))
        }
    }

    enum RogueError: Error { case noReady }

    static func commandTrial(touching file: String, study: String? = nil) -> TrialAssignment {
        TrialAssignment(
            trialID: 0, attempt: 1, parameters: ["x0": .double(1.0)],
            objective: ObjectiveDescriptor(kind: "command", options: [
                "argv": .array([.string("sh"), .string("-c"), .string("touch \(file)")]),
                "metric": .string("value"),
            ]),
            study: study)
    }

    @Test func aDefaultWorkerNeverRunsARogueCommand() throws {
        let directory = try ScratchDirectory.current()
        let file = directory.appendingPathComponent("pwned").path
        let rogue = try Rogue()
        let worker = try HPOProcess(["worker", "--connect", rogue.endpoint, "--coordinator-timeout", "20s"])
        defer { worker.signal(SIGKILL) }

        let (peer, ready) = try rogue.ready()
        #expect(!ready.capabilities.contains("command"), "a worker without CURVE does not advertise command")
        try rogue.send(.trial(Self.commandTrial(touching: file)), to: peer)
        var refusal: TrialResult?
        while refusal == nil, let (_, message) = try rogue.receive(timeout: .seconds(20)) {
            if case .result(let result) = message { refusal = result }
        }
        guard case .failed(let reason)? = refusal?.outcome else {
            Issue.record("expected a failed RESULT, got \(String(describing: refusal))")
            return
        }
        #expect(reason.contains("cannot run objective kind \"command\""), "\(reason)")
        try rogue.send(.shutdown(Shutdown(reason: "test over")), to: peer)
        #expect(worker.wait(timeout: 30) == 0, "\(worker.standardError)")
        #expect(!FileManager.default.fileExists(atPath: file), "the rogue's command ran")
    }

    @Test func objectivesNamesTheKindsAndCommandWithoutKeysWarns() throws {
        let rogue = try Rogue()
        let worker = try HPOProcess([
            "worker", "--connect", rogue.endpoint, "--objectives", "test-function,command", "--coordinator-timeout", "20s",
        ])
        defer { worker.signal(SIGKILL) }
        let (peer, ready) = try rogue.ready()
        #expect(ready.capabilities == ["test-function", "command"])
        // Logged before READY, but read from the pipe by another thread: wait for it rather than read once.
        #expect(worker.waitForStandardError(timeout: 10) { $0.contains("runs `command` trials") }, "\(worker.standardError)")
        try rogue.send(.shutdown(Shutdown(reason: "test over")), to: peer)
        #expect(worker.wait(timeout: 30) == 0)
    }

    /// (how the other study shows itself, the message that carries it)
    @Test(arguments: ["HEARTBEAT", "TRIAL"])
    func aPinnedWorkerLeavesAnotherStudyWithoutRunningAnything(carrier: String) throws {
        let directory = try ScratchDirectory.current()
        let file = directory.appendingPathComponent("ran").path
        let rogue = try Rogue()
        let worker = try HPOProcess([
            "worker", "--connect", rogue.endpoint, "--study", "A", "--objectives", "command", "--coordinator-timeout", "20s",
        ])
        defer { worker.signal(SIGKILL) }
        let (peer, ready) = try rogue.ready()
        #expect(ready.study == "A")
        if carrier == "HEARTBEAT" {
            try rogue.send(.heartbeat(Heartbeat(study: "B")), to: peer)
        } else {
            try rogue.send(.trial(Self.commandTrial(touching: file, study: "B")), to: peer)
        }
        #expect(worker.wait(timeout: 30) == 4, "\(worker.standardError)")
        #expect(worker.standardError.contains("pinned to \"A\""), "\(worker.standardError)")
        #expect(!FileManager.default.fileExists(atPath: file))
        // Nothing but READY/HEARTBEAT came back: no RESULT of a trial that ran.
        while let (_, message) = try rogue.receive(timeout: .milliseconds(200)) {
            if case .result(let result) = message, case .completed = result.outcome {
                Issue.record("the pinned worker completed a trial of another study")
            }
        }
    }

    @Test func anErrorWrongStudyMakesThePinnedWorkerExit4() throws {
        let rogue = try Rogue()
        let worker = try HPOProcess(["worker", "--connect", rogue.endpoint, "--study", "A", "--coordinator-timeout", "20s"])
        defer { worker.signal(SIGKILL) }
        let (peer, _) = try rogue.ready()
        try rogue.send(.error(ErrorReply(code: .wrongStudy, message: "this coordinator runs study \"B\"")), to: peer)
        try rogue.send(.shutdown(Shutdown(reason: "wrong study")), to: peer)
        #expect(worker.wait(timeout: 30) == 4, "\(worker.standardError)")
    }
}
