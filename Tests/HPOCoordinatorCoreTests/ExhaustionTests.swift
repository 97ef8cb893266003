import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// A study whose optimizer runs out of proposals with budget unspent ends `exhausted`, saying so (issue #7 §5).
@Suite struct ExhaustionTests {
    @Test func anExhaustedDiscreteSpaceEndsExhaustedWithTheNumberOfPoints() throws {
        let space = try SearchSpace([
            Parameter(name: "units", kind: .int(low: 1, high: 3)),
            Parameter(name: "act", kind: .categorical([.string("relu"), .string("tanh")])),
            Parameter(name: "lr", kind: .float(low: 0.1, high: 0.3, step: 0.1)),
            Parameter(name: "seed", kind: .fixed(.int(7))),
        ])
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null"))
        configuration.trialBudget = 20
        var machine = CoordinatorStateMachine(studyName: "s", direction: .minimize, space: space, configuration: configuration)
        let origin = ContinuousClock.now
        var finish: StudySummary?
        func feed(_ event: CoordinatorEvent) {
            for case .finish(let summary) in machine.handle(event, now: origin) { finish = summary }
        }
        feed(.start)
        feed(.message(from: WorkerID("a"), .ready(Ready(host: "h", pid: 1, capabilities: ["null"]))))
        feed(.proposalsReady([Proposal(id: TrialID(rawValue: 0), assignment: ["units": .int(1)], point: [0])]))
        feed(.message(from: WorkerID("a"), .result(TrialResult(
            trialID: 0, attempt: 1, outcome: .completed(value: 1, metrics: [:]), duration: .zero))))
        feed(.proposalsReady([]))
        let summary = try #require(finish)
        #expect(summary.state == .exhausted)
        #expect(summary.reason == "the optimizer proposed nothing new after 1 trials (1 completed of the budget of 20); "
            + "the search space may be exhausted (it holds 18 distinct points): widen it, lower budget.trials, or use "
            + "another optimizer")
    }

    @Test func aResultAfterAnEmptyAnswerAsksAgainInsteadOfEnding() {
        var harness = Harness { $0.trialBudget = 10 }
        harness.send(.start)
        harness.ready("a")
        harness.ready("b")
        harness.answerProposals()
        harness.send(.proposalsReady([]))
        #expect(harness.summary == nil)  // trials still run: the optimizer may propose again after their results
        harness.complete("a", trial: 0, value: 1)
        #expect(harness.requested != nil)
        #expect(harness.summary == nil)
    }
}
