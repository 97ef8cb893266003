import Foundation
import HPOTestSupport
import Testing

/// `--resume` is safe on a first run (a missing journal starts the study) and on a finished one (nothing more runs):
/// what a batch system that re-runs the same command after a requeue relies on (deploy/slurm, docs/coordinator.md).
@Suite struct ResumeOrStartTests {
    /// A study of `trials` null trials in a fresh directory; returns the study file and its journal.
    static func study(trials: Int) throws -> (directory: URL, file: String, journal: String) {
        let directory = try ScratchDirectory.make("resume-or-start")
        let file = directory.appendingPathComponent("study.yaml").path
        try """
            name: resumable
            space: {x: {type: float, low: 0, high: 1}}
            objective: {kind: null}
            optimizer: {kind: random, seed: 3}
            budget: {trials: \(trials)}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        return (directory, file, directory.appendingPathComponent("resumable.db").path)
    }

    static func count(_ type: String, in journal: String) throws -> Int {
        try JournalRows.read(journal).filter { $0.type == type }.count
    }

    @Test func coordinatorResumeStartsAMissingJournalThenFinishesAtOnceWhenRepeated() throws {
        let (directory, file, journal) = try Self.study(trials: 12)
        defer { try? FileManager.default.removeItem(at: directory) }
        let endpointFile = directory.appendingPathComponent("endpoint").path
        let arguments = ["coordinator", file, "--bind", "tcp://127.0.0.1:0", "--endpoint-file", endpointFile, "--resume"]
        #expect(!FileManager.default.fileExists(atPath: journal))

        let coordinator = try HPOProcess(arguments)
        let worker = try HPOProcess(
            ["worker", "--connect-file", endpointFile, "--study", "resumable", "--coordinator-timeout", "60s"])
        let status = coordinator.wait(timeout: 120)
        #expect(status == 0, "stderr: \(coordinator.standardError)")
        #expect(worker.wait(timeout: 30) == 0, "worker stderr: \(worker.standardError)")
        #expect(coordinator.standardError.contains("is empty: starting the study afresh"), "\(coordinator.standardError)")
        #expect(try Self.count("trialCompleted", in: journal) == 12)
        #expect(try Self.count("studyStarted", in: journal) == 1)

        // The same command again, as after a requeue that came once the study was done: no worker needed, no trial.
        let again = try HPOProcess(arguments)
        #expect(again.wait(timeout: 60) == 0, "stderr: \(again.standardError)")
        #expect(again.standardOutput.contains("completed"), "stdout: \(again.standardOutput)")
        #expect(try Self.count("trialProposed", in: journal) == 12)
        #expect(try Self.count("trialCompleted", in: journal) == 12)
        #expect(try Self.count("studyStarted", in: journal) == 2)

        // Without --resume a journal that holds a study is refused: a first run never continues an old one silently.
        let fresh = try HPOProcess(Array(arguments.dropLast()))
        #expect(fresh.wait(timeout: 60) == 65, "stderr: \(fresh.standardError)")
        #expect(fresh.standardError.contains("pass --resume"), "stderr: \(fresh.standardError)")
        #expect(fresh.standardError.contains("error[journal_holds_study]: journal "), "stderr: \(fresh.standardError)")
        #expect(try Self.count("trialProposed", in: journal) == 12)
    }

    @Test func runResumeStartsAMissingJournal() throws {
        let (directory, file, journal) = try Self.study(trials: 8)
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try HPOProcess(["run", file, "--workers", "2", "--resume", "--json"])
        #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        #expect(summary?["completed"] as? Int == 8, "stdout: \(run.standardOutput)")
        #expect(try Self.count("trialCompleted", in: journal) == 8)
        #expect(try Self.count("studyStarted", in: journal) == 1)
    }
}
