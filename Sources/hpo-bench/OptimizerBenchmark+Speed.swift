import Foundation
import HPOMath
import HPOOptimizer
import HPOSearchSpace

extension OptimizerBenchmark {
    /// Table (a): median time of `ask(count: batch)` after n completed observations of Levy in d dimensions.
    func runSpeedTable(sizes: [Int], dimensions: [Int], batch: Int, repetitions: Int) throws {
        print("(a) Time to propose a batch of q = \(batch) (median of \(repetitions); Levy-d data, GP + LogEI)")
        print(pad("n", 6) + pad("d", 5) + pad("warm fit", 12) + pad("cold fit", 12))
        for dimension in dimensions {
            for size in sizes {
                let function = TestFunction.levy(dimension: max(2, dimension))
                let space = function.searchSpace
                var base = BayesianOptimizer(space: space, direction: .minimize, seed: 1)
                var generator = SeededGenerator(seed: UInt64(size * 1_000 + dimension))
                for index in 0..<size {
                    let point = (0..<space.dimensionCount).map { _ in generator.nextUniform() }
                    let assignment = space.decode(point)
                    try base.register(assignment, as: TrialID(index), outcome: .completed(try function.value(for: assignment)))
                }
                let cold = try medianSeconds(repetitions) {
                    var optimizer = base
                    _ = try optimizer.ask(count: batch)
                }
                // Warm: one ask first leaves fitted hyperparameters behind, as in a running study.
                var warmed = base
                let first = try warmed.ask(count: 1)
                for proposal in first {
                    try warmed.tell(proposal.id, .completed(try function.value(for: proposal.assignment)))
                }
                let warm = try medianSeconds(repetitions) {
                    var optimizer = warmed
                    _ = try optimizer.ask(count: batch)
                }
                print(pad("\(size)", 6) + pad("\(dimension)", 5) + pad(format(warm), 12) + pad(format(cold), 12))
            }
        }
        print("")
    }

    private func medianSeconds(_ repetitions: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<repetitions {
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return times.sorted()[times.count / 2]
    }

    private func format(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1_000) : String(format: "%.2f s", seconds)
    }
}

/// `text` right-aligned in `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}
