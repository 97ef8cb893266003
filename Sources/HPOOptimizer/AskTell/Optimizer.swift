// Refinements of CONTRACTS.md ("HPOOptimizer ask/tell"), same shape:
// - `ask(count:)` returns fewer than `count` proposals (possibly none) only when a discrete space has no untried
//   point left; points are never repeated.
// - Failed trials are never re-proposed either; telling `.failed` twice is a no-op whatever the reasons.
// - `BayesianOptimizer.init(space:direction:seed:options:)` takes a `BayesianOptimizerOptions`; the lie is a
//   `LieStrategy` named relative to the direction (`.best`/`.mean`/`.worst`, plus `.posteriorMean`) rather than
//   min/mean/max of the raw values. The default acquisition is UCB (beta 1), chosen by benchmark; log EI is an option.
// - `TestFunction.named(_:dimension:)` throws `OptimizerError`; `TestFunction` also has `minimizer`,
//   `value(for: Assignment)` and `regret(ofBest:)`.

public import HPOSearchSpace

/// An ask/tell optimizer over a ``SearchSpace``.
///
/// A conformer guarantees:
/// - ``ask(count:)`` returns proposals with fresh ids (0, 1, 2, … in proposal order, skipping ids already
///   registered), whose assignments pass `space.validate` and whose points are `space.encode(assignment)`.
///   It returns `count` proposals unless the space has fewer distinct untried points left (a small discrete space);
///   then it returns as many as there are, possibly none.
/// - Points are distinct: within one batch, and against every completed, pending or failed trial.
/// - Every trial asked (or registered without an outcome) and not yet told is *pending*; a later `ask` takes the
///   pending trials into account (a batch optimizer does not propose the same region again).
/// - ``tell(_:_:)`` of a completed value trains the model; a failed trial never does and leaves the pending set.
///   Telling the same result twice is a no-op; a different second result, an unknown id or a non-finite value
///   throws and changes nothing.
/// - ``register(_:as:outcome:)`` adds a trial from elsewhere (warm start, or replaying a journal on resume).
/// - Same seed, same options and the same sequence of calls give the same proposals.
public protocol Optimizer: Sendable {
    /// The space proposals come from.
    var space: SearchSpace { get }
    /// Whether larger or smaller values are better.
    var direction: Direction { get }

    /// Proposes up to `count` new trials (see the protocol's guarantees).
    ///
    /// - Throws: ``OptimizerError`` `.invalidArgument` for a negative count, `.modelFailure` if the model cannot
    ///   be built.
    mutating func ask(count: Int) throws(OptimizerError) -> [Proposal]

    /// Records the outcome of a trial.
    ///
    /// - Throws: ``OptimizerError`` `.unknownTrial`, `.nonFiniteValue` or `.conflictingResult`.
    mutating func tell(_ id: TrialID, _ outcome: TrialOutcome) throws(OptimizerError)

    /// Adds a trial proposed elsewhere or earlier: pending if `outcome` is nil. Later ids skip past `id`.
    ///
    /// Registering a known id again with the same assignment is allowed: with an outcome it acts as ``tell(_:_:)``,
    /// without one it is a no-op.
    /// - Throws: ``OptimizerError`` `.invalidAssignment`, `.conflictingAssignment`, `.invalidArgument` (negative
    ///   id), or what ``tell(_:_:)`` throws.
    mutating func register(_ assignment: Assignment, as id: TrialID, outcome: TrialOutcome?) throws(OptimizerError)
}

extension Optimizer {
    /// Proposes one new trial, or nil when the space has no untried point left.
    public mutating func ask() throws(OptimizerError) -> Proposal? {
        try ask(count: 1).first
    }
}
