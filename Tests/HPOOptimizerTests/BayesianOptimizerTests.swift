import Foundation
import HPOOptimizer
import HPOSearchSpace
import Testing

@Suite struct BayesianOptimizerTests {
    /// Over a handful of seeds the GP's median final regret is far below random search's with the same budget
    /// (small budgets and few seeds so the test stays fast in a debug build).
    @Test(arguments: [("branin", 24), ("hartmann6", 30)], [AcquisitionFunction.upperConfidenceBound(beta: 1), .logExpectedImprovement])
    func beatsRandomSearch(problem: (name: String, budget: Int), acquisition: AcquisitionFunction) throws {
        let (name, budget) = problem
        let function = try TestFunction.named(name)
        var gpRegrets: [Double] = []
        var randomRegrets: [Double] = []
        for seed in UInt64(0)..<3 {
            let options = BayesianOptimizerOptions(
                acquisition: acquisition, candidateCount: 256, localCandidateCount: 64, refinementStarts: 2
            )
            var gp: any Optimizer = BayesianOptimizer(space: function.searchSpace, direction: .minimize, seed: seed, options: options)
            var random: any Optimizer = RandomSearch(space: function.searchSpace, direction: .minimize, seed: seed)
            gpRegrets.append(function.regret(ofBest: try function.bestValue(of: &gp, budget: budget, batch: 4)))
            randomRegrets.append(function.regret(ofBest: try function.bestValue(of: &random, budget: budget, batch: 4)))
        }
        let gpMedian = gpRegrets.sorted()[1]
        let randomMedian = randomRegrets.sorted()[1]
        #expect(gpMedian < randomMedian / 3, "GP regrets \(gpRegrets), random \(randomRegrets)")
    }

    /// Maximizing −f finds the same region as minimizing f: the direction is honoured.
    @Test func maximizeIsMinimizeOfTheNegation() throws {
        let function = TestFunction.branin
        let options = BayesianOptimizerOptions(candidateCount: 256, localCandidateCount: 64, refinementStarts: 2)
        var optimizer = BayesianOptimizer(space: function.searchSpace, direction: .maximize, seed: 3, options: options)
        var best = -Double.infinity
        for _ in 0..<6 {
            for proposal in try optimizer.ask(count: 4) {
                let value = -(try function.value(for: proposal.assignment))
                best = max(best, value)
                try optimizer.tell(proposal.id, .completed(value))
            }
        }
        #expect(-best - function.minimum < 0.5)
    }

    /// A batch spreads out: with a lie at every pending point, no two proposals of a batch sit on top of each
    /// other, and the proposals after a failure never revisit the failed point.
    @Test(arguments: LieStrategy.allCases)
    func batchesSpreadAndFailuresAreNotRevisited(lie: LieStrategy) throws {
        let function = TestFunction.hartmann6
        let options = BayesianOptimizerOptions(
            initialTrials: 6, lie: lie, candidateCount: 256, localCandidateCount: 64, refinementStarts: 2
        )
        var optimizer = BayesianOptimizer(space: function.searchSpace, direction: .minimize, seed: 5, options: options)
        let design = try optimizer.ask(count: 6)
        try optimizer.tell(design[0].id, .failed(reason: "crashed"))
        for proposal in design.dropFirst() {
            try optimizer.tell(proposal.id, .completed(try function.value(for: proposal.assignment)))
        }
        let batch = try optimizer.ask(count: 8)
        #expect(batch.count == 8)
        for (i, a) in batch.enumerated() {
            #expect(a.point != design[0].point)
            for b in batch[(i + 1)...] {
                let distance = zip(a.point, b.point).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                #expect(distance > 1e-3, "\(a.id) and \(b.id) are \(distance) apart")
            }
        }
    }

    /// On a space with ints and categorical choices, model-based proposals stay valid.
    @Test func mixedSpaceProposalsStayValidAfterTheDesign() throws {
        var optimizer = BayesianOptimizer(
            space: Spaces.mixed, direction: .maximize, seed: 2,
            options: .init(initialTrials: 3, candidateCount: 128, localCandidateCount: 32, refinementStarts: 2)
        )
        for _ in 0..<4 {
            for proposal in try optimizer.ask(count: 3) {
                #expect(try Spaces.mixed.validate(proposal.assignment) == proposal.assignment)
                #expect(Spaces.mixed.snap(proposal.point) == proposal.point)
                try optimizer.tell(proposal.id, .completed(Spaces.mixedObjective(proposal.assignment)))
            }
        }
        #expect(optimizer.lastHyperparameters != nil)
    }
}
