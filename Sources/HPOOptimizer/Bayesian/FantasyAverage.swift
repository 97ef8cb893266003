import HPOMath

/// Log expected improvement averaged over joint draws of the pending trials' values: the greedy form of BoTorch's
/// qLogEI (``BayesianOptimizerOptions/pendingFantasies``).
///
/// Each of k draws conditions its own copy of the model on values drawn jointly at the pending points
/// (``GaussianProcess/conditioned(onDrawsAt:generator:)``) and lowers its own incumbent to the smallest drawn value
/// when that beats the best observed one. The acquisition at x is log((1/k)·Σ EIᵢ(x)), computed from the members'
/// log EI by log-sum-exp, so a point scores well when it improves on what the pending trials would already have
/// found, averaged over what they might find. docs/gaussian-process.md, *Averaging the acquisition*, has the
/// measurements.
struct FantasyAverage {
    /// The first draw's model. Every member shares its points, hyperparameters, standardization and factor (each is
    /// the base told values at the same pending points), so only each member's weights are kept beside it.
    let shared: GaussianProcess
    /// Each member's weights α = K⁻¹·y (n + p entries, p the pending count), one per draw (at least one).
    let alphas: [[Double]]
    /// Each member's incumbent (smaller is better), in the order of ``alphas``.
    let incumbents: [Double]

    /// Draws `count` joint fantasies at `pending` from `base` (the model of the completed trials alone).
    ///
    /// - Returns: nil when no draw could join the model (a kernel matrix singular even with jitter): the caller
    ///   keeps its constant-liar model.
    init?(base: GaussianProcess, pending: [[Double]], count: Int, best: Double, generator: inout SeededGenerator) {
        var shared: GaussianProcess?
        var alphas: [[Double]] = []
        var incumbents: [Double] = []
        for _ in 0..<count {
            guard let drawn = try? base.conditioned(onDrawsAt: pending, generator: &generator) else { continue }
            if shared == nil { shared = drawn.model }
            alphas.append(drawn.model.alpha)
            incumbents.append(min(best, drawn.values.min() ?? best))
        }
        guard let shared else { return nil }
        self.shared = shared
        self.alphas = alphas
        self.incumbents = incumbents
    }

    /// The averaged log EI at each of `points`.
    ///
    /// The members share their points, hyperparameters and standardization (each is `base` told values at the same
    /// pending points), so they share k(X, c) and the posterior variance: those are computed once, and each member
    /// adds only its means k(X, c)ᵀ·αᵢ (one `dgemv`). The values are those of each member's own
    /// ``GaussianProcess/posterior(batch:)``, bit for bit.
    func values(at points: [[Double]]) -> [Double] {
        guard !points.isEmpty else { return [] }
        let (cross, firstMeans) = shared.crossCovarianceBatch(points)
        let standardizedMeans = [firstMeans] + alphas.dropFirst().map { cross.transposeMultiplied(by: $0) }
        let variances = shared.whitenedVariances(cross).standardizedVariances.map(shared.scaledVariance)
        let perModel = zip(standardizedMeans, incumbents).map { means, incumbent in
            zip(means, variances).map { mean, variance in
                LogExpectedImprovement.value(
                    mean: shared.targetMean + shared.targetScale * mean, variance: variance, best: incumbent)
            }
        }
        return points.indices.map { index in Self.logMeanExp(perModel.map { ($0[index], []) }).value }
    }

    /// The averaged log EI and its gradient (d entries) at each of `points`; the triangular solves are shared as in
    /// ``values(at:)`` (``GaussianProcess/posteriorsWithGradients(at:alphas:)``).
    func valuesAndGradients(at points: [[Double]]) -> [(value: Double, gradient: [Double])] {
        guard !points.isEmpty else { return [] }
        let perMember = shared.posteriorsWithGradients(at: points, alphas: alphas)
        let perModel = zip(perMember, incumbents).map { posteriors, incumbent in
            posteriors.map { posterior in
                LogExpectedImprovement.valueAndGradient(
                    mean: posterior.mean, variance: posterior.variance, meanGradient: posterior.meanGradient,
                    varianceGradient: posterior.varianceGradient, best: incumbent)
            }
        }
        return points.indices.map { index in Self.logMeanExp(perModel.map { $0[index] }) }
    }

    /// log((1/k)·Σ exp(vᵢ)) and its gradient Σ wᵢ·∇vᵢ with wᵢ = exp(vᵢ)/Σ exp(vⱼ); a gradient left empty is
    /// ignored. −∞ when every part is −∞ (or there is none), NaN when any part is NaN.
    static func logMeanExp(_ parts: [(value: Double, gradient: [Double])]) -> (value: Double, gradient: [Double]) {
        let dimension = parts.first?.gradient.count ?? 0
        var gradient = [Double](repeating: 0, count: dimension)
        if parts.contains(where: { $0.value.isNaN }) { return (.nan, gradient) }
        guard let top = parts.map(\.value).max(), top > -.infinity else { return (-.infinity, gradient) }
        let weights = parts.map { MathFunctions.exp($0.value - top) }
        let total = weights.reduce(0, +)
        for (weight, part) in zip(weights, parts) where !part.gradient.isEmpty {
            for k in 0..<dimension { gradient[k] += weight / total * part.gradient[k] }
        }
        return (top + MathFunctions.log(total / Double(parts.count)), gradient)
    }
}
