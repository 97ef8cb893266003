import HPOOptimizer
import HPOSearchSpace
import Foundation
import Testing

/// The README's ask/tell example, kept compiling and working.
@Suite struct ReadmeExampleTests {
    /// A stand-in for training: best at lr = 1e-2 with adam.
    func train(_ assignment: Assignment) -> Double {
        guard case .double(let lr)? = assignment["lr"] else { return 0 }
        let bonus: Double = assignment["optimizer"] == .string("adam") ? 0.05 : 0
        let distance: Double = log10(lr) + 2
        return 0.9 + bonus - 0.01 * distance * distance
    }

    @Test func readmeLoopRunsAndFindsAGoodPoint() throws {
        let space = try SearchSpace([
            .float("lr", 1e-5, 1e-1, log: true),
            .int("batch_size", 32, 256),
            .categorical("optimizer", [.string("sgd"), .string("adam")]),
        ])
        var optimizer = BayesianOptimizer(space: space, direction: .maximize, seed: 42)
        var best = -Double.infinity
        for _ in 0..<10 {
            for proposal in try optimizer.ask(count: 4) {
                let accuracy = train(proposal.assignment)
                best = max(best, accuracy)
                try optimizer.tell(proposal.id, .completed(accuracy))
            }
        }
        #expect(best > 0.94)
    }
}
