import Foundation
import HPOTestSupport
import Testing

/// Studies that evolve between sessions (issue #11 §5), through the real `hpo` binary: widened ranges on `--resume`.
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndEvolvingStudyTests {
    /// Runs `study` with one worker and `--json`, expecting exit status `status`.
    private func run(_ study: String, resume: Bool, status: Int32 = 0) throws -> (report: EndToEnd.Report?, log: String) {
        let process = try HPOProcess(["run", study, "--workers", "1", "--json"] + (resume ? ["--resume"] : []))
        #expect(process.wait(timeout: 90) == status, "stderr: \(process.standardError)")
        return (status == 0 ? try EndToEnd.report(process.standardOutput) : nil, process.standardError)
    }

    private func edit(_ study: String, _ replacements: [(String, String)]) throws {
        var text = try String(contentsOfFile: study, encoding: .utf8)
        for (old, new) in replacements {
            #expect(text.contains(old), "\(old) not in \(text)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(toFile: study, atomically: true, encoding: .utf8)
    }

    @Test func aWidenedRangeResumesAndProposesInTheNewRange() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 4, duration: 0.01)
        let first = try run(study, resume: false)
        #expect(first.report?.completed == 4)
        // Widen x1 to [0, 40]: the random stream then lands above 15 in most of 16 new draws.
        try edit(study, [("x1: {type: float, low: 0, high: 15}", "x1: {type: float, low: 0, high: 40}"), ("trials: 4", "trials: 20")])
        let resumed = try run(study, resume: true)
        let report = try #require(resumed.report)
        #expect(report.completed == 20)
        #expect(resumed.log.contains("search space x1: widened from {type: float, low: 0.0, high: 15.0} to {type: float, low: 0.0, high: 40.0}"), "log: \(resumed.log)")
        let outside = report.trials.filter { ($0.parameters["x1"] ?? 0) > 15 }
        #expect(!outside.isEmpty, "no trial used the widened range: \(report.trials.map(\.parameters))")
        #expect(report.trials.allSatisfy { $0.id >= 4 || ($0.parameters["x1"] ?? 99) <= 15 })

        // A second widening on top of the first resumes too (compared with the last session's space).
        try edit(study, [("x0: {type: float, low: -5, high: 10}", "x0: {type: float, low: -10, high: 10}"), ("trials: 20", "trials: 22")])
        #expect(try run(study, resume: true).report?.completed == 22)
    }

    @Test(arguments: [
        ("x0: {type: float, low: -5, high: 10}", "x0: {type: float, low: -4, high: 10}",
         "x0: narrowed from {type: float, low: -5.0, high: 10.0} to {type: float, low: -4.0, high: 10.0}"),
        ("x1: {type: float, low: 0, high: 15}", "x1: {type: int, low: 0, high: 15}",
         "x1: type, scale or condition changed from {type: float, low: 0.0, high: 15.0} to {type: int, low: 0, high: 15}"),
        ("x1: {type: float, low: 0, high: 15}", "x1: {type: float, low: 0.5, high: 15, log: true}",
         "x1: type, scale or condition changed from {type: float, low: 0.0, high: 15.0} to {type: float, low: 0.5, high: 15.0, log: true}"),
    ])
    func narrowingOrAChangedTypeIsRefusedSayingWhatChanged(old: String, new: String, expected: String) throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 2, duration: 0.01)
        _ = try run(study, resume: false)
        try edit(study, [(old, new)])
        let refused = try run(study, resume: true, status: 65)
        #expect(refused.log.contains(expected), "log: \(refused.log)")
        #expect(refused.log.contains("Widen instead"), "log: \(refused.log)")
        #expect(refused.log.contains("optimizer.warm_start"), "log: \(refused.log)")
    }

    @Test func theStudyFilesEnqueuedTrialsRunFirstAndOnlyOnce() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(
            in: directory, trials: 4, duration: 0.01, optimizer: "gp", startupTrials: 2,
            extra: "enqueue:\n  - {x0: 1.5, x1: 2.5}\n  - {x0: -3, x1: 12}")
        let first = try run(study, resume: false)
        let report = try #require(first.report)
        #expect(report.completed == 4)
        let byID = Dictionary(uniqueKeysWithValues: report.trials.map { ($0.id, $0.parameters) })
        #expect(byID[0] == ["x0": 1.5, "x1": 2.5])
        #expect(byID[1] == ["x0": -3, "x1": 12])
        #expect(first.log.contains("enqueue: 2 trials queued ahead of proposals"), "log: \(first.log)")
        try edit(study, [("trials: 4", "trials: 6")])
        let resumed = try #require(try run(study, resume: true).report)
        #expect(resumed.completed == 6)
        #expect(resumed.trials.filter { $0.parameters == ["x0": 1.5, "x1": 2.5] }.count == 1)
    }

    @Test func anEnqueuedValueOutsideTheSpaceIsAStudyFileErrorNamingTheParameter() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 2, duration: 0.01, extra: "enqueue:\n  - {x0: 20, x1: 1}")
        let refused = try run(study, resume: false, status: 65)
        #expect(refused.log.contains("enqueue[0].x0: 20.0 is outside [-5.0, 10.0]"), "log: \(refused.log)")
    }

    @Test func hpoEnqueueQueuesATrialInAStoppedStudyThatTheResumeRunsFirst() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 3, duration: 0.01, optimizer: "gp", startupTrials: 2)
        _ = try run(study, resume: false)
        let enqueue = try HPOProcess(["enqueue", study, "x0=2", "x1=3.25"])
        #expect(enqueue.wait(timeout: 30) == 0, "stderr: \(enqueue.standardError)")
        #expect(enqueue.standardOutput.contains("trial 3 queued: x0=2.0 x1=3.25"), "got: \(enqueue.standardOutput)")
        let outside = try HPOProcess(["enqueue", directory.appendingPathComponent("e2e.db").path, "x0=2", "x1=99"])
        #expect(outside.wait(timeout: 30) == 65)
        #expect(outside.standardError.contains("parameter \"x1\": 99.0 is outside [0.0, 15.0]"), "got: \(outside.standardError)")
        let usage = try HPOProcess(["enqueue", study, "x0"])
        #expect(usage.wait(timeout: 30) == 64)
        try edit(study, [("trials: 3", "trials: 5")])
        let resumed = try #require(try run(study, resume: true).report)
        #expect(resumed.completed == 5)
        let queued = try #require(resumed.trials.first { $0.id == 3 })
        #expect(queued.parameters == ["x0": 2, "x1": 3.25])
        #expect(queued.state == "completed")
    }

    @Test func hpoEnqueueOnARunningStudySaysToStopItFirst() throws {
        let directory = try ScratchDirectory.current()
        let (study, running) = try EndToEnd.runningStudy(in: directory)
        defer { running.wait(timeout: 1) }
        let enqueue = try HPOProcess(["enqueue", study, "x0=2", "x1=3"])
        #expect(enqueue.wait(timeout: 30) == 65)
        #expect(enqueue.standardError.contains("the study is running"), "got: \(enqueue.standardError)")
        running.signal(SIGINT)
        #expect(running.wait(timeout: 20) == 130)
    }

    @Test func aWarmStartTellsTheTrialsThatFitAndCountsTheRest() throws {
        let directory = try ScratchDirectory.current()
        let old = try BraninStudy.write(in: directory, name: "old", trials: 8, duration: 0.01)
        let oldReport = try #require(try run(old, resume: false).report)
        let fitting = oldReport.trials.filter { ($0.parameters["x1"] ?? 99) <= 7.5 }.count
        #expect(fitting > 0 && fitting < 8, "the seed should put some trials on each side of 7.5")
        let new = try BraninStudy.write(
            in: directory, name: "new", trials: 3, duration: 0.01, optimizer: "gp", startupTrials: 2,
            extra: "journal: new.db")
        try edit(new, [("x1: {type: float, low: 0, high: 15}", "x1: {type: float, low: 0, high: 7.5}"),
                       ("batch_mode: async", "batch_mode: async\n  warm_start: old.db")])
        let warm = try run(new, resume: false)
        #expect(warm.report?.completed == 3)
        let oldPath = directory.appendingPathComponent("old.db").path
        #expect(warm.log.contains("warm start from \(oldPath): \(fitting) completed trials told to the optimizer, \(8 - fitting) skipped (outside this search space)"), "log: \(warm.log)")
        // The warm-start trials hold the first ids in the optimizer; the study's own trials come after them.
        #expect(warm.report?.trials.map(\.id).min() == fitting)
        #expect(try run(new, resume: true).log.contains("\(fitting) completed trials told to the optimizer"))

        try edit(new, [("direction: minimize", "direction: maximize")])
        try FileManager.default.removeItem(atPath: directory.appendingPathComponent("new.db").path)
        let backwards = try run(new, resume: false, status: 65)
        #expect(backwards.log.contains("with direction minimize but this study file says maximize"), "log: \(backwards.log)")
    }

    @Test func conditionalParametersAreLeftOutOfTrialsWhereInactiveThroughRunAndResume() throws {
        let directory = try ScratchDirectory.current()
        let study = directory.appendingPathComponent("cond.yaml").path
        // The program fails a trial that received momentum while mode is 0: the TRIAL must leave it out.
        try #"""
            name: cond
            direction: minimize
            metric: value
            space:
              mode: {type: categorical, choices: [0, 1]}
              momentum: {type: float, low: 0, high: 0.9, when: {mode: 1}}
              lr: {type: float, low: 0.001, high: 0.1, log: true}
            objective:
              kind: command
              argv:
                - /bin/sh
                - -c
                - 'if [ "$HPO_PARAM_MODE" = 0 ] && [ -n "${HPO_PARAM_MOMENTUM+x}" ]; then exit 3; fi; echo "{\"hpo\": {\"value\": $HPO_PARAM_LR}}"'
            optimizer: {kind: gp, seed: 3, startup_trials: 3}
            budget: {trials: 8, max_failures: 1}
            heartbeat: {interval: 200ms, liveness: 3}
            enqueue:
              - {mode: 0, lr: 0.01}
              - {mode: 1, momentum: 0.5, lr: 0.01}
            """#.write(toFile: study, atomically: true, encoding: .utf8)
        let first = try #require(try run(study, resume: false).report)
        #expect(first.completed == 8 && first.failed == 0)
        func check(_ report: EndToEnd.Report) {
            for trial in report.trials {
                let active = trial.parameters["mode"] == 1
                #expect(Set(trial.parameters.keys) == (active ? ["mode", "momentum", "lr"] : ["mode", "lr"]), "\(trial.parameters)")
            }
            #expect(Set(report.trials.map { $0.parameters["mode"] }) == [0, 1], "both branches are explored")
        }
        check(first)
        try edit(study, [("trials: 8", "trials: 14")])
        let resumed = try #require(try run(study, resume: true).report)
        #expect(resumed.completed == 14)
        check(resumed)
        // Giving an inactive parameter is refused, naming it.
        let enqueue = try HPOProcess(["enqueue", study, "mode=0", "momentum=0.3", "lr=0.01"])
        #expect(enqueue.wait(timeout: 30) == 65)
        #expect(enqueue.standardError.contains("parameter \"momentum\": is inactive (when: {mode: 1}; mode is 0)"), "got: \(enqueue.standardError)")
    }
}
