import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

@Suite struct BatchModeTests {
    @Test func syncModeWaitsForTheWholeBatchAndTellsInTrialOrder() {
        var harness = Harness { $0.batchMode = .sync; $0.syncBatchSize = 3; $0.trialBudget = 5 }
        harness.send(.start)
        #expect(harness.requested == 3)
        harness.answerProposals()
        harness.ready("a")
        harness.ready("b")
        #expect(harness.dispatched(to: "a").count == 1 && harness.dispatched(to: "b").count == 1)
        harness.complete("b", trial: 1, value: 1)
        // "b" takes the third trial of the batch; no tell and no new request until the batch is done.
        #expect(harness.dispatched(to: "b").last?.trial == TrialID(rawValue: 2))
        #expect(harness.tells.isEmpty && harness.requested == nil)
        harness.complete("b", trial: 2, value: 2)
        #expect(harness.tells.isEmpty && harness.requested == nil)
        harness.complete("a", trial: 0, value: 0)
        #expect(harness.tells.map { $0.0.rawValue } == [0, 1, 2])
        // The last batch is cut to the budget.
        #expect(harness.requested == 2)
    }

    @Test func syncModeDefaultsTheBatchSizeToTheLiveWorkers() {
        var harness = Harness { $0.batchMode = .sync; $0.trialBudget = 10 }
        harness.send(.start)
        #expect(harness.requested == nil)  // no worker yet
        harness.ready("a")
        #expect(harness.requested == 1)
    }

    @Test func theSameCallsGiveTheSameTrialsWhateverTheWorkerCountInSyncMode() {
        func run(workers: Int) -> [String] {
            var harness = Harness { $0.batchMode = .sync; $0.syncBatchSize = 4; $0.trialBudget = 8 }
            harness.send(.start)
            let names = (0..<workers).map { "w\($0)" }
            for name in names { harness.ready(name) }
            var guardRounds = 0
            while harness.summary == nil && guardRounds < 100 {
                guardRounds += 1
                harness.answerProposals()
                for name in names.reversed() {
                    if let key = harness.machine.workers[WorkerID(name)]?.leasedAttempts.first {
                        harness.complete(name, trial: key.trial.rawValue, attempt: key.attempt, value: Double(key.trial.rawValue))
                    }
                }
            }
            return harness.log.compactMap { action in
                if case .tellOptimizer(let id, _) = action { return "tell \(id.rawValue)" }
                if case .requestProposals(let count) = action { return "ask \(count)" }
                return nil
            }
        }
        #expect(run(workers: 1) == run(workers: 3))
        #expect(run(workers: 2).first == "ask 4")
    }

    @Test func asyncModeTellsAtOnceAndKeepsPrefetchedProposalsReady() {
        var harness = Harness { $0.prefetch = 2; $0.trialBudget = 10 }
        harness.send(.start)
        #expect(harness.requested == 2)
        harness.answerProposals()
        harness.ready("a")
        // "a" took one; one more (plus prefetch) is asked for so the queue stays at 2.
        #expect(harness.requested == 1)
        harness.answerProposals()
        harness.complete("a", trial: 0, value: 0)
        #expect(harness.tells.map { $0.0.rawValue } == [0])
        #expect(harness.dispatched(to: "a").map(\.trial.rawValue) == [0, 1])
    }

    @Test func anEmptyAnswerFromTheOptimizerEndsTheStudyWhenNothingRuns() throws {
        var harness = Harness.running(["a"], handshake: false) { $0.trialBudget = 10 }
        harness.complete("a", trial: 0, value: 1)
        harness.send(.proposalsReady([]))
        let summary = try #require(harness.summary)
        #expect(summary.state == .exhausted)
        #expect(summary.reason.contains("the optimizer proposed nothing new after 1 trials (1 completed of the budget of 10)"))
    }

    @Test func anOptimizerErrorFailsTheStudy() throws {
        var harness = Harness()
        harness.send(.start)
        harness.send(.proposalsFailed(reason: "Cholesky failed"))
        let summary = try #require(harness.summary)
        #expect(summary.state == .failed)
        #expect(summary.reason.contains("Cholesky failed"))
    }
}
