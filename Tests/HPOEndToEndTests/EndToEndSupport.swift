import Foundation
import HPOTestSupport
import Testing

enum EndToEnd {
    static func hpoExecutable() throws -> URL {
        try HPOBinary.url("hpo")
    }

    /// Children of every thread of `pid` (a child belongs to the thread that spawned it).
    static func children(of pid: Int32) -> [Int32] {
        ProcessTable.children(of: pid)
    }

    /// Whether `pid` is a live process (not gone, not a zombie).
    static func isAlive(_ pid: Int32) -> Bool {
        ProcessTable.isAlive(pid)
    }

    /// Waits until none of `pids` is alive; false after `timeout` seconds.
    static func waitUntilGone(_ pids: [Int32], timeout: TimeInterval) -> Bool {
        ProcessTable.waitUntilGone(pids, timeout: timeout)
    }

    /// A fresh temporary directory.
    static func directory() throws -> URL {
        try ScratchDirectory.make("e2e")
    }

    /// `hpo run --workers 1` plus `arguments` on a Branin study of `trials` trials (`duration` seconds each) written
    /// in `directory`, returned once its worker joined: a study that runs, holding its journal, until the test stops
    /// it (SIGINT exits 130). With `fixedPort` its transport.bind is a free loopback port, so `hpo enqueue` and
    /// `hpo status` find the coordinator through the study file; else the port is ephemeral.
    static func runningStudy(
        in directory: URL, trials: Int = 400, duration: Double = 0.2, fixedPort: Bool = false, _ arguments: String...
    ) throws -> (study: String, run: HPOProcess) {
        let extra = fixedPort ? "transport: {bind: \"\(FreePort.loopbackEndpoint())\"}" : ""
        let study = try BraninStudy.write(in: directory, trials: trials, duration: duration, extra: extra)
        let run = try HPOProcess(["run", study, "--workers", "1"] + arguments)
        guard run.waitForStandardError(timeout: 60, { $0.contains(" joined (") }) else {
            run.wait(timeout: 1)   // kills it
            throw RunningStudyError(log: run.standardError)
        }
        return (study, run)
    }

    /// `runningStudy(in:)` saw no worker join within 60 s.
    struct RunningStudyError: Error, CustomStringConvertible {
        var log: String
        var description: String { "hpo run had no worker joined after 60 s; its standard error:\n\(log)" }
    }

    /// The JSON report printed by `hpo run --json`.
    struct Report: Decodable {
        struct Trial: Decodable {
            var id: Int
            var parameters: [String: Double]
            var state: String
            var value: Double?
            var attempts: Int

            enum CodingKeys: String, CodingKey {
                case id = "trial", parameters, state, value, attempts
            }
        }

        var state: String
        var completed: Int
        var failed: Int
        var trials: [Trial]
        var best: Trial?
    }

    static func report(_ text: String) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(text.utf8))
    }

    /// The ids of trials logged as completed on standard error (non-terminal log lines).
    static func completedTrialIDs(in log: String) -> [Int] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "] trial "), line.contains(" completed: ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
    }

    /// Starts `hpo run STUDY` with `arguments` and returns it once its standard error logged `count` completed
    /// trials (an issue is recorded after 30 s), with its local workers' process ids at that moment.
    static func run(_ study: String, _ arguments: [String], untilCompleted count: Int) throws -> (run: HPOProcess, workers: [Int32]) {
        let run = try HPOProcess(["run", study] + arguments)
        #expect(run.waitForStandardError(timeout: 30) { completedTrialIDs(in: $0).count >= count })
        return (run, run.children())
    }

    /// Writes `<name>.yaml`, a small MLP study on the bundled digits (lr log-scaled, an int and a categorical
    /// parameter, random search, intermediate values every epoch), runs it with `hpo run --workers 2`, and returns
    /// the journal's path.
    static func runDigitsStudy(in directory: URL, name: String, trials: Int, epochs: Int, seed: Int) throws -> String {
        let study = directory.appendingPathComponent("\(name).yaml").path
        try """
            name: \(name)
            direction: maximize
            metric: accuracy
            space:
              lr: {type: float, low: 0.001, high: 0.3, log: true}
              batch_size: {type: int, low: 16, high: 128}
              optimizer: {type: categorical, choices: [sgd, adam]}
            objective: {kind: mlp, dataset: digits, hidden: [16], epochs: \(epochs)}
            optimizer: {kind: random, seed: \(seed)}
            budget: {trials: \(trials)}
            """.write(toFile: study, atomically: true, encoding: .utf8)
        let run = try HPOProcess(["run", study, "--workers", "2"])
        #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
        return directory.appendingPathComponent("\(name).db").path
    }
}
