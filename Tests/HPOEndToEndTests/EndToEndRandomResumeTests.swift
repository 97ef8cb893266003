import Foundation
import GRDB
import Glibc
import HPOCoordinatorCore
import HPOSearchSpace
import HPOTestSupport
import Testing
import HPOCoordinatorRuntime

/// Issue #7 §5, against real processes: a random-search study interrupted at 7,000 of 20,000 trials and resumed
/// completes all 20,000, and no two trials share parameters. (Before the fix the resumed optimizer redrew the first
/// run's points from the same seed, gave up after 1,000 collisions, and the study ended "completed" near 7,100.)
///
/// Sizes can be changed for a manual run: `HPO_RESUME_TRIALS=20000 HPO_RESUME_INTERRUPT_AT=7000` (the defaults;
/// about 15 s per session with 4 null workers in a debug build here).
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndRandomResumeTests {
    static let trials = Int(ProcessInfo.processInfo.environment["HPO_RESUME_TRIALS"] ?? "") ?? 20_000
    static let interruptAt = Int(ProcessInfo.processInfo.environment["HPO_RESUME_INTERRUPT_AT"] ?? "") ?? 7_000

    @Test func anInterruptedRandomSearchResumesToItsFullBudgetWithoutRepeats() throws {
        let directory = try ScratchDirectory.current()
        let study = directory.appendingPathComponent("resume.yaml").path
        let journal = directory.appendingPathComponent("resume.db").path
        try """
            name: resume
            direction: minimize
            space:
              x: {type: float, low: 0, high: 1}
              y: {type: int, low: 0, high: 1000}
            optimizer: {kind: random, seed: 1}
            budget: {trials: \(Self.trials)}
            objective: {kind: "null"}
            """.write(toFile: study, atomically: true, encoding: .utf8)

        let first = try HPOProcess(["run", study, "--workers", "4"])
        // Poll the journal (read-only, as hpo show does) until it holds enough completed trials.
        let reached = Self.waitForCompleted(atLeast: Self.interruptAt, journal: journal, process: first, timeout: 300)
        first.signal(SIGINT)
        let firstStatus = first.wait(timeout: 60)
        #expect(reached, "the first session never reached \(Self.interruptAt) completed trials: \(first.standardError.suffix(2_000))")
        #expect(firstStatus == 130, "interrupted runs exit 130: \(first.standardError.suffix(2_000))")
        let atInterrupt = try Self.completedCount(journal)
        #expect(atInterrupt >= Self.interruptAt && atInterrupt < Self.trials, "interrupted at \(atInterrupt)")

        let second = try HPOProcess(["run", study, "--workers", "4", "--resume"])
        let secondStatus = second.wait(timeout: 600)
        #expect(secondStatus == 0, "the resumed run: \(second.standardError.suffix(2_000))")

        let history = try StudyHistory.load(journalPath: journal)
        #expect(history.count(.completed) == Self.trials)
        #expect(history.count(.failed) == 0)
        #expect(history.trials.count == Self.trials, "every proposed trial ran once: \(history.trials.count) proposed")
        let distinct = Set(history.trials.map(\.parameters))
        #expect(distinct.count == history.trials.count, "\(history.trials.count - distinct.count) trials repeat parameters")
        #expect(history.sessions == 2)
    }

    /// Completed trials in the journal at `path` (0 while it does not exist yet).
    static func completedCount(_ path: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        return try database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM hpo_journal_events WHERE type = 'trialCompleted'") ?? 0
        }
    }

    /// Waits until the journal holds `count` completed trials; false when `process` exits first or after `timeout`.
    static func waitForCompleted(atLeast count: Int, journal: String, process: HPOProcess, timeout: TimeInterval) -> Bool {
        // The schema may not exist in the first milliseconds; count 0 until it does.
        let reached = { ((try? completedCount(journal)) ?? 0) >= count }
        waitUntil(seconds: timeout, poll: .milliseconds(10)) { reached() || process.hasExited }
        return reached()
    }
}
