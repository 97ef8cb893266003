import ArgumentParser
import Foundation
import HPOCoordinatorCore
import HPOWire
import HPOOptimizer
import HPOSearchSpace
import Logging

/// `hpo-bench dispatch`: the coordinator's dispatch path with real worker processes over loopback TCP.
///
/// 1. Throughput: null objective, random search, N workers: trials/s sustained and the coordinator's overhead per
///    trial (poll wake-up -> state machine -> durable journal commit -> next TRIAL sent). Targets: >= 5,000 trials/s,
///    median overhead < 1 ms.
/// 2. Utilization: the study's optimizer (GP by default), N workers, trials of `--trial-seconds` (test-function
///    objective with simulated work): the share of worker time spent in trials. Target >= 97%.
struct DispatchBenchmark: AsyncParsableCommand, Benchmark {
    static let discussion = "Build with -c release (hpo and hpo-bench) and run with OPENBLAS_NUM_THREADS=1."

    @Option(help: "Worker processes.")
    var workers: Int = 8

    @Option(help: "Trials of the throughput run (null objective, random search).")
    var trials: Int = 20_000

    @Option(help: "Trials of the utilization run.")
    var utilizationTrials: Int = 80

    @Option(help: "Seconds of simulated work per trial in the utilization run.")
    var trialSeconds: Double = 1

    @Option(help: "Optimizer of the utilization run: gp or random.")
    var optimizer: String = "gp"

    @Option(help: "Journal durability: full (fsync per batch, the default of hpo) or normal.")
    var durability: String = "full"

    @Flag(help: "Skip the throughput run.")
    var skipThroughput = false

    @Flag(help: "Skip the utilization run.")
    var skipUtilization = false

    func validate() throws {
        guard workers >= 1, trials >= 1, utilizationTrials >= 1, trialSeconds >= 0 else {
            throw ValidationError("--workers, --trials and --utilization-trials must be >= 1, --trial-seconds >= 0")
        }
        guard ["gp", "random"].contains(optimizer) else {
            throw ValidationError("--optimizer: expected gp or random, got \"\(optimizer)\"")
        }
        guard ["full", "normal"].contains(durability) else {
            throw ValidationError("--durability: expected full or normal, got \"\(durability)\"")
        }
    }

    func run() async throws {
        var logger = Logger(label: "hpo.bench.dispatch")
        logger.logLevel = .error
        let directory = try ScratchDirectory("dispatch")
        defer { directory.remove() }
        print("hpo-bench dispatch: \(workers) worker processes over loopback TCP, journal synchronous=\(durability.uppercased())")
        if !skipThroughput {
            let result = try await measure(
                objective: ObjectiveDescriptor(kind: "null"), optimizerKind: "random", trials: trials,
                journal: directory.file("throughput.db"), logger: logger)
            printThroughput(result)
        }
        if !skipUtilization {
            let result = try await measure(
                objective: ObjectiveDescriptor(
                    kind: "test-function", options: ["function": .string("branin"), "duration": .number(trialSeconds)]),
                optimizerKind: optimizer, trials: utilizationTrials,
                journal: directory.file("utilization.db"), logger: logger)
            printUtilization(result)
        }
    }
}
