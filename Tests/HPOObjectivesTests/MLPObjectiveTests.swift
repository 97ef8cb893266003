import Foundation
import HPOSearchSpace
import HPOWire
import Synchronization
import Testing
import HPOObjectives
import HPORuntimeSupport
import HPOTestSupport

/// The `mlp` objective: options and parameters onto the trainer, per-epoch reports, stop, data sources.
@Suite struct MLPObjectiveTests {
    /// Runs `objective` and collects its reports.
    func run(_ objective: any Objective, _ parameters: Assignment, stop: StopSignal = StopSignal(), stopAfter: Int? = nil)
        -> (outcome: ObjectiveOutcome, reports: [(step: Int, value: Double, metrics: [String: Double])])
    {
        let reports = Mutex<[(step: Int, value: Double, metrics: [String: Double])]>([])
        let context = TrialContext(trialID: 3, attempt: 1, parameters: parameters, stop: stop)
        let outcome = objective.run(context) { step, value, metrics in
            reports.withLock { $0.append((step, value, metrics)) }
            if let stopAfter, step == stopAfter { stop.request(reason: "cancelled by the test") }
        }
        return (outcome, reports.withLock { $0 })
    }

    @Test func tunedParametersTrainOnDigitsAndEveryEpochIsReported() throws {
        let objective = try ObjectiveFactory.make(ObjectiveDescriptor(kind: "mlp", options: [
            "dataset": .string("digits"), "hidden": .array([.number(64), .number(32)]), "epochs": .number(15), "seed": .number(1),
        ]))
        let (outcome, reports) = run(objective, ["lr": .double(0.02), "batch_size": .int(32), "hidden": .string("64-32")])
        guard case .completed(let value, let metrics) = outcome else {
            Issue.record("expected completed, got \(outcome)")
            return
        }
        #expect(value >= 0.95)
        #expect(reports.map(\.step) == Array(1...15))
        #expect(value == reports.map(\.value).max())
        #expect(metrics["last_accuracy"] == reports.last?.value)
        #expect(metrics["epochs"] == 15)
        #expect(reports.allSatisfy { $0.metrics["validation_loss"] != nil && $0.metrics["learning_rate"] == 0.02 })
    }

    @Test func finalLastReportsTheLastEpochAndSameSeedRepeats() throws {
        let options: [String: JSONValue] = ["epochs": .number(4), "final": .string("last"), "hidden": .string("16")]
        let objective = try MLPObjective(options: options)
        let first = run(objective, ["dropout": .double(0.1), "optimizer": .string("adamw"), "lr": .double(0.003)])
        let second = run(objective, ["dropout": .double(0.1), "optimizer": .string("adamw"), "lr": .double(0.003)])
        guard case .completed(let value, _) = first.outcome else {
            Issue.record("expected completed, got \(first.outcome)")
            return
        }
        #expect(value == first.reports.last?.value)
        #expect(first.outcome == second.outcome)
    }

    @Test func stopRequestEndsTrainingAtTheNextEpoch() throws {
        let objective = try MLPObjective(options: ["epochs": .number(40)])
        let (outcome, reports) = run(objective, [:], stopAfter: 2)
        #expect(outcome == .stopped(reason: "cancelled by the test"))
        #expect(reports.count == 2)
    }

    @Test func perLayerWidthsLayersAndWidthCombine() throws {
        let objective = try MLPObjective(options: ["epochs": .number(1), "hidden": .string("")])
        // hidden_1 = 8, hidden_2 = 4: a 64-8-4-10 network trains.
        #expect(run(objective, ["hidden_1": .int(8), "hidden_2": .int(4)]).outcome.isCompleted)
        // A gap (hidden_3 without hidden_2) is a failed trial naming the missing key.
        guard case .failed(let reason) = run(objective, ["hidden_1": .int(8), "hidden_3": .int(4)]).outcome else {
            Issue.record("expected failure")
            return
        }
        #expect(reason.contains("give hidden_2 too"))
        #expect(run(objective, ["layers": .int(3), "width": .int(8)]).outcome.isCompleted)
    }

