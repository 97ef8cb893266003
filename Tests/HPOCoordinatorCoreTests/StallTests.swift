import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// A worker that stalls (SIGSTOP, a starved VM) and comes back is re-adopted or cleanly cancelled; leases are timed
/// from the TRIAL's send (issue #7 §4).
@Suite struct StallTests {
    private static let trial0 = TrialID(rawValue: 0)
    private static let key0 = TrialKey(trial: trial0, attempt: 1)

    /// "a" runs trial 0, "b" runs trial 1; "a" then falls silent past the lease timeout while "b" heartbeats.
    private func aStalled(_ configure: (inout CoordinatorConfiguration) -> Void = { _ in }) -> Harness {
        var harness = Harness.running(["a", "b"], configure: configure)
        harness.advance(.seconds(2))
        harness.heartbeat("b", trial: 1)
        harness.advance(.milliseconds(1_500))  // "a" silent 3.5 s > 1 s × 3: lost, trial 0 re-queued with a retry
        return harness
    }

    @Test func aStalledWorkerThatComesBackBeforeItsTrialWasHandedOutIsReadoptedAndGetsItsRetryBack() throws {
        var harness = aStalled()
        #expect(harness.machine.workers[WorkerID("a")]?.state == .presumedLost(heldAttempts: [Self.key0]))
        #expect(harness.machine.trials[Self.trial0]?.retries == 1)
        #expect(harness.machine.queuedTrials == [Self.trial0])
        let back = harness.heartbeat("a", trial: 0, attempt: 1)
        let trial = try #require(harness.machine.trials[Self.trial0])
        #expect(trial.phase == .leased(worker: WorkerID("a"), attempt: 1, since: harness.now))
        #expect(trial.retries == 0)
        #expect(harness.machine.queuedTrials.isEmpty)
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[Self.key0] == .leased)
        #expect(harness.journal.contains(.trialAdopted(trial: Self.trial0, attempt: 1, worker: WorkerID("a"))))
        // Not idle: it was given nothing else, and it is not told to cancel.
        #expect(!Harness.messages(back, to: "a").contains { if case .trial = $0 { true } else if case .cancel = $0 { true } else { false } })
        #expect(harness.dispatched(to: "a") == [Self.key0])
        harness.complete("a", trial: 0, value: 3)
        #expect(harness.completedTrials == [0])
        #expect(harness.machine.trials[Self.trial0]?.summary.attempts == 1)
    }

    @Test func aStalledWorkerWhoseTrialWentElsewhereIsCancelledAndStaysInService() throws {
        var harness = aStalled { $0.trialBudget = 10 }
        harness.complete("b", trial: 1, value: 1)  // "b" takes trial 0 as attempt 2
        #expect(harness.dispatched(to: "b").last == TrialKey(trial: Self.trial0, attempt: 2))
        let back = harness.heartbeat("a", trial: 0, attempt: 1)
        #expect(Harness.messages(back, to: "a").contains { if case .cancel(let c) = $0 { c.trialID == 0 && c.attempt == 1 } else { false } })
        #expect(harness.machine.trials[Self.trial0]?.cancelledAttempts.contains(1) == true)
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[Self.key0] == .cancelling)
        // Busy with the cancelled attempt: no trial yet, even with work queued.
        harness.answerProposals()
        #expect(harness.dispatched(to: "a") == [Self.key0])
        // Its `stopped` answer is the expected one, not a shutdown: it stays in service and gets the next trial.
        let stopped = harness.report("a", trial: 0, attempt: 1, .stopped(reason: "cancelled"))
        #expect(Harness.errors(stopped, to: "a").isEmpty)
        #expect(!harness.journal.contains { if case .workerLeft = $0 { true } else { false } })
        #expect(harness.machine.workers[WorkerID("a")]?.isLive == true)
        #expect(harness.dispatched(to: "a").count == 2)
        #expect(harness.machine.trials[Self.trial0]?.retries == 1)
    }

    @Test func aStalledWorkerWhoseTrialFinishedElsewhereIsCancelled() {
        var harness = aStalled { $0.trialBudget = 10 }
        harness.complete("b", trial: 1, value: 1)
        harness.complete("b", trial: 0, attempt: 2, value: 2)
        let back = harness.heartbeat("a", trial: 0, attempt: 1)
        #expect(Harness.messages(back, to: "a").contains { if case .cancel = $0 { true } else { false } })
        harness.report("a", trial: 0, attempt: 1, .stopped(reason: "cancelled"))
        #expect(harness.machine.workers[WorkerID("a")]?.state != .left)
        #expect(harness.completedTrials == [1, 0])
    }

    @Test func aStalledWorkerThatReconnectsWithREADYWaitsForItsFirstReport() {
        var harness = aStalled()
        harness.ready("a")
        #expect(harness.machine.workers[WorkerID("a")]?.state == .awaitingFirstReport(previouslyHeld: [Self.key0]))
        // The queued trial 0 is not handed to it (or anyone) before it says what it runs.
        #expect(harness.dispatched(to: "a") == [Self.key0])
        harness.heartbeat("a", trial: 0, attempt: 1)
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[Self.key0] == .leased)
        #expect(harness.machine.trials[Self.trial0]?.retries == 0)
    }

    @Test func aStalledWorkerThatDroppedItsTrialIsIdleAndTheRetryStaysUsed() {
        var harness = aStalled()
        harness.heartbeat("a")
        #expect(harness.dispatched(to: "a").last == TrialKey(trial: Self.trial0, attempt: 2))
        #expect(harness.machine.trials[Self.trial0]?.retries == 1)
    }

    @Test func aLateResultOfAStalledWorkerCompletesTheQueuedTrial() {
        var harness = aStalled()
        harness.complete("a", trial: 0, attempt: 1, value: 5)
        #expect(harness.completedTrials == [0])
        #expect(harness.machine.queuedTrials.isEmpty)
        #expect(harness.machine.workers[WorkerID("a")]?.isLive == true)
    }

    @Test func theLeaseIsTimedFromTheSendNotTheHandOut() {
        var harness = Harness()
        harness.reportsSends = false
        harness.send(.start)
        harness.ready("a")
        harness.answerProposals()
        #expect(harness.dispatched(to: "a") == [Self.key0])
        // The coordinator stalls before the send; heartbeats "a" sent earlier arrive after more than a lease timeout.
        harness.elapsed += .seconds(5)
        harness.heartbeat("a")
        harness.heartbeat("a")
        #expect(harness.machine.trials[Self.trial0]?.phase == .leased(worker: WorkerID("a"), attempt: 1, since: harness.origin))
        // Now the TRIAL leaves; an idle heartbeat right after it (sent before it arrived) still changes nothing.
        harness.send(.trialSent(Self.key0, to: WorkerID("a")))
        harness.elapsed += .seconds(2)
        harness.heartbeat("a")
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[Self.key0] == .leased)
        // A lease timeout after the send, an idle heartbeat, confirmed an interval later, means the TRIAL never
        // started: re-queued, no retry.
        harness.elapsed += .seconds(2)
        harness.heartbeat("a")
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[Self.key0] == .leased)
        harness.elapsed += .seconds(1)
        harness.heartbeat("a")
        #expect(harness.machine.trials[Self.trial0]?.retries == 0)
        #expect(harness.journal.contains { if case .trialRequeued(let id, 1, 0, _) = $0 { id == Self.trial0 } else { false } })
    }
}

