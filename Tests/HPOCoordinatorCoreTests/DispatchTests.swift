import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

@Suite struct DispatchTests {
    @Test func startJournalsTheSessionAndPrefetchesProposals() {
        var harness = Harness()
        let actions = harness.send(.start)
        guard case .journal(let events) = actions.first, case .studyStarted(let name, let session, _, _, _, let budget, _) = events.first
        else {
            Issue.record("expected studyStarted first, got \(actions)")
            return
        }
        #expect(name == "test" && session == 1 && budget == 4)
        #expect(harness.requested == 1)
    }

    @Test func idleWorkersGetTrialsAndTheJournalComesFirst() throws {
        var harness = Harness()
        harness.send(.start)
        harness.answerProposals()
        harness.ready("a")
        // One trial was prefetched and went to "a", which asked for the next one at once.
        #expect(harness.dispatched(to: "a") == [TrialKey(trial: TrialID(rawValue: 0), attempt: 1)])
        #expect(harness.requested == 1)
        let actions = harness.ready("b")
        #expect(!actions.contains { if case .requestProposals = $0 { true } else { false } })
        let answer = harness.answerProposals()
        #expect(harness.dispatched(to: "b") == [TrialKey(trial: TrialID(rawValue: 1), attempt: 1)])
        // The dispatch is journaled in the leading journal action, before the TRIAL message.
        guard case .journal(let events) = try #require(answer.first) else {
            Issue.record("journal must come first: \(answer)")
            return
        }
        #expect(events.contains(.trialDispatched(trial: TrialID(rawValue: 1), attempt: 1, worker: WorkerID("b"))))
        #expect(events.contains(.trialProposed(trial: TrialID(rawValue: 1), parameters: ["x": .double(0.01)])))
    }

    @Test func aStudyRunsExactlyItsBudgetAndFinishesWithTheBest() throws {
        var harness = Harness { $0.trialBudget = 5 }
        harness.send(.start)
        harness.ready("a")
        harness.ready("b")
        var rounds = 0
        while harness.summary == nil && rounds < 50 {
            rounds += 1
            harness.answerProposals()
            for worker in ["a", "b"] {
                if let current = harness.machine.workers[WorkerID(worker)]?.leasedAttempts.first {
                    harness.complete(worker, trial: current.trial.rawValue, attempt: current.attempt, value: Double(current.trial.rawValue))
                }
            }
        }
        let summary = try #require(harness.summary)
        #expect(summary.state == .completed)
        #expect(summary.completed == 5 && summary.failed == 0 && summary.trials.count == 5)
        #expect(summary.best?.id == TrialID(rawValue: 4) && summary.best?.value == 4)
        #expect(harness.tells.count == 5)
        #expect(Set(harness.completedTrials) == [0, 1, 2, 3, 4])
        #expect(harness.completedTrials.count == 5)
        // Both workers get SHUTDOWN at the end.
        for worker in ["a", "b"] {
            #expect(harness.log.contains { action in
                if case .send(let peer, .shutdown) = action { return peer == WorkerID(worker) }
                return false
            })
        }
        if case .journal(let events)? = harness.log.last(where: { if case .journal = $0 { true } else { false } }) {
            #expect(events.last == .studyFinished(state: .completed, reason: "trial budget of 5 spent"))
        }
    }

    @Test func minimizeKeepsTheLowestValueAsBest() throws {
        var harness = Harness { $0.trialBudget = 2 }
        harness.machine = CoordinatorStateMachine(
            studyName: "min", direction: .minimize, space: Harness.space, configuration: harness.machine.configuration)
        harness.send(.start)
        harness.ready("a")
        harness.answerProposals()
        harness.complete("a", trial: 0, value: 3)
        harness.answerProposals()
        harness.complete("a", trial: 1, value: 5)
        #expect(try #require(harness.summary).best?.value == 3)
    }

    @Test func neverAsksBeyondTheBudget() {
        var harness = Harness { $0.trialBudget = 3; $0.prefetch = 10 }
        harness.send(.start)
        #expect(harness.requested == 3)
        harness.answerProposals()
        for worker in ["a", "b", "c", "d"] { harness.ready(worker) }
        #expect(harness.requested == nil)
        #expect(harness.dispatched(to: "d").isEmpty)
    }

    @Test func anIncompatibleWorkerIsToldWhyAndNeverGetsATrial() {
        var harness = Harness()
        harness.send(.start)
        harness.answerProposals()
        let actions = harness.ready("old", kinds: ["mlp"])
        let errors = Harness.errors(actions, to: "old")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("\"null\"") == true)
        #expect(Harness.messages(actions, to: "old").contains(.shutdown(Shutdown(reason: errors[0]))))
        #expect(harness.dispatched(to: "old").isEmpty)
    }

    @Test func aStatusRequestIsAnsweredWithCounts() {
        var harness = Harness()
        harness.send(.start)
        harness.ready("a")
        harness.answerProposals()
        harness.complete("a", trial: 0, value: 0.5)
        let actions = harness.send(.message(from: WorkerID("cli"), .statusRequest))
        guard case .statusReply(let status)? = Harness.messages(actions, to: "cli").first else {
            Issue.record("no status reply in \(actions)")
            return
        }
        #expect(status.completed == 1 && status.running == 0 && status.budget == 4 && status.best?.value == 0.5)
        #expect(status.pruned == 0, "a coordinator of today says how many were pruned, none here")
        #expect(status.workers.count == 1)
        #expect(harness.machine.workers[WorkerID("cli")] == nil)
    }

    @Test func theCoordinatorHeartbeatsIdleWorkers() {
        var harness = Harness()
        harness.send(.start)
        harness.ready("a")  // answered with a HEARTBEAT at 0 s
        // Then every half lease timeout (1 s × 3 / 2 = 1.5 s), not every interval.
        let early = harness.advance(.milliseconds(1_400))
        #expect(!Harness.messages(early, to: "a").contains { if case .heartbeat = $0 { true } else { false } })
        let actions = harness.advance(.milliseconds(100))
        #expect(Harness.messages(actions, to: "a").contains { if case .heartbeat = $0 { true } else { false } })
    }
}

@Suite struct BudgetTests {
    @Test func failedTrialsDoNotCountAgainstTheBudget() throws {
        var harness = Harness.running(["a"], handshake: false) { $0.trialBudget = 2 }
        harness.report("a", trial: 0, .failed(reason: "diverged"))
        harness.answerProposals()
        harness.complete("a", trial: 1, value: 1)
        #expect(harness.summary == nil)
        harness.answerProposals()
        harness.complete("a", trial: 2, value: 2)
        let summary = try #require(harness.summary)
        #expect(summary.state == .completed && summary.completed == 2 && summary.failed == 1)
    }
}
