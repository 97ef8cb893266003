import HPOMath

extension LieStrategy {
    /// `model` told that trials at `points` (the pending ones when the model is built, or a proposal just made) have
    /// this strategy's values: `constantLie` for the constant strategies, the posterior mean for ``posteriorMean``,
    /// one joint draw from `generator` for ``posteriorSample``. The one place a batch's lie reaches the model.
    ///
    /// A lie that cannot join (a kernel matrix singular even with jitter) leaves the model as it was: it only weakens
    /// the batch's spread.
    /// - Parameter constantLie: ``constantLie(scores:)`` of the observed scores (nil for the point-wise strategies).
    func conditioning(
        _ model: GaussianProcess, on points: [[Double]], constantLie: Double?, generator: inout SeededGenerator
    ) -> GaussianProcess {
        guard !points.isEmpty else { return model }
        if self == .posteriorSample {
            return (try? model.conditioned(onDrawsAt: points, generator: &generator))?.model ?? model
        }
        let values = constantLie.map { lie in points.map { _ in lie } } ?? model.posterior(batch: points).means
        return (try? model.conditioned(onFantasies: points, values: values)) ?? model
    }
}
