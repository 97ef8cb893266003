import Foundation
import HPOMath
import HPOOptimizer
import HPOSearchSpace

extension OptimizerBenchmark {
    /// Table (a): median time of `ask(count: batch)` after n completed observations of Levy in d dimensions.
    ///
    /// - Parameter variants: GP settings timed in turn on the same data, each a label and a `maximumModelPoints`
    ///   override (`.none` = the optimizer's own, `.some(nil)` = the exact GP).
    func runSpeedTable(
        sizes: [Int], dimensions: [Int], batch: Int, repetitions: Int, variants: [(label: String, limit: Int??)]
    ) throws {
        BenchMachine.printTitle("(a) Time to propose a batch of q = \(batch) (median of \(repetitions); Levy-d data, GP with the options given (default: the optimizer's own))")
        print("    cpu = this thread's CPU time (robust on a shared machine), wall = elapsed time; model = completed trials the GP was built on")
        print(
            pad("n", 6) + pad("d", 5) + pad("variant", 9) + pad("model", 7) + pad("warm cpu", 12) + pad("warm wall", 12)
                + pad("cold cpu", 12) + pad("cold wall", 12))
        for dimension in dimensions {
            for size in sizes {
                for variant in variants {
                    var options = gpOptions()
                    if case .some(let limit) = variant.limit { options.maximumModelPoints = limit }
                    try timeAsk(size: size, dimension: dimension, batch: batch, repetitions: repetitions, options: options, label: variant.label)
                }
            }
        }
        print("")
    }

    /// One row of table (a): cold and warm `ask(count: batch)` after `size` random Levy observations.
    private func timeAsk(
        size: Int, dimension: Int, batch: Int, repetitions: Int, options: BayesianOptimizerOptions, label: String
    ) throws {
        let function = TestFunction.levy(dimension: max(2, dimension))
        let space = function.searchSpace
        var base = BayesianOptimizer(space: space, direction: .minimize, seed: 1, options: options)
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
        print(
            pad("\(size)", 6) + pad("\(dimension)", 5) + pad(label, 9) + pad(warmed.lastModelPointCount.map(String.init) ?? "-", 7)
                + pad(format(warm.cpu), 12) + pad(format(warm.wall), 12) + pad(format(cold.cpu), 12) + pad(format(cold.wall), 12)
        )
    }

    /// Median CPU and wall seconds of `body` over `repetitions` runs.
    private func medianSeconds(_ repetitions: Int, _ body: () throws -> Void) throws -> (cpu: Double, wall: Double) {
        var cpu: [Double] = []
        var wall: [Double] = []
        for _ in 0..<repetitions {
            let cpuStart = ProcessCPUTime.ofCurrentThread()
            let elapsed = try ContinuousClock().measure(body)
            cpu.append((ProcessCPUTime.ofCurrentThread() - cpuStart).inSeconds)
            wall.append(elapsed.inSeconds)
        }
        return (Samples(cpu).median, Samples(wall).median)
    }

    private func format(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1_000) : String(format: "%.2f s", seconds)
    }
}
