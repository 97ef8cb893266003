import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// A worker that announces `slots` in READY runs that many attempts at once; leases, heartbeats, losses, cancels and
/// adoption are per attempt (docs/protocol.md, *Slots*). Fake time, no sockets.
@Suite struct SlotTests {
    private static func key(_ trial: Int, _ attempt: Int = 1) -> TrialKey {
        TrialKey(trial: TrialID(rawValue: trial), attempt: attempt)
    }

    /// READY with `slots`, then the HEARTBEAT a real worker answers the coordinator's first one with.
    @discardableResult
    private static func join(_ harness: inout Harness, _ worker: String, slots: Int) -> [CoordinatorAction] {
        harness.send(.message(from: WorkerID(worker), .ready(Ready(host: "h", pid: 7, capabilities: ["null"], slots: slots))))
            + beat(&harness, worker, [])
    }

    /// A worker's HEARTBEAT naming these attempts.
    @discardableResult
    private static func beat(_ harness: inout Harness, _ worker: String, _ running: [TrialKey]) -> [CoordinatorAction] {
        harness.send(.message(from: WorkerID(worker), .heartbeat(Heartbeat(
            running: running.map { TrialKey(trialID: $0.trial.rawValue, attempt: $0.attempt) }))))
    }

    /// A study (budget 10, `prefetch` trials asked ahead) in which "a" joined with 2 slots and runs trials 0 and 1.
    private static func twoSlotWorker(prefetch: Int) -> Harness {
        var harness = Harness { $0.trialBudget = 10; $0.prefetch = prefetch }
        harness.send(.start)
        join(&harness, "a", slots: 2)
        answerAll(&harness)
        #expect(harness.dispatched(to: "a") == [key(0), key(1)])
        return harness
    }

    /// Answers proposal requests until none is outstanding.
    private static func answerAll(_ harness: inout Harness) {
        while harness.requested != nil { harness.answerProposals() }
    }

    @Test func aTwoSlotWorkerGetsTwoTrialsAndNotAThirdUntilASlotIsFree() {
        var harness = Self.twoSlotWorker(prefetch: 1)
        // A third is proposed (prefetch) and waits in the queue: both slots are taken.
        #expect(harness.machine.queuedTrials == [TrialID(rawValue: 2)])
        Self.beat(&harness, "a", [Self.key(0), Self.key(1)])
        #expect(harness.dispatched(to: "a").count == 2)
        #expect(harness.machine.workers[WorkerID("a")]?.leasedAttempts == [Self.key(0), Self.key(1)])
        // A finished slot is refilled at once, and the other attempt keeps its lease.
        harness.complete("a", trial: 0, value: 0.5)
        #expect(harness.dispatched(to: "a") == [Self.key(0), Self.key(1), Self.key(2)])
        #expect(harness.machine.workers[WorkerID("a")]?.leasedAttempts == [Self.key(1), Self.key(2)])
    }

    @Test func slotsFillRoundRobinAcrossWorkersAndPrefetchCountsFreeSlots() {
        var harness = Harness { $0.trialBudget = 20; $0.prefetch = 1 }
        harness.send(.start)
        Self.join(&harness, "a", slots: 2)
        Self.join(&harness, "b", slots: 2)
        // The first ask (made before any worker) brings trial 0; the next covers the 3 free slots plus the prefetch.
        harness.answerProposals()
        #expect(harness.requested == 4)
        Self.answerAll(&harness)
        #expect(harness.dispatched(to: "a").map(\.trial.rawValue) == [0, 2])
        #expect(harness.dispatched(to: "b").map(\.trial.rawValue) == [1, 3])
        #expect(harness.machine.queuedTrials.count == 1)
    }

    @Test func theCoordinatorHeartbeatNamesEveryLeaseAndStatusShowsSlots() throws {
        var harness = Harness { $0.trialBudget = 10 }
        harness.send(.start)
        Self.join(&harness, "a", slots: 3)
        Self.answerAll(&harness)
        let beats = harness.advance(.milliseconds(1_500)).compactMap { action -> Heartbeat? in
            if case .send(WorkerID("a"), .heartbeat(let heartbeat)) = action { return heartbeat }
            return nil
        }
        let running = try #require(beats.last?.running)
        #expect(running == [0, 1, 2].map { TrialKey(trialID: $0, attempt: 1) })
        let status = harness.send(.message(from: WorkerID("s"), .statusRequest)).compactMap { action -> StudyStatus? in
            if case .send(_, .statusReply(let status)) = action { return status }
            return nil
        }
        #expect(status.first?.workers.first?.slots == 3)
        #expect(status.first?.workers.first?.running.count == 3)
    }

