import ArgumentParser
import Foundation
import HPOObjectives
import HPORuntimeSupport
import HPOSearchSpace
import HPOWire
import Synchronization

/// `hpo-bench warm-trials`: the persistent `command` objective's own cost per trial (docs/objective-protocol.md,
/// *Persistent processes*) with a trivial Python script, side by side with one process per trial.
struct WarmTrialsBenchmark: Benchmark {
    @Option(help: "Trials through the persistent process.")
    var trials = 300

    @Option(help: "Trials with one process each (slower: a Python start per trial).")
    var perTrialTrials = 30

    @Flag(help: "The script sends `started` and its final report in one write: on a loaded machine the time between two writes is mostly the scheduler's.")
    var oneWrite = false

    /// Reads trial messages on descriptor 3, answers `started` and a final report on descriptor 4: no work.
    static let persistentScript = """
        import json, os, sys
        one_write = len(sys.argv) > 1
        pending = b""
        while True:
            while b"\\n" not in pending:
                chunk = os.read(3, 65536)
                if not chunk:
                    raise SystemExit(0)
                pending += chunk
            line, pending = pending.split(b"\\n", 1)
            message = json.loads(line)
            if "trial" in message:
                tid = message["trial"]["id"]
                started = (json.dumps({"started": {"id": tid}}) + "\\n").encode()
                final = (json.dumps({"hpo": {"accuracy": message["trial"]["params"]["x"]}}) + "\\n").encode()
                if one_write:
                    os.write(4, started + final)
                else:
                    os.write(4, started)
                    os.write(4, final)
        """

    func run() throws {
        BenchMachine.printTitle("hpo-bench warm-trials")
        let directory = try ScratchDirectory("warm")
        defer { directory.remove() }
        let script = try directory.write("serve.py", Self.persistentScript)

        let persistent = try ObjectiveFactory.make(ObjectiveDescriptor(kind: "command", options: [
            "argv": .array([.string("python3"), .string(script)] + (oneWrite ? [.string("--one-write")] : [])),
            "persistent": .bool(true),
        ]))
        defer { persistent.close() }
        let warm = try Self.measure(persistent, trials: trials)
        let cold = try Self.measure(
            try ObjectiveFactory.make(ObjectiveDescriptor(kind: "command", options: [
                "argv": .array([.string("python3"), .string("-c"), .string("print('{\"hpo\": {\"accuracy\": 0.5}}')")]),
            ])),
            trials: perTrialTrials)

        print("measurement (median over trials)                     ms")
        // The first persistent trial starts the process: leave it out of the steady-state figures.
        let steady = Array(warm.dropFirst())
        Self.printRow("persistent: whole trial at the objective", steady.map(\.total))
        Self.printRow("persistent: start overhead (arrival → started)", steady.compactMap(\.start))
        Self.printRow("persistent: finish overhead (final → return)", steady.compactMap(\.finish))
        Self.printRow("persistent: start + finish overhead", steady.compactMap { run in run.start.flatMap { s in run.finish.map { s + $0 } } })
        Self.printRow("persistent: the script's own time (started → final)", steady.compactMap { run in
            run.start.flatMap { s in run.finish.map { run.total - s - $0 } }
        })
        Self.printRow("persistent: first trial (starts the process)", Array(warm.prefix(1)).map(\.total))
        Self.printRow("one process per trial: whole trial", cold.map(\.total))
        let ratio = Samples(cold.map(\.total)).median / Samples(steady.map(\.total)).median
        print(String(format: "per-trial process / persistent (whole trial, medians): %.0f×", ratio))
    }

    /// One trial as measured: its whole time at the objective, and the recorded overhead metrics (ms).
    struct Sample: Sendable {
        var total: Double
        var start: Double?
        var finish: Double?
    }

    /// Runs `trials` trials one after another on one long-lived thread (as a worker slot does).
    static func measure(_ objective: any Objective, trials: Int) throws -> [Sample] {
        let samples = Mutex<[Sample]>([])
        let failure = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = SerialThread(name: "hpo-bench-warm-slot")
        defer { thread.close() }
        thread.submit {
            for trial in 0..<trials {
                let context = TrialContext(trialID: trial, attempt: 1, parameters: ["x": .double(0.5)])
                let started = ContinuousClock.now
                let outcome = objective.run(context) { _, _, _ in }
                let total = (ContinuousClock.now - started).inMilliseconds
                guard case .completed(_, let metrics) = outcome else {
                    failure.withLock { $0 = "trial \(trial): \(outcome)" }
                    break
                }
                samples.withLock {
                    $0.append(Sample(total: total, start: metrics["hpo_start_overhead_ms"], finish: metrics["hpo_finish_overhead_ms"]))
                }
            }
            done.signal()
        }
        done.wait()
        if let failure = failure.withLock({ $0 }) { throw ValidationError("the benchmark's trial failed: \(failure)") }
        return samples.withLock { $0 }
    }

    /// One row: the median of `values` (ms), their p90 and how many there are.
    static func printRow(_ name: String, _ values: [Double]) {
        let samples = Samples(values)
        print(
            name.padding(toLength: 50, withPad: " ", startingAt: 0)
                + String(format: "  %8.3f  (p90 %.3f, n=%d)", samples.median, samples.percentile(0.9), samples.count))
    }
}
