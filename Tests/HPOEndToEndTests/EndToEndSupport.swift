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

    /// `hpo run` with one worker on a 400-trial Branin study (0.2 s a trial) written in `directory`, returned once
    /// its worker joined: a study that runs, holding its journal, until the test stops it (SIGINT exits 130).
    static func runningStudy(in directory: URL) throws -> (study: String, run: HPOProcess) {
        let study = try BraninStudy.write(in: directory, trials: 400, duration: 0.2)
        let run = try HPOProcess(["run", study, "--workers", "1"])
        guard run.waitForStandardError(timeout: 30, { $0.contains(" joined (") }) else {
            run.wait(timeout: 1)   // kills it
            throw RunningStudyError(log: run.standardError)
        }
        return (study, run)
    }

    /// `runningStudy(in:)` saw no worker join within 30 s.
    struct RunningStudyError: Error, CustomStringConvertible {
        var log: String
        var description: String { "hpo run had no worker joined after 30 s; its standard error:\n\(log)" }
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
