import HPOMath

/// A TuRBO-style trust region (Eriksson et al. 2019, "Scalable Global Optimization via Local Bayesian
/// Optimization"): a box around the incumbent, inside which the acquisition is maximized.
///
/// The box's edge length (unit-cube units, before the per-coordinate stretch) follows the history of completed
/// scores with ``edgeLength(scores:designCount:dimension:options:)``: it doubles after a run of successes (a value
/// that beats the best so far), halves after a run of failures, and starts over at the initial length once it has
/// shrunk below the minimum. Per coordinate the edge is stretched by the GP's length scale relative to their
/// geometric mean (a long length scale means the objective varies slowly there, so the box is wider), then clipped
/// to the cube. A pure function of the trials, so the same study replays to the same boxes.
struct TrustRegion: Sendable, Hashable {
    /// Lower corner, d coordinates in [0, 1].
    let lower: [Double]
    /// Upper corner, d coordinates in [0, 1], each ≥ the lower one.
    let upper: [Double]

    /// The box of edge `length` around `center`, stretched by `lengthScales` (each > 0) and clipped to the cube.
    ///
    /// Edge of coordinate k: `length · ℓₖ / (ℓ₁⋯ℓ_d)^(1/d)`, as in TuRBO.
    init(center: [Double], length: Double, lengthScales: [Double]) {
        let logMean = lengthScales.reduce(0) { $0 + MathFunctions.log($1) } / Double(max(lengthScales.count, 1))
        var lower = center
        var upper = center
        for index in center.indices {
            let half = 0.5 * length * MathFunctions.exp(MathFunctions.log(lengthScales[index]) - logMean)
            lower[index] = max(0, center[index] - half)
            upper[index] = min(1, center[index] + half)
        }
        self.lower = lower
        self.upper = upper
    }

    /// `point` (d coordinates in [0, 1]) mapped affinely from the unit cube into the box.
    func map(fromCube point: [Double]) -> [Double] {
        point.indices.map { lower[$0] + (upper[$0] - lower[$0]) * point[$0] }
    }

    /// `point` clipped into the box.
    func clip(_ point: [Double]) -> [Double] {
        point.indices.map { min(upper[$0], max(lower[$0], point[$0])) }
    }

    /// The edge length after the completed `scores` (smaller is better, in trial order), of which the first
    /// `designCount` are the start-up design (they set the best but move nothing).
    ///
    /// Each later score is a success if it beats the best so far by more than 10⁻³·|best| (TuRBO's rule), else a
    /// failure. ``TrustRegionOptions/successTolerance`` successes in a row double the length (at most
    /// ``TrustRegionOptions/maximumLength``); `failureTolerance` failures in a row halve it; below
    /// ``TrustRegionOptions/minimumLength`` it restarts at ``TrustRegionOptions/initialLength``. TuRBO counts
    /// batches; here every trial counts, so the failure tolerance is TuRBO's max(4, d) batches of one.
    /// - Complexity: O(n).
    static func edgeLength(scores: [Double], designCount: Int, dimension: Int, options: TrustRegionOptions) -> Double {
        let failureTolerance = options.failureTolerance ?? max(4, dimension)
        var length = options.initialLength
        var best = Double.infinity
        var successes = 0
        var failures = 0
        for (index, score) in scores.enumerated() {
            defer { best = min(best, score) }
            guard index >= designCount else { continue }
            if score < best - 1e-3 * abs(best) {
                successes += 1
                failures = 0
            } else {
                failures += 1
                successes = 0
            }
            if successes >= options.successTolerance {
                length = min(2 * length, options.maximumLength)
                successes = 0
            } else if failures >= failureTolerance {
                length /= 2
                failures = 0
            }
            if length < options.minimumLength {
                length = options.initialLength
            }
        }
        return length
    }
}