    @Test func oneAttemptThatNeverStartedIsRequeuedWithoutDroppingTheOther() {
        var harness = Self.twoSlotWorker(prefetch: 0)
        // The worker runs trial 0 only: after a lease timeout and once more an interval later, trial 1 goes back to
        // the queue without a retry; trial 0 keeps its lease all along.
        for _ in 0..<6 {
            harness.advance(.milliseconds(900))
            Self.beat(&harness, "a", [Self.key(0)])
        }
        #expect(harness.journal.contains { event in
            if case .trialRequeued(TrialID(rawValue: 1), 1, 0, _) = event { return true }
            return false
        })
        #expect(harness.machine.workers[WorkerID("a")]?.attempts[Self.key(0)] == .leased)
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.phase == .leased(
            worker: WorkerID("a"), attempt: 1, since: harness.origin))
        // The freed slot is filled again (trial 1's next attempt).
        #expect(harness.dispatched(to: "a").last == Self.key(1, 2))
    }

    @Test func anAttemptPastItsDeadlineIsCancelledAndTheOtherSlotKeepsRunning() {
        var harness = Harness { $0.trialBudget = 10; $0.prefetch = 0; $0.attemptTimeout = .seconds(5) }
        harness.send(.start)
        Self.join(&harness, "a", slots: 2)
        harness.answerProposals()  // trials 0 and 1
        harness.advance(.seconds(3))
        Self.beat(&harness, "a", [Self.key(0), Self.key(1)])
        harness.complete("a", trial: 1, value: 1)
        harness.answerProposals()  // trial 2, three seconds later, in trial 1's slot
        for _ in 0..<5 {
            harness.advance(.milliseconds(500))
            Self.beat(&harness, "a", harness.machine.workers[WorkerID("a")]?.busyAttempts ?? [])
        }
        // Trial 0 ran past 5 s: cancelled (its slot stays taken until it ends), trial 2 keeps its lease.
        let worker = harness.machine.workers[WorkerID("a")]
        #expect(worker?.attempts[Self.key(0)] == .cancelling)
        #expect(worker?.attempts[Self.key(2)] == .leased)
        #expect(worker?.isIdle == false)
        harness.report("a", trial: 0, .stopped(reason: "cancelled"))
        // Its slot is free: trial 0's retry goes to it.
        #expect(harness.dispatched(to: "a").last == Self.key(0, 2))
    }

    @Test func aBusyAnswerRequeuesWithoutARetryAndKeepsTheWorkerInService() {
        var harness = Self.twoSlotWorker(prefetch: 0)
        // The worker still ends an attempt the coordinator forgot (trial 9 of an earlier run): it has no room for 1.
        harness.report("a", trial: 1, .stopped(reason: "busy: this worker runs trial 0 attempt 1, trial 9 attempt 1 and has 2 slot(s)"))
        let actions = Self.beat(&harness, "a", [Self.key(0), Self.key(9)])
        #expect(harness.machine.workers[WorkerID("a")]?.state == .serving)
        #expect(harness.machine.trials[TrialID(rawValue: 1)]?.retries == 0)
        #expect(!harness.journal.contains { if case .workerLeft = $0 { return true } else { return false } })
        // What runs there unexpectedly is cancelled and fills the slot until it ends; trial 1 waits.
        #expect(Harness.messages(actions, to: "a").contains(.cancel(Cancel(trialID: 9, attempt: 1, reason: "the coordinator does not expect this attempt"))))
        #expect(harness.machine.workers[WorkerID("a")]?.isIdle == false)
        harness.report("a", trial: 9, .stopped(reason: "cancelled"))
        #expect(harness.dispatched(to: "a").last?.trial == TrialID(rawValue: 1))
    }

    @Test func aLostWorkerGivesBackEveryAttemptAndReadoptsThemWhenItReturns() {
        var harness = Self.twoSlotWorker(prefetch: 0)
        harness.advance(.seconds(4))  // silent past 1 s × 3
        #expect(harness.machine.workers[WorkerID("a")]?.state == .presumedLost(heldAttempts: [Self.key(0), Self.key(1)]))
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.retries == 1 && harness.machine.trials[TrialID(rawValue: 1)]?.retries == 1)
        // It comes back still running both before they were handed out again: both leases are restored.
        Self.beat(&harness, "a", [Self.key(0), Self.key(1)])
        #expect(harness.machine.workers[WorkerID("a")]?.leasedAttempts == [Self.key(0), Self.key(1)])
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.retries == 0 && harness.machine.trials[TrialID(rawValue: 1)]?.retries == 0)
        #expect(harness.machine.queuedTrials.isEmpty)
    }

    @Test func aWorkerThatShutsDownGivesBackEveryAttemptWithoutARetry() {
        var harness = Self.twoSlotWorker(prefetch: 0)
        harness.report("a", trial: 0, .stopped(reason: "SIGTERM"))
        #expect(harness.machine.workers[WorkerID("a")]?.state == .left)
        #expect(Set(harness.machine.queuedTrials) == [TrialID(rawValue: 0), TrialID(rawValue: 1)])
        #expect(harness.machine.trials.values.allSatisfy { $0.retries == 0 })
        // The second attempt's own stopped RESULT changes nothing.
        harness.report("a", trial: 1, .stopped(reason: "SIGTERM"))
        #expect(Set(harness.machine.queuedTrials) == [TrialID(rawValue: 0), TrialID(rawValue: 1)])
    }

    @Test func syncBatchesCountSlots() {
        var harness = Harness { $0.batchMode = .sync; $0.trialBudget = 20 }
        harness.send(.start)
        harness.send(.message(from: WorkerID("a"), .ready(Ready(host: "h", pid: 7, capabilities: ["null"], slots: 3))))
        // Two workers of 3 and 1 slots: a batch of 4 once both are there (the first batch is asked at the first READY).
        #expect(harness.requested == 3)
        harness.answerProposals()
        Self.beat(&harness, "a", [])
        harness.send(.message(from: WorkerID("b"), .ready(Ready(host: "h", pid: 7, capabilities: ["null"], slots: 1))))
        Self.beat(&harness, "b", [])
        #expect(harness.dispatched(to: "a").count == 3)
        for trial in 0..<3 { harness.complete("a", trial: trial, value: Double(trial)) }
        #expect(harness.requested == 4)
    }

    @Test func aTwoSlotWorkerReadoptsBothTrialsAfterACoordinatorRestart() throws {
        var old = Harness { $0.trialBudget = 6; $0.prefetch = 0 }
        old.send(.start)
        Self.join(&old, "a", slots: 2)
        Self.answerAll(&old)
        old.complete("a", trial: 0, value: 0.5)
        Self.answerAll(&old)
        #expect(old.machine.workers[WorkerID("a")]?.leasedAttempts == [Self.key(1), Self.key(2)])
        // The coordinator crashes; the journal is replayed by a new process.
        var harness = Harness { $0.trialBudget = 6; $0.prefetch = 0 }
        (harness.machine, _) = try CoordinatorStateMachine.replay(
            old.journal, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: old.machine.configuration, now: harness.now)
        harness.nextTrial = 3
        harness.send(.start)
        harness.send(.message(from: WorkerID("a"), .ready(Ready(host: "h", pid: 7, capabilities: ["null"], slots: 2))))
        #expect(harness.dispatched(to: "a").isEmpty)  // it may still run trials from before
        Self.beat(&harness, "a", [Self.key(1), Self.key(2)])
        #expect(harness.journal.contains(.trialAdopted(trial: TrialID(rawValue: 1), attempt: 1, worker: WorkerID("a"))))
        #expect(harness.journal.contains(.trialAdopted(trial: TrialID(rawValue: 2), attempt: 1, worker: WorkerID("a"))))
        #expect(harness.machine.workers[WorkerID("a")]?.leasedAttempts == [Self.key(1), Self.key(2)])
        // Both slots are taken: no new trial until one ends; then its slot is refilled.
        Self.answerAll(&harness)
        #expect(harness.dispatched(to: "a").isEmpty)
        harness.complete("a", trial: 1, value: 0.7)
        Self.answerAll(&harness)
        #expect(harness.dispatched(to: "a").map(\.trial.rawValue) == [3])
    }

    @Test func announcedSlotsAreClampedToWhatTheCoordinatorCounts() {
        var harness = Harness { $0.trialBudget = 1_000; $0.maxProposalsPerAsk = 1_000 }
        harness.send(.start)
        Self.join(&harness, "a", slots: 10_000)
        #expect(harness.machine.workers[WorkerID("a")]?.slots == WorkerRecord.maxSlots)
        Self.answerAll(&harness)
        #expect(harness.dispatched(to: "a").count == WorkerRecord.maxSlots)
    }
}
