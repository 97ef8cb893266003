import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// The coordinator's state stays bounded under hostile load (issue #7 §3, the core's part).
@Suite struct BoundsTests {
    private static func logLines(_ actions: [CoordinatorAction]) -> [String] {
        actions.compactMap { if case .log(_, let text, _) = $0 { text } else { nil } }
    }

    @Test func twentyThousandREADYsFromIdentitiesThatVanishLeaveNoRecords() throws {
        var harness = Harness()
        harness.checksInvariants = false
        harness.keepsLog = false
        harness.send(.start)
        var refused = 0
        for index in 0..<20_000 {
            let actions = harness.ready("ghost-\(index)")
            refused += Harness.messages(actions, to: "ghost-\(index)").filter {
                if case .error(let error) = $0 { error.code.rawValue == "too_many_workers" } else { false }
            }.count
        }
        #expect(harness.machine.workers.count == 10_000)
        #expect(refused == 10_000)
        #expect(Invariants.violations(harness.machine).isEmpty)
        harness.advance(.seconds(4))  // all silent past 1 s × 3: presumed lost
        #expect(harness.machine.workers.liveCount == 0)
        harness.advance(.seconds(61))  // past the 60 s grace: forgotten
        #expect(harness.machine.workers.count == 0)
        #expect(harness.machine.workers.idleCount == 0)
        // An honest worker joins and works normally afterwards.
        harness.keepsLog = true
        harness.checksInvariants = true
        harness.ready("honest")
        harness.answerProposals()
        #expect(harness.dispatched(to: "honest").count == 1)
    }

    @Test func aREADYBeyondTheCapGetsTooManyWorkersUnlessARetiredRecordCanMakeRoom() {
        var harness = Harness { $0.maxWorkers = 2 }
        harness.send(.start)
        harness.ready("a")
        harness.ready("b")
        let refused = harness.ready("c")
        #expect(Harness.messages(refused, to: "c").map { if case .error(let e) = $0 { e.code.rawValue } else { "" } } == ["too_many_workers"])
        #expect(harness.machine.workers[WorkerID("c")] == nil)
        #expect(!harness.journal.contains { if case .workerJoined(let id, _, _, _) = $0 { id == WorkerID("c") } else { false } })
        // "a" leaves; its retired record makes room for "d" before the grace time is up.
        harness.send(.peerUnreachable(WorkerID("a")))
        harness.ready("d")
        #expect(harness.machine.workers[WorkerID("d")]?.isLive == true)
        #expect(harness.machine.workers[WorkerID("a")] == nil)
    }

    @Test func anIncompatibleWorkerThatRepeatsREADYIsJournaledOnce() {
        var harness = Harness()
        harness.send(.start)
        for _ in 0..<5 {
            harness.ready("x", kinds: ["mlp"])
            harness.advance(.milliseconds(500))
        }
        #expect(harness.journal.filter { if case .workerLeft = $0 { true } else { false } }.count == 1)
        #expect(harness.machine.workers[WorkerID("x")]?.state == .incompatible)
    }

    @Test func idleWorkersAreServedFirstIdleFirst() throws {
        var harness = Harness { $0.trialBudget = 10; $0.prefetch = 0 }
        harness.send(.start)
        for worker in ["a", "b", "c"] { harness.ready(worker) }
        while harness.machine.workers.idleCount > 0 { harness.answerProposals() }
        let onA = try #require(harness.machine.workers[WorkerID("a")]?.leasedAttempts.first)
        let onB = try #require(harness.machine.workers[WorkerID("b")]?.leasedAttempts.first)
        harness.complete("b", trial: onB.trial.rawValue, value: 1)  // "b" idle first
        harness.complete("a", trial: onA.trial.rawValue, value: 1)  // then "a"
        // A single proposal goes to "b", the worker idle the longest.
        harness.send(.proposalsReady([Proposal(id: TrialID(rawValue: 50), assignment: ["x": .double(0.5)], point: [0.5])]))
        #expect(harness.dispatched(to: "b").last?.trial == TrialID(rawValue: 50))
        #expect(harness.dispatched(to: "a").count == 1)
    }

