import HPOCoordinatorCore
import HPOOptimizer
import HPOWire
import Testing

/// A failed journal write is an event the core handles: the study ends as failed through `finish`, and the summary
/// counts only what was committed (issue #16 §2).
@Suite struct JournalFailureTests {
    /// The journal events among `actions`.
    private static func journaled(_ actions: [CoordinatorAction]) -> [JournalEvent] {
        actions.flatMap { action -> [JournalEvent] in
            if case .journal(let events) = action { return events }
            return []
        }
    }

    private func twoRunning(_ configure: (inout CoordinatorConfiguration) -> Void = { _ in }) -> Harness {
        Harness.running(["a", "b"], handshake: false, configure: configure)
    }

    @Test func aLostCompletionIsNotCountedAndTheStudyEndsAsFailedThroughFinish() throws {
        var harness = twoRunning { $0.trialBudget = 10 }
        harness.complete("a", trial: 0, value: 1)
        let lostBatch = harness.complete("b", trial: 1, value: 2)
        let lost = Self.journaled(lostBatch)
        #expect(lost.contains { if case .trialCompleted = $0 { true } else { false } })
        let actions = harness.send(.journalFailed(reason: "disk I/O error", lost: lost))
        let summary = try #require(harness.summary)
        #expect(summary.state == .failed)
        #expect(summary.reason.contains("journal could not be written (disk I/O error)"))
        #expect(summary.completed == 1)
        #expect(summary.best?.value == 1)
        #expect(harness.machine.trials[TrialID(rawValue: 1)]?.isFinished == false)
        #expect(harness.machine.isFinished)
        #expect(Harness.messages(actions, to: "a").contains { if case .shutdown = $0 { true } else { false } })
        #expect(actions.filter { if case .finish = $0 { true } else { false } }.count == 1)
    }

    @Test func aLostBatchThatEndedTheStudyIsDecidedAgainFromWhatWasCommitted() throws {
        var harness = twoRunning { $0.trialBudget = 2 }
        harness.complete("a", trial: 0, value: 1)
        let last = harness.complete("b", trial: 1, value: 2)
        #expect(harness.summary?.state == .completed)
        let actions = harness.send(.journalFailed(reason: "no space left on device", lost: Self.journaled(last)))
        let finishes = actions.compactMap { action -> StudySummary? in
            if case .finish(let summary) = action { return summary }
            return nil
        }
        let summary = try #require(finishes.first)
        #expect(finishes.count == 1)
        #expect(summary.state == .failed)
        #expect(summary.completed == 1 && summary.unfinished == 1)
    }

    @Test func lostProposalsAndTheirDispatchesAreForgotten() throws {
        var harness = Harness { $0.trialBudget = 10 }
        harness.send(.start)
        harness.ready("a")
        let batch = harness.answerProposals()
        let lost = Self.journaled(batch)
        #expect(lost.contains { if case .trialDispatched = $0 { true } else { false } })
        harness.send(.journalFailed(reason: "disk I/O error", lost: lost))
        let summary = try #require(harness.summary)
        #expect(summary.trials.isEmpty)
        #expect(harness.machine.workers[WorkerID("a")]?.isIdle == true)
    }

    @Test func theStatusBudgetIsAbsentWhenOnlyTheWallTimeLimitsTheStudy() throws {
        var harness = Harness { $0.trialBudget = nil; $0.wallTime = .seconds(60) }
        harness.send(.start)
        let reply = harness.send(.message(from: WorkerID("cli"), .statusRequest))
        guard case .statusReply(let status) = try #require(Harness.messages(reply, to: "cli").first) else {
            Issue.record("expected a STATUS_REPLY: \(reply)")
            return
        }
        #expect(status.budget == nil)
        #expect(harness.machine.snapshot.trialBudget == nil)
    }
}
