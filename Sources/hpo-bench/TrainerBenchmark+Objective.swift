import HPOSearchSpace
import HPOWire
import HPOObjectives

extension TrainerBenchmark {
    /// Times whole `mlp` objective trials (the worker's code path: options → settings → data → training)
    /// with the default 64-32 network for `epochs` epochs at `batch`, seed by seed.
    ///
    /// - Returns: the first trial's time (it splits and standardizes the data) and the median of the others, in ms.
    func objectiveTrialTimes(epochs: Int, batch: Int, trials: Int) throws -> (first: Double, median: Double, values: [Double]) {
        let objective = try MLPObjective(options: ["epochs": .number(Double(epochs)), "batch_size": .number(Double(batch))])
        let clock = ContinuousClock()
        var times: [Double] = []
        var values: [Double] = []
        for trial in 0..<max(trials, 2) {
            let context = TrialContext(trialID: trial, attempt: 1, parameters: ["seed": .int(trial), "lr": .double(learningRate)])
            let start = clock.now
            let outcome = objective.run(context) { _, _, _ in }
            times.append((clock.now - start).inMilliseconds)
            guard case .completed(let value, _) = outcome else {
                throw BenchmarkFailure("mlp trial \(trial) did not complete: \(outcome)")
            }
            values.append(value)
        }
        return (times[0], Samples(Array(times.dropFirst())).median, values)
    }
}

/// A benchmark run that could not produce its figures.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
