import Foundation
import Glibc
import HPOTestSupport
import Testing

/// Per-trial log files (docs/trial-logs.md), `hpo logs`, and `hpo run --log-level` reaching the workers: real
/// `hpo run` processes running a shell script as a `command` objective.
@Suite(.scratchDirectory("e2e")) struct TrialLogTests {
    /// Writes `train.sh` and a one-trial study running it; returns the study file's path.
    static func study(in directory: URL, name: String, trials: Int = 1, env: [String: String] = [:]) throws -> String {
        let script = directory.appendingPathComponent("train.sh").path
        try """
            #!/bin/sh
            echo "hello from trial $HPO_TRIAL_ID"
            echo "warn line $HPO_TRIAL_ID" >&2
            echo '{"hpo": {"step": 1, "value": 0.5, "loss": 2}}'
            if [ -n "$FAIL" ]; then echo "boom in trial $HPO_TRIAL_ID" >&2; exit 3; fi
            if [ -n "$GATE" ]; then echo "waiting for gate"; read line < "$GATE"; fi
            if [ -n "$BIG" ]; then head -c 11534336 /dev/zero | tr '\\0' 'x' | fold -w 1023; echo; fi
            echo '{"hpo": {"value": 0.25}}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let environment = env.map { "\($0.key): \"\($0.value)\"" }.joined(separator: ", ")
        let path = directory.appendingPathComponent("\(name).yaml").path
        try """
            name: \(name)
            direction: minimize
            metric: value
            space: {x: {type: float, low: 0, high: 1}}
            objective: {kind: command, argv: [\(script)], timeout: 60s, env: {\(environment)}}
            optimizer: {kind: random, seed: 3}
            budget: {trials: \(trials)}
            heartbeat: {interval: 200ms, liveness: 5}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func eachTrialsOutputIsKeptAndHpoLogsPrintsIt() throws {
        let directory = try ScratchDirectory.current()
        let study = try Self.study(in: directory, name: "logged", trials: 2)
        let run = try HPOProcess(["run", study, "--workers", "1"])
        #expect(run.wait(timeout: 60) == 0, "stderr: \(run.standardError)")
        // Without --log-level the workers log warnings only: the script's lines are in the files, not on stderr.
        #expect(!run.standardError.contains("hello from trial"), "stderr: \(run.standardError)")

        for trial in 0..<2 {
            // The form takes the trial as an argument (hpo logs STUDY TRIAL); --trial N is the same.
            let logs = try HPOProcess(trial == 0 ? ["logs", study, "\(trial)"] : ["logs", study, "--trial", "\(trial)"])
            #expect(logs.wait(timeout: 30) == 0, "stderr: \(logs.standardError)")
            let lines = logs.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("[hpo] trial \(trial) attempt 1 started on worker local-0 at ") == true, "\(lines)")
            #expect(lines.contains("hello from trial \(trial)"))
            #expect(lines.contains("warn line \(trial)"))
            #expect(lines.contains("[hpo] step 1: value 0.5 (loss 2.0)"), "\(lines)")
            #expect(lines.last == "[hpo] trial \(trial) attempt 1 completed: value 0.25", "\(lines)")
        }
        let file = directory.appendingPathComponent("logged.logs/trial-0.log").path
        #expect(FileManager.default.fileExists(atPath: file))
        let missing = try HPOProcess(["logs", directory.appendingPathComponent("logged.db").path, "--trial", "7"])
        #expect(missing.wait(timeout: 30) == 66)
        #expect(missing.standardError.contains("no log for trial 7 at \(directory.path)/logged.logs/trial-7.log"))
        let noTrial = try HPOProcess(["logs", study])
        #expect(noTrial.wait(timeout: 30) == 64)
        #expect(noTrial.standardError.contains("missing the trial: give its id as hpo logs STUDY TRIAL (or --trial N)"),
                "stderr: \(noTrial.standardError)")
        let twice = try HPOProcess(["logs", study, "0", "--trial", "1"])
        #expect(twice.wait(timeout: 30) == 64)
        #expect(twice.standardError.contains("the trial is given twice with different ids (TRIAL 0, --trial 1)"),
                "stderr: \(twice.standardError)")

        // --log-level reaches the local workers, and so the objective's lines reach hpo run's standard error.
        let verbose = try HPOProcess(["run", study, "--workers", "1", "--overwrite", "--log-level", "info"])
        #expect(verbose.wait(timeout: 60) == 0, "stderr: \(verbose.standardError)")
        #expect(verbose.standardError.contains("hello from trial 0"), "stderr: \(verbose.standardError)")
        #expect(verbose.standardError.contains("warn line 1"))
    }

    @Test func followPrintsALiveTrialUntilItFinishes() throws {
        let directory = try ScratchDirectory.current()
        // A FIFO: the trial's `read` blocks until the test writes a line.
        let gate = directory.appendingPathComponent("gate").path
        try #require(mkfifo(gate, 0o600) == 0, "mkfifo \(gate): \(String(cString: strerror(errno)))")
        let study = try Self.study(in: directory, name: "follow", env: ["GATE": gate])
        let run = try HPOProcess(["run", study, "--workers", "1"])
        defer { run.wait(timeout: 5) }
        let follow = try HPOProcess(["logs", study, "0", "--follow"])
        defer { follow.wait(timeout: 5) }
        #expect(follow.waitForStandardOutput(timeout: 60) { $0.contains("waiting for gate") }, "\(follow.standardError)")
        #expect(!follow.hasExited, "--follow stops only when the trial finishes")
        // Opening for writing without blocking fails (ENXIO) until the trial opens the FIFO to read it.
        var writer: Int32 = -1
        #expect(waitUntil(timeout: .seconds(60)) { writer = open(gate, O_WRONLY | O_NONBLOCK); return writer >= 0 })
        if writer >= 0 {
            _ = write(writer, "go\n", 3)
            close(writer)
        }
        #expect(follow.wait(timeout: 60) == 0, "stderr: \(follow.standardError)")
        #expect(follow.standardOutput.hasSuffix("[hpo] trial 0 attempt 1 completed: value 0.25\n"), "\(follow.standardOutput)")
        #expect(run.wait(timeout: 60) == 0)
    }

    @Test func aTrialsLogStopsAtTheCapAndSaysWhatItDropped() throws {
        let directory = try ScratchDirectory.current()
        let study = try Self.study(in: directory, name: "big", env: ["BIG": "1"])
        let run = try HPOProcess(["run", study, "--workers", "1"])
        #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
        let file = directory.appendingPathComponent("big.logs/trial-0.log").path
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        let cap = 10 << 20
        #expect(size > cap - 2048 && size < cap + 200, "size \(size)")
        let tail = try #require(String(data: try Data(contentsOf: URL(fileURLWithPath: file)).suffix(400), encoding: .utf8))
        #expect(tail.contains("[hpo] log capped at \(cap) bytes: "), "\(tail)")
        #expect(tail.hasSuffix("[hpo] trial 0 attempt 1 completed: value 0.25\n"), "the last line is kept past the cap: \(tail)")
    }
    @Test func aFailedTrialIsReportedOnceWithItsLogPath() throws {
        let directory = try ScratchDirectory.current()
        let study = try Self.study(in: directory, name: "failing", env: ["FAIL": "1"])
        let run = try HPOProcess(["run", study, "--workers", "1"])
        #expect(run.wait(timeout: 60) != nil, "stderr: \(run.standardError)")
        let file = directory.appendingPathComponent("failing.logs/trial-0.log").path
        // The coordinator's warning carries the tail and the path; the worker does not repeat the tail.
        let stderr = run.standardError
        #expect(stderr.components(separatedBy: "boom in trial 0").count - 1 == 1, "the tail once: \(stderr)")
        #expect(stderr.components(separatedBy: "trial 0 failed: ").count - 1 == 1, "the failure once: \(stderr)")
        // Failed trials do not count toward the budget: the study goes on until budget.max_failures, each failure
        // shown once with its tail once.
        let failures = stderr.components(separatedBy: "exited with status 3").count - 1
        #expect(failures >= 1 && stderr.components(separatedBy: "boom in trial ").count - 1 == failures, "\(stderr)")
        #expect(stderr.contains("(log: \(file))"), "the log's path: \(stderr)")
        // The file holds the whole output, and the journal's reason names it too.
        let logs = try HPOProcess(["logs", study, "0"])
        #expect(logs.wait(timeout: 30) == 0, "stderr: \(logs.standardError)")
        #expect(logs.standardOutput.contains("boom in trial 0"))
        #expect(logs.standardOutput.contains("hello from trial 0"))
        let show = try HPOProcess(["show", study, "--format", "json"])
        #expect(show.wait(timeout: 30) == 0, "stderr: \(show.standardError)")
        #expect(show.standardOutput.contains("(log: \(file))"), "\(show.standardOutput)")
    }
}
