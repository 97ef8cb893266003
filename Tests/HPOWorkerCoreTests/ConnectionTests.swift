import HPOWire
import HPOWorkerCore
import Testing

/// READY first, nothing queued while disconnected, RESULTs repeated after a reconnect, timeouts.
@Suite struct ConnectionTests {
    @Test func readyIsTheFirstMessageOfEveryConnectionAndCarriesTheWorkersIdentity() throws {
        var worker = WorkerHarness { $0.study = "alpha" }
        // Twenty heartbeat intervals without a connection: nothing may be queued for the next coordinator.
        for _ in 0..<20 { #expect(worker.advance(.seconds(1)).sent.isEmpty) }
        let first = worker.connect().sent
        #expect(first == [.ready(Ready(host: "node-1", pid: 4242, capabilities: ["null", "test-function"], slots: 1, study: "alpha"))])
        worker.disconnect()
        #expect(worker.advance(.seconds(2)).sent.isEmpty)
        #expect(worker.connect().sentKinds == [.ready])
        #expect(worker.machine.handshakes == 2)
    }

    @Test func aResultFinishedWhileDisconnectedFollowsTheNextReady() {
        var worker = WorkerHarness()
        worker.connect()
        #expect(worker.trial(7).started == [WorkerHarness.key(7)])
        worker.disconnect()
        #expect(worker.finish(7).sent.isEmpty)
        let actions = worker.connect()
        #expect(actions.sentKinds == [.ready, .result])
        #expect(actions.results.map(\.key) == [WorkerHarness.key(7)])
    }

    @Test func resultsAreRepeatedAfterAReconnectUntilTheNextTrialArrives() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(21)
        #expect(worker.finish(21).results.map(\.trialID) == [21])
        worker.disconnect()
        #expect(worker.connect().results.map(\.trialID) == [21])
        worker.disconnect()
        #expect(worker.connect().results.map(\.trialID) == [21], "repeated until a TRIAL confirms it")
        worker.trial(22)
        worker.finish(22)
        worker.disconnect()
        #expect(worker.connect().results.map(\.trialID) == [22], "trial 21 was settled by the TRIAL for 22")
    }

