import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// `CoordinatorStateMachine.enqueue`: a study file's `enqueue:` trials run before any proposal, journaled after the
/// session's `studyStarted`, once.
@Suite struct EnqueueTests {
    @Test func enqueuedTrialsAreJournaledAfterStudyStartedAndDispatchedBeforeAnyProposal() {
        var harness = Harness { $0.trialBudget = 4; $0.prefetch = 0 }
        let created = harness.machine.enqueue([["x": .double(0.5)], ["x": .double(0.25)]])
        #expect(created.map(\.id.rawValue) == [0, 1])
        #expect(created.allSatisfy { $0.outcome == nil })
        harness.send(.start)
        #expect(harness.journal.map(\.kind) == ["study.started", "trial.proposed", "trial.proposed"])
        harness.ready("a")
        harness.ready("b")
        let dispatched = harness.journal.compactMap { event -> Int? in
            if case .trialDispatched(let trial, _, _) = event { trial.rawValue } else { nil }
        }
        #expect(dispatched == [0, 1])
        // With both workers busy on the enqueued trials, nothing else was asked of the optimizer.
        #expect(harness.requested == nil)
    }

    @Test func anAssignmentTheJournalAlreadyHoldsIsNotQueuedAgain() throws {
        var first = Harness { $0.trialBudget = 4 }
        _ = first.machine.enqueue([["x": .double(0.5)]])
        first.send(.start)
        let resumed = try CoordinatorStateMachine.replay(
            first.journal, studyName: "test", direction: .maximize, space: Harness.space,
            configuration: first.machine.configuration, now: .now)
        var machine = resumed.machine
        let created = machine.enqueue([["x": .double(0.5)], ["x": .double(0.75)]])
        #expect(created.map(\.id.rawValue) == [1])
        #expect(created.first?.parameters == ["x": .double(0.75)])
        #expect(machine.queuedTrials.map(\.rawValue) == [0, 1])
    }
}
