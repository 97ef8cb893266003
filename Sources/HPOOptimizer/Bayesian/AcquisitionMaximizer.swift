import HPOMath
import HPOSearchSpace

/// Maximizes an acquisition function over a search space's unit cube, returning only valid, untried points.
///
/// 1. Candidates: a scrambled Sobol sweep plus Gaussian perturbations of the best observed points (three scales,
///    so both fine local improvement and nearby basins are reachable), each snapped onto the space; with a
///    ``TrustRegion`` the sweep is mapped into its box, the rest clipped to it, and refinement stays inside it.
/// 2. All candidates are scored from one batched posterior, the variance only where the value can matter
///    (``CandidateScores``).
/// 3. The incumbent and the best few candidates are refined in lockstep by L-BFGS-B on the continuous coordinates,
///    with discrete and one-hot coordinates pinned at their snapped values (so refinement never leaves the valid
///    set), then snapped and re-scored.
/// 4. The highest-scoring point no known trial has wins; if every candidate collides (a small discrete space
///    nearly used up) a random untried point is taken, and nil means none is left.
struct AcquisitionMaximizer {
    let model: GaussianProcess
    let acquisition: AcquisitionFunction
    /// The incumbent score (smaller is better).
    let best: Double
    let space: SearchSpace
    let options: BayesianOptimizerOptions
    /// The best observed points, best first, for local candidates.
    let incumbents: [[Double]]
    /// How many of the first ``incumbents`` are refinement starts (``AcquisitionStarts``).
    var incumbentStarts = 1
    /// Where candidates and refinement stay (``TrustRegion``); nil = the whole cube.
    var region: TrustRegion?
    /// With ``BayesianOptimizerOptions/pendingFantasies``: log EI averaged over these models replaces `acquisition`
    /// on `model`, scored exactly (no pruning, no reuse across the batch); nil = `model` alone.
    var fantasies: FantasyAverage?

    /// A refinement stops once an L-BFGS step improves the acquisition by less than this, relative to max(|value|, 1).
    /// At the 10⁻¹⁰ used before, refinements crept on for 30–50 iterations on a flat acquisition; 10⁻⁶ stops them
    /// where the remaining gain is far below the model's uncertainty (docs/gaussian-process.md, *Where the time goes*).
    static let refinementRelativeTolerance = 1e-6

    /// Candidates scored exactly beyond the refinement's starts (``CandidateScores``): a margin for starts that
    /// duplicate an incumbent and for proposals that collide with known trials; going past it only costs time.
    static let exactScoresBeyondStarts = 16

    /// Standard deviations (unit-cube units) of the local perturbations, used in turn.
    static let localScales = [0.01, 0.05, 0.2]

    /// - Parameters:
    ///   - sobol: the optimizer's candidate stream (built once: building a Sobol sequence parses its direction
    ///     numbers), advanced by ``BayesianOptimizerOptions/candidateCount`` points; nil = uniform candidates.
    ///   - scored: with ``BayesianOptimizerOptions/reusesBatchCandidates``, the batch's global candidates and their
    ///     posterior: nil for the first proposal of an `ask` (candidates are drawn, scored and left here), then
    ///     re-ranked under the model's new fantasies (``CandidatePosterior``, O(n·m) instead of O(n²·m)).
    func maximize(
        generator: inout SeededGenerator, sobol: inout SobolSequence?, scored: inout CandidatePosterior?, ledger: TrialLedger
    ) -> [Double]? {
        // With ``BayesianOptimizerOptions/reusesBatchCandidates`` the global sweep is drawn once per batch and
        // re-ranked under each new fantasy; local candidates are always fresh. Otherwise all candidates are scored
        // together, exactly where they can matter (``CandidateScores``).
        let candidates: [[Double]]
        var scores: CandidateScores
        if fantasies != nil {
            candidates = prepared(globalCandidates(generator: &generator, sobol: &sobol))
                + prepared(localCandidates(generator: &generator))
            scores = CandidateScores(exact: score(candidates))
        } else if options.reusesBatchCandidates {
            let global: CandidatePosterior
            if var current = scored {
                scored = nil  // keeps the buffers uniquely referenced while they grow
                current.update(to: model)
                global = current
            } else {
                global = CandidatePosterior(model: model, points: prepared(globalCandidates(generator: &generator, sobol: &sobol)))
            }
            scored = global
            let local = prepared(localCandidates(generator: &generator))
            candidates = global.points + local
            scores = CandidateScores(exact: global.scores(model: model, acquisition: acquisition, best: best) + score(local))
        } else {
            let global = prepared(globalCandidates(generator: &generator, sobol: &sobol))
            candidates = global + prepared(localCandidates(generator: &generator))
            scores = CandidateScores(
                model: model, acquisition: acquisition, best: best, points: candidates,
                keep: options.refinementStarts + incumbentStarts + Self.exactScoresBeyondStarts)
        }
        var refined: [(point: [Double], score: Double)] = []
        let continuous = space.dimensions.map { $0 == .continuous }
        if continuous.contains(true), options.refinementIterations > 0 {
            // The incumbent itself is always a start (as in Optuna's GPSampler): the acquisition's best point is
            // often a short step from it, and candidates rarely land that close.
            let starts = refinementStarts(candidates: candidates, scores: &scores)
            let points = refine(from: starts, continuous: continuous).map(space.snap)
            refined = Array(zip(points, score(points)))
        }
        // Ranked by value, refined points first on ties; past the exactly ranked values, everything is scored.
        while true {
            let values = refined.map(\.score) + scores.values
            for index in scores.exactlyRankedOrder(values) {
                let point = space.snap(index < refined.count ? refined[index].point : candidates[index - refined.count])
                if !ledger.contains(point: point) { return point }
            }
            if scores.pruned.isEmpty { break }
            scores.complete(model: model, acquisition: acquisition, best: best, points: candidates)
        }
        return drawUntriedPoint(generator: &generator, ledger: ledger)
    }