extension StallTests {
    @Test func aResumedJournalKeepsTheRetryAReadoptionGaveBack() throws {
        var harness = aStalled()
        harness.heartbeat("a", trial: 0, attempt: 1)  // re-adopted: retries back to 0
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.retries == 0)
        let (machine, _) = try CoordinatorStateMachine.replay(
            harness.journal, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: harness.machine.configuration, now: harness.now)
        #expect(machine.trials[TrialID(rawValue: 0)]?.retries == 0)
    }
}

extension StallTests {
    @Test func aBacklogOfIdleHeartbeatsReadAfterACoordinatorStallKeepsTheLease() {
        var harness = Harness()
        harness.send(.start)
        harness.ready("a")
        harness.answerProposals()  // TRIAL 0/1 sent now
        // The coordinator stalls 12 s right after the send; three idle heartbeats "a" sent before the TRIAL reached
        // it are read in one burst, at the same instant.
        harness.elapsed += .seconds(12)
        for _ in 0..<3 { harness.heartbeat("a") }
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[Self.key0] == .leased)
        // Its next heartbeat lists the attempt: the lease stands, and the idle report is forgotten.
        harness.elapsed += .seconds(1)
        harness.heartbeat("a", trial: 0)
        #expect(harness.machine.trials[Self.trial0]?.idleReportedAt == nil)
        harness.elapsed += .seconds(1)
        harness.heartbeat("a")  // (a stray idle report again only marks it)
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[Self.key0] == .leased)
        #expect(harness.dispatched(to: "a") == [Self.key0])
    }
}

extension StallTests {
    @Test func aStalledCoordinatorDoesNotDeclareItsWorkersLostForItsOwnStall() {
        var harness = Harness()
        harness.send(.start)
        harness.ready("a")
        harness.ready("b")
        harness.answerProposals()
        harness.advance(.seconds(1))
        // The coordinator stalls 20 s: the workers' heartbeats wait unread in the socket.
        let woke = harness.stall(.seconds(20))
        #expect(!harness.journal.contains { if case .workerLost = $0 { true } else { false } })
        #expect(woke.contains { if case .log(.notice, let text, _) = $0 { text.contains("the coordinator was stalled for 20.0 seconds") } else { false } })
        // The backlog is read; "b" then falls silent and is lost a lease timeout after the coordinator resumed.
        harness.heartbeat("a")
        harness.heartbeat("b")
        for _ in 0..<8 {
            harness.advance(.milliseconds(500))
            harness.heartbeat("a")
        }
        #expect(harness.machine.workers[WorkerID("b")]?.isLive == false)
        #expect(harness.machine.workers[WorkerID("a")]?.isLive == true)
    }
}
