import Foundation
import HPOWire
import HPOZeroMQ
import Testing
import HPOObjectives
import HPOWorkerCore
import HPOWorkerRuntime

/// The worker end to end over real sockets: only what the pure `WorkerStateMachine` tests (HPOWorkerCoreTests)
/// cannot show — that `WorkerLoop` wires the socket, its monitor, the trial thread and the mailbox to the machine.
/// Protocol decisions (duplicates, refusals, timeouts, study pins, resends) are tested on the machine.
@Suite(.serialized) struct WorkerServiceTests {
    @Test func sendsReadyAnswersATrialAndExitsOnShutdown() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint)
        let (peer, message, _) = try #require(try coordinator.receive(.ready))
        guard case .ready(let ready) = message else { Issue.record("expected READY"); return }
        #expect(ready.protocolVersion == WireCodec.protocolVersion)
        #expect(ready.pid == Int(getpid()))
        #expect(ready.capabilities.contains("test-function"))
        #expect(ready.capabilities.contains("null"))
        #expect(String(decoding: peer, as: UTF8.self) == worker.service.workerID)

        // Garbage first: the worker keeps serving.
        try coordinator.router.send([peer, Array("hpo/1".utf8), Array("LAUNCH".utf8), Array("{}".utf8)])
        try coordinator.send(.trial(WorkerTestData.trial(7, attempt: 2)), to: peer)
        let (_, resultMessage, _) = try #require(try coordinator.receive(.result))
        guard case .result(let result) = resultMessage else { Issue.record("expected RESULT"); return }
        #expect(result.key == TrialKey(trialID: 7, attempt: 2))
        guard case .completed(let value, _) = result.outcome else {
            Issue.record("expected a completed result, got \(result.outcome)")
            return
        }
        #expect(abs(value - 0.397887) < 1e-5)   // Branin at (π, 2.275), one of its minima.
        #expect(result.duration >= .zero)

        try coordinator.send(.shutdown(Shutdown(reason: "study finished")), to: peer)
        let exit = try #require(worker.exit())
        #expect(exit == .shutdown(reason: "study finished"))
        #expect(exit.exitCode == 0)
    }

    @Test func heartbeatsAndProgressFlowWhileATrialRunsAndCancelStopsIt() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint, makeObjective: WorkerTestData.makeObjective)
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        let key = TrialKey(trialID: 1, attempt: 0)
        try coordinator.send(.trial(WorkerTestData.trial(1, objective: WorkerTestData.blocking)), to: peer)

        let (_, progressMessage, _) = try #require(try coordinator.receive(.progress))
        #expect(progressMessage == .progress(TrialProgress(trialID: 1, attempt: 0, step: 1, value: 0.5, metrics: ["loss": 1.25])))
        var heartbeatsNamingTheTrial = 0
        while heartbeatsNamingTheTrial < 3 {
            let (_, message, _) = try #require(try coordinator.receive(.heartbeat), "no heartbeat while the trial ran")
            if message == .heartbeat(Heartbeat(running: [key])) { heartbeatsNamingTheTrial += 1 }
        }

        try coordinator.send(.cancel(Cancel(trialID: 1, attempt: 0, reason: "budget reached")), to: peer)
        let (_, resultMessage, _) = try #require(try coordinator.receive(.result))
        guard case .result(let result) = resultMessage, case .stopped(let reason) = result.outcome else {
            Issue.record("expected a stopped RESULT, got \(resultMessage)")
            return
        }
        #expect(result.key == key)
        #expect(reason.contains("budget reached"))

        // The worker is idle again and takes the next trial.
        try coordinator.send(.trial(WorkerTestData.trial(2)), to: peer)
        let (_, next, _) = try #require(try coordinator.receive(.result))
        guard case .result(let second) = next, case .completed = second.outcome else {
            Issue.record("expected trial 2 to complete, got \(next)")
            return
        }
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    /// A RESULT finished while the coordinator is down reaches the restarted one after READY, never before it.
    @Test func aRestartedCoordinatorHearsReadyFirstThenTheResultFinishedMeanwhile() throws {
        var first: WorkerTestCoordinator? = try WorkerTestCoordinator()
        let endpoint = first!.endpoint
        let release = StopSignal()
        let worker = try WorkerUnderTest(endpoint: endpoint, makeObjective: WorkerTestData.makeObjective(releasedBy: release))
        let (peer, _, _) = try #require(try first!.receive(.ready))
        try first!.send(.trial(WorkerTestData.trial(7, attempt: 1, objective: WorkerTestData.blocking)), to: peer)
        _ = try #require(try first!.receive(.progress), "the trial did not start")
        first!.router.close()
        first = nil
        // The trial ends while nobody listens (a CANCEL cannot reach it now; a local stop would end the worker).
        release.request(reason: "done")
        let second = try WorkerTestCoordinator(endpoint: endpoint)
        let (newPeer, message) = try #require(try second.receive(timeout: .seconds(20)), "no message to the restarted coordinator")
        #expect(message.kind == .ready, "first message: \(message)")
        let (_, result, _) = try #require(try second.receive(.result), "the RESULT finished while disconnected was lost")
        if case .result(let finished) = result {
            #expect(finished.key == TrialKey(trialID: 7, attempt: 1))
        }
        try second.send(.shutdown(Shutdown(reason: "done")), to: newPeer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    @Test func aLocalStopRequestStopsTheTrialAndReportsIt() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint, makeObjective: WorkerTestData.makeObjective)
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        try coordinator.send(.trial(WorkerTestData.trial(6, objective: WorkerTestData.blocking)), to: peer)
        _ = try #require(try coordinator.receive(.progress))
        worker.service.requestStop(reason: "SIGTERM")
        let (_, message, _) = try #require(try coordinator.receive(.result))
        guard case .result(let result) = message, case .stopped(let reason) = result.outcome else {
            Issue.record("expected a stopped RESULT, got \(message)")
            return
        }
        #expect(reason.contains("SIGTERM"))
        #expect(worker.exit() == .stopped(reason: "SIGTERM"))
    }
}

@Suite(.serialized) struct WorkerReconnectTests {
    /// ZMTP pings: a quiet but live coordinator causes no reconnect; a connection that dies silently is replaced and
    /// the worker announces itself again.
    @Test func onlyAConnectionThatDiesSilentlyIsReplacedAndTheWorkerAnnouncesItselfAgain() throws {
        let coordinator = try WorkerTestCoordinator()
        let port = try #require(UInt16(coordinator.endpoint.split(separator: ":").last ?? ""))
        let relay = try WorkerTestRelay(upstreamPort: port)
        defer { relay.stop() }
        // Heartbeat 50 ms, liveness 3: unanswered ZMTP pings drop the connection after about 150 ms.
        let worker = try WorkerUnderTest(endpoint: "tcp://127.0.0.1:\(relay.port)")
        _ = try #require(try coordinator.receive(.ready))
        // Twelve heartbeat intervals without a word from the coordinator: its libzmq still answers the pings.
        let quiet = try coordinator.receive(.ready, timeout: .milliseconds(600))
        #expect(quiet == nil, "the worker reconnected to a coordinator that was only quiet")
        relay.silenceExistingConnections()
        let (peer, message, _) = try #require(try coordinator.receive(.ready), "no READY over a fresh connection")
        #expect(message.kind == .ready)
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }
}
