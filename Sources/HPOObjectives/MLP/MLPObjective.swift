public import HPOSearchSpace
import Foundation
import HPOMath
import HPOTrainer
public import HPOWire
public import HPOStudyFile

/// Trains the built-in Swift MLP (HPOTrainer) on a dataset and returns its validation accuracy.
///
/// Study-file form:
/// ```yaml
/// objective: {kind: mlp, dataset: digits, hidden: "64-32", epochs: 50}
/// space:
///   lr:         {type: float, low: 1.0e-4, high: 0.3, log: true}
///   batch_size: {type: int, low: 16, high: 256, log: true}
///   hidden:     {type: categorical, choices: ["64-32", "128-64", "32"]}
/// ```
/// Options: the data options of `MLPDataSource` (`dataset`, `path`, `label`, `feature_count`,
/// `validation_fraction`, `split_seed`, `standardize`), every trainer setting of `MLPSettings` as a
/// study-wide default, `metric` (must be `accuracy`, the one value this objective reports), and
/// `final` (`best`, the default, or `last`: which epoch's validation accuracy is the trial's value).
/// Parameters: any `MLPSettings` key; a parameter overrides the option of the same name.
///
/// Every epoch's validation accuracy is reported as an intermediate value (step = epoch, from 1) with
/// `validation_loss`, `training_loss` and `learning_rate`; a stop request ends training before the next
/// mini-batch. The data is loaded on first use and kept for later trials on the same worker.
public struct MLPObjective: Objective {
    /// Options this objective reads besides the trainer settings.
    static let ownOptionKeys: Set<String> = ["metric", "final"]

    private let defaults: MLPSettings
    private let data: MLPDataSource
    private let reportsLastEpoch: Bool

    /// Builds the objective from study-file options (see the type's documentation).
    ///
    /// - Throws: `StudyFileError` naming an unknown option, or an option with a bad value.
    public init(options: [String: JSONValue]) throws(StudyFileError) {
        var settings = MLPSettings()
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            if MLPDataSource.optionKeys.contains(key) || Self.ownOptionKeys.contains(key) { continue }
            guard MLPSettings.isSetting(key) else {
                throw StudyFileError(
                    .objectiveInvalidOption, objective: "mlp",
                    "unknown option \"\(key)\"\(SpellingSuggestion.hint(for: key, in: MLPDataSource.optionKeys.union(Self.ownOptionKeys).union(MLPSettings.keys))); options are \(MLPDataSource.optionKeys.union(Self.ownOptionKeys).sorted().joined(separator: ", ")) and \(MLPSettings.knownKeysText)")
            }
            try settings.apply(key, .json(value), what: "option")
        }
        if let metric = options["metric"], metric.stringValue != "accuracy" {
            throw StudyFileError(.objectiveInvalidOption, objective: "mlp", "option \"metric\" is \(metric) but the mlp objective reports validation accuracy only; use metric: accuracy")
        }
        switch options["final"]?.stringValue {
        case nil where options["final"] == nil, "best"?: reportsLastEpoch = false
        case "last"?: reportsLastEpoch = true
        default:
            throw StudyFileError(.objectiveInvalidOption, objective: "mlp", "option \"final\" must be best or last, got \(options["final"]!)")
        }
        _ = try settings.configuration()
        defaults = settings
        data = try MLPDataSource(options: options)
    }

    /// Checks that every parameter of `space` is a setting this objective knows and that each of its
    /// extreme values (bounds, every choice, the fixed value) gives a valid training configuration.
    ///
    /// Does not load the data (paths are resolved on the workers).
    /// - Throws: `StudyFileError` naming the parameter and what it expects.
    public func validate(space: SearchSpace) throws(StudyFileError) {
        for parameter in space.parameters {
            guard MLPSettings.isSetting(parameter.name) else {
                throw StudyFileError(
                    .objectiveParameterMismatch, objective: "mlp", "the space has parameter \"\(parameter.name)\", which the mlp objective does not take; \(MLPSettings.knownKeysText)")
            }
            let samples: [ParameterValue]
            switch parameter.kind {
            case .float(let low, let high, _, _): samples = [.double(low), .double(high)]
            case .int(let low, let high, _, _): samples = [.int(low), .int(high)]
            case .categorical(let choices): samples = choices
            case .fixed(let value): samples = [value]
            }
            for sample in samples {
                var settings = defaults
                try settings.apply(parameter.name, .parameter(sample), what: "parameter")
                do {
                    _ = try settings.configuration()
                } catch {
                    throw StudyFileError(.objectiveParameterMismatch, objective: "mlp", "parameter \"\(parameter.name)\" = \(sample): \(error.message)")
                }
            }
        }
    }

    /// Checks the data files (see `MLPDataSource.checkFiles`); with `readsData`, loads and splits the data once.
    ///
    /// - Throws: `StudyFileError` for option `path`.
    @discardableResult
    func checkFiles(readsData: Bool, relativeTo: String) throws(StudyFileError) -> DataSummary? {
        try data.checkFiles(readsData: readsData, relativeTo: relativeTo)
    }

    /// Makes OpenBLAS single-threaded once per process unless `OPENBLAS_NUM_THREADS` says otherwise: the
    /// MLP's small products gain nothing from more threads (an epoch at batch 128: 0.61 ms with one thread,
    /// 0.76 ms with two here), and one thread keeps a seed's result the same on every worker.
    private static let singleThreadedBLAS: Void = {
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil { Float32BLAS.setThreadCount(1) }
    }()

    public func run(
        _ context: TrialContext,
        report: @escaping @Sendable (_ step: Int, _ value: Double, _ metrics: [String: Double]) -> Void
    ) -> ObjectiveOutcome {
        _ = Self.singleThreadedBLAS
        var settings = defaults
        let configuration: MLPConfiguration
        do {
            for (name, value) in context.parameters.sorted(by: { $0.key < $1.key }) {
                try settings.apply(name, .parameter(value), what: "parameter")
            }
            configuration = try settings.configuration()
        } catch {
            return .failed(reason: error.description)
        }
        let split: DatasetSplit
        do {
            split = try data.split()
        } catch {
            return .failed(reason: "mlp data \(data.summary): \(error)")
        }
        if let reason = context.stop.reason { return .stopped(reason: reason) }

        let result: TrainingResult
        do {
            result = try MLPTrainer.train(
                configuration, training: split.training, validation: split.validation,
                onEpoch: { epoch in
                    report(epoch.epoch, epoch.validationAccuracy, [
                        "validation_loss": epoch.validationLoss, "training_loss": epoch.trainingLoss,
                        "learning_rate": epoch.learningRate,
                    ])
                    return context.stop.isRequested ? .stop : .proceed
                },
                shouldStop: { context.stop.isRequested })
        } catch {
            return .failed(reason: "mlp: \(error)")
        }
        if result.stopReason == .requested, let reason = context.stop.reason {
            return .stopped(reason: reason)
        }
        var metrics: [String: Double] = [
            "best_accuracy": result.validationAccuracy, "last_accuracy": result.lastAccuracy,
            "best_epoch": Double(result.bestEpoch), "epochs": Double(result.epochsRun),
        ]
        if let last = result.history.last {
            metrics["validation_loss"] = last.validationLoss
            metrics["training_loss"] = last.trainingLoss
        }
        if result.stopReason == .diverged { metrics["diverged"] = 1 }
        return .completed(value: reportsLastEpoch ? result.lastAccuracy : result.validationAccuracy, metrics: metrics)
    }
}
