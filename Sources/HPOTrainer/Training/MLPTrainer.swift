internal import HPOMath

/// What the trainer reports after each epoch.
public struct EpochReport: Sendable, Hashable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Fraction of validation examples classified correctly, in [0, 1].
    public var validationAccuracy: Double
    /// Mean cross-entropy on the validation part (nats).
    public var validationLoss: Double
    /// Mean training loss over the epoch's batches (cross-entropy + L2 penalty, nats).
    public var trainingLoss: Double
    /// Learning rate used during this epoch.
    public var learningRate: Double
}

/// The caller's answer to an epoch report.
public enum EpochDecision: Sendable {
    /// Train the next epoch.
    case proceed
    /// Stop now (the result keeps the epochs done so far).
    case stop
}

/// Why training ended.
public enum TrainingStopReason: String, Sendable, Hashable {
    /// All configured epochs ran.
    case completed
    /// `patience` epochs passed without a better validation accuracy.
    case patience
    /// The epoch callback returned `.stop`.
    case requested
    /// The training loss became NaN or infinite (learning rate too high); training stopped at once.
    case diverged
}

/// The outcome of a training run.
public struct TrainingResult: Sendable, Hashable {
    /// The study value: the **best** validation accuracy over the epochs run.
    ///
    /// Best rather than last because it is the accuracy of the model that early stopping keeps (the
    /// checkpoint one would deploy), and because it makes a too-long or late-diverging run cost the
    /// optimizer nothing extra to interpret. Its optimism is one selection over ≤ `epochs` noisy values
    /// of the same run; `lastAccuracy` is kept alongside for those who want the other convention.
    public var validationAccuracy: Double
    /// 1-based epoch at which `validationAccuracy` was reached (the first, on ties); 0 when no epoch completed.
    public var bestEpoch: Int
    /// Validation accuracy after the last epoch run.
    public var lastAccuracy: Double
    /// Number of epochs run (≤ configured epochs).
    public var epochsRun: Int
    /// Why training ended.
    public var stopReason: TrainingStopReason
    /// One report per epoch run, in order.
    public var history: [EpochReport]
}

