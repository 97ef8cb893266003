import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing
import HPOObjectives
import HPOTestSupport

@Suite struct WorkerObjectiveFactoryTests {
    @Test func testFunctionEvaluatesTheTrialsPoint() throws {
        let objective = try ObjectiveFactory.make(
            ObjectiveDescriptor(kind: "test-function", options: ["function": .string("branin")]))
        let context = TrialContext(trialID: 0, attempt: 0, parameters: ["x0": .double(-Double.pi), "x1": .double(12.275)])
        guard case .completed(let value, _) = objective.run(context, report: { _, _, _ in }) else {
            Issue.record("expected a completed outcome")
            return
        }
        #expect(abs(value - 0.397887) < 1e-5)
        // An int is a number too; a missing coordinate is a failed trial, not a crash.
        let missing = TrialContext(trialID: 1, attempt: 0, parameters: ["x0": .int(1)])
        guard case .failed(let reason) = objective.run(missing, report: { _, _, _ in }) else {
            Issue.record("expected a failed outcome")
            return
        }
        #expect(reason.contains("x1"))
    }

    @Test func durationReportsProgressAndStopInterruptsIt() throws {
        let objective = try TestFunctionObjective(options: [
            "function": .string("hartmann6"), "duration": .string("80ms"),
        ])
        #expect(objective.duration == .milliseconds(80))
        let parameters = Dictionary(uniqueKeysWithValues: (0..<6).map { ("x\($0)", ParameterValue.double(0.5)) })
        let steps = StopReasonRecorder()
        let outcome = objective.run(TrialContext(trialID: 2, attempt: 0, parameters: parameters)) { step, _, metrics in
            steps.add("\(step):\(metrics["fraction"] ?? -1)")
        }
        guard case .completed = outcome else {
            Issue.record("expected completed, got \(outcome)")
            return
        }
        #expect(steps.values == ["1:0.25", "2:0.5", "3:0.75", "4:1.0"])

        let slow = try TestFunctionObjective(options: ["function": .string("hartmann6"), "duration": .number(3600)])
        let context = TrialContext(trialID: 3, attempt: 0, parameters: parameters)
        context.stop.request(reason: "cancelled")
        #expect(slow.run(context, report: { _, _, _ in }) == .stopped(reason: "cancelled"))
    }

    @Test func noiseIsReproduciblePerAttempt() throws {
        let objective = try TestFunctionObjective(options: [
            "function": .string("branin"), "noise": .number(0.5), "seed": .number(7),
        ])
        let parameters: Assignment = ["x0": .double(0), "x1": .double(5)]
        func value(_ trial: Int, _ attempt: Int) -> Double? {
            guard case .completed(let value, _) = objective.run(
                TrialContext(trialID: trial, attempt: attempt, parameters: parameters), report: { _, _, _ in })
            else { return nil }
            return value
        }
        #expect(value(1, 0) == value(1, 0))
        #expect(value(1, 0) != value(1, 1))
        #expect(value(1, 0) != value(2, 0))
    }

    @Test(arguments: [
        (["function": JSONValue.string("branin"), "speed": .number(1)], "unknown option \"speed\""),
        (["function": .number(3)], "option \"function\""),
        ([:], "option \"function\""),
        (["function": .string("no-such-function")], "no-such-function"),
        (["function": .string("branin"), "duration": .string("soon")], "option \"duration\""),
        (["function": .string("branin"), "noise": .number(-1)], "option \"noise\""),
        (["function": .string("ackley"), "dimension": .number(0)], "option \"dimension\""),
    ] as [([String: JSONValue], String)])
    func badTestFunctionOptionsAreNamed(options: [String: JSONValue], expected: String) {
        let text = errorText { _ = try ObjectiveFactory.make(ObjectiveDescriptor(kind: "test-function", options: options)) }
        #expect(text.contains(expected), "got: \(text)")
        #expect(text.contains("objective \"test-function\""))
    }

    @Test func validateChecksTheSpaceAgainstTheFunction() throws {
        let descriptor = ObjectiveDescriptor(kind: "test-function", options: ["function": .string("branin")])
        let good = try SearchSpace([.float("x0", -5, 10), .float("x1", 0, 15)])
        try ObjectiveFactory.validate(descriptor, space: good)

        let wrong = try SearchSpace([.float("x0", -5, 10), .float("lr", 0, 1)])
        let text = errorText { try ObjectiveFactory.validate(descriptor, space: wrong) }
        #expect(text.contains("missing x1"), "got: \(text)")
        #expect(text.contains("does not take lr"), "got: \(text)")

        let categorical = try SearchSpace([.float("x0", -5, 10), .categorical("x1", [.string("a"), .string("b")])])
        #expect(errorText { try ObjectiveFactory.validate(descriptor, space: categorical) }.contains("\"x1\" must be numeric"))
    }

    @Test func nullTakesNoOptionsAndUnknownKindsListTheKnownOnes() throws {
        let space = try SearchSpace([.float("x", 0, 1)])
        try ObjectiveFactory.validate(ObjectiveDescriptor(kind: "null"), space: space)
        #expect(try ObjectiveFactory.make(ObjectiveDescriptor(kind: "null")) is NullObjective)
        let withOptions = errorText { _ = try ObjectiveFactory.make(ObjectiveDescriptor(kind: "null", options: ["x": .number(1)])) }
        #expect(withOptions.contains("takes no options"))
        let unknown = errorText { _ = try ObjectiveFactory.make(ObjectiveDescriptor(kind: "tpu")) }
        #expect(unknown.contains("unknown objective kind"))
        #expect(unknown.contains("test-function"))
        #expect(ObjectiveFactory.availableKinds.contains("null"))
    }
}