    @Test func aReconnectWhileATrialRunsAnnouncesItRightAfterReady() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(3)
        worker.disconnect()
        let actions = worker.connect()
        #expect(actions.sentKinds == [.ready, .heartbeat])
        #expect(actions.sent.last == .heartbeat(Heartbeat(running: [WorkerHarness.key(3)])))
    }

    @Test func heartbeatsNameTheRunningAttemptsAndGoOutOnlyWhenNothingElseWasSent() {
        var worker = WorkerHarness()
        worker.connect()
        #expect(worker.advance(.milliseconds(999)).sent.isEmpty)
        #expect(worker.advance(.milliseconds(1)).sent == [.heartbeat(Heartbeat(running: []))])
        worker.trial(4)
        worker.advance(.milliseconds(500))
        worker.send(.progress(TrialProgress(trialID: 4, attempt: 1, step: 1, value: 0.1)))   // a send resets the interval
        #expect(worker.advance(.milliseconds(900)).sent.isEmpty)
        #expect(worker.advance(.milliseconds(100)).sent == [.heartbeat(Heartbeat(running: [WorkerHarness.key(4)]))])
    }

    @Test func progressGoesOutOnlyForARunningAttemptWhileConnected() {
        var worker = WorkerHarness()
        worker.connect()
        worker.trial(5)
        let progress = TrialProgress(trialID: 5, attempt: 1, step: 2, value: 0.7, metrics: ["loss": 0.3])
        #expect(worker.send(.progress(progress)).sent == [.progress(progress)])
        worker.disconnect()
        #expect(worker.send(.progress(progress)).sent.isEmpty)
        worker.connect()
        worker.finish(5)
        #expect(worker.send(.progress(progress)).sent.isEmpty, "a late report of a finished attempt")
    }

    @Test func aSilentCoordinatorMakesTheWorkerLeaveWithTheSilenceNamed() throws {
        var worker = WorkerHarness { $0.coordinatorTimeout = .seconds(5) }
        worker.connect()
        worker.trial(9)
        worker.advance(.seconds(4))
        worker.receive(.heartbeat(Heartbeat(running: [WorkerHarness.key(9)])))   // heard at 4 s
        #expect(worker.advance(.milliseconds(4_999)).cancelled.isEmpty)
        let actions = worker.advance(.milliseconds(1))
        #expect(actions.cancelled == [WorkerHarness.key(9)], "the running trial is stopped")
        let exit = try #require(worker.finish(9, .stopped(reason: "coordinator lost")).exit)
        #expect(exit == .coordinatorLost(endpoint: "tcp://head:5555", silence: .seconds(5)))
        #expect(exit.exitCode == 2)
    }

    @Test func undecodableFramesAreLoggedRateLimitedAndIgnored() {
        var worker = WorkerHarness()
        worker.connect()
        let garbage = WireError(.unknownType, "unknown message type LAUNCH")
        #expect(worker.send(.undecodable(garbage)).logs(atLeast: .warning).count == 1)
        for _ in 0..<1000 { #expect(worker.send(.undecodable(garbage)).isEmpty) }
        worker.elapsed += .seconds(10)
        let notice = worker.send(.undecodable(garbage)).logs(atLeast: .warning)
        #expect(notice.count == 1 && notice[0].contains("1000 more"))
        #expect(worker.trial(8).started == [WorkerHarness.key(8)], "still serving after garbage")
    }

    @Test func aCoordinatorOfAnotherProtocolVersionIsLeftWithBothVersionsNamed() throws {
        var worker = WorkerHarness()
        worker.connect()
        let exit = try #require(worker.send(.undecodable(WireError(.unsupportedVersion, "version 9", version: 9))).exit)
        guard case .rejected(let message) = exit else { Issue.record("expected rejected, got \(exit)"); return }
        #expect(message.contains("9") && message.contains("\(WireCodec.protocolVersion)"))
        #expect(exit.exitCode == 3)
    }

    @Test func anUnsupportedVersionErrorEndsTheWorkerWithItsMessage() throws {
        var worker = WorkerHarness()
        worker.connect()
        let reply = ErrorReply(code: .unsupportedVersion, message: "protocol version 1 is too old", supportedVersions: [2, 3])
        let exit = try #require(worker.receive(.error(reply)).exit)
        guard case .rejected(let message) = exit else { Issue.record("expected rejected, got \(exit)"); return }
        #expect(message.contains("protocol version 1 is too old") && message.contains("2, 3"))
    }

    @Test func notReadyIsAnsweredWithReadyAgain() {
        var worker = WorkerHarness()
        worker.connect()
        #expect(worker.receive(.error(ErrorReply(code: .notReady, message: "send READY first"))).sentKinds == [.ready])
    }

    @Test func aHandshakeClosedByThePeerIsExplainedOnceAndAgainAtTheTimeout() {
        var worker = WorkerHarness { $0.coordinatorTimeout = .seconds(3) }
        var warnings: [String] = []
        for _ in 0..<5 {
            worker.send(.connecting(endpoint: "tcp://head:5555"))
            warnings += worker.disconnect().logs(atLeast: .warning)
        }
        #expect(warnings.count == 1 && warnings[0].contains("--curve-server-key"))
        let end = worker.advance(.seconds(3))
        #expect(end.logs(atLeast: .error).contains { $0.contains("5 connection(s)") })
        #expect(end.exit == .coordinatorLost(endpoint: "tcp://head:5555", silence: .seconds(3)))
    }

    @Test func aWorkerThatCannotConnectSaysSoEveryNoticeInterval() {
        var worker = WorkerHarness { $0.waitingNoticeInterval = .seconds(10) }
        var notices = 0
        for _ in 0..<25 {
            notices += worker.advance(.seconds(1)).logs(atLeast: .notice).filter { $0.contains("still trying") }.count
        }
        #expect(notices == 2)
    }

    @Test func logLinesBelowTheLevelAreNotEmitted() {
        var worker = WorkerHarness { $0.logLevel = .warning }
        let actions = worker.connect() + worker.trial(1) + worker.finish(1) + worker.disconnect()
        let levels = actions.compactMap { if case .log(let level, _, _) = $0 { level } else { nil } }
        #expect(levels == [.warning], "only the lost connection's warning: \(levels)")
    }

    @Test func theNextDeadlineIsTheEarlierOfHeartbeatAndTimeoutThenTheStopDeadline() {
        var worker = WorkerHarness()
        worker.connect()
        #expect(worker.machine.nextDeadline() == worker.now + .seconds(1))
        worker.trial(1)
        worker.send(.stopRequested(reason: "SIGTERM"))
        #expect(worker.machine.nextDeadline() == worker.now + .seconds(10))
    }
}