    @Test func validateNamesUnknownOptionsParametersAndBadRanges() throws {
        #expect(errorText { _ = try MLPObjective(options: ["epoch": .number(3)]) }
            .contains("objective \"mlp\": unknown option \"epoch\"; did you mean \"epochs\"?; options are"))
        #expect(errorText { _ = try MLPObjective(options: ["dataset": .string("csv")]) }
            .contains("option \"path\" must be the csv file"))
        #expect(errorText { _ = try MLPObjective(options: ["dataset": .string("imagenet")]) }
            .contains("option \"dataset\" must be one of digits, csv, mnist, libsvm"))
        #expect(errorText { _ = try MLPObjective(options: ["metric": .string("loss")]) }
            .contains("reports validation accuracy only"))
        #expect(errorText { _ = try MLPObjective(options: ["optimizer": .string("rmsprop")]) }
            .contains("option \"optimizer\" must be one of sgd, adam, adamw, got \"rmsprop\""))

        let descriptor = ObjectiveDescriptor(kind: "mlp", options: ["epochs": .number(5)])
        let unknown = try SearchSpace([.float("lr", 1e-4, 1e-1, log: true), .float("learningrate", 0.1, 0.2)])
        #expect(errorText { try ObjectiveFactory.validate(descriptor, space: unknown) }
            .contains("the space has parameter \"learningrate\", which the mlp objective does not take"))
        let badRange = try SearchSpace([.float("dropout", 0, 1)])
        #expect(errorText { try ObjectiveFactory.validate(descriptor, space: badRange) }
            .contains("parameter \"dropout\" = 1.0: invalid training configuration: dropout must be in [0, 1), got 1.0"))
        let badChoice = try SearchSpace([.categorical("activation", [.string("relu"), .string("swish")])])
        #expect(errorText { try ObjectiveFactory.validate(descriptor, space: badChoice) }
            .contains("parameter \"activation\" must be one of relu, tanh, gelu, got swish"))
        let good = try SearchSpace([
            .float("lr", 1e-4, 0.3, log: true), .int("batch_size", 16, 256, log: true),
            .categorical("hidden", [.string("64-32"), .string("128")]), .float("dropout", 0, 0.5),
            .categorical("optimizer", [.string("sgd"), .string("adam")]), .fixed("epochs", .int(10)),
        ])
        try ObjectiveFactory.validate(descriptor, space: good)
        #expect(ObjectiveFactory.availableKinds.contains("mlp"))
    }

    @Test func csvDatasetTrainsAndAMalformedFileFailsTheTrialWithLineAndColumn() throws {
        let directory = NSTemporaryDirectory() + "hpo-mlp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Two well-separated classes: x < 0 is "left", x > 0 is "right".
        var lines = ["x,y,side"]
        for i in 0..<60 {
            let x = Double(i % 30 + 1) / 10 * (i < 30 ? -1 : 1)
            lines.append("\(x),\(Double(i % 7) / 7),\(i < 30 ? "left" : "right")")
        }
        let good = directory + "/good.csv"
        try lines.joined(separator: "\n").write(toFile: good, atomically: true, encoding: .utf8)
        let objective = try MLPObjective(options: [
            "dataset": .string("csv"), "path": .string(good), "label": .string("side"), "epochs": .number(30), "hidden": .string("8"),
        ])
        guard case .completed(let value, _) = run(objective, ["lr": .double(0.05)]).outcome else {
            Issue.record("expected completed")
            return
        }
        #expect(value >= 0.9)

        let bad = directory + "/bad.csv"
        try "x,y,side\n1,2,left\n3,oops,right\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let broken = try MLPObjective(options: ["dataset": .string("csv"), "path": .string(bad), "label": .string("side")])
        guard case .failed(let reason) = run(broken, [:]).outcome else {
            Issue.record("expected failure")
            return
        }
        #expect(reason == "mlp data csv \(bad): \(bad):3:2: feature value \"oops\" is not a number")
    }

    @Test func mnistDirectoryAndLibSVMFileAreTrainable() throws {
        let directory = NSTemporaryDirectory() + "hpo-mlp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 40 tiny 2×2 "images": class 1 is bright on the left, class 0 on the right.
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for i in 0..<40 {
            let left: UInt8 = i % 2 == 1 ? 200 : 10
            let right: UInt8 = i % 2 == 1 ? 10 : 200
            pixels += [left &+ UInt8(i), right, left, right &+ UInt8(i)]
            labels.append(UInt8(i % 2))
        }
        func idx(_ dimensions: [Int], _ data: [UInt8]) -> Data {
            var bytes: [UInt8] = [0, 0, 8, UInt8(dimensions.count)]
            for d in dimensions { bytes += [0, 0, UInt8(d >> 8), UInt8(d & 255)] }
            return Data(bytes + data)
        }
        try idx([40, 2, 2], pixels).write(to: URL(fileURLWithPath: directory + "/train-images-idx3-ubyte"))
        try idx([40], labels).write(to: URL(fileURLWithPath: directory + "/train-labels-idx1-ubyte"))
        let mnist = try MLPObjective(options: [
            "dataset": .string("mnist"), "path": .string(directory), "epochs": .number(20), "hidden": .string("4"), "validation_fraction": .number(0.25),
        ])
        guard case .completed(let mnistValue, _) = run(mnist, ["lr": .double(0.05)]).outcome else {
            Issue.record("expected the mnist run to complete")
            return
        }
        #expect(mnistValue >= 0.9)

        let svm = directory + "/data.svm"
        let rows = (0..<40).map { i in i % 2 == 1 ? "+1 1:\(1 + Double(i) / 40) 3:0.5" : "-1 2:\(1 + Double(i) / 40)" }
        try rows.joined(separator: "\n").write(toFile: svm, atomically: true, encoding: .utf8)
        let libsvm = try MLPObjective(options: ["dataset": .string("libsvm"), "path": .string(svm), "epochs": .number(20), "hidden": .string("4")])
        guard case .completed(let svmValue, _) = run(libsvm, ["lr": .double(0.05)]).outcome else {
            Issue.record("expected the libsvm run to complete")
            return
        }
        #expect(svmValue >= 0.9)
        let missing = try MLPObjective(options: ["dataset": .string("mnist"), "path": .string(directory + "/nowhere")])
        guard case .failed(let reason) = run(missing, [:]).outcome else {
            Issue.record("expected a failure")
            return
        }
        #expect(reason.contains("no MNIST file found; tried"))
    }
}

extension ObjectiveOutcome {
    var isCompleted: Bool {
        if case .completed = self { return true }
        return false
    }
}

/// The OpenBLAS settings suggested for trainer processes (the kernel set is chosen by each process: BLASKernelRuleTests).
@Suite struct MLPComputeEnvironmentTests {
    @Test func oneThread() {
        #expect(MLPComputeEnvironment.variables() == ["OPENBLAS_NUM_THREADS": "1"])
    }
}
