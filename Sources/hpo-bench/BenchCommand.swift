import ArgumentParser
import HPORuntimeSupport

/// `hpo-bench`: speed and quality benchmarks. Build with `-c release` and run with `OPENBLAS_NUM_THREADS=1`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpo-bench",
        abstract: "Benchmarks for the optimizer, the trainer and the dispatch path.",
        subcommands: benchmarks.map(\.command)
    )

    /// Every benchmark with the one line `hpo-bench --help` shows for it, in the order it lists them.
    static let benchmarks: [(command: any Benchmark.Type, abstract: String)] = [
        (OptimizerBenchmark.self, "Proposal time and final regret of the GP optimizer vs random search."),
        (TrainerBenchmark.self, "Time per epoch and validation accuracy of the built-in MLP on digits (compare: scripts/bench-peers trainer)."),
        (DispatchBenchmark.self, "Dispatch throughput, coordinator overhead per trial, and worker utilization."),
        (WireBenchmark.self, "Time WireCodec encode and decode per message type (build with -c release)."),
        (JournalBenchmark.self, "Time JournalStore appends (batch of 1 and of 100, synchronous FULL and NORMAL) in a temporary file."),
        (TransportBenchmark.self, "ZeroMQ round trips and null trials through one worker (latency percentiles, rates)."),
        (ReportBenchmark.self, "Report size and build time for a synthetic study; with Chromium on the PATH, its render time too."),
        (SwarmBenchmark.self, "Coordinator CPU with N connected workers holding trials, and null-trial throughput through N vs 8."),
        (HostileBenchmark.self, "A study under hostile load on its port: exactness, honest throughput vs. baseline, coordinator peak RSS."),
        (PrunerBenchmark.self, "Time the coordinator's handling of PROGRESS with no pruner, the median rule, ASHA and Hyperband."),
        (EarlyStoppingBenchmark.self, "Run a digits MLP study with each pruner (real hpo run processes) and compare epochs, time and accuracy."),
        (LiveViewBenchmark.self, "Time one redraw of the live terminal view, and the view's share of a real coordinator's CPU (view on vs off)."),
        (WarmTrialsBenchmark.self, "Per-trial overhead of persistent command processes vs one process per trial (trivial Python script)."),
    ]

    /// Adopts the BLAS kernels this CPU supports (re-executing once if needed: docs/blas-kernels.md), then runs the
    /// command line with ArgumentParser's own entry point.
    static func main() async {
        BLASKernelSelection.adoptBestKernels()
        await main(nil)
    }
}
