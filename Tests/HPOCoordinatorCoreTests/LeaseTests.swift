import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

@Suite struct LeaseTests {
    /// Two workers, trial 0 on "a", trial 1 on "b", nothing queued.
    private func twoRunning(_ configure: (inout CoordinatorConfiguration) -> Void = { _ in }) -> Harness {
        Harness.running(["a", "b"], configure: configure)
    }

    /// "a" went silent with trial 0 and was lost; "b" finished trial 1 and now runs trial 0 as attempt 2.
    private func retriedOnB() -> Harness {
        var harness = twoRunning()
        harness.advance(.seconds(2))
        harness.heartbeat("b", trial: 1, attempt: 1)
        harness.advance(.milliseconds(1_500))  // "a" lost with trial 0
        harness.complete("b", trial: 1, value: 1)  // "b" takes trial 0 attempt 2
        #expect(harness.dispatched(to: "b").last == TrialKey(trial: TrialID(rawValue: 0), attempt: 2))
        return harness
    }

    @Test func aSilentWorkerIsLostAndItsTrialGoesToAnotherWorkerAsTheNextAttempt() throws {
        var harness = twoRunning()
        harness.answerProposals()  // prefetched trial 2 waits in the queue
        harness.advance(.seconds(2))
        harness.heartbeat("b", trial: 1, attempt: 1)
        harness.advance(.seconds(1))
        let actions = harness.advance(.milliseconds(500))  // "a" silent 3.5 s > 1 s × 3
        guard case .journal(let events) = try #require(actions.first) else {
            Issue.record("expected journal first: \(actions)")
            return
        }
        #expect(events.contains { if case .workerLost(let worker, _) = $0 { worker == WorkerID("a") } else { false } })
        #expect(events.contains { if case .trialRequeued(let trial, 1, 1, _) = $0 { trial.rawValue == 0 } else { false } })
        // "b" finishes trial 1 and receives the re-queued trial 0 (attempt 2) before the newer trial 2.
        harness.complete("b", trial: 1, value: 1)
        #expect(harness.dispatched(to: "b").last == TrialKey(trial: TrialID(rawValue: 0), attempt: 2))
        harness.complete("b", trial: 0, attempt: 2, value: 0.5)
        #expect(harness.completedTrials == [1, 0])
        #expect(harness.tells.filter { $0.0 == TrialID(rawValue: 0) }.count == 1)
    }

    @Test func aLateResultOfALostWorkerIsRecordedOnceAndTheOtherAttemptIsCancelled() throws {
        var harness = retriedOnB()
        // "a" was only slow: its result for attempt 1 arrives late and is accepted once.
        let late = harness.complete("a", trial: 0, attempt: 1, value: 0.7)
        #expect(Harness.messages(late, to: "b").contains(
            .cancel(Cancel(trialID: 0, attempt: 2, reason: "another attempt of this trial completed"))))
        #expect(late.contains { if case .journal(let events) = $0 { events.contains { if case .workerJoined = $0 { true } else { false } } } else { false } })
        // The cancelled attempt answers; nothing more is recorded, and no error is sent.
        let stopped = harness.report("b", trial: 0, attempt: 2, .stopped(reason: "cancelled"))
        #expect(Harness.errors(stopped, to: "b").isEmpty)
        // A duplicate of the late result changes nothing either.
        harness.complete("a", trial: 0, attempt: 1, value: 0.7)
        #expect(harness.completedTrials.filter { $0 == 0 }.count == 1)
        #expect(harness.tells.filter { $0.0 == TrialID(rawValue: 0) }.count == 1)
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.phase == .completed(value: 0.7))
    }

    /// The other order: the retry completes the trial first, then the lost worker's result for attempt 1 arrives.
    /// It is journaled once, as that attempt's (docs/protocol.md, *Idempotency*), and changes nothing else; so a
    /// trial may have two terminal journal events, one per attempt, never two for one attempt.
    @Test func aLateResultAfterTheRetryCompletedIsJournaledOnceForItsAttempt() throws {
        var harness = retriedOnB()
        harness.complete("b", trial: 0, attempt: 2, value: 0.9)
        func terminalEvents(_ actions: [CoordinatorAction]) -> [TrialKey] {
            actions.flatMap { action -> [TrialKey] in
                guard case .journal(let events) = action else { return [] }
                return events.compactMap(\.completedOrFailedAttempt)
            }
        }
        let late = harness.complete("a", trial: 0, attempt: 1, value: 0.7)
        #expect(terminalEvents(late) == [TrialKey(trial: TrialID(rawValue: 0), attempt: 1)])
        let repeated = harness.complete("a", trial: 0, attempt: 1, value: 0.7)
        #expect(terminalEvents(repeated).isEmpty)
        #expect(harness.tells.filter { $0.0 == TrialID(rawValue: 0) }.count == 1)
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.phase == .completed(value: 0.9))
    }

    @Test func aTrialFailsOnceItsRetriesAreSpent() throws {
        var harness = Harness { $0.retries = 1; $0.trialBudget = 1; $0.maxFailures = 1 }
        harness.send(.start)
        harness.answerProposals()
        harness.join("a")
        harness.advance(.seconds(4))  // attempt 1 lost
        harness.join("b")  // gets attempt 2
        #expect(harness.dispatched(to: "b") == [TrialKey(trial: TrialID(rawValue: 0), attempt: 2)])
        harness.advance(.seconds(4))  // attempt 2 lost: retries spent
        let summary = try #require(harness.summary)
        #expect(summary.state == .failed)
        #expect(summary.trials.first?.failureReason?.contains("gave up after 1 retries") == true)
        #expect(harness.tells.count == 1)
    }

    @Test func anUnreachablePeerIsLostAtOnce() {
        var harness = twoRunning()
        harness.send(.peerUnreachable(WorkerID("a")))
        #expect(harness.machine.workers[WorkerID("a")]?.isLive == false)
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.phase == .queued)
    }

    @Test func aResultForAnUnknownTrialIsRefusedWithAnErrorAndALogLine() {
        var harness = twoRunning()
        let before = harness.journal.count
        let actions = harness.complete("a", trial: 99, value: 1)
        let errors = Harness.errors(actions, to: "a")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("no trial 99") == true)
        #expect(actions.contains { if case .log(.warning, let text, _) = $0 { text.contains("refused") } else { false } })
        #expect(harness.journal.count == before)
    }

    @Test func aResultFromAWorkerThatDoesNotHoldTheTrialIsRefused() {
        var harness = twoRunning()
        let actions = harness.complete("b", trial: 0, value: 1)  // trial 0 is on "a"
        #expect(Harness.errors(actions, to: "b").first?.contains("held by worker a") == true)
        #expect(harness.completedTrials.isEmpty)
        // "a" still holds it and completes it normally.
        harness.complete("a", trial: 0, value: 2)
        #expect(harness.completedTrials == [0])
        // A stranger that never joined is refused too, and does not become a worker.
        let stranger = harness.complete("x", trial: 1, value: 3)
        #expect(!Harness.errors(stranger, to: "x").isEmpty)
        #expect(harness.machine.workers[WorkerID("x")] == nil)
    }

    @Test func progressIsJournaledOnlyFromTheHolder() {
        var harness = twoRunning()
        harness.send(.message(from: WorkerID("a"), .progress(TrialProgress(trialID: 0, attempt: 1, step: 1, value: 0.3, metrics: [:]))))
        #expect(harness.journal.contains(.trialProgress(trial: TrialID(rawValue: 0), attempt: 1, step: 1, value: 0.3)))
        let refused = harness.send(.message(from: WorkerID("b"), .progress(TrialProgress(trialID: 0, attempt: 1, step: 2, value: 0.4, metrics: [:]))))
        #expect(!Harness.errors(refused, to: "b").isEmpty)
    }

    @Test func aNonFiniteValueFailsTheTrial() {
        var harness = twoRunning()
        harness.complete("a", trial: 0, value: .nan)
        #expect(harness.tells.first.map { $0.1 } == .failed(reason: "the objective returned nan"))
    }

    @Test func objectiveFailuresBeyondMaxFailuresFailTheStudy() throws {
        var harness = twoRunning { $0.maxFailures = 1; $0.trialBudget = 10 }
        harness.report("a", trial: 0, .failed(reason: "diverged"))
        // Trial 1 on "b" is cancelled; once it answers, the study ends as failed.
        #expect(harness.log.contains(.send(to: WorkerID("b"), .cancel(Cancel(
            trialID: 1, attempt: 1, reason: "too many trials failed: the limit budget.max_failures = 1 was reached")))))
        harness.report("b", trial: 1, .stopped(reason: "cancelled"))
        let summary = try #require(harness.summary)
        #expect(summary.state == .failed)
        #expect(summary.failed == 1)
        #expect(summary.reason.contains("max_failures"))
    }

    @Test func aWorkerThatReportsIdleWhileHoldingAnOldLeaseGivesItBack() {
        var harness = twoRunning()
        harness.advance(.seconds(2))
        harness.heartbeat("a")
        harness.heartbeat("b", trial: 1, attempt: 1)
        harness.advance(.seconds(2))
        harness.heartbeat("b", trial: 1, attempt: 1)
        harness.heartbeat("a")  // lease of trial 0 is 4 s old and "a" says it runs nothing
        harness.elapsed += .seconds(1)
        harness.heartbeat("a")  // and says so again an interval later
        #expect(harness.dispatched(to: "a").last == TrialKey(trial: TrialID(rawValue: 0), attempt: 2))
    }

    @Test func aWorkerRunningSomethingItDoesNotHoldIsToldToCancel() {
        var harness = twoRunning()
        let actions = harness.heartbeat("b", trial: 0, attempt: 1)
        #expect(Harness.messages(actions, to: "b").contains { if case .cancel(let c) = $0 { c.trialID == 0 } else { false } })
    }

    @Test func aMalformedMessageFromAnHPOPeerGetsAnErrorReply() {
        var harness = Harness()
        harness.send(.start)
        let actions = harness.send(.malformedMessage(from: WorkerID("z"), reason: "unsupported protocol version 9; supported: 1"))
        #expect(Harness.errors(actions, to: "z") == ["unsupported protocol version 9; supported: 1"])
    }

    @Test func aWorkerWhoseCancelledAttemptVanishedWithoutAResultIsFreedByItsIdleHeartbeat() {
        var harness = twoRunning { $0.trialBudget = 10 }
        harness.advance(.seconds(2))
        harness.heartbeat("b", trial: 1, attempt: 1)
        harness.advance(.milliseconds(1_500))  // "a" lost; trial 0 re-queued
        harness.complete("b", trial: 1, value: 1)  // "b" takes trial 0 attempt 2
        harness.complete("a", trial: 0, attempt: 1, value: 0.7)  // late result wins; attempt 2 cancelled
        #expect(harness.machine.workers[WorkerID("b")]?.attempts[TrialKey(trial: TrialID(rawValue: 0), attempt: 2)] == .cancelling)
        // "b" dropped the cancelled attempt without a RESULT and says it is idle: it gets new work.
        harness.answerProposals()
        harness.heartbeat("b")
        harness.answerProposals()
        #expect(harness.machine.workers[WorkerID("b")]?.leasedAttempts.first?.trial != TrialID(rawValue: 0))
        #expect(harness.dispatched(to: "b").count == 3)
    }
}
