import HPOOptimizer
import HPOSearchSpace
import HPOStudyFile

/// Builds the optimizer a study file asks for.
enum StudyOptimizerFactory {
    /// The optimizer of `config` (`optimizer.kind`, seed, start-up trials, acquisition, lie).
    ///
    /// - Throws: `CoordinatorError` when the kind is not available in this build.
    static func make(_ config: StudyConfig) throws(CoordinatorError) -> any Optimizer {
        switch config.optimizer.kind {
        case .random:
            return RandomSearch(space: config.space, direction: config.direction, seed: config.optimizer.seed)
        case .gp:
            var options = BayesianOptimizerOptions()
            options.initialTrials = config.optimizer.resolvedStartupTrials(dimensionCount: config.space.dimensionCount)
            switch config.optimizer.acquisition {
            case nil: break
            case .logei?: options.acquisition = .logExpectedImprovement
            case .ucb?: options.acquisition = .upperConfidenceBound(beta: 1)
            }
            options.lie = lie(config.optimizer.lie, direction: config.direction)
            if config.optimizer.lie == .fantasies {
                options.pendingFantasies = StudyConfig.OptimizerSettings.fantasyCount
            }
            do {
                return try BayesianOptimizer(
                    validating: options, space: config.space, direction: config.direction, seed: config.optimizer.seed)
            } catch {
                throw CoordinatorError(.optimizerRejected, "optimizer: \(error)")
            }
        }
    }

    /// The study file names the lie by quality (`best`, `mean`, `worst`, as the optimizer does) or by value (`min`,
    /// `max` of the observed values), which maps to a quality through the direction. `fantasies` keeps the default
    /// lie for the model the trust region and candidates start from; the acquisition averages over draws instead
    /// (``BayesianOptimizerOptions/pendingFantasies``).
    static func lie(_ lie: StudyConfig.OptimizerSettings.Lie, direction: Direction) -> LieStrategy {
        switch (lie, direction) {
        case (.best, _), (.fantasies, _): .best
        case (.worst, _): .worst
        case (.mean, _): .mean
        case (.min, .minimize), (.max, .maximize): .best
        case (.min, .maximize), (.max, .minimize): .worst
        }
    }

    /// Proposals kept ready beyond the idle workers: cheap random proposals are prefetched generously (dispatch
    /// throughput), GP proposals sparingly (each one is computed before the newest results are known).
    static func prefetch(for config: StudyConfig) -> Int {
        switch config.optimizer.kind {
        case .random: 16
        case .gp: 2
        }
    }
}
