import Foundation
import HPORuntime
import HPOSearchSpace
import HPOWire
import HPOZeroMQ
import Testing

/// READY must be the first thing a coordinator hears from a worker on every connection. HEARTBEATs queued while the
/// coordinator was down used to arrive first: a fresh coordinator got a burst of them (each answered), and a restarted
/// one (`--resume`) registered the worker from a HEARTBEAT as `host "", pid 0, capabilities []`.
@Suite(.serialized) struct WorkerReadyFirstTests {
    @Test func aWorkerStartedBeforeTheCoordinatorSaysReadyFirst() throws {
        let probe = try WorkerTestCoordinator()
        let endpoint = probe.endpoint
        probe.router.close()
        let worker = try WorkerUnderTest(endpoint: endpoint, heartbeat: .milliseconds(20))
        // Real time must pass: 20 heartbeat intervals in which a worker that queued HEARTBEATs would queue some.
        Thread.sleep(forTimeInterval: 0.4)
        let coordinator = try WorkerTestCoordinator(endpoint: endpoint)
        let (peer, first) = try #require(try coordinator.receive(timeout: .seconds(20)), "the worker never connected")
        #expect(first.kind == .ready, "first message: \(first)")
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    @Test func aWorkerSaysReadyFirstToARestartedCoordinator() throws {
        var first: WorkerTestCoordinator? = try WorkerTestCoordinator()
        let endpoint = first!.endpoint
        let worker = try WorkerUnderTest(endpoint: endpoint, heartbeat: .milliseconds(20))
        _ = try #require(try first!.receive(.ready))
        first!.router.close()
        first = nil
        // Real time must pass: 20 heartbeat intervals in which a worker that queued HEARTBEATs would queue some.
        Thread.sleep(forTimeInterval: 0.4)
        let second = try WorkerTestCoordinator(endpoint: endpoint)
        let (peer, message) = try #require(try second.receive(timeout: .seconds(20)), "no message to the restarted coordinator")
        #expect(message.kind == .ready, "first message: \(message)")
        try second.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    /// A trial that finishes while the coordinator is down: its RESULT used to reach the restarted coordinator
    /// before READY (so the coordinator registered a worker with no capabilities); now READY comes first, then it.
    @Test func aResultFinishedWhileDisconnectedFollowsTheNextReady() throws {
        var first: WorkerTestCoordinator? = try WorkerTestCoordinator()
        let endpoint = first!.endpoint
        let finished = DispatchSemaphore(value: 0)
        let worker = try WorkerUnderTest(endpoint: endpoint, heartbeat: .milliseconds(50)) { descriptor in
            FinishSignalingObjective(inner: try ObjectiveFactory.make(descriptor), finished: finished)
        }
        let (peer, _, _) = try #require(try first!.receive(.ready))
        let slow = ObjectiveDescriptor(kind: "test-function", options: ["function": .string("branin"), "duration": .number(0.3)])
        try first!.send(.trial(TrialAssignment(
            trialID: 7, attempt: 1, parameters: ["x0": .double(1), "x1": .double(2)], objective: slow)), to: peer)
        _ = try #require(try first!.receive(.progress), "the trial did not start")
        first!.router.close()
        first = nil
        // The trial finishes while nobody listens: its objective returned before the next coordinator binds.
        try #require(finished.wait(timeout: .now() + 20) == .success, "the trial never finished")
        let second = try WorkerTestCoordinator(endpoint: endpoint)
        let (newPeer, message) = try #require(try second.receive(timeout: .seconds(20)), "no message to the restarted coordinator")
        #expect(message.kind == .ready, "first message: \(message)")
        let (_, result, _) = try #require(try second.receive(.result), "the RESULT finished while disconnected was lost")
        if case .result(let finished) = result {
            #expect(finished.key == TrialKey(trialID: 7, attempt: 1))
            if case .completed = finished.outcome {} else { Issue.record("expected completed, got \(finished.outcome)") }
        }
        try second.send(.shutdown(Shutdown(reason: "done")), to: newPeer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }
}

/// Runs `inner`, then signals `finished`: lets a test wait until a trial's objective has returned.
private struct FinishSignalingObjective: Objective {
    let inner: any Objective
    let finished: DispatchSemaphore

    func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        defer { finished.signal() }
        return inner.run(context, report: report)
    }
}