    /// The refinement's starts: the first ``incumbentStarts`` incumbents, then the best-scoring candidates not yet
    /// among them, ``BayesianOptimizerOptions/refinementStarts`` in all beyond the incumbents.
    private func refinementStarts(candidates: [[Double]], scores: inout CandidateScores) -> [[Double]] {
        let wanted = options.refinementStarts + incumbentStarts
        while true {
            var starts: [[Double]] = incumbents.prefix(incumbentStarts).map { space.snap($0) }
            for index in scores.exactlyRankedOrder(scores.values) where starts.count < wanted {
                if !starts.contains(candidates[index]) { starts.append(candidates[index]) }
            }
            if starts.count >= wanted || scores.pruned.isEmpty { return starts }
            scores.complete(model: model, acquisition: acquisition, best: best, points: candidates)
        }
    }

    /// Every start refined by L-BFGS-B on the negated acquisition, all runs in lockstep: each round evaluates the
    /// pending points of the unfinished runs with one ``GaussianProcess/posteriorsWithGradients(at:)``, so one pass
    /// over the model's factor serves up to eight starts (docs/gaussian-process.md, *Fourth round*). Discrete
    /// coordinates stay at their start values; continuous ones stay in [0, 1] (or the trust region).
    ///
    /// - Returns: the final point of each run, in the order of `starts`.
    private func refine(from starts: [[Double]], continuous: [Bool]) -> [[Double]] {
        let iterations = Self.refinementIterations(options.refinementIterations, pointCount: model.pointCount)
        var runs = starts.map { start in
            let lower = start.indices.map { continuous[$0] ? region?.lower[$0] ?? 0 : start[$0] }
            let upper = start.indices.map { continuous[$0] ? region?.upper[$0] ?? 1 : start[$0] }
            return BoundedLBFGS.Run(
                start: start, lower: lower, upper: upper, maxIterations: iterations,
                relativeTolerance: Self.refinementRelativeTolerance)
        }
        while true {
            let pending = runs.indices.compactMap { index in runs[index].pendingPoint.map { (index, $0) } }
            if pending.isEmpty { break }
            for ((index, _), (value, gradient)) in zip(pending, valuesAndGradients(at: pending.map(\.1))) {
                runs[index].tell(value: -value, gradient: gradient.map { -$0 })
            }
        }
        return zip(starts, runs).map { start, run in run.result?.point ?? start }
    }

    /// The iteration cap for a model of `pointCount` points: the configured cap up to 300 points, then shrinking
    /// in proportion (each gradient evaluation costs two O(n²) triangular solves), but never below 10.
    static func refinementIterations(_ configured: Int, pointCount: Int) -> Int {
        pointCount <= 300 ? configured : min(configured, max(10, configured * 300 / pointCount))
    }

    /// Indices of `scores`, highest first, ties in index order. Sorts (score, index) pairs rather than indices into
    /// `scores`, so a comparison reads no array (and never the points: no reference counting).
    static func descendingOrder(_ scores: [Double]) -> [Int] {
        var ranked = scores.indices.map { (score: scores[$0], index: $0) }
        ranked.sort(by: DescendingRanking.precedes)
        return ranked.map(\.index)
    }

    /// `points` clipped into the trust region (if any) and snapped onto the space's discrete values (if any).
    private func prepared(_ points: [[Double]]) -> [[Double]] {
        var points = points
        if let region { points = points.map(region.clip) }
        if space.dimensions.contains(where: { $0 != .continuous }) { points = points.map(space.snap) }
        return points
    }

    /// The acquisition and its gradient at each of `points` (the fantasies' average when there are fantasies).
    private func valuesAndGradients(at points: [[Double]]) -> [(value: Double, gradient: [Double])] {
        if let fantasies { return fantasies.valuesAndGradients(at: points) }
        return model.posteriorsWithGradients(at: points).map { posterior in
            acquisition.valueAndGradient(
                mean: posterior.mean, variance: posterior.variance, meanGradient: posterior.meanGradient,
                varianceGradient: posterior.varianceGradient, best: best)
        }
    }

    /// Acquisition values (−∞ for anything NaN) of `points`, from one batched posterior (per fantasy, if any).
    private func score(_ points: [[Double]]) -> [Double] {
        guard !points.isEmpty else { return [] }
        if let fantasies { return fantasies.values(at: points).map { $0.isNaN ? -.infinity : $0 } }
        let posterior = model.posterior(batch: points)
        return zip(posterior.means, posterior.variances).map { mean, variance in
            let value = acquisition.value(mean: mean, variance: variance, best: best)
            return value.isNaN ? -.infinity : value
        }
    }

    private func globalCandidates(generator: inout SeededGenerator, sobol: inout SobolSequence?) -> [[Double]] {
        let dimension = space.dimensionCount
        if var sequence = sobol, sequence.dimension == dimension {
            let points = sequence.next(count: options.candidateCount)
            sobol = sequence
            return region.map { box in points.map(box.map(fromCube:)) } ?? points
        }
        return (0..<options.candidateCount).map { _ in (0..<dimension).map { _ in generator.nextUniform() } }
    }

    private func localCandidates(generator: inout SeededGenerator) -> [[Double]] {
        guard !incumbents.isEmpty else { return [] }
        return (0..<options.localCandidateCount).map { index in
            let center = incumbents[index % incumbents.count]
            let scale = Self.localScales[(index / incumbents.count) % Self.localScales.count]
            return center.map { min(1, max(0, $0 + scale * generator.nextStandardNormal())) }
        }
    }
}
