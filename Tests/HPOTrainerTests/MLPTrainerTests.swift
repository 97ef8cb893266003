import HPOMath
import HPOTrainer
import Testing

/// Whole training runs on the bundled digits data.
///
/// OpenBLAS is pinned to one thread (as the mlp objective does on workers): a product big enough for
/// OpenBLAS to split over threads may round differently with another thread count, and other suites in this
/// test process change the count.
@Suite struct MLPTrainerTests {
    init() {
        Float32BLAS.setThreadCount(1)
    }

    static let split = try! DatasetSplit(stratifying: BundledDatasets.digits, validationFraction: 0.2, seed: 7).standardized()

    static func configuration(_ change: (inout MLPConfiguration) -> Void = { _ in }) -> MLPConfiguration {
        var configuration = MLPConfiguration()
        configuration.epochs = 20
        configuration.seed = 42
        change(&configuration)
        return configuration
    }

    @Test func fixedParametersReachNinetyFivePercentOnDigits() throws {
        var reports: [EpochReport] = []
        let result = try MLPTrainer.train(Self.configuration(), training: Self.split.training, validation: Self.split.validation) {
            reports.append($0)
            return .proceed
        }
        #expect(result.validationAccuracy >= 0.95, "best validation accuracy \(result.validationAccuracy)")
        #expect(result.stopReason == .completed)
        #expect(result.epochsRun == 20)
        #expect(reports.map(\.epoch) == Array(1...20))
        #expect(reports == result.history)
        #expect(result.validationAccuracy == reports.map(\.validationAccuracy).max())
        #expect(reports[result.bestEpoch - 1].validationAccuracy == result.validationAccuracy)
        #expect(result.lastAccuracy == reports.last?.validationAccuracy)
        #expect(reports.last!.trainingLoss < reports.first!.trainingLoss)
    }

    @Test func sameSeedGivesTheSameRunAndAnotherSeedADifferentOne() throws {
        let config = Self.configuration { $0.epochs = 4; $0.dropout = 0.2 }
        let first = try MLPTrainer.train(config, training: Self.split.training, validation: Self.split.validation)
        let second = try MLPTrainer.train(config, training: Self.split.training, validation: Self.split.validation)
        #expect(first == second)
        var other = config
        other.seed = 43
        let third = try MLPTrainer.train(other, training: Self.split.training, validation: Self.split.validation)
        #expect(third.history.map(\.trainingLoss) != first.history.map(\.trainingLoss))
    }

    @Test(arguments: [
        OptimizerKind.adamDefault, .adamWDefault, .sgd(momentum: 0.9, nesterov: true), .sgd(momentum: 0, nesterov: false),
    ])
    func everyOptimizerLearnsDigits(optimizer: OptimizerKind) throws {
        let config = Self.configuration {
            $0.optimizer = optimizer
            $0.epochs = 8
            $0.weightDecay = 1e-4
            $0.learningRate = { if case .sgd(0, _) = optimizer { return 0.1 } else if case .sgd = optimizer { return 0.01 } else { return 0.003 } }()
        }
        let result = try MLPTrainer.train(config, training: Self.split.training, validation: Self.split.validation)
        #expect(result.validationAccuracy >= 0.9, "\(optimizer): \(result.validationAccuracy)")
    }

    @Test(arguments: [Activation.tanh, .gelu])
    func otherActivationsAndDropoutLearnDigits(activation: Activation) throws {
        let config = Self.configuration { $0.activation = activation; $0.dropout = 0.1; $0.epochs = 15; $0.schedule = .cosine(minimumFraction: 0) }
        let result = try MLPTrainer.train(config, training: Self.split.training, validation: Self.split.validation)
        #expect(result.validationAccuracy >= 0.9, "\(activation): \(result.validationAccuracy)")
    }

    @Test func callbackStopsBetweenEpochs() throws {
        var calls = 0
        let result = try MLPTrainer.train(Self.configuration(), training: Self.split.training, validation: Self.split.validation) { _ in
            calls += 1
            return calls == 3 ? .stop : .proceed
        }
        #expect(calls == 3)
        #expect(result.epochsRun == 3)
        #expect(result.stopReason == .requested)
    }

    @Test func shouldStopEndsTrainingMidEpoch() throws {
        var polls = 0
        var epochs = 0
        // 1438 examples at batch 32 make 45 batches per epoch: stop at the 50th poll, in epoch 2.
        let result = try MLPTrainer.train(
            Self.configuration(), training: Self.split.training, validation: Self.split.validation,
            onEpoch: { _ in
                epochs += 1
                return .proceed
            },
            shouldStop: {
                polls += 1
                return polls == 50
            })
        #expect(epochs == 1)
        #expect(result.epochsRun == 1)
        #expect(result.stopReason == .requested)
        let immediately = try MLPTrainer.train(
            Self.configuration(), training: Self.split.training, validation: Self.split.validation, shouldStop: { true })
        #expect(immediately.epochsRun == 0)
        #expect(immediately.validationAccuracy == 0)
        #expect(immediately.bestEpoch == 0)
    }

    @Test func patienceStopsAfterEpochsWithoutImprovement() throws {
        // A tiny learning rate with step decay to nearly zero: accuracy soon stops improving.
        let config = Self.configuration { $0.epochs = 200; $0.patience = 3; $0.schedule = .step(every: 1, factor: 0.01) }
        let result = try MLPTrainer.train(config, training: Self.split.training, validation: Self.split.validation)
        #expect(result.stopReason == .patience)
        #expect(result.epochsRun == result.bestEpoch + 3)
        #expect(result.epochsRun < 200)
    }

    @Test func hugeLearningRateIsReportedAsDivergedNotACrash() throws {
        let config = Self.configuration { $0.learningRate = 1e6; $0.optimizer = .sgd(momentum: 0.9, nesterov: false) }
        let result = try MLPTrainer.train(config, training: Self.split.training, validation: Self.split.validation)
        #expect(result.stopReason == .diverged)
        #expect(result.epochsRun < 20)
    }

    @Test func invalidSettingsAreRejectedWithTheFieldAndValue() {
        #expect(throws: TrainerError.invalidConfiguration("dropout must be in [0, 1), got 1.0")) {
            try MLPTrainer.train(Self.configuration { $0.dropout = 1 }, training: Self.split.training, validation: Self.split.validation)
        }
        #expect(throws: TrainerError.invalidConfiguration("batch_size must be at least 1, got 0")) {
            try MLPTrainer.train(Self.configuration { $0.batchSize = 0 }, training: Self.split.training, validation: Self.split.validation)
        }
        #expect(throws: TrainerError.invalidConfiguration("learning_rate must be a finite number > 0, got -0.1")) {
            try MLPTrainer.train(Self.configuration { $0.learningRate = -0.1 }, training: Self.split.training, validation: Self.split.validation)
        }
    }

    @Test func scheduleRates() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, epoch: 9, epochs: 10) == 0.1)
        #expect(LearningRateSchedule.cosine(minimumFraction: 0).rate(base: 0.1, epoch: 0, epochs: 11) == 0.1)
        #expect(abs(LearningRateSchedule.cosine(minimumFraction: 0).rate(base: 0.1, epoch: 5, epochs: 11) - 0.05) < 1e-12)
        #expect(abs(LearningRateSchedule.cosine(minimumFraction: 0.1).rate(base: 0.1, epoch: 10, epochs: 11) - 0.01) < 1e-12)
        #expect(abs(LearningRateSchedule.step(every: 3, factor: 0.5).rate(base: 0.1, epoch: 7, epochs: 10) - 0.025) < 1e-12)
    }
}
