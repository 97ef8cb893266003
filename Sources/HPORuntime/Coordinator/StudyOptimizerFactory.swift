import HPOOptimizer

/// Builds the optimizer a study file asks for.
enum StudyOptimizerFactory {
    /// The optimizer of `config` (`optimizer.kind`, seed, start-up trials, acquisition, lie).
    ///
    /// - Throws: `StudySessionError` when the kind is not available in this build.
    static func make(_ config: StudyConfig) throws(StudySessionError) -> any Optimizer {
        switch config.optimizer.kind {
        case .random:
            return RandomSearch(space: config.space, direction: config.direction, seed: config.optimizer.seed)
        case .gp:
            throw StudySessionError(
                "optimizer.kind: gp is not available in this build yet; use kind: random")
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
