import HPOOptimizer

/// Hartmann-6 asked in batches of 4 whose last trial stays pending, so later asks also handle earlier asks' trials:
/// the run the batch-rule tests replay and compare.
enum HartmannBatches {
    /// The proposals of `asks` batches (the first `options.initialTrials` from the Sobol design).
    static func proposals(options: BayesianOptimizerOptions, seed: UInt64, asks: Int) throws -> [[Double]] {
        let function = TestFunction.hartmann6
        var optimizer = try BayesianOptimizer(validating: options, space: function.searchSpace, direction: .minimize, seed: seed)
        var points: [[Double]] = []
        for _ in 0..<asks {
            let batch = try optimizer.ask(count: 4)
            points += batch.map(\.point)
            for proposal in batch.dropLast() {
                try optimizer.tell(proposal.id, .completed(try function.value(for: proposal.assignment)))
            }
        }
        return points
    }
}
