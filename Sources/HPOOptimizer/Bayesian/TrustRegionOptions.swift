/// When and how a ``BayesianOptimizer`` confines its acquisition to a TuRBO-style trust region around the incumbent
/// (docs/gaussian-process.md, *Toward better proposals*). Lengths are edge lengths in unit-cube units, before the
/// per-coordinate stretch by the GP's length scales.
public struct TrustRegionOptions: Sendable, Hashable {
    /// The region is used only in spaces of at least this many encoded dimensions (default 8; 1 = always).
    public var minimumDimension: Int = 8
    /// The edge length at the start and after a restart (default 0.8, TuRBO's).
    public var initialLength: Double = 0.8
    /// Below this the region restarts at ``initialLength`` (default 0.5⁷ ≈ 0.0078, TuRBO's).
    public var minimumLength: Double = 0.0078125
    /// The edge length never grows past this (default 1.6, TuRBO's; the box is clipped to the cube anyway).
    public var maximumLength: Double = 1.6
    /// Successes in a row that double the edge (default 3, TuRBO's).
    public var successTolerance: Int = 3
    /// Failures in a row that halve the edge; nil = max(4, d) (TuRBO's, counted in trials).
    public var failureTolerance: Int?

    public init(
        minimumDimension: Int = 8, initialLength: Double = 0.8, minimumLength: Double = 0.0078125,
        maximumLength: Double = 1.6, successTolerance: Int = 3, failureTolerance: Int? = nil
    ) {
        self.minimumDimension = minimumDimension
        self.initialLength = initialLength
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.successTolerance = successTolerance
        self.failureTolerance = failureTolerance
    }

    /// Throws when a field is out of range.
    func validated() throws(OptimizerError) -> TrustRegionOptions {
        guard minimumDimension >= 1, minimumLength > 0, initialLength >= minimumLength, maximumLength >= initialLength,
            maximumLength.isFinite, successTolerance >= 1, (failureTolerance ?? 1) >= 1
        else {
            throw OptimizerError(
                .invalidArgument,
                "trust region: need minimumDimension >= 1 (got \(minimumDimension)), 0 < minimumLength <= initialLength "
                    + "<= maximumLength < inf (got \(minimumLength), \(initialLength), \(maximumLength)), successTolerance "
                    + ">= 1 (got \(successTolerance)) and failureTolerance >= 1 or nil (got \(failureTolerance.map(String.init) ?? "nil")); "
                    + "the defaults are TuRBO's 8, 0.8, 0.0078125, 1.6, 3, nil"
            )
        }
        return self
    }
}
