import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// Early stopping through the coordinator's state machine: journal, PRUNE, budget, tells, resume.
@Suite struct CoordinatorPruningTests {
    @discardableResult
    private func progress(_ harness: inout Harness, _ worker: String, trial: Int, attempt: Int = 1, step: Int, _ value: Double)
        -> [CoordinatorAction]
    {
        harness.send(.message(from: WorkerID(worker), .progress(TrialProgress(trialID: trial, attempt: attempt, step: step, value: value))))
    }

    private func pruned(_ journal: [JournalEvent]) -> [Int] {
        journal.compactMap { if case .trialPruned(let id, _, _, _, _) = $0 { id.rawValue } else { nil } }
    }

    @Test func aPruneIsJournaledAndSentInTheSameRoundAsItsProgress() throws {
        var harness = Harness.ashaWithOneWorker()
        for step in 1...8 { progress(&harness, "a", trial: 0, step: step, 0.5 + Double(step) / 100) }
        harness.complete("a", trial: 0, value: 0.6)
        harness.answerProposals()
        let actions = progress(&harness, "a", trial: 1, step: 1, 0.2)
        guard case .journal(let events) = actions.first else { Issue.record("no journal first: \(actions)"); return }
        #expect(events == [
            .trialProgress(trial: TrialID(rawValue: 1), attempt: 1, step: 1, value: 0.2),
            .trialPruned(
                trial: TrialID(rawValue: 1), attempt: 1, step: 1, value: 0.2,
                reason: "ASHA rung 0 (step 1): value 0.2 at step 1 ranks 2 of 2, outside the top 1 (1/2)"),
        ])
        let prunes = Harness.messages(actions, to: "a").compactMap { if case .prune(let p) = $0 { p } else { nil } }
        #expect(prunes == [Prune(trialID: 1, attempt: 1, step: 1, reason: "ASHA rung 0 (step 1): value 0.2 at step 1 ranks 2 of 2, outside the top 1 (1/2)")])
        #expect(harness.machine.trials[TrialID(rawValue: 1)]?.phase == .pruned(step: 1, value: 0.2))
        // The optimizer is told the last value (the default treatment).
        #expect(harness.tells.last.map { $0.0.rawValue == 1 && $0.1 == .completed(0.2) } == true)
        // The worker is busy until it answers; a later progress of the pruned attempt is not journaled.
        #expect(harness.dispatched(to: "a").count == 2)
        let late = progress(&harness, "a", trial: 1, step: 2, 0.9)
        #expect(!late.contains { if case .journal = $0 { true } else { false } })
        harness.report("a", trial: 1, .stopped(reason: "pruned at step 1: …"))
        #expect(harness.dispatched(to: "a").count == 2)   // no proposal answered yet
        harness.answerProposals()
        #expect(harness.dispatched(to: "a").last == TrialKey(trial: TrialID(rawValue: 2), attempt: 1))
        #expect(pruned(harness.journal) == [1])
    }

    @Test func prunedTrialsCountTowardTheBudgetAndTheSummarySaysWhatWasSaved() {
        var harness = Harness.ashaWithOneWorker(budget: 3)
        for step in 1...8 { progress(&harness, "a", trial: 0, step: step, 0.9) }
        harness.complete("a", trial: 0, value: 0.9)
        for trial in 1...2 {
            harness.answerProposals()
            progress(&harness, "a", trial: trial, step: 1, 0.1)
            harness.report("a", trial: trial, .stopped(reason: "pruned"))
        }
        let summary = try! #require(harness.summary)
        #expect(summary.state == .completed)
        #expect(summary.completed == 1 && summary.pruned == 2 && summary.failed == 0)
        #expect(summary.stepsSaved == 14 && summary.stepsTrained == 10)   // (8 − 1) × 2 spared; 8 + 1 + 1 trained
        #expect(summary.trials.map(\.state) == [.completed, .pruned, .pruned])
        #expect(summary.trials[1].prunedStep == 1 && summary.trials[1].value == 0.1)
    }

    @Test func ignoredPrunedTrialsAreToldAsFailedToTheOptimizer() {
        var harness = Harness {
            $0.pruner = .asha(reductionFactor: 2, minResource: 1, maxResource: 8, minEarlyStoppingRate: 0)
            $0.prunedTrials = .ignore
            $0.prefetch = 0
        }
        harness.send(.start)
        harness.join("a")
        harness.answerProposals()
        progress(&harness, "a", trial: 0, step: 1, 0.9)
        harness.complete("a", trial: 0, value: 0.9)
        harness.answerProposals()
        progress(&harness, "a", trial: 1, step: 1, 0.1)
        #expect(harness.tells.last.map { $0.1 == .failed(reason: "pruned at step 1") } == true)
    }

    @Test func progressRowsAreOnePerStepCoalescedWhenFastAndAlwaysKeptWhereThePrunerJudges() {
        var harness = Harness {
            $0.pruner = .asha(reductionFactor: 2, minResource: 4, maxResource: 64, minEarlyStoppingRate: 0)
            $0.progressMinInterval = .milliseconds(10)
            $0.progressRowsPerAttempt = 3
            $0.progressDenseRows = 1
        }
        harness.send(.start)
        harness.join("a")
        harness.answerProposals()
        // Steps 1-9 arrive within 1 ms, step 3 twice: rows for step 1 (first), 4 and 8 (rungs) only.
        for step in [1, 2, 3, 3, 4, 5, 6, 7, 8, 9] { progress(&harness, "a", trial: 0, step: step, 0.5) }
        // After 10 ms an unjudged step is journaled again; past 3 rows only rung steps are.
        harness.advance(.milliseconds(20))
        progress(&harness, "a", trial: 0, step: 10, 0.5)
        harness.advance(.milliseconds(20))
        progress(&harness, "a", trial: 0, step: 11, 0.5)
        progress(&harness, "a", trial: 0, step: 16, 0.5)
        let steps = harness.journal.compactMap { if case .trialProgress(_, _, let step, _) = $0 { step } else { nil } }
        #expect(steps == [1, 4, 8, 16])
    }

    @Test func syncBatchesArePrunedOnlyAgainstEarlierBatches() {
        var harness = Harness {
            $0.trialBudget = 4
            $0.batchMode = .sync
            $0.syncBatchSize = 2
            $0.pruner = .asha(reductionFactor: 2, minResource: 1, maxResource: 8, minEarlyStoppingRate: 0)
            $0.progressMinInterval = .zero
        }
        harness.send(.start)
        harness.join("a")
        harness.join("b")
        harness.answerProposals()
        // Batch 1 (trials 0, 1): the worse one reports second, yet nothing is pruned.
        progress(&harness, "a", trial: 0, step: 1, 0.9)
        progress(&harness, "b", trial: 1, step: 1, 0.1)
        harness.complete("a", trial: 0, value: 0.9)
        harness.complete("b", trial: 1, value: 0.1)
        #expect(pruned(harness.journal).isEmpty)
        harness.answerProposals()
        // Batch 2 (trials 2, 3): judged against 0.9 and 0.1.
        progress(&harness, "a", trial: 2, step: 1, 0.5)   // 1 better of 3, top 1: pruned
        progress(&harness, "b", trial: 3, step: 1, 0.95)  // best: kept
        #expect(pruned(harness.journal) == [2])
    }

    @Test func resumeKeepsTheRungsSoNothingIsJudgedOrPrunedTwice() throws {
        var harness = Harness.ashaWithOneWorker(budget: 6)
        for step in 1...2 { progress(&harness, "a", trial: 0, step: step, 0.9) }   // trial 0 passes rungs 0 and 1
        let events = harness.journal   // the coordinator is killed here, trial 0 running
        var resumed = Harness.asha(budget: 6)
        resumed.machine = try CoordinatorStateMachine.replay(
            events, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: resumed.machine.configuration, now: resumed.now
        ).machine
        let asha = try #require(resumed.machine.pruner as? ASHAPruner)
        #expect(asha.nextRung[TrialID(rawValue: 0)] == 2 && asha.rungs.map(\.visible) == [[0.9], [0.9]])
        resumed.nextTrial = 1
        resumed.send(.start)
        // Its worker never comes back: trial 0 is re-queued as attempt 2 and starts again from step 1.
        resumed.advance(.seconds(4))
        resumed.join("b")
        resumed.answerProposals()
        #expect(resumed.dispatched(to: "b").first == TrialKey(trial: TrialID(rawValue: 0), attempt: 2))
        // Much worse values at steps 1 and 2 than before: rungs 0 and 1 were passed, so they are not judged again.
        for step in 1...2 { progress(&resumed, "b", trial: 0, attempt: 2, step: step, 0.1) }
        #expect(pruned(resumed.journal).isEmpty)
        // A second resume replays both sessions' rows: still one rung value per trial.
        let both = events + resumed.journal
        let again = try CoordinatorStateMachine.replay(
            both, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: resumed.machine.configuration, now: resumed.now
        ).machine
        #expect((again.pruner as? ASHAPruner)?.rungs.map(\.visible) == [[0.9], [0.9]])
        #expect(Invariants.countedTwice(both).isEmpty)
    }

    @Test func aPrunedTrialSurvivesReplayAsPruned() throws {
        var harness = Harness.ashaWithOneWorker()
        progress(&harness, "a", trial: 0, step: 1, 0.9)
        harness.complete("a", trial: 0, value: 0.9)
        harness.answerProposals()
        progress(&harness, "a", trial: 1, step: 1, 0.1)
        let replayed = try CoordinatorStateMachine.replay(
            harness.journal, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: harness.machine.configuration, now: harness.now)
        #expect(replayed.machine.trials[TrialID(rawValue: 1)]?.phase == .pruned(step: 1, value: 0.1))
        #expect(replayed.trials[1].outcome == .completed(0.1))
        let fold = try JournalFold(harness.journal)
        #expect(fold.trials[TrialID(rawValue: 1)]?.state == .pruned(step: 1, value: 0.1))
    }
}
