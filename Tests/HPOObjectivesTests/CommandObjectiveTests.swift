import Foundation
import HPOSearchSpace
import HPOTestSupport
import HPOWire
import Synchronization
import Testing
import HPOObjectives
import HPOStudyFile

/// The `command` objective with a real bash script (Scripts/trial.sh) in real processes.
@Suite struct CommandObjectiveTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/trial.sh").path

    /// Collected pass-through lines and reports of one run.
    final class Capture: Sendable {
        let lines = Mutex<[String]>([])
        let reports = Mutex<[(step: Int, value: Double, metrics: [String: Double])]>([])
    }

    func objective(_ mode: String, _ extra: [String: JSONValue] = [:], capture: Capture) throws -> CommandObjective {
        var options: [String: JSONValue] = ["argv": .array([.string(Self.script), .string(mode), .string("{lr}")])]
        options.merge(extra) { _, new in new }
        return try CommandObjective(options: options) { _, stream, line in
            capture.lines.withLock { $0.append("\(stream): \(line)") }
        }
    }

    func run(_ objective: CommandObjective, lr: Double = 0.5, stop: StopSignal = StopSignal(), capture: Capture,
             onReport: @escaping @Sendable (Double, [String: Double]) -> Void = { _, _ in }) -> ObjectiveOutcome {
        let context = TrialContext(trialID: 7, attempt: 2, parameters: ["lr": .double(lr), "layers": .int(3)], stop: stop)
        return objective.run(context) { step, value, metrics in
            capture.reports.withLock { $0.append((step, value, metrics)) }
            onReport(value, metrics)
        }
    }

    @Test func reportsIntermediateAndFinalValuesAndPassesOtherOutputThrough() throws {
        let directory = NSTemporaryDirectory() + "hpo-command-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let capture = Capture()
        let objective = try objective("report", ["env": .object(["OUT": .string(directory)]), "working_directory": .string(directory)], capture: capture)
        let outcome = run(objective, lr: 0.625, capture: capture)
        #expect(outcome == .completed(value: 0.625, metrics: ["loss": 0.25, "trial": 7]))
        let reports = capture.reports.withLock { $0 }
        #expect(reports.map(\.step) == [1, 2, 3])
        #expect(reports.map(\.value) == [0.1, 0.2, 0.3])
        #expect(reports.map { $0.metrics["loss"] } == [1, 2, 3])
        let lines = capture.lines.withLock { $0 }
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        #expect(lines.contains { $0 == "stdout: starting in \(directory) with lr=0.625" || $0 == "stdout: starting in \(resolved) with lr=0.625" })
        #expect(lines.contains("stderr: warming up"))
        #expect(!lines.contains { $0.contains("\"hpo\"") })
        let params = try String(contentsOfFile: directory + "/params.json", encoding: .utf8)
        let decoded = try JSONDecoder().decode([String: JSONValue].self, from: Data(params.utf8))
        #expect(decoded == ["lr": .number(0.625), "layers": .number(3)])
    }

    @Test func manyLinesInOneReadAreAllPassedThroughInOrder() throws {
        let capture = Capture()
        let objective = try CommandObjective(options: [
            "argv": .array([.string("/bin/sh"), .string("-c"), .string("seq 1 5000; echo '{\"hpo\": {\"accuracy\": 0.5}}'")]),
        ]) { _, stream, line in capture.lines.withLock { $0.append("\(stream): \(line)") } }
        #expect(run(objective, capture: capture) == .completed(value: 0.5, metrics: [:]))
        #expect(capture.lines.withLock { $0 } == (1...5000).map { "stdout: \($0)" })
    }

    @Test func resultFileIsRead() throws {
        let capture = Capture()
        let outcome = run(try objective("result-file", capture: capture), capture: capture)
        #expect(outcome == .completed(value: 0.75, metrics: ["loss": 0.3]))
    }

    /// JSON5 decoding reads Python's bare NaN as a number and leaves "NaN" inside a string alone (#16 §3: the old
    /// text replace turned `"val: NaN"` into broken JSON and failed the trial).
    @Test func theLettersNaNInsideAStringDoNotBreakTheReport() throws {
        let capture = Capture()
        let outcome = run(try objective("nan-in-text", capture: capture), capture: capture)
        #expect(outcome == .completed(value: 0.9, metrics: [:]))
    }

    @Test func customMetricNameIsRead() throws {
        let capture = Capture()
        let outcome = run(try objective("no-metric", ["metric": .string("loss")], capture: capture), capture: capture)
        #expect(outcome == .completed(value: 0.2, metrics: [:]))
    }

    @Test(arguments: [
        ("fail", "exited with status 3; last stderr lines:\nTraceback: ValueError: lr=0.5 is too large"),
        ("no-metric", "final report has no \"accuracy\" (it has: loss)"),
        ("nan", "reported accuracy = nan, which is not finite"),
        ("silent", "exited 0 without a final \"accuracy\""),
    ])
    func failuresAreDataWithAReason(mode: String, expected: String) throws {
        let capture = Capture()
        let outcome = run(try objective(mode, capture: capture), capture: capture)
        guard case .failed(let reason) = outcome else {
            Issue.record("expected a failure for \(mode), got \(outcome)")
            return
        }
        #expect(reason.contains(expected), "\(reason)")
    }

    @Test func missingProgramFailsWithTheSystemsReason() throws {
        let objective = try CommandObjective(options: ["argv": .array([.string("/nonexistent/hpo-train")])])
        let outcome = objective.run(TrialContext(trialID: 1, attempt: 1, parameters: [:])) { _, _, _ in }
        #expect(outcome == .failed(reason: "cannot start /nonexistent/hpo-train: No such file or directory; check argv[0] (an executable on PATH, or a path)"))
    }

    @Test func theProgramGetsNoDescriptorOfTheWorkerButItsStandardStreams() throws {
        // A descriptor this process leaks on purpose (no close-on-exec), as libraries do.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        try #require(leaked > 2)
        let capture = Capture()
        let objective = try CommandObjective(options: [
            // `; true` keeps sh from exec-ing ls in its place: the listing is then of sh's descriptors only.
            "argv": .array([.string("sh"), .string("-c"), .string("ls /proc/$$/fd; true")])
        ]) { _, stream, line in capture.lines.withLock { $0.append("\(stream): \(line)") } }
        _ = run(objective, capture: capture)
        let descriptors = capture.lines.withLock { $0.filter { $0.hasPrefix("stdout: ") } }
        #expect(descriptors == ["stdout: 0", "stdout: 1", "stdout: 2"], "the program holds more than its standard streams")
    }

    @Test func timeoutKillsTheProgramAndFails() throws {
        let capture = Capture()
        let objective = try objective("hang", ["timeout": .string("400ms"), "grace_period": .number(0.2)], capture: capture)
        let outcome = run(objective, capture: capture)
        guard case .failed(let reason) = outcome else {
            Issue.record("expected a timeout failure, got \(outcome)")
            return
        }
        #expect(reason.contains("timed out after"))
        #expect(reason.contains("(timeout 0.4s); raise timeout or shorten the trial"))
        #expect(capture.reports.withLock { $0.count } == 1)
    }

    @Test func stopKillsTheWholeProcessGroupEvenWhenItIgnoresSIGTERM() throws {
        let capture = Capture()
        let objective = try objective("tree", ["grace_period": .number(0.3)], capture: capture)
        let stop = StopSignal()
        let outcome = run(objective, stop: stop, capture: capture) { _, _ in stop.request(reason: "cancelled: pruned at step 1") }
        #expect(outcome == .stopped(reason: "cancelled: pruned at step 1"))
        let group = try #require(capture.reports.withLock { $0.first?.metrics["pid"] }.map { Int32($0) })
        // SIGKILL is delivered before run returns; the kernel finishes the exits a moment later.
        var survivors = ProcessTable.liveProcesses(inGroup: group)
        waitUntil(timeout: .seconds(2)) {
            survivors = ProcessTable.liveProcesses(inGroup: group)
            return survivors.isEmpty
        }
        #expect(survivors.isEmpty, "still alive in group \(group): \(survivors)")
    }

    @Test func leftoverChildrenAreKilledWhenTheProgramExits() throws {
        let capture = Capture()
        let outcome = run(try objective("leftover", capture: capture), capture: capture)
        guard case .completed(let value, let metrics) = outcome, let pid = metrics["pid"] else {
            Issue.record("expected completed with pid, got \(outcome)")
            return
        }
        #expect(value == 0.9)
        var survivors = ProcessTable.liveProcesses(inGroup: Int32(pid))
        waitUntil(timeout: .seconds(2)) {
            survivors = ProcessTable.liveProcesses(inGroup: Int32(pid))
            return survivors.isEmpty
        }
        #expect(survivors.isEmpty, "still alive: \(survivors)")
    }

    @Test func optionsAndPlaceholdersAreValidatedBeforeTheStudy() throws {
        #expect(errorText { _ = try CommandObjective(options: [:]) }.contains("option \"argv\" must be a non-empty list"))
        #expect(errorText { _ = try CommandObjective(options: ["argv": .array([.string("x")]), "timeot": .number(3)]) }
            .contains("unknown option \"timeot\""))
        #expect(errorText { _ = try CommandObjective(options: ["argv": .array([.string("x")]), "timeout": .string("soon")]) }
            .contains("option \"timeout\" must be a duration > 0"))
        let descriptor = ObjectiveDescriptor(kind: "command", options: ["argv": .array([.string("train"), .string("--lr={lr}"), .string("--depth={depth}"), .string("{{literal}}"), .string("{trial_id}")])])
        let space = try SearchSpace([.float("lr", 1e-4, 1, log: true)])
        #expect(errorText { try ObjectiveFactory.validate(descriptor, space: space) }
            .contains("argv uses {depth} but the space has no such parameter (it has: lr; also trial_id, attempt)"))
        try ObjectiveFactory.validate(descriptor, space: SearchSpace([.float("lr", 1e-4, 1), .int("depth", 1, 4)]))
        #expect(ObjectiveFactory.availableKinds.contains("command"))
    }

    @Test func placeholdersAndEnvironmentAreFilled() throws {
        let capture = Capture()
        let objective = try CommandObjective(options: [
            "argv": .array([.string("/bin/sh"), .string("-c"),
                            .string("echo \"$0 {{x}} $HPO_PARAM_LR $HPO_PARAM_LAYERS $HPO_TRIAL_ID $HPO_ATTEMPT $HPO_METRIC $EXTRA\"; echo '{\"hpo\": {\"accuracy\": 1}}'"),
                            .string("lr={lr}/t{trial_id}/a{attempt}")]),
            "env": .object(["EXTRA": .number(42)]),
        ]) { _, stream, line in capture.lines.withLock { $0.append("\(stream): \(line)") } }
        let outcome = run(objective, lr: 0.001, capture: capture)
        #expect(outcome == .completed(value: 1, metrics: [:]))
        #expect(capture.lines.withLock { $0 } == ["stdout: lr=0.001/t7/a2 {x} 0.001 3 7 2 accuracy 42"])
    }
}
