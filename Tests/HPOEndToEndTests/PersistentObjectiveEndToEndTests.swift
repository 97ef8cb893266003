import Foundation
import HPOTestSupport
import Testing

/// The persistent `command` objective (docs/objective-protocol.md, *Persistent processes*) through real `hpo run`
/// processes: a stdlib-only Python script that speaks the protocol with raw lines on descriptors 3 and 4.
@Suite(.scratchDirectory("e2e")) struct PersistentObjectiveEndToEndTests {
    /// Writes `serve.py` and a study running it persistently; returns the study file's path. The script appends
    /// `trial pid ppid` to `$OUT/pids` per trial and its pid to `$OUT/eof` when descriptor 3 ends, prints a line on stdout and stderr, then: crashes (exit 3) in
    /// trial `$CRASH`, hangs in every trial with `$HANG`, else reports `x`.
    static func study(in directory: URL, trials: Int, extra: String, env: [String: String] = [:]) throws -> String {
        let script = directory.appendingPathComponent("serve.py").path
        try #"""
            import json, os, sys, time
            trials = os.fdopen(3)
            for line in trials:
                message = json.loads(line)
                if "trial" not in message:
                    continue
                tid = message["trial"]["id"]
                with open(os.path.join(os.environ["OUT"], "pids"), "a") as out:
                    out.write(f"{tid} {os.getpid()} {os.getppid()}\n")
                print(f"stdout of trial {tid}", flush=True)
                print(f"stderr of trial {tid}", file=sys.stderr, flush=True)
                if str(tid) == os.environ.get("CRASH"):
                    sys.exit(3)
                if os.environ.get("HANG"):
                    time.sleep(3600)
                os.write(4, (json.dumps({"hpo": {"value": message["trial"]["params"]["x"]}}) + "\n").encode())
            with open(os.path.join(os.environ["OUT"], "eof"), "a") as out:
                out.write(f"{os.getpid()}\n")
            """#.write(toFile: script, atomically: true, encoding: .utf8)
        let environment = env.merging(["OUT": directory.path]) { own, _ in own }.map { "\($0.key): \"\($0.value)\"" }.joined(separator: ", ")
        let path = directory.appendingPathComponent("warm.yaml").path
        try """
            name: warm
            direction: minimize
            metric: value
            space: {x: {type: float, low: 0, high: 1}}
            objective: {kind: command, argv: [python3, \(script)], persistent: true, env: {\(environment)}\(extra)}
            optimizer: {kind: random, seed: 3}
            budget: {trials: \(trials), max_failures: 5}
            retries: 0
            heartbeat: {interval: 200ms, liveness: 10}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `trial → (pid, ppid)` from the script's `pids` file.
    static func pids(in directory: URL) throws -> [Int: (pid: Int32, parent: Int32)] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("pids"), encoding: .utf8)) ?? ""
        var result: [Int: (Int32, Int32)] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").compactMap { Int($0) }
            if fields.count == 3 { result[fields[0]] = (Int32(fields[1]), Int32(fields[2])) }
        }
        return result
    }

    @Test func aCrashFailsItsTrialWithItsLogAndLaterTrialsRunInFreshProcessesWithTheirOwnLogs() throws {
        let directory = try ScratchDirectory.current()
        let study = try Self.study(in: directory, trials: 7, extra: ", max_trials_per_process: 3", env: ["CRASH": "4"])
        let run = try HPOProcess(["run", study, "--workers", "1"])
        #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
        let pids = try Self.pids(in: directory)
        // The failed trial does not count towards the budget of 7: 8 trials ran.
        #expect(pids.keys.sorted() == Array(0..<8), "\(pids)")
        // Trials 0–2 share one process (max_trials_per_process 3), 3–4 the next (4 crashed it), 5–7 a fresh one.
        let byTrial = (0..<8).map { pids[$0]?.pid ?? -1 }
        #expect(byTrial[0] == byTrial[2] && byTrial[2] != byTrial[3] && byTrial[3] == byTrial[4] && byTrial[4] != byTrial[5]
            && byTrial[5] == byTrial[7], "\(byTrial)")
        #expect(Set(byTrial).count == 3, "\(byTrial)")
        for trial in 0..<8 {
            let path = directory.appendingPathComponent("warm.logs/trial-\(trial).log").path
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.contains("stdout of trial \(trial)") && lines.contains("stderr of trial \(trial)"), "\(trial): \(lines)")
            #expect(lines.filter { $0.contains("of trial ") }.allSatisfy { $0.contains("of trial \(trial)") },
                    "trial \(trial)'s log holds another's output: \(lines)")
            if trial == 4 {
                // The reason spans lines: the stderr tail follows it, then the log's path.
                let text = lines.joined(separator: "\n")
                #expect(text.contains("[hpo] trial 4 attempt 1 failed: python3 exited with status 3 during trial 4 (persistent process \(byTrial[4]))"), "\(lines)")
                #expect(text.hasSuffix("stderr of trial 4 (log: \(path))"), "\(lines)")
            } else {
                #expect(lines.last?.hasPrefix("[hpo] trial \(trial) attempt 1 completed: value ") == true, "\(lines)")
            }
        }
        #expect(byTrial.allSatisfy { ProcessTable.liveProcesses(inGroup: $0).isEmpty }, "a persistent process outlived hpo run")
        // The retired process and the last one (closed when the worker shut down) read end-of-file and exited.
        let ended = (try? String(contentsOf: directory.appendingPathComponent("eof"), encoding: .utf8)) ?? ""
        #expect(Set(ended.split(separator: "\n").compactMap { Int32($0) }) == [byTrial[0], byTrial[7]], "eof: \(ended)")
    }

    @Test func noScriptProcessSurvivesItsWorkerBeingKilled() throws {
        let directory = try ScratchDirectory.current()
        let study = try Self.study(in: directory, trials: 1, extra: "", env: ["HANG": "1"])
        let run = try HPOProcess(["run", study, "--workers", "1"])
        defer {
            run.signal(SIGKILL)
            _ = run.wait(timeout: 30)
        }
        var entry: (pid: Int32, parent: Int32)?
        waitUntil(timeout: .seconds(60)) {
            entry = try? Self.pids(in: directory)[0]
            return entry != nil
        }
        let script = try #require(entry, "the script never took trial 0; stderr: \(run.standardError)")
        #expect(script.parent != run.pid, "the script's parent should be the worker process, not hpo run")
        #expect(!ProcessTable.liveProcesses(inGroup: script.pid).isEmpty)
        kill(script.parent, SIGKILL)
        #expect(waitUntil(timeout: .seconds(10)) { ProcessTable.liveProcesses(inGroup: script.pid).isEmpty },
                "still alive after the worker was SIGKILLed: \(ProcessTable.liveProcesses(inGroup: script.pid))")
    }
}