    @Test func warningsAboutBadMessagesAreRateLimitedWithASuppressedCount() throws {
        var harness = Harness()
        harness.keepsLog = false
        harness.send(.start)
        var lines = 0
        var errors = 0
        for index in 0..<10_000 {
            let peer = WorkerID("bad-\(index % 500)")
            let actions = harness.send(.malformedMessage(from: peer, reason: "body is not JSON"))
            lines += Self.logLines(actions).count
            errors += actions.filter { if case .send(_, .error) = $0 { true } else { false } }.count
        }
        #expect(lines == 20)  // the burst
        #expect(errors == 10_000)  // every peer still gets its ERROR reply
        let tick = Self.logLines(harness.advance(.seconds(1)))
        #expect(tick.contains { $0.hasPrefix("9980 more warnings about malformed or refused messages were suppressed") })
        // A single noisy peer gets five lines per 10 s, even with tokens to spare.
        harness.advance(.seconds(60))
        var noisy = 0
        for _ in 0..<50 {
            harness.elapsed += .milliseconds(100)
            noisy += Self.logLines(harness.send(.malformedMessage(from: WorkerID("noisy"), reason: "bad"))).count
        }
        #expect(noisy == 5)
    }

    @Test func anAttemptPastItsDeadlineIsCancelledAndRequeuedWithARetry() throws {
        var harness = Harness { $0.attemptTimeout = .seconds(30); $0.trialBudget = 2; $0.retries = 1 }
        harness.send(.start)
        harness.ready("hog")
        harness.answerProposals()
        let key = TrialKey(trial: TrialID(rawValue: 0), attempt: 1)
        // It only heartbeats, claiming to run the attempt.
        var cancel: [WireMessage] = []
        for _ in 0..<31 {
            harness.heartbeat("hog", trial: 0)
            cancel += Harness.messages(harness.advance(.seconds(1)), to: "hog").filter { if case .cancel = $0 { true } else { false } }
        }
        #expect(cancel.count == 1)
        #expect(harness.machine.workers[WorkerID("hog")]?.attempts[key] == .cancelling)
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.retries == 1)
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.phase == .queued)
        // It keeps claiming the cancelled attempt: it gets nothing else, and the trial goes to an honest worker.
        harness.heartbeat("hog", trial: 0)
        harness.ready("honest")
        // A worker that has only sent READY waits while another worker has reported (docs/protocol.md, *Handshake*);
        // its answer to the coordinator's HEARTBEAT makes it eligible.
        #expect(harness.dispatched(to: "honest").isEmpty)
        harness.heartbeat("honest")
        #expect(harness.dispatched(to: "honest") == [TrialKey(trial: TrialID(rawValue: 0), attempt: 2)])
        #expect(harness.dispatched(to: "hog") == [key])
    }
}

/// Identities that send READY and vanish never take a trial from workers that have shown they are there.
@Suite struct HandshakeTests {
    @Test func aWorkerThatOnlySentREADYWaitsWhileAnotherHasReported() throws {
        var harness = Harness { $0.trialBudget = 3 }
        harness.send(.start)
        harness.ready("honest")
        harness.heartbeat("honest")   // its answer to the coordinator's HEARTBEAT
        harness.answerProposals()
        #expect(harness.dispatched(to: "honest").count == 1)
        for index in 0..<50 { harness.ready("flood-\(index)") }
        harness.answerProposals()
        for index in 0..<50 { #expect(harness.dispatched(to: "flood-\(index)").isEmpty, "flood-\(index) got a trial") }
        #expect(harness.machine.workers.idleCount == 0, "a flood of READYs adds no worker that trials could go to")
        harness.complete("honest", trial: 0, value: 1)
        harness.answerProposals()
        #expect(harness.dispatched(to: "honest").count == 2)
    }

    @Test func losingAWorkerThatNeverReportedUsesNoRetry() throws {
        var harness = Harness { $0.trialBudget = 1; $0.retries = 1 }
        harness.send(.start)
        harness.ready("ghost")   // READY, then gone: it never answered the coordinator's HEARTBEAT
        harness.answerProposals()
        #expect(harness.dispatched(to: "ghost").count == 1)
        harness.send(.peerUnreachable(WorkerID("ghost"), undelivered: [.heartbeat(Heartbeat())]))
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.retries == 0)
        #expect(harness.machine.trials[TrialID(rawValue: 0)]?.phase == .queued)
    }
}
