import Foundation
import HPOOptimizer
import HPORuntimeSupport
import HPOSearchSpace

extension OptimizerBenchmark {
    /// Table (b): final log10 simple regret, median and IQR over seeds, per function and optimizer.
    /// - Returns: one cell per function and optimizer, in printing order.
    @discardableResult
    func runRegretTable(
        problems: [(function: TestFunction, budget: Int, label: String)], seeds: Int, batch: Int, optimizers: [String]
    ) throws -> [RegretCell] {
        var results: [RegretCell] = []
        for name in optimizers where makeOptimizer(name, space: problems[0].function.searchSpace, seed: 0) == nil {
            throw OptimizerError(.invalidArgument, "unknown optimizer \"\(name)\"; use gp, random, or gp-<tokens> joined by -: a lie (best, mean, worst, posterior-mean, posterior-sample), raw (no output warping), tr or tr<k> (trust region from d >= 8 or k), basins (starts from each basin's best point), ei, ucb<beta>, ucbt / ucbt<scale> (GP-UCB's theoretical beta), nei (EI's incumbent = best posterior mean), pf<k>, rs<k> (refinement starts), ri<k> (refinement iterations), mc<k> (log EI averaged over k = 1…256 draws of the pending trials), e.g. gp-tr-basins")
        }
        BenchMachine.printTitle("(b) Final log10 simple regret, batches of q = \(batch), seeds 0..\(seeds - 1): median [IQR] (median CPU seconds per run)")
        print(pad("function", 14) + pad("evals", 6) + optimizers.map { pad($0 + " median [IQR]", 34) }.joined())
        for problem in problems {
            var cells: [String] = []
            for name in optimizers {
                var regrets: [Double] = []
                var seconds: [Double] = []
                for seed in 0..<seeds {
                    let start = ProcessCPUTime.ofCurrentThread()
                    let best = try run(name, problem.function, budget: problem.budget, batch: batch, seed: UInt64(seed))
                    seconds.append((ProcessCPUTime.ofCurrentThread() - start).inSeconds)
                    regrets.append(log10(max(problem.function.regret(ofBest: best), 1e-12)))
                }
                let regret = Samples(regrets)
                let cell = RegretCell(
                    function: problem.label, budget: problem.budget, optimizer: name, seeds: seeds,
                    median: regret.median, lowerQuartile: regret.quantile(0.25), upperQuartile: regret.quantile(0.75),
                    seconds: Samples(seconds).median, kernels: BLASKernelSelection.inUse
                )
                results.append(cell)
                cells.append(
                    String(format: "%7.2f [%6.2f, %6.2f] (%5.1f s)", cell.median, cell.lowerQuartile, cell.upperQuartile, cell.seconds)
                )
            }
            print(pad(problem.label, 14) + pad("\(problem.budget)", 6) + cells.map { pad($0, 34) }.joined())
        }
        return results
    }

    private func run(_ name: String, _ function: TestFunction, budget: Int, batch: Int, seed: UInt64) throws -> Double {
        var optimizer = makeOptimizer(name, space: function.searchSpace, seed: seed)!
        return try function.bestValue(of: &optimizer, budget: budget, batch: batch)
    }

    private func makeOptimizer(_ name: String, space: SearchSpace, seed: UInt64) -> (any Optimizer)? {
        switch name {
        case "random":
            return RandomSearch(space: space, direction: .minimize, seed: seed)
        case "gp":
            return BayesianOptimizer(space: space, direction: .minimize, seed: seed, options: gpOptions())
        default:
            // gp-<token>-<token>…: a lie strategy, raw (no output warping), tr / tr<k> (trust region from d >= 8 / k),
            // basins (acquisition starts from each basin's best point), ei, ucb<beta> (the acquisition), pf<k> (every k-th
            // trial with beta 2), ucbt / ucbt<scale> (GP-UCB's theoretical beta, times scale), nei (EI's incumbent = the
            // best posterior mean at the data), rs<k> / ri<k> (k refinement starts / L-BFGS-B iterations per start), mc<k>
            // (log EI averaged over k joint draws of the pending trials).
            guard name.hasPrefix("gp-") else { return nil }
            let parts = name.dropFirst(3).replacingOccurrences(of: "posterior-mean", with: "posteriorMean")
                .replacingOccurrences(of: "posterior-sample", with: "posteriorSample")
                .split(separator: "-").map(String.init)
            var options = gpOptions()
            for part in parts {
                if part == "raw" {
                    options.outputWarping = .none
                } else if part.hasPrefix("pf"), let period = Int(part.dropFirst(2)), period >= 1 {
                    options.portfolio = ExplorationPortfolio(period: period)
                } else if part == "ei" {
                    options.acquisition = .logExpectedImprovement
                } else if part.hasPrefix("ucbt"), let scale = part == "ucbt" ? 1 : Double(part.dropFirst(4)), scale > 0 {
                    options.betaSchedule = ConfidenceBetaSchedule(scale: scale)
                } else if part.hasPrefix("mc"), let draws = Int(part.dropFirst(2)),
                    (1...BayesianOptimizerOptions.maximumPendingFantasies).contains(draws)
                {
                    options.acquisition = .logExpectedImprovement
                    options.pendingFantasies = draws
                } else if part == "nei" {
                    options.incumbent = .bestPosteriorMean
                } else if part.hasPrefix("ucb"), let beta = Double(part.dropFirst(3)) {
                    options.acquisition = .upperConfidenceBound(beta: beta)
                } else if part.hasPrefix("rs"), let starts = Int(part.dropFirst(2)), starts >= 0 {
                    options.refinementStarts = starts
                } else if part.hasPrefix("ri"), let iterations = Int(part.dropFirst(2)), iterations >= 0 {
                    options.refinementIterations = iterations
                } else if part == "basins" {
                    options.starts = .basins
                } else if part.hasPrefix("tr"), let minimum = part == "tr" ? 8 : Int(part.dropFirst(2)), minimum >= 1 {
                    options.trustRegion = TrustRegionOptions(minimumDimension: minimum)
                } else if let lie = LieStrategy(rawValue: part) {
                    options.lie = lie
                } else {
                    return nil
                }
            }
            return BayesianOptimizer(space: space, direction: .minimize, seed: seed, options: options)
        }
    }
}
