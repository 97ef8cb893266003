import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

@Suite struct StopTests {
    private func running(_ configure: (inout CoordinatorConfiguration) -> Void = { _ in }) -> Harness {
        Harness.running(["a"], prefetched: 1, handshake: false, configure: configure)  // a prefetched trial waits
    }

    @Test func aStopLetsRunningTrialsFinishAndDispatchesNothingNew() throws {
        var harness = running()
        harness.send(.stopRequested(immediately: false))
        #expect(harness.summary == nil)
        harness.complete("a", trial: 0, value: 1)
        #expect(harness.dispatched(to: "a").count == 1)
        let summary = try #require(harness.summary)
        #expect(summary.state == .interrupted)
        #expect(summary.completed == 1 && summary.unfinished == 1)
        #expect(harness.log.contains(.send(to: WorkerID("a"), .shutdown(Shutdown(
            reason: "study test interrupted: interrupted by a stop request")))))
    }

    @Test func aStopWithCancelCancelsAndRequeuesRunningTrials() throws {
        var harness = running { $0.cancelRunningOnStop = true }
        let actions = harness.send(.stopRequested(immediately: false))
        #expect(Harness.messages(actions, to: "a").contains { if case .cancel(let c) = $0 { c.trialID == 0 } else { false } })
        harness.report("a", trial: 0, .stopped(reason: "cancelled"))
        #expect(harness.journal.contains { if case .trialRequeued(let t, 1, 0, _) = $0 { t.rawValue == 0 } else { false } })
        #expect(try #require(harness.summary).state == .interrupted)
    }

    @Test func cancelledTrialsThatNeverAnswerDoNotHoldTheStopForever() throws {
        var harness = running { $0.cancelRunningOnStop = true }
        harness.send(.stopRequested(immediately: false))
        harness.advance(.seconds(4))
        #expect(try #require(harness.summary).state == .interrupted)
    }

    @Test func aSecondSignalFinishesAtOnce() throws {
        var harness = running()
        harness.send(.stopRequested(immediately: false))
        harness.send(.stopRequested(immediately: true))
        let summary = try #require(harness.summary)
        #expect(summary.state == .interrupted)
        #expect(summary.reason.contains("second signal"))
    }

    @Test func theWallTimeBudgetEndsTheStudy() throws {
        var harness = running { $0.wallTime = .seconds(10); $0.heartbeatInterval = .seconds(100) }
        harness.complete("a", trial: 0, value: 1)
        harness.advance(.seconds(11))
        #expect(harness.log.contains { if case .send(_, .cancel) = $0 { true } else { false } })
        harness.report("a", trial: 1, .stopped(reason: "cancelled"))
        let summary = try #require(harness.summary)
        #expect(summary.state == .completed)
        #expect(summary.reason.contains("wall-time"))
    }

    @Test func afterTheEndWorkersAreToldToShutDownAndStatusIsStillAnswered() throws {
        var harness = running()
        harness.send(.stopRequested(immediately: true))
        let late = harness.heartbeat("b")
        #expect(Harness.messages(late, to: "b").contains { if case .shutdown = $0 { true } else { false } })
        let status = harness.send(.message(from: WorkerID("cli"), .statusRequest))
        #expect(Harness.messages(status, to: "cli").count == 1)
    }
}
