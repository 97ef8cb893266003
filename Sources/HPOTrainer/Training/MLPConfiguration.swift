#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that defines one MLP training run; a value with defaults for each field.
///
/// The defaults are the yardstick network of the benchmarks: 64-32 hidden units, ReLU, SGD with
/// learning rate 0.01 and momentum 0.9, batch 32, 50 epochs, no dropout or weight decay.
public struct MLPConfiguration: Sendable, Hashable {
    /// Widths of the hidden layers, input side first; each ≥ 1. Empty means softmax regression.
    /// Default `[64, 32]`.
    public var hiddenWidths: [Int] = [64, 32]
    /// Nonlinearity after every hidden layer. Default ReLU.
    public var activation: Activation = .relu
    /// Probability of zeroing a hidden unit during training (inverted dropout), in [0, 1). Default 0.
    public var dropout: Double = 0
    /// Weight-decay coefficient λ ≥ 0 on weight matrices (never biases). For SGD and Adam it is the L2
    /// penalty `λ/2·‖W‖²` added to the loss; for AdamW it is decoupled (`W ← W − lr·λ·W`). Default 0.
    public var weightDecay: Double = 0
    /// The update rule. Default SGD with momentum 0.9.
    public var optimizer: OptimizerKind = .sgd(momentum: 0.9, nesterov: false)
    /// Base learning rate, > 0. Default 0.01.
    public var learningRate: Double = 0.01
    /// How the learning rate changes from epoch to epoch. Default constant.
    public var schedule: LearningRateSchedule = .constant
    /// Examples per gradient step, ≥ 1. The last batch of an epoch may be smaller. Default 32.
    public var batchSize: Int = 32
    /// Maximum number of passes over the training data, ≥ 1. Default 50.
    public var epochs: Int = 50
    /// Stop after this many epochs without a better validation accuracy; `nil` never stops early.
    /// Default `nil`.
    public var patience: Int? = nil
    /// Seed for initialization, shuffling and dropout: the same seed and data give the same run. Default 0.
    public var seed: UInt64 = 0

    /// The defaults listed on each field.
    public init() {}

    /// Checks every field's range.
    ///
    /// - Throws: `TrainerError.invalidConfiguration` naming the field, its value and the allowed range.
    public func validate() throws(TrainerError) {
        func fail(_ field: String, _ value: String, _ expected: String) -> TrainerError {
            .invalidConfiguration("\(field) must be \(expected), got \(value)")
        }
        if let bad = hiddenWidths.first(where: { $0 < 1 }) {
            throw fail("hidden width", "\(bad) in \(hiddenWidths)", "at least 1")
        }
        guard dropout >= 0, dropout < 1 else { throw fail("dropout", "\(dropout)", "in [0, 1)") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw fail("weight_decay", "\(weightDecay)", "≥ 0") }
        guard learningRate > 0, learningRate.isFinite else {
            throw fail("learning_rate", "\(learningRate)", "a finite number > 0")
        }
        guard batchSize >= 1 else { throw fail("batch_size", "\(batchSize)", "at least 1") }
        guard epochs >= 1 else { throw fail("epochs", "\(epochs)", "at least 1") }
        if let patience, patience < 1 { throw fail("patience", "\(patience)", "at least 1 (or absent)") }
        try optimizer.validate()
        try schedule.validate()
    }
}

/// The parameter update rule.
public enum OptimizerKind: Sendable, Hashable {
    /// Stochastic gradient descent with (optionally Nesterov) momentum in [0, 1), PyTorch's form:
    /// `v ← μv + g`, `p ← p − lr·v` (Nesterov: `p ← p − lr·(g + μv)`).
    case sgd(momentum: Double, nesterov: Bool)
    /// Adam with coupled L2 weight decay.
    case adam(beta1: Double, beta2: Double, epsilon: Double)
    /// Adam with decoupled weight decay (Loshchilov & Hutter).
    case adamW(beta1: Double, beta2: Double, epsilon: Double)

    /// Adam with the usual constants (0.9, 0.999, 1e-8).
    public static let adamDefault = OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    /// AdamW with the usual constants (0.9, 0.999, 1e-8).
    public static let adamWDefault = OptimizerKind.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)

    func validate() throws(TrainerError) {
        switch self {
        case .sgd(let momentum, _):
            guard momentum >= 0, momentum < 1 else {
                throw .invalidConfiguration("momentum must be in [0, 1), got \(momentum)")
            }
        case .adam(let beta1, let beta2, let epsilon), .adamW(let beta1, let beta2, let epsilon):
            guard beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1, epsilon > 0 else {
                throw .invalidConfiguration(
                    "Adam needs beta1 and beta2 in [0, 1) and epsilon > 0, got beta1=\(beta1) beta2=\(beta2) epsilon=\(epsilon)")
            }
        }
    }
}

/// Learning rate as a function of the epoch (0-based), applied at the start of each epoch.
public enum LearningRateSchedule: Sendable, Hashable {
    /// The base rate throughout.
    case constant
    /// Cosine annealing from the base rate at epoch 0 toward `minimumFraction ×` base at the last epoch.
    case cosine(minimumFraction: Double)
    /// Multiply by `factor` every `every` epochs (e.g. every 20 epochs × 0.1).
    case step(every: Int, factor: Double)

    /// The learning rate for `epoch` (0-based) of `epochs`.
    public func rate(base: Double, epoch: Int, epochs: Int) -> Double {
        switch self {
        case .constant:
            return base
        case .cosine(let minimumFraction):
            guard epochs > 1 else { return base }
            let progress = Double(epoch) / Double(epochs - 1)
            let minimum = base * minimumFraction
            return minimum + 0.5 * (base - minimum) * (1 + cos(Double.pi * progress))
        case .step(let every, let factor):
            return base * power(factor, epoch / every)
        }
    }

    func validate() throws(TrainerError) {
        switch self {
        case .constant:
            return
        case .cosine(let minimumFraction):
            guard minimumFraction >= 0, minimumFraction <= 1 else {
                throw .invalidConfiguration("cosine minimum fraction must be in [0, 1], got \(minimumFraction)")
            }
        case .step(let every, let factor):
            guard every >= 1, factor > 0, factor <= 1 else {
                throw .invalidConfiguration(
                    "step schedule needs every ≥ 1 and factor in (0, 1], got every=\(every) factor=\(factor)")
            }
        }
    }
}

private func power(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<max(0, exponent) { result *= base }
    return result
}

