import ArgumentParser
import Foundation
import HPOCoordinatorCore
import HPOCoordinatorRuntime
import HPOLocalRun
import HPOOutput
import HPOStudyFile

/// `hpo-bench early-stopping`: the same digits study run with no pruner, the median rule, ASHA and Hyperband, as real
/// `hpo run` processes with local workers, several seeds each; reports medians (docs/coordinator.md, *Early
/// stopping*, and the issue's targets: ASHA reaches the no-pruning best within 0.3 pp with ≥ 3× fewer epochs).
struct EarlyStoppingBenchmark: Benchmark {
    @Option(help: "Trials per study.")
    var trials = 60

    @Option(help: "Epochs per trial (the maximum resource).")
    var epochs = 100

    @Option(help: "Local worker processes per study.")
    var workers = 4

    @Option(help: "Seeds (studies per rule); medians are reported.")
    var seeds = 5

    @Option(help: "The first seed: seeds first-seed ..< first-seed + seeds are run.")
    var firstSeed = 0

    @Flag(help: "Also print each run as one JSON line (`{\"rule\", \"seed\", \"wall_seconds\", …}`; scripts/peers/pruning.py reads them).")
    var json = false

    @Option(help: "Rules to compare, comma-separated (none first: it sets each seed's target): none, median, asha, hyperband (their documented defaults); -minN sets min_resource (asha-min1); a rule ending in -ignore (asha-ignore) tells the optimizer nothing about pruned trials.")
    var rules = "none,median,asha,hyperband"

    @OptionGroup var executable: HPOExecutableOption

    func run() throws {
        let binary = try executable.path()
        let names = rules.split(separator: ",").map(String.init)
        if let unknown = names.first(where: { EarlyStoppingRun.pruner($0) == nil }) {
            throw ValidationError("--rules: \"\(unknown)\" is not none, median, asha or hyperband (with an optional -minN and -ignore)")
        }
        BenchMachine.printTitle(
            "hpo-bench early-stopping (digits, \(trials) trials × \(epochs) epochs, \(workers) workers, \(seeds) seeds, GP)")
        var runs: [String: [EarlyStoppingRun]] = [:]
        for seed in firstSeed..<(firstSeed + seeds) {
            var target: Double?
            for name in names {
                var run = try EarlyStoppingRun.execute(
                    binary: binary, rule: name, seed: seed, trials: trials, epochs: epochs, workers: workers)
                // The target: the no-pruning run's best of the same seed, within 0.3 percentage points.
                if target == nil { target = run.best - 0.003 }
                run.timeToTarget = run.firstReached(target ?? run.best)
                runs[name, default: []].append(run)
                print("seed \(seed) \(name): \(run.line)")
                if json { print(try run.jsonLine(seed: seed)) }
            }
        }
        print("")
        MarkdownTable.printHeader(
            "rule", "epochs trained", "fewer epochs than none", "wall s", "best final accuracy",
            "s to none's best −0.3 pp (reached)", "pruned trials")
        let noneEpochs = Samples(runs[names.first ?? "none"]?.map { Double($0.epochsTrained) } ?? []).median
        for name in names {
            let list = runs[name] ?? []
            let epochs = Samples(list.map { Double($0.epochsTrained) }).median
            let reached = list.compactMap(\.timeToTarget)
            MarkdownTable.printRow(
                name, "\(Int(epochs))", String(format: "%.2f×", noneEpochs / max(1, epochs)),
                String(format: "%.1f", Samples(list.map(\.wallSeconds)).median),
                String(format: "%.4f", Samples(list.map(\.best)).median),
                "\(reached.isEmpty ? "never" : String(format: "%.1f", Samples(reached).median)) (\(reached.count)/\(list.count))",
                "\(Int(Samples(list.map { Double($0.pruned) }).median))")
        }
    }
}
