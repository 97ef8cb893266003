import ArgumentParser
import Foundation
import HPOMath
import HPOTrainer
import HPORuntimeSupport

/// `hpo-bench trainer`: epoch time and validation accuracy of the built-in MLP on the bundled digits.
///
/// The yardstick network is 64→64→32→10 (ReLU), SGD lr 0.01 momentum 0.9, 50 epochs, on an 80/20
/// stratified split standardized on the training part. `scripts/peers/trainer.py` runs the same
/// network, split (it rebuilds the split from the same seed; the checksum line must match) and
/// settings in PyTorch with one thread and prints the same table, so the ratio is side by side.
/// Build with `-c release`, run with `OPENBLAS_NUM_THREADS=1`.
struct TrainerBenchmark: Benchmark {
    @Option(help: "Comma-separated batch sizes.")
    var batchSizes: String = "32,128"

    @Option(help: "Training seeds per batch size (seeds 0..<n).")
    var seeds: Int = 5

    @Option(help: "Epochs per run.")
    var epochs: Int = 50

    @Option(help: "Seed of the stratified 80/20 split (shared with the PyTorch peer).")
    var splitSeed: UInt64 = 0

    @Option(help: "Hidden widths, e.g. 64-32.")
    var hidden: String = "64-32"

    @Option(help: "Learning rate.")
    var learningRate: Double = 0.01

    @Option(help: "SGD momentum.")
    var momentum: Double = 0.9

    @Flag(help: "Keep OpenBLAS's own thread count and kernels instead of the ones hpo gives its workers.")
    var blasDefaults = false

    @Option(name: .customLong("clock"), help: ArgumentHelp(
        "Epoch time: `wall` (elapsed) or `cpu` (the process's CPU time: robust on a shared machine, where other processes take turns on the cores).",
        valueName: "wall|cpu"))
    var clockKind: String = "wall"

    func run() throws {
        if !blasDefaults { Self.reexecWithWorkerEnvironment() }
        let batches = batchSizes.split(separator: ",").compactMap { Int($0.trimmingPrefix(" ")) }
        let widths = hidden.split(separator: "-").compactMap { Int($0) }
        guard !batches.isEmpty, batches.allSatisfy({ $0 >= 1 }), seeds >= 1, epochs >= 1, !widths.isEmpty else {
            throw ValidationError("need batch sizes ≥ 1 (got \"\(batchSizes)\"), seeds ≥ 1, epochs ≥ 1 and hidden widths like 64-32 (got \"\(hidden)\")")
        }
        guard clockKind == "wall" || clockKind == "cpu" else {
            throw ValidationError("--clock is \"\(clockKind)\"; use wall or cpu")
        }
        let clock = ContinuousClock()
        let loadStart = clock.now
        let digits = BundledDatasets.digits
        let split = try DatasetSplit(stratifying: digits, validationFraction: 0.2, seed: splitSeed).standardized()
        let loadTime = clock.now - loadStart
        let checksum = split.validationIndices.enumerated().reduce(0) { $0 &+ ($1.offset + 1) &* $1.element }

        BenchMachine.printTitle("hpo-bench trainer — Swift MLP (float32; products: hpo's small-product kernel (AVX-512 or AVX2 + FMA) where the CPU runs it, else OpenBLAS sgemm)")
        print("network 64→\(widths.map(String.init).joined(separator: "→"))→10 relu, SGD lr \(learningRate) momentum \(momentum), \(epochs) epochs, \(seeds) seeds")
        print("digits \(split.training.count) train / \(split.validation.count) validation, split seed \(splitSeed), validation checksum \(checksum)")
        print("embedded data decode + split + standardize: \(loadTime.inMilliseconds) ms")
        print("")
        print("epoch time: \(clockKind == "cpu" ? "process CPU time" : "wall time")")
        print("batch | epoch ms median (min–max) | val acc last, median (min–max) | val acc best, median | 50-epoch run ms, median")
        print("------|---------------------------|--------------------------------|---------------------|-----------------------")
        for batch in batches {
            var epochTimes: [Double] = []
            var lastAccuracies: [Double] = []
            var bestAccuracies: [Double] = []
            var runTimes: [Double] = []
            for seed in 0..<seeds {
                var configuration = MLPConfiguration()
                configuration.hiddenWidths = widths
                configuration.learningRate = learningRate
                configuration.optimizer = .sgd(momentum: momentum, nesterov: false)
                configuration.batchSize = batch
                configuration.epochs = epochs
                configuration.seed = UInt64(seed)
                let start = clock.now
                let useCPU = clockKind == "cpu"
                let epochClock: () -> Double = {
                    useCPU ? Self.processCPUMilliseconds() : (clock.now - start).inMilliseconds
                }
                var previous = epochClock()
                let result = try MLPTrainer.train(configuration, training: split.training, validation: split.validation) { _ in
                    let now = epochClock()
                    epochTimes.append(now - previous)
                    previous = now
                    return .proceed
                }
                runTimes.append((clock.now - start).inMilliseconds)
                lastAccuracies.append(result.lastAccuracy)
                bestAccuracies.append(result.validationAccuracy)
            }
            print(
                "\(pad("\(batch)", 5)) | \(Self.medianAndRange(epochTimes, 3)) | \(Self.medianAndRange(lastAccuracies, 4))"
                    + " | \(Self.format(Samples(bestAccuracies).median, 4)) | \(Self.format(Samples(runTimes).median, 1))")
        }
        print("")
        print("epoch time = one pass over the training part + evaluation of the validation part")
        let trials = try objectiveTrialTimes(epochs: epochs, batch: 32, trials: seeds + 1)
        print("")
        print("whole mlp objective trial (worker code path, batch 32, \(epochs) epochs): first \(Self.format(trials.first, 1)) ms "
            + "(splits and standardizes the data), then median \(Self.format(trials.median, 1)) ms over \(trials.values.count - 1) trials")
    }
}

extension TrainerBenchmark {
    /// Runs this benchmark again (same arguments) in a process whose environment has the OpenBLAS settings hpo
    /// gives its workers (`MLPComputeEnvironment`), unless it already has them: OpenBLAS reads them at load time.
    static func reexecWithWorkerEnvironment() {
        var environment = ProcessInfo.processInfo.environment
        let missing = MLPComputeEnvironment.variables().filter { environment[$0.key] == nil }
        guard !missing.isEmpty else { return }
        environment.merge(missing) { current, _ in current }
        let argv = CommandLine.arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        execve("/proc/self/exe", argv, envp)
        // Only reached if execve failed: go on with this process's settings.
    }

    /// CPU time used by this process so far (`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`), in milliseconds.
    static func processCPUMilliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }

    /// `median (min–max)` of `values` (at least one), each with `digits` decimals.
    static func medianAndRange(_ values: [Double], _ digits: Int) -> String {
        let samples = Samples(values)
        return "\(format(samples.median, digits)) (\(format(samples.sorted[0], digits))–\(format(samples.sorted[samples.count - 1], digits)))"
    }

    static func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
