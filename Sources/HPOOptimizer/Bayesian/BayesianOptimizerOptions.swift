/// How a ``BayesianOptimizer`` designs its first trials, models, and picks the next points. Every field has a
/// default that suits studies of up to a few thousand trials in up to ~50 dimensions.
public struct BayesianOptimizerOptions: Sendable, Hashable {
    /// Trials drawn from a scrambled Sobol sequence before the model takes over; nil = `min(10, max(4, d + 1))`
    /// for d encoded dimensions. The model also waits until at least 2 trials have completed.
    public var initialTrials: Int?
    /// The criterion maximized to pick a point (default the confidence bound −μ + 1·σ, chosen by benchmark over
    /// log expected improvement: see ``BayesianOptimizer``).
    public var acquisition: AcquisitionFunction = .upperConfidenceBound(beta: 1)
    /// The value pending trials are assumed to have while a batch is built; see ``LieStrategy`` (default `.best`,
    /// chosen by benchmark: see ``BayesianOptimizer``).
    public var lie: LieStrategy = .best
    /// The monotone transform of observed scores before modelling (default `.yeoJohnson`, see ``OutputWarping``).
    public var outputWarping: OutputWarping = .yeoJohnson
    /// Quasi-random candidates (Sobol) scored in one batched posterior per proposal (default 1024).
    public var candidateCount: Int = 1_024
    /// Extra candidates drawn as Gaussian perturbations of the best observed points (default 256).
    public var localCandidateCount: Int = 256
    /// The best candidates refined by L-BFGS-B on the continuous coordinates (default 5).
    public var refinementStarts: Int = 5
    /// L-BFGS-B iterations per refinement (default 50).
    public var refinementIterations: Int = 50
    /// Past this many completed trials the GP is built (and its hyperparameters fitted) on a subset of this many
    /// (``ObservationSubset``: the best, the incumbents' neighbours, a seeded random rest), so the cost of an ask
    /// stays flat as a study grows (default 1,000; nil = always the exact GP on every trial). Pending trials are
    /// conditioned on in addition, all of them.
    public var maximumModelPoints: Int? = 1_000
    /// Confine the acquisition to a TuRBO-style trust region around the incumbent (``TrustRegionOptions``); nil = the
    /// whole cube (default).
    public var trustRegion: TrustRegionOptions?
    /// Where local candidates and refinement starts come from (``AcquisitionStarts``, default `.best`).
    public var starts: AcquisitionStarts = .best
    /// Draw the Sobol candidates once per `ask` and re-rank them under each constant-liar fantasy in O(n·m)
    /// (``CandidatePosterior``) instead of drawing and scoring new ones for every proposal (default false: 1.3× faster
    /// at n = 100, d = 6, q = 8, but Ackley-5's median regret rose from 0.17 to 0.28–0.35 over 20 seeds;
    /// docs/gaussian-process.md, *Where the time goes*).
    public var reusesBatchCandidates = false
    /// Spend every `period`-th proposal on a more exploring confidence bound (``ExplorationPortfolio``); nil = every
    /// proposal uses `acquisition` (default).
    public var portfolio: ExplorationPortfolio?
    /// Replace the acquisition by the confidence bound with a β that grows with d and the trial count as GP-UCB's
    /// theory has it (``ConfidenceBetaSchedule``); nil = `acquisition` as set (default). The portfolio's exploring
    /// proposals keep their own β.
    public var betaSchedule: ConfidenceBetaSchedule?
    /// What log expected improvement counts as the incumbent (``IncumbentRule``, default `.bestObserved`).
    public var incumbent: IncumbentRule = .bestObserved
    /// With log expected improvement: average it over this many joint draws of the pending trials' values instead of
    /// telling them the lie (``FantasyAverage``, the greedy form of BoTorch's qLogEI); 0 = the lie (default). Over 20
    /// seeds 16 draws gave log EI 0.4 decades on Branin and Hartmann-6 and stayed behind the default confidence bound
    /// everywhere (docs/gaussian-process.md, *Averaging the acquisition*). The draws share the posterior variances
    /// and triangular solves; each adds its means and mean gradients: a 100-trial Levy-10 run took 1.2 s of CPU at
    /// 16 draws against 0.4 s. Refused with the confidence bound, whose average over draws is the kriging believer
    /// (``LieStrategy/posteriorMean``).
    public var pendingFantasies = 0
    /// The largest ``pendingFantasies`` accepted.
    public static let maximumPendingFantasies = 256

    public init(
        initialTrials: Int? = nil, acquisition: AcquisitionFunction = .upperConfidenceBound(beta: 1), lie: LieStrategy = .best,
        outputWarping: OutputWarping = .yeoJohnson, candidateCount: Int = 1_024, localCandidateCount: Int = 256, refinementStarts: Int = 5,
        refinementIterations: Int = 50, maximumModelPoints: Int? = 1_000, trustRegion: TrustRegionOptions? = nil,
        starts: AcquisitionStarts = .best
    ) {
        self.initialTrials = initialTrials
        self.acquisition = acquisition
        self.lie = lie
        self.outputWarping = outputWarping
        self.candidateCount = candidateCount
        self.localCandidateCount = localCandidateCount
        self.refinementStarts = refinementStarts
        self.refinementIterations = refinementIterations
        self.maximumModelPoints = maximumModelPoints
        self.trustRegion = trustRegion
        self.starts = starts
    }

    /// The number of Sobol trials for `dimension` encoded coordinates.
    public func initialTrialCount(dimension: Int) -> Int {
        initialTrials ?? min(10, max(4, dimension + 1))
    }

    /// Throws when a field is out of range.
    func validated() throws(OptimizerError) -> BayesianOptimizerOptions {
        if let initialTrials, initialTrials < 0 {
            throw OptimizerError(.invalidArgument, "initialTrials is \(initialTrials); use 0 or more (or nil for the default)")
        }
        if candidateCount < 1 || localCandidateCount < 0 || refinementStarts < 0 || refinementIterations < 0 {
            throw OptimizerError(
                .invalidArgument,
                "candidateCount \(candidateCount) must be >= 1 and localCandidateCount \(localCandidateCount), "
                    + "refinementStarts \(refinementStarts), refinementIterations \(refinementIterations) >= 0"
            )
        }
        if let maximumModelPoints, maximumModelPoints < 10 {
            throw OptimizerError(
                .invalidArgument,
                "maximumModelPoints is \(maximumModelPoints); use 10 or more (e.g. 1000), or nil for the exact GP on every trial"
            )
        }
        _ = try portfolio?.validated()
        _ = try betaSchedule?.validated()
        if case .upperConfidenceBound(let beta) = acquisition, !(beta >= 0 && beta.isFinite) {
            throw OptimizerError(.invalidArgument, "upper confidence bound beta is \(beta); use a finite beta >= 0, e.g. 2")
        }
        _ = try trustRegion?.validated()
        if pendingFantasies != 0 {
            guard (1...Self.maximumPendingFantasies).contains(pendingFantasies) else {
                throw OptimizerError(
                    .invalidArgument,
                    "pendingFantasies is \(pendingFantasies); use 0 (the lie) or 1 to \(Self.maximumPendingFantasies), e.g. 16")
            }
            guard acquisition == .logExpectedImprovement else {
                throw OptimizerError(
                    .invalidArgument,
                    "pendingFantasies \(pendingFantasies) needs acquisition .logExpectedImprovement; the confidence bound averaged "
                        + "over fantasies is the kriging believer: use lie .posteriorMean instead")
            }
        }
        return self
    }
}
