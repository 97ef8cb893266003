import ArgumentParser

/// `hpo-bench`: speed and quality benchmarks. Build with `-c release` and run with `OPENBLAS_NUM_THREADS=1`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpo-bench",
        abstract: "Benchmarks for the optimizer, the trainer and the dispatch path.",
        subcommands: [
            OptimizerBenchmark.self,
            TrainerBenchmark.self,
            DispatchBenchmark.self,
            WireBenchmark.self,
            JournalBenchmark.self,
            TransportBenchmark.self,
            HostileBenchmark.self,
        ]
    )
}
