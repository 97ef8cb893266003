import ArgumentParser
import HPOOptimizer

/// `hpo-bench optimizer`: proposal speed and final regret of hpo's GP optimizer against random search.
///
/// Build with `-c release` and run with `OPENBLAS_NUM_THREADS=1`. Table (a): time to propose a batch of q points
/// after n observations in d dimensions (median over repetitions; warm = the GP fit starts from the previous
/// hyperparameters, as in a running study; cold = the first fit). Table (b): median and interquartile range over
/// seeds of the final log10 simple regret (best value − known minimum, floored at 1e-12) on the test functions,
/// asking batches of q before telling. `scripts/bench-peers optimizer` prints table (b) for scikit-optimize, BoTorch and
/// Optuna's GPSampler on the same functions, budgets and seeds. `--kernels default,Haswell` runs everything once per
/// BLAS kernel setting (a child process each, since OpenBLAS reads `OPENBLAS_CORETYPE` only when it loads) and ends
/// with the worse median of the settings per cell: the figure to quote.
struct OptimizerBenchmark: Benchmark {
    @Option(help: "Which tables: speed, regret or both.")
    var tables: String = "both"

    @Option(help: "Comma-separated observation counts n for the speed table.")
    var sizes: String = "20,100,300,1000"

    @Option(help: "Comma-separated dimensions d for the speed table.")
    var dimensions: String = "6,20"

    @Option(help: "Batch size q for the speed table.")
    var speedBatch: Int = 8

    @Option(help: ArgumentHelp(
        "GP variants for the speed table, each timed in turn on the same data: comma-separated `default` (the optimizer's own subset threshold), `exact` (the exact GP on every trial) or a subset size m, e.g. default,exact.",
        valueName: "variants"))
    var modelPoints: String = "default"

    @Option(help: "Repetitions per speed cell (the median is shown).")
    var repetitions: Int = 3

    @Option(help: "Comma-separated test functions with budgets, name:evaluations.")
    var functions: String = "branin:60,hartmann6:100,ackley5:100,levy10:100,rosenbrock4:100"

    @Option(help: "Seeds 0..<N for the regret table (median and IQR over them).")
    var seeds: Int = 20

    @Option(help: ArgumentHelp(
        "Run the tables once per BLAS kernel setting, each in a child process, then print the worse regret median of the settings per cell: comma-separated, `default` (what hpo-bench picks with no OPENBLAS_CORETYPE) or an OPENBLAS_CORETYPE value, e.g. default,Haswell.",
        valueName: "settings"))
    var kernels: String?

    @Option(help: .hidden)
    var resultsFile: String?

    @Option(help: "Batch size q for the regret table (points asked before any is told).")
    var batch: Int = 4

    @Option(help: "Comma-separated optimizers for the regret table: gp, random, or gp-<tokens> joined by -: a lie (best, mean, worst, posterior-mean, posterior-sample: a seeded draw from the posterior), raw (without output warping), tr or tr<k> (TuRBO-style trust region in spaces of d >= 8 or d >= k dimensions), basins (acquisition starts from each basin's best point), ei (log expected improvement), ucb<beta> (the upper confidence bound with that beta), pf<k> (every k-th trial explores with beta 2), ucbt / ucbt<scale> (UCB with GP-UCB's theoretical beta sqrt(scale * 2 log(d t^2 pi^2 / 0.6)), scale 1 if omitted), nei (log EI's incumbent = the best posterior mean at the data), rs<k> (k acquisition refinement starts beyond the incumbent; default 5), ri<k> (L-BFGS-B iterations per refinement start; default 50), mc<k> (log EI averaged over k = 1…256 joint draws of the pending trials' values, BoTorch's qLogEI picked greedily); e.g. gp,gp-tr,gp-basins,gp-ucb2-posterior-mean.")
    var optimizers: String = "gp,random"

    @Option(help: "GP: Sobol trials before the model (default: the optimizer's own, min(10, max(4, d + 1))).")
    var initialTrials: Int?

    @Option(help: "GP: L-BFGS-B refinement starts per proposal (default: the optimizer's own).")
    var refinementStarts: Int?

    @Option(help: "GP: Sobol candidates per proposal (default: the optimizer's own).")
    var candidates: Int?

    @Option(help: "GP: use the upper confidence bound with this beta (default: the optimizer's own, beta 1).")
    var ucbBeta: Double?

    @Flag(help: "GP: use log expected improvement instead of the upper confidence bound.")
    var logEI = false

    /// The GP options these flags select, on top of `base`.
    func gpOptions(_ base: BayesianOptimizerOptions = .init()) -> BayesianOptimizerOptions {
        var options = base
        if let initialTrials { options.initialTrials = initialTrials }
        if let refinementStarts { options.refinementStarts = refinementStarts }
        if let candidates { options.candidateCount = candidates }
        if let ucbBeta { options.acquisition = .upperConfidenceBound(beta: ucbBeta) }
        if logEI { options.acquisition = .logExpectedImprovement }
        return options
    }

    func validate() throws {
        guard ["speed", "regret", "both"].contains(tables) else {
            throw ValidationError("--tables is \(tables); use speed, regret or both")
        }
        guard seeds >= 1, batch >= 1, speedBatch >= 1, repetitions >= 1 else {
            throw ValidationError("--seeds, --batch, --speed-batch and --repetitions must be >= 1")
        }
    }

    func run() throws {
        if let kernels {
            try runUnderKernels(try kernelSettings(kernels))
            return
        }
        if tables != "regret" {
            try runSpeedTable(
                sizes: try integers(sizes, option: "--sizes"), dimensions: try integers(dimensions, option: "--dimensions"),
                batch: speedBatch, repetitions: repetitions, variants: try modelVariants(modelPoints)
            )
        }
        if tables != "speed" {
            let cells = try runRegretTable(
                problems: try problems(functions), seeds: seeds, batch: batch,
                optimizers: optimizers.split(separator: ",").map(String.init)
            )
            if let resultsFile { try RegretCell.write(cells, to: resultsFile) }
        }
    }

    /// The `--model-points` variants as (label, `maximumModelPoints`) pairs.
    private func modelVariants(_ text: String) throws -> [(label: String, limit: Int??)] {
        try text.split(separator: ",").map { part -> (label: String, limit: Int??) in
            switch part {
            case "default": return ("default", .none)
            case "exact": return ("exact", .some(nil))
            default:
                guard let value = Int(part), value >= 10 else {
                    throw ValidationError("--model-points: \"\(part)\" is not default, exact or an integer >= 10")
                }
                return ("m=\(value)", .some(value))
            }
        }
    }

    private func integers(_ text: String, option: String) throws -> [Int] {
        try text.split(separator: ",").map { part in
            guard let value = Int(part), value >= 1 else {
                throw ValidationError("\(option): \"\(part)\" is not a positive integer")
            }
            return value
        }
    }

    private func problems(_ text: String) throws -> [(function: TestFunction, budget: Int, label: String)] {
        try text.split(separator: ",").map { part in
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let budget = Int(pieces[1]), budget >= 1 else {
                throw ValidationError("--functions: \"\(part)\" should look like name:evaluations, e.g. branin:60")
            }
            return (try TestFunction.named(String(pieces[0])), budget, String(pieces[0]))
        }
    }
}
