import HPOCoordinatorCore

extension Harness {
    /// ASHA η = 2 on steps 1, 2, 4 (max 8), no prefetch, budget `budget`, every step journaled; not started.
    static func asha(batchMode: CoordinatorConfiguration.BatchMode = .async, budget: Int = 4) -> Harness {
        Harness {
            $0.trialBudget = budget
            $0.prefetch = 0
            $0.batchMode = batchMode
            $0.syncBatchSize = 1
            $0.pruner = .asha(reductionFactor: 2, minResource: 1, maxResource: 8, minEarlyStoppingRate: 0)
            $0.progressMinInterval = .zero
        }
    }

    /// `asha(batchMode:budget:)` started, with one worker "a" joined and the first proposals answered.
    static func ashaWithOneWorker(batchMode: CoordinatorConfiguration.BatchMode = .async, budget: Int = 4) -> Harness {
        var harness = asha(batchMode: batchMode, budget: budget)
        harness.send(.start)
        harness.join("a")
        harness.answerProposals()
        return harness
    }
}