/// Trains an `MLPNetwork` by mini-batch gradient descent and reports validation accuracy per epoch.
public enum MLPTrainer {
    /// Trains a fresh network on `training` and measures it on `validation` after every epoch.
    ///
    /// Deterministic: the same configuration (seed included) and data give the same result, given the same
    /// OpenBLAS thread count (OpenBLAS splits large products over threads, which can change rounding; the
    /// `mlp` objective pins one thread, see `Float32BLAS.setThreadCount`) and the same vector kernels (hpo's
    /// AVX2 + FMA products round differently from OpenBLAS's in the last bits; `VectorKernels.selected`). Each epoch
    /// shuffles the training examples, runs `ceil(n / batchSize)` steps (the last batch may be smaller),
    /// then evaluates the whole validation part and calls `onEpoch`.
    ///
    /// - Parameters:
    ///   - configuration: the run's settings; validated first.
    ///   - training: examples to learn from (usually standardized).
    ///   - validation: held-out examples with the same features and classes.
    ///   - onEpoch: called after every epoch with its report; return `.stop` to end training there
    ///     (this is how a worker honors a cancel or a pruner between epochs).
    ///   - shouldStop: polled before every mini-batch; returning `true` ends training at once, mid-epoch
    ///     (stop reason `.requested`; the result keeps the epochs completed before). For prompt cancels
    ///     when epochs are long (MNIST-sized data).
    /// - Returns: the best validation accuracy and its epoch, the last one, and the per-epoch history.
    /// - Throws: `TrainerError` for an invalid configuration or mismatched datasets.
    /// - Complexity: O(epochs · n · Σ fanIn·fanOut).
    public static func train(
        _ configuration: MLPConfiguration,
        training: Dataset,
        validation: Dataset,
        onEpoch: (EpochReport) -> EpochDecision = { _ in .proceed },
        shouldStop: () -> Bool = { false }
    ) throws(TrainerError) -> TrainingResult {
        try configuration.validate()
        guard training.featureCount == validation.featureCount, training.classCount == validation.classCount else {
            throw .unusableData(
                "training has \(training.featureCount) features and \(training.classCount) classes, validation has \(validation.featureCount) and \(validation.classCount)")
        }
        guard training.count >= 1, validation.count >= 1 else {
            throw .unusableData("need at least one training and one validation example, got \(training.count) and \(validation.count)")
        }

        let network = MLPNetwork(
            inputCount: training.featureCount, hiddenWidths: configuration.hiddenWidths, classCount: training.classCount,
            activation: configuration.activation, dropout: configuration.dropout, seed: configuration.seed)
        let updater = ParameterUpdater(
            kind: configuration.optimizer, parameterCount: network.parameterCount,
            weightRanges: network.layout.map(\.weights))
        let coupledDecay = updater.wantsCoupledWeightDecay ? Float(configuration.weightDecay) : 0
        let decoupledDecay = updater.wantsCoupledWeightDecay ? 0 : Float(configuration.weightDecay)
        var shuffler = TrainerRandom(seed: configuration.seed &+ 0x0123_4567_89AB_CDEF)

        let width = training.featureCount
        let batchSize = min(configuration.batchSize, training.count)
        var order = Array(0..<training.count)
        // The batch's rows, gathered by index from the shuffled order (one C call per batch, no copy per row).
        let batchFeatures = UnsafeMutablePointer<Float>.allocate(capacity: batchSize * width)
        let batchLabels = UnsafeMutablePointer<Int32>.allocate(capacity: batchSize)
        defer {
            batchFeatures.deallocate()
            batchLabels.deallocate()
        }
        let evaluationChunk = max(batchSize, min(validation.count, 512))

        var history: [EpochReport] = []
        var best = (accuracy: -1.0, epoch: 0)
        var stopReason = TrainingStopReason.completed

        for epoch in 0..<configuration.epochs {
            let rate = configuration.schedule.rate(base: configuration.learningRate, epoch: epoch, epochs: configuration.epochs)
            shuffler.shuffle(&order)
            var lossSum = 0.0
            var start = 0
            var interrupted = false
            training.features.withUnsafeBufferPointer { allFeatures in
                training.labels.withUnsafeBufferPointer { allLabels in
                    order.withUnsafeBufferPointer { indices in
                        while start < indices.count {
                            if shouldStop() {
                                interrupted = true
                                return
                            }
                            let rows = min(batchSize, indices.count - start)
                            VectorKernels.gatherRows(
                                features: allFeatures.baseAddress!, labels: allLabels.baseAddress!, sourceRows: training.count,
                                width: width, indices: UnsafeBufferPointer(rebasing: indices[start..<(start + rows)]),
                                rowsOut: batchFeatures, labelsOut: batchLabels)
                            network.forward(batchFeatures, rows: rows, training: true)
                            let loss = network.backward(batchFeatures, labels: batchLabels, rows: rows, weightDecay: coupledDecay)
                            lossSum += loss * Double(rows)
                            updater.step(
                                parameters: network.parameters, gradients: network.gradients,
                                learningRate: Float(rate), weightDecay: decoupledDecay)
                            start += rows
                        }
                    }
                }
            }
            if interrupted {
                stopReason = .requested
                break
            }
            let trainingLoss = lossSum / Double(training.count)
            let (correct, validationLossSum) = validation.features.withUnsafeBufferPointer { x in
                validation.labels.withUnsafeBufferPointer { y in
                    network.evaluate(features: x.baseAddress!, labels: y.baseAddress!, count: validation.count, chunk: evaluationChunk)
                }
            }
            let report = EpochReport(
                epoch: epoch + 1, validationAccuracy: Double(correct) / Double(validation.count),
                validationLoss: validationLossSum / Double(validation.count), trainingLoss: trainingLoss, learningRate: rate)
            history.append(report)
            if report.validationAccuracy > best.accuracy { best = (report.validationAccuracy, report.epoch) }

            if onEpoch(report) == .stop {
                stopReason = .requested
                break
            }
            if !trainingLoss.isFinite {
                stopReason = .diverged
                break
            }
            if let patience = configuration.patience, report.epoch - best.epoch >= patience {
                stopReason = .patience
                break
            }
        }
        return TrainingResult(
            validationAccuracy: max(best.accuracy, 0), bestEpoch: best.epoch, lastAccuracy: history.last?.validationAccuracy ?? 0,
            epochsRun: history.count, stopReason: stopReason, history: history)
    }
}
