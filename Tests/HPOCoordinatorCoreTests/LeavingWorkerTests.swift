import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// A worker that stops its trial on its own (SIGTERM) is leaving; a TRIAL that was never delivered uses no retry.
@Suite struct LeavingWorkerTests {
    /// Two workers, trial 0 on "a", trial 1 on "b", trial 2 prefetched in the queue.
    private func twoRunning(_ configure: (inout CoordinatorConfiguration) -> Void = { _ in }) -> Harness {
        Harness.running(["a", "b"], prefetched: 1, configure: configure)
    }

    private static let trial0 = TrialID(rawValue: 0)

    @Test func aWorkerThatStopsItsTrialOnItsOwnGetsNoNewTrialAndUsesNoRetry() throws {
        var harness = twoRunning { $0.retries = 0 }
        let actions = harness.report("a", trial: 0, .stopped(reason: "worker stopping: SIGTERM"))
        // Before: the retry went straight back to "a" (attempt 2) and the stop counted as a retry.
        #expect(harness.dispatched(to: "a") == [TrialKey(trial: Self.trial0, attempt: 1)])
        #expect(Harness.messages(actions, to: "a").isEmpty)
        let trial = try #require(harness.machine.trials[Self.trial0])
        #expect(trial.retries == 0)
        #expect(trial.phase == .queued)
        let worker = try #require(harness.machine.workers[WorkerID("a")])
        #expect(worker.state == .left)
        #expect(harness.journal.contains { if case .workerLeft(let id, _) = $0 { id == WorkerID("a") } else { false } })
        #expect(harness.machine.snapshot.liveWorkers == 1)
        // Its last heartbeat on the way out does not bring it back.
        harness.heartbeat("a")
        #expect(harness.machine.workers[WorkerID("a")]?.isLive == false)
        // "b" finishes trial 1 and runs trial 0 as its second attempt (even with retries = 0).
        harness.complete("b", trial: 1, value: 1)
        #expect(harness.dispatched(to: "b").last == TrialKey(trial: Self.trial0, attempt: 2))
        harness.complete("b", trial: 0, attempt: 2, value: 2)
        #expect(harness.completedTrials == [1, 0])
        #expect(harness.machine.trials[Self.trial0]?.summary.attempts == 2)
    }

    @Test func aLeavingWorkerThatSendsREADYAgainGetsTrialsAgain() {
        var harness = twoRunning()
        harness.report("a", trial: 0, .stopped(reason: "worker stopping: SIGTERM"))
        harness.ready("a")
        #expect(harness.machine.workers[WorkerID("a")]?.isLive == true)
        #expect(harness.dispatched(to: "a").last == TrialKey(trial: Self.trial0, attempt: 2))
    }

    @Test func aCancelledAttemptThatAnswersStoppedLeavesItsWorkerInService() {
        var harness = twoRunning { $0.cancelRunningOnStop = true }
        harness.send(.stopRequested(immediately: false))
        harness.report("a", trial: 0, .stopped(reason: "cancelled"))
        #expect(harness.machine.workers[WorkerID("a")]?.state != .left)
        #expect(!harness.journal.contains { if case .workerLeft = $0 { true } else { false } })
    }

    @Test func aTrialRefusedByAWorkerThatIsShuttingDownUsesNoRetry() {
        var harness = twoRunning { $0.retries = 0 }
        // "a" completes trial 0 and is given trial 2 while it already began to shut down; it refuses it.
        harness.complete("a", trial: 0, value: 1)
        #expect(harness.dispatched(to: "a").last == TrialKey(trial: TrialID(rawValue: 2), attempt: 1))
        harness.report("a", trial: 2, .stopped(reason: "the worker is shutting down"))
        #expect(harness.machine.trials[TrialID(rawValue: 2)]?.phase == .queued)
        #expect(harness.machine.trials[TrialID(rawValue: 2)]?.retries == 0)
        #expect(harness.machine.workers[WorkerID("a")]?.isLive == false)
    }

    @Test func aTrialWhoseSendFailedIsQueuedAgainAsTheSameAttemptWithoutARetry() throws {
        var harness = twoRunning { $0.retries = 0 }
        harness.complete("a", trial: 0, value: 1)
        let sent = try #require(Harness.messages(harness.log, to: "a").last)
        #expect(harness.dispatched(to: "a").last == TrialKey(trial: TrialID(rawValue: 2), attempt: 1))
        // The TRIAL for 2/1 and a HEARTBEAT before it failed: "a" disconnected.
        let heartbeat = WireMessage.heartbeat(Heartbeat())
        harness.send(.peerUnreachable(WorkerID("a"), undelivered: [heartbeat, sent]))
        let trial = try #require(harness.machine.trials[TrialID(rawValue: 2)])
        #expect(trial.phase == .queued)
        #expect(trial.retries == 0)
        #expect(trial.attempt == 0)
        #expect(harness.machine.workers[WorkerID("a")]?.isLive == false)
        #expect(harness.journal.contains {
            if case .trialRequeued(let id, 1, 0, let reason) = $0 { id.rawValue == 2 && reason.contains("never reached") } else { false }
        })
        // Another worker runs it as attempt 1 and it completes: one attempt, no retry used.
        harness.complete("b", trial: 1, value: 1)
        #expect(harness.dispatched(to: "b").last == TrialKey(trial: TrialID(rawValue: 2), attempt: 1))
        harness.complete("b", trial: 2, attempt: 1, value: 3)
        #expect(harness.completedTrials == [0, 1, 2])
        #expect(harness.machine.trials[TrialID(rawValue: 2)]?.summary.attempts == 1)
    }

    @Test func aLostWorkerWhoseTrialWasDeliveredStillUsesARetry() {
        var harness = twoRunning { $0.retries = 1 }
        harness.send(.peerUnreachable(WorkerID("a"), undelivered: [.heartbeat(Heartbeat())]))
        #expect(harness.machine.trials[Self.trial0]?.retries == 1)
        #expect(harness.machine.trials[Self.trial0]?.attempt == 1)
    }
}
