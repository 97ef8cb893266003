// HPOError's members (`code`, `message`, the initializer) reach HPOOptimizer's users through this re-export.
@_exported public import HPOErrors

/// Why an ``Optimizer`` refused a call; the message echoes the values and says what to do.
public typealias OptimizerError = HPOError<OptimizerErrorCode>

/// The class of problem of an ``OptimizerError``.
public enum OptimizerErrorCode: String, Sendable, Hashable {
    /// `tell` or a lookup named a trial the optimizer never proposed or registered.
    case unknownTrial
    /// A completed value was NaN or infinite.
    case nonFiniteValue
    /// A second, different result for a trial that already has one.
    case conflictingResult
    /// `register` gave an id that is already known with a different assignment.
    case conflictingAssignment
    /// An assignment does not fit the search space.
    case invalidAssignment
    /// A negative count, trial id, or an option out of its range; or Gaussian-process inputs that disagree in
    /// count or dimension, are empty, or hold NaN/∞.
    case invalidArgument
    /// An unknown test-function name or an unsupported dimension.
    case unknownTestFunction
    /// The surrogate model could not be built (e.g. a singular kernel matrix even with jitter).
    case modelFailure
    /// Hyperparameter fitting failed and the model fell back to earlier or default hyperparameters: recorded in
    /// `GaussianProcess.fitIssue`, never thrown.
    case fitFailed
}
