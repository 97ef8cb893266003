/// How `GaussianProcess.fit` searches for hyperparameters.
public struct GPFitOptions: Sendable, Hashable {
    /// Most observations used to fit hyperparameters; above this, a subset is drawn (default 256).
    public var maximumFitPoints: Int = 256
    /// Random restarts besides the default start (and the warm start, if any) when not warm-started (default 2).
    public var randomRestarts: Int = 2
    /// Random restarts when warm-started (default 0: warm start plus the default start).
    public var warmRandomRestarts: Int = 0
    /// L-BFGS iterations per start without a warm start (default 100).
    public var maximumIterations: Int = 100
    /// L-BFGS iterations per start with a warm start (default 40).
    public var warmMaximumIterations: Int = 40
    /// Whether a warm-started fit also starts from the neutral default hyperparameters (default true). Without it a
    /// warm fit costs about half (one start, as Optuna's GPSampler), but over 40 seeds Levy-10's and Rosenbrock-4's
    /// median regret rose by 0.09–0.15 (docs/gaussian-process.md, *Where the time goes*).
    public var defaultStartWhenWarm: Bool = true

    /// The defaults; set the fields to change them.
    public init() {}
}

/// What a hyperparameter fit did, for logs and benchmarks.
public struct GPFitSummary: Sendable, Hashable {
    /// Observations the hyperparameters were fitted on (≤ `GPFitOptions.maximumFitPoints`).
    public var fitPoints: Int
    /// L-BFGS starts (warm, default and random).
    public var starts: Int
    /// Accepted L-BFGS steps over all starts.
    public var iterations: Int
    /// Marginal-likelihood evaluations over all starts (each O(fitPoints³)).
    public var evaluations: Int
}
