import Foundation
import HPOCoordinatorCore
import HPOWire
import HPOOptimizer
import HPOSearchSpace
import Logging
import HPOCoordinatorRuntime
import HPOLocalRun

extension DispatchBenchmark {
    /// One benchmark run's outcome.
    struct Measurement {
        var summary: StudySummary
        var timings: CoordinatorTimings
        var workers: Int
    }

    /// Runs one study with `workers` `hpo worker` processes and timings on.
    func measure(
        objective: ObjectiveDescriptor, optimizerKind: String, trials: Int, journal path: String, logger: Logger
    ) async throws -> Measurement {
        let executable = try HPOExecutable.built()
        let space = try SearchSpace([
            Parameter(name: "x0", kind: .float(low: -5, high: 10)),
            Parameter(name: "x1", kind: .float(low: 0, high: 15)),
        ])
        var configuration = CoordinatorConfiguration(objective: objective)
        configuration.trialBudget = trials
        configuration.heartbeatInterval = .seconds(1)
        configuration.prefetch = optimizerKind == "random" ? 2 * workers : 2
        let machine = CoordinatorStateMachine(
            studyName: "dispatch", direction: .minimize, space: space, configuration: configuration)
        let optimizer: any Optimizer = try BenchOptimizer.make(optimizerKind, space: space)
        let journal = try JournalStore<JournalEvent>(path: path, durability: durability == "full" ? .full : .normal)
        var options = CoordinatorServiceOptions(bind: "tcp://127.0.0.1:*")
        options.recordTimings = true
        let service = try CoordinatorService(
            machine: machine, optimizer: optimizer, journal: journal, options: options, logger: logger)
        let endpoint = try service.start()
        let pool = try LocalWorkerPool(
            count: workers, executable: executable, endpoint: endpoint, heartbeat: .seconds(1),
            coordinatorTimeout: .seconds(10), logLevel: "error", namePrefix: "bench")
        let summary = await service.finished()
        await pool.stop(grace: .seconds(5))
        return Measurement(summary: summary, timings: service.timings, workers: workers)
    }
}

/// Why a benchmark could not run.
struct DispatchBenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
