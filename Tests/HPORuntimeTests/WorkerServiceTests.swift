import Foundation
import HPORuntime
import HPOTestSupport
import HPOWire
import HPOZeroMQ
import Testing

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

    @Test func shutdownStopsTheRunningTrialAndReportsIt() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint, makeObjective: WorkerTestData.makeObjective)
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        try coordinator.send(.trial(WorkerTestData.trial(4, objective: WorkerTestData.blocking)), to: peer)
        try coordinator.send(.trial(WorkerTestData.trial(5)), to: peer)   // Waits behind trial 4.
        _ = try #require(try coordinator.receive(.progress))
        try coordinator.send(.shutdown(Shutdown(reason: "interrupted")), to: peer)

        var stopped: Set<Int> = []
        while stopped.count < 2 {
            let (_, message, _) = try #require(try coordinator.receive(.result), "missing a stopped RESULT")
            guard case .result(let result) = message, case .stopped = result.outcome else {
                Issue.record("expected stopped results, got \(message)")
                return
            }
            stopped.insert(result.trialID)
        }
        #expect(stopped == [4, 5])
        #expect(worker.exit() == .shutdown(reason: "interrupted"))
    }

    @Test func duplicateTrialsNeverRunTwiceAndQueuedOnesRunInOrder() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint)
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        for id in [10, 10, 11, 12, 11] {
            try coordinator.send(.trial(WorkerTestData.trial(id)), to: peer)
        }
        // Each attempt runs once; a duplicate that arrives after its attempt finished gets the same RESULT again.
        var results: [Int: [TrialResult]] = [:]
        var order: [Int] = []
        while Set(order) != [10, 11, 12] {
            let (_, message, _) = try #require(try coordinator.receive(.result), "missing RESULTs")
            guard case .result(let result) = message else { return }
            if results[result.trialID] == nil { order.append(result.trialID) }
            results[result.trialID, default: []].append(result)
        }
        while let (_, message, _) = try coordinator.receive(.result, timeout: .milliseconds(300)) {
            guard case .result(let result) = message else { return }
            results[result.trialID, default: []].append(result)
        }
        #expect(order == [10, 11, 12])
        for (id, repeats) in results {
            #expect(Set(repeats).count == 1, "trial \(id) ran more than once: \(repeats)")
        }
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() != nil)
    }

    @Test func aTrialRepeatedAfterItFinishedGetsTheSameResultWithoutASecondRun() throws {
        let runs = StopReasonRecorder()
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint) { descriptor in
            let inner = try ObjectiveFactory.make(descriptor)
            return CountingObjective(inner: inner, runs: runs)
        }
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        try coordinator.send(.trial(WorkerTestData.trial(30)), to: peer)
        let (_, first, _) = try #require(try coordinator.receive(.result))
        try coordinator.send(.trial(WorkerTestData.trial(30)), to: peer)
        let (_, second, _) = try #require(try coordinator.receive(.result))
        #expect(first == second)
        #expect(runs.values == ["30"])
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() != nil)
    }

    @Test func garbageFromTheCoordinatorIsIgnored() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint)
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        try coordinator.router.send([peer, Array("not hpo".utf8)])
        try coordinator.router.send([peer, Array("hpo/1".utf8), Array("TRIAL".utf8), Array("{\"trial_id\": -3}".utf8)])
        try coordinator.router.send([peer, Array("hpo/1".utf8), Array("LAUNCH".utf8), Array("{}".utf8)])
        try coordinator.send(.trial(WorkerTestData.trial(8)), to: peer)
        let (_, message, _) = try #require(try coordinator.receive(.result), "the worker stopped answering after garbage")
        guard case .result(let result) = message else { return }
        #expect(result.trialID == 8)
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    @Test func anObjectiveKindTheWorkerLacksFailsAtOnce() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint)
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        let objective = ObjectiveDescriptor(kind: "quantum-annealer")
        try coordinator.send(.trial(WorkerTestData.trial(3, objective: objective)), to: peer)
        let (_, message, _) = try #require(try coordinator.receive(.result))
        guard case .result(let result) = message, case .failed(let reason) = result.outcome else {
            Issue.record("expected a failed RESULT, got \(message)")
            return
        }
        #expect(reason.contains("quantum-annealer"))
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() != nil)
    }

    @Test func aWorkerStartedBeforeTheCoordinatorConnectsWhenItBinds() throws {
        // Until the coordinator binds, a listener that turns every connection away stands on its port: the worker
        // must have come back after being turned away (a retry), not merely connected once the coordinator was up.
        let port = FreePort.loopback()
        let endpoint = "tcp://127.0.0.1:\(port)"
        let stand = try ClosingListener(port: port)
        let worker = try WorkerUnderTest(endpoint: endpoint)
        let retried = waitUntil(timeout: .seconds(20)) { stand.accepted >= 3 }
        stand.stop()
        #expect(retried, "the worker connected \(stand.accepted) time(s) and did not retry")
        let coordinator = try WorkerTestCoordinator(endpoint: endpoint)
        let (peer, _, _) = try #require(try coordinator.receive(.ready), "the worker never connected")
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    @Test func aWorkerSendsReadyAgainToARestartedCoordinator() throws {
        var first: WorkerTestCoordinator? = try WorkerTestCoordinator()
        let endpoint = first!.endpoint
        let worker = try WorkerUnderTest(endpoint: endpoint)
        _ = try #require(try first!.receive(.ready))
        first!.router.close()
        first = nil
        let second = try WorkerTestCoordinator(endpoint: endpoint)
        let (peer, message, _) = try #require(try second.receive(.ready), "no READY to the restarted coordinator")
        #expect(message.kind == .ready)
        try second.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    @Test func aSilentCoordinatorMakesTheWorkerExitNonZero() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(
            endpoint: coordinator.endpoint, timeout: .milliseconds(400), makeObjective: WorkerTestData.makeObjective)
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        try coordinator.send(.trial(WorkerTestData.trial(9, objective: WorkerTestData.blocking)), to: peer)
        // From now on the coordinator only listens; the running trial must not keep the worker alive.
        let exit = try #require(worker.exit())
        guard case .coordinatorLost(let endpoint, let silence) = exit else {
            Issue.record("expected coordinatorLost, got \(exit)")
            return
        }
        #expect(endpoint == coordinator.endpoint)
        #expect(silence >= .milliseconds(400))
        #expect(exit.exitCode == 2)
        #expect(exit.description.contains("--coordinator-timeout"))
    }

    @Test func anUnsupportedVersionErrorMakesTheWorkerExitWithItsMessage() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint)
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        let reply = ErrorReply(code: .unsupportedVersion, message: "protocol version 1 is too old", supportedVersions: [2, 3])
        try coordinator.send(.error(reply), to: peer)
        let exit = try #require(worker.exit())
        guard case .rejected(let message) = exit else {
            Issue.record("expected rejected, got \(exit)")
            return
        }
        #expect(message.contains("protocol version 1 is too old"))
        #expect(message.contains("2, 3"))
        #expect(exit.exitCode == 3)
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
    @Test func aConnectionThatDiesSilentlyIsReplacedAndTheWorkerAnnouncesItselfAgain() throws {
        let coordinator = try WorkerTestCoordinator()
        let port = try #require(UInt16(coordinator.endpoint.split(separator: ":").last ?? ""))
        let relay = try WorkerTestRelay(upstreamPort: port)
        defer { relay.stop() }
        // Heartbeat 50 ms, liveness 3: unanswered ZMTP pings drop the connection after about 150 ms.
        let worker = try WorkerUnderTest(endpoint: "tcp://127.0.0.1:\(relay.port)")
        _ = try #require(try coordinator.receive(.ready))
        relay.silenceExistingConnections()
        let (peer, message, _) = try #require(try coordinator.receive(.ready), "no READY over a fresh connection")
        #expect(message.kind == .ready)
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    @Test func aQuietButLiveCoordinatorCausesNoReconnect() throws {
        let coordinator = try WorkerTestCoordinator()
        let worker = try WorkerUnderTest(endpoint: coordinator.endpoint)   // heartbeat 50 ms
        let (peer, _, _) = try #require(try coordinator.receive(.ready))
        // Twelve heartbeat intervals without a word from the coordinator: its libzmq still answers the pings.
        let quiet = try coordinator.receive(.ready, timeout: .milliseconds(600))
        #expect(quiet == nil, "the worker reconnected to a coordinator that was only quiet")
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    @Test func resultsAreRepeatedToARestartedCoordinatorUntilTheNextTrial() throws {
        var first: WorkerTestCoordinator? = try WorkerTestCoordinator()
        let endpoint = first!.endpoint
        let worker = try WorkerUnderTest(endpoint: endpoint, timeout: .seconds(30), heartbeat: .seconds(5))
        let (peer, _, _) = try #require(try first!.receive(.ready))
        try first!.send(.trial(WorkerTestData.trial(21)), to: peer)
        _ = try #require(try first!.receive(.result))
        first!.router.close()
        first = nil

        let second = try WorkerTestCoordinator(endpoint: endpoint)
        _ = try #require(try second.receive(.ready))
        let (newPeer, repeated, _) = try #require(try second.receive(.result), "the RESULT was not repeated")
        guard case .result(let result) = repeated else { return }
        #expect(result.key == TrialKey(trialID: 21, attempt: 0))

        // Once a new TRIAL arrived, earlier RESULTs are settled and not repeated again.
        try second.send(.trial(WorkerTestData.trial(22)), to: newPeer)
        let (_, next, _) = try #require(try second.receive(.result))
        guard case .result(let nextResult) = next else { return }
        #expect(nextResult.trialID == 22)
        try second.send(.shutdown(Shutdown(reason: "done")), to: newPeer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }
}
