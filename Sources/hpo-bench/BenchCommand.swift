import ArgumentParser
import HPORuntimeSupport

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
            ReportBenchmark.self,
            SwarmBenchmark.self,
            HostileBenchmark.self,
            PrunerBenchmark.self,
            EarlyStoppingBenchmark.self,
            LiveViewBenchmark.self,
            WarmTrialsBenchmark.self,
        ]
    )

    /// Adopts the BLAS kernels this CPU supports (re-executing once if needed: docs/blas-kernels.md), then runs the
    /// command line with ArgumentParser's own entry point.
    static func main() async {
        BLASKernelSelection.adoptBestKernels()
        await main(nil)
    }
}
