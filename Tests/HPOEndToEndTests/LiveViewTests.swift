import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOCoordinatorRuntime
import HPOOutput
import HPOWorkerRuntime
import HPOSearchSpace
import HPOTestSupport
import Testing

/// The live view of `hpo run`: the pure renderer, then the real command on a pseudo-terminal and on a pipe.
@Suite(.scratchDirectory("e2e")) struct LiveViewTests {
    static let now = ContinuousClock.now

    static func snapshot(stopping: Bool = false, running: Int = 2) -> StudySnapshot {
        StudySnapshot(
            completed: 12, failed: 1, running: running, queued: 0, trialBudget: 50,
            best: TrialSummary(
                id: TrialID(11), parameters: ["lr": .double(0.0123456), "batch_size": .int(64)], state: .completed,
                value: 0.98607211, failureReason: nil, attempts: 1),
            liveWorkers: 4, isStopping: stopping,
            runningTrials: (0..<running).map { index in
                RunningTrial(
                    trial: TrialID(13 + index), attempt: index + 1, worker: "local-\(index).4242.ab1\(index)",
                    since: now - .milliseconds(3200 + 10_000 * index), step: index == 0 ? 7 : nil, value: index == 0 ? 0.91234 : nil)
            })
    }

    @Test func theViewShowsCountsRatesBestRunningTrialsAndWorkers() {
        let lines = LiveView.lines(Self.snapshot(), study: "digits", metric: "accuracy", elapsed: .seconds(40), now: Self.now)
        #expect(lines == [
            "digits: 12/50 done, 2 running, 1 failed | 0.325 trials/s | elapsed 40s, ETA 2m06s",
            "best accuracy 0.986072 (trial 11): batch_size=64 lr=0.01235",
            "4 workers",
            "  trial 13  local-0  step 7: 0.9123  3.2s",
            "  trial 14 (attempt 2)  local-1  starting  13s",
        ])
    }

    /// Pruned trials count toward the budget (docs/coordinator.md, *Early stopping*), so the status line counts them
    /// as done, says how many, and takes them into the rate and the ETA.
    @Test func prunedTrialsAreCountedAsDoneAndNamed() {
        var snapshot = Self.snapshot()
        snapshot.pruned = 18
        snapshot.trialBudget = 60
        let lines = LiveView.lines(snapshot, study: "digits", metric: "accuracy", elapsed: .seconds(40), now: Self.now)
        // 30 of 60 budgeted in 40 s: 0.75/s, 30 more take 40 s; 31 finished with the failed one.
        #expect(lines[0] == "digits: 30/60 done (18 pruned), 2 running, 1 failed | 0.775 trials/s | elapsed 40s, ETA 40s")
        #expect(LiveView.done(completed: 3, pruned: 0, budget: nil) == "3/∞ done")
    }

    @Test func stoppingSaysWhatItWaitsForAndThatASecondCtrlCAborts() {
        let lines = LiveView.lines(Self.snapshot(stopping: true), study: "s", metric: "value", elapsed: .seconds(1), now: Self.now)
        #expect(lines[2] == "4 workers | stopping: waiting for 2 running trials to finish; Ctrl-C again stops at once")
    }

    @Test func longListsAndLinesAreCut() {
        let lines = LiveView.lines(
            Self.snapshot(running: 5), study: "s", metric: "value", elapsed: .zero, now: Self.now, width: 30, maxTrials: 3)
        #expect(lines.count == 3 + 3 + 1)
        #expect(lines.last == "  … 2 more running")
        #expect(lines.allSatisfy { $0.count <= 30 })
        #expect(lines[0] == "s: 12/50 done, 5 running, 1 f…", "no rate before time has passed")
    }

    /// `hpo run` on a pseudo-terminal (`script`): the view is drawn and erased in place, at most once a second
    /// (`LiveDisplay.redrawInterval`), and the summary follows it.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "no /usr/bin/script (util-linux) for a pseudo-terminal"))
    func onATerminalTheViewIsRedrawnInPlace() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, name: "tty", trials: 6, duration: 1.2)
        let command = [try EndToEnd.hpoExecutable().path, "run", study, "--workers", "2"].map { "'\($0)'" }.joined(separator: " ")
        let started = Date()
        let terminal = try HPOProcess(
            executable: URL(fileURLWithPath: "/usr/bin/script"), arguments: ["-q", "-e", "-c", command, "/dev/null"],
            environment: ["COLUMNS": "120", "LINES": "40"])
        #expect(terminal.wait(timeout: 90) == 0, "output: \(terminal.standardOutput)")
        let seconds = Date().timeIntervalSince(started)
        let output = terminal.standardOutput
        #expect(output.contains("tty: 0/6 done") || output.contains("/6 done"), "\(output)")
        #expect(output.contains("  trial "), "running trials are listed: \(output)")
        #expect(output.contains(" local-"), "with their worker: \(output)")
        let redraws = output.components(separatedBy: "\u{1B}[J").count - 1
        #expect(redraws >= 2, "the view is erased and redrawn in place: \(output)")
        #expect(Double(redraws) <= seconds / LiveDisplay.redrawInterval.seconds + 3, "\(redraws) redraws in \(seconds) s")
        // The summary comes after the view was erased for good.
        let summary = try #require(output.range(of: "study tty completed"))
        #expect(!output[summary.upperBound...].contains("\u{1B}["), "nothing is drawn after the summary")
    }

    /// A log line (here the coordinator's warning about a failed trial) is printed above the view, and the view is
    /// drawn again right below it, not a redraw interval later.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "no /usr/bin/script (util-linux) for a pseudo-terminal"))
    func aLogLineGoesAboveTheViewWhichIsDrawnAgainAtOnce() throws {
        let directory = try ScratchDirectory.current()
        let script = directory.appendingPathComponent("train.sh").path
        // Trial 0 fails after 1.5 s (the view is on screen by then); trial 1 completes.
        try """
            sleep 1.5   # not synchronization: the trial's running time
            if [ "$HPO_TRIAL_ID" = "0" ]; then echo boom >&2; exit 1; fi
            echo '{"hpo": {"accuracy": 0.5}}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let study = directory.appendingPathComponent("logged.yaml").path
        try """
            name: logged
            space: {x: {type: float, low: 0, high: 1}}
            objective: {kind: command, argv: [bash, \(script)]}
            optimizer: {kind: random, seed: 1}
            budget: {trials: 1}
            """.write(toFile: study, atomically: true, encoding: .utf8)
        let command = [try EndToEnd.hpoExecutable().path, "run", study, "--workers", "1"].map { "'\($0)'" }.joined(separator: " ")
        let terminal = try HPOProcess(
            executable: URL(fileURLWithPath: "/usr/bin/script"), arguments: ["-q", "-e", "-c", command, "/dev/null"],
            environment: ["COLUMNS": "120", "LINES": "40"])
        #expect(terminal.wait(timeout: 90) == 0, "output: \(terminal.standardOutput)")
        let output = terminal.standardOutput
        // The warning ends with the failed trial's stderr tail and its log file.
        let warning = try #require(output.range(of: "trial 0 failed"), "\(output)")
        let tail = try #require(output[warning.upperBound...].range(of: "trial-0.log)"), "\(output)")
        let line = try #require(output[tail.upperBound...].range(of: "\n"))
        // What follows the warning's line, up to the next cursor movement, is the view again, as it was drawn before
        // the failure ("0 failed"): drawn at once, not by the next redraw (which says "1 failed").
        let after = output[line.upperBound...].prefix { $0 != "\u{1B}" }
        #expect(after.hasPrefix("logged: 0/1 done, ") && after.contains(" 0 failed"), "after the warning: \(after.debugDescription)")
    }

    @Test func onAPipeAPlainLineAtMostEveryTenSecondsAndNoneWithNoProgress() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, name: "pipe", trials: 4, duration: 0.05)
        let run = try HPOProcess(["run", study, "--workers", "2"])
        #expect(run.wait(timeout: 60) == 0, "stderr: \(run.standardError)")
        let progress = run.standardError.split(separator: "\n").filter { $0.hasPrefix("progress: pipe: ") }
        #expect(progress.count == 1, "one line at start, the next after 10 s: \(run.standardError)")
        #expect(!run.standardError.contains("\u{1B}["), "no ANSI codes off a terminal")
        let quiet = try HPOProcess(["run", study, "--workers", "2", "--overwrite", "--no-progress"])
        #expect(quiet.wait(timeout: 60) == 0, "stderr: \(quiet.standardError)")
        #expect(!quiet.standardError.contains("progress: "), "\(quiet.standardError)")
    }
    @Test func quietPrintsOnlyTheSummaryOffATerminal() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, name: "hush", trials: 4, duration: 0.05)
        let run = try HPOProcess(["run", study, "--workers", "2", "--quiet"])
        #expect(run.wait(timeout: 60) == 0, "stderr: \(run.standardError)")
        #expect(run.standardError.isEmpty, "no progress and no info lines: \(run.standardError)")
        #expect(run.standardOutput.contains("study hush completed"), "the summary is still printed: \(run.standardOutput)")
        // --log-level says otherwise: the info lines come back, the progress lines do not.
        let logged = try HPOProcess(["run", study, "--workers", "2", "--overwrite", "--quiet", "--log-level", "info"])
        #expect(logged.wait(timeout: 60) == 0, "stderr: \(logged.standardError)")
        #expect(logged.standardError.contains(" info "), "stderr: \(logged.standardError)")
        #expect(!logged.standardError.contains("progress: "), "stderr: \(logged.standardError)")

        // hpo coordinator: the line workers need ("listening on") and nothing else until the summary.
        let endpoint = "tcp://127.0.0.1:\(FreePort.loopback())"
        let coordinator = try HPOProcess(["coordinator", study, "--bind", endpoint, "--overwrite", "--quiet"])
        defer { coordinator.wait(timeout: 1) }
        let worker = try HPOProcess(["worker", "--connect", endpoint, "--heartbeat", "200ms", "--coordinator-timeout", "20s"])
        defer { worker.wait(timeout: 5) }
        #expect(coordinator.wait(timeout: 60) == 0, "stderr: \(coordinator.standardError)")
        let lines = coordinator.standardError.split(separator: "\n")
        #expect(lines == ["listening on \(endpoint)"], "stderr: \(coordinator.standardError)")
        #expect(coordinator.standardOutput.contains("study hush completed"), "\(coordinator.standardOutput)")
    }
}
