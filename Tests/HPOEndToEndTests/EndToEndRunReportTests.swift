import Foundation
import Glibc
import HPOTestSupport
import Testing

/// What `hpo run` prints and how it exits: JSON keys, failure counts, journal errors. Real processes and files.
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndRunReportTests {
    /// A study whose every trial fails at once (`sh -c "exit 3"`), stopped by `max_failures`.
    private func failingStudy(in directory: URL, maxFailures: Int) throws -> String {
        let yaml = """
            name: fails
            direction: minimize
            metric: value
            space:
              x0: {type: float, low: 0, high: 1}
            objective:
              kind: command
              argv: [/bin/sh, -c, "exit 3"]
              timeout: 10s
            optimizer: {kind: random, seed: 1}
            budget: {trials: 30, max_failures: \(maxFailures)}
            heartbeat: {interval: 200ms, liveness: 3}
            """
        let path = directory.appendingPathComponent("fails.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func runJSONUsesSnakeCaseKeys() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 3, duration: 0.01)
        let run = try HPOProcess(["run", study, "--workers", "1", "--json"])
        #expect(run.wait(timeout: 60) == 0, "stderr: \(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["trial_budget"] as? Int == 3)
        #expect(object["trialBudget"] == nil)
        let trials = try #require(object["trials"] as? [[String: Any]])
        #expect(trials.count == 3)
        #expect(trials.allSatisfy { $0.keys.contains("duration_seconds") && !$0.keys.contains("durationSeconds") })
    }

    @Test func theHeadlineAndTheCountsAgreeWhenMaxFailuresStopsTheStudy() throws {
        let directory = try ScratchDirectory.current()
        let study = try failingStudy(in: directory, maxFailures: 2)
        // Three workers fail trials at once, so more trials fail while the study stops than the limit.
        let run = try HPOProcess(["run", study, "--workers", "3", "--json"])
        #expect(run.wait(timeout: 60) == 1, "stderr: \(run.standardError)")
        let report = try EndToEnd.report(run.standardOutput)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let reason = try #require(object["reason"] as? String)
        #expect(report.state == "failed")
        #expect(report.failed >= 2)
        #expect(report.failed == report.trials.filter { $0.state == "failed" }.count)
        #expect(reason.contains("budget.max_failures = 2"), "got: \(reason)")
        // The headline may not state a count of failures other than the summary's.
        let stated = reason.split(separator: " ").first.flatMap { Int($0) }
        #expect(stated == nil || stated == report.failed, "headline \"\(reason)\" vs \(report.failed) failed")

        let text = try HPOProcess(["run", study, "--workers", "3", "--overwrite"])
        #expect(text.wait(timeout: 60) == 1, "stderr: \(text.standardError)")
        let lines = text.standardOutput.split(separator: "\n")
        let counts = try #require(lines.first { $0.hasPrefix("trials: ") })
        let failed = try #require(Int(counts.split(separator: ", ")[1].split(separator: " ")[0]))
        let headline = try #require(lines.first)
        #expect(!headline.contains("\(failed - 1) trials failed") && !headline.contains("\(failed + 1) trials failed"))
    }

    @Test func aJournalInUseIsADataErrorNamingTheFileOnce() throws {
        let directory = try ScratchDirectory.current()
        let (study, first) = try EndToEnd.runningStudy(in: directory)
        defer { first.wait(timeout: 1) }
        let second = try HPOProcess(["run", study, "--workers", "1", "--resume"])
        #expect(second.wait(timeout: 30) == 65, "stderr: \(second.standardError)")
        let journal = directory.appendingPathComponent("e2e.db").path
        #expect(second.standardError.contains("another process is writing"), "got: \(second.standardError)")
        #expect(second.standardError.components(separatedBy: journal).count == 2, "the path once: \(second.standardError)")
        first.signal(SIGINT)
        #expect(first.wait(timeout: 20) == 130)
    }

    @Test func resumingWithAnotherSearchSpaceSaysWhatDiffersAndExits65() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 2, duration: 0.01)
        let first = try HPOProcess(["run", study, "--workers", "1"])
        #expect(first.wait(timeout: 60) == 0, "stderr: \(first.standardError)")
        let original = try String(contentsOfFile: study, encoding: .utf8)
        let changed = original
            .replacingOccurrences(of: "x1: {type: float, low: 0, high: 15}", with: "x1: {type: float, low: 0, high: 20}")
            .replacingOccurrences(of: "x0: {type: float, low: -5, high: 10}", with: "x0: {type: float, low: -5, high: 10, step: 0.5}")
        #expect(changed != original)
        try changed.write(toFile: study, atomically: true, encoding: .utf8)
        let resumed = try HPOProcess(["run", study, "--workers", "1", "--resume"])
        #expect(resumed.wait(timeout: 30) == 65, "stderr: \(resumed.standardError)")
        let message = resumed.standardError
        #expect(message.contains("was run with another search space"), "got: \(message)")
        #expect(message.contains("x0: narrowed from {type: float, low: -5.0, high: 10.0} to {type: float, low: -5.0, high: 10.0, step: 0.5}"), "got: \(message)")
        // Widening x1 alone would be allowed, so it is not among the refused changes.
        #expect(!message.contains("x1:"), "got: \(message)")
    }
}
