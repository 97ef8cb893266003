import Foundation
import Glibc
import HPOTestSupport
import Testing

/// `hpo run` as a user runs it: real processes, real sockets, a real journal file.
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndRunTests {
    @Test func aLocalStudyRunsExactlyItsBudgetAndPrintsTheBest() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 12, duration: 0.01)
        let run = try HPOProcess(["run", study, "--workers", "3", "--json"])
        let status = run.wait(timeout: 60)
        #expect(status == 0, "stderr: \(run.standardError)")
        let report = try EndToEnd.report(run.standardOutput)
        #expect(report.state == "completed")
        #expect(report.completed == 12)
        #expect(report.trials.count == 12)
        #expect(Set(report.trials.map(\.id)).count == 12)
        let best = try #require(report.best)
        #expect(best.value == report.trials.compactMap(\.value).min())
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("e2e.db").path))

        let text = try HPOProcess(["run", study, "--workers", "1"])
        #expect(text.wait(timeout: 30) == 65, "a second run without --resume must refuse the used journal (a data error)")
        #expect(text.standardError.contains("--resume"))
        let again = try HPOProcess(["run", study, "--workers", "1", "--overwrite", "--json"])
        #expect(again.wait(timeout: 30) == 0, "stderr: \(again.standardError)")
        #expect(try EndToEnd.report(again.standardOutput).trials.count == 12)
    }

    @Test func aWorkerKilledMidTrialHasItsTrialFinishedElsewhereWithoutDuplicates() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 10, duration: 0.4)
        let run = try HPOProcess(["run", study, "--workers", "3", "--json"])
        defer { run.wait(timeout: 1) }
        // Wait until all three workers joined and trials are running, then kill one worker outright.
        #expect(run.waitForStandardError(timeout: 30) { $0.components(separatedBy: " joined (").count > 3 })
        // Each of the three runs a trial: three trials reported PROGRESS and none finished yet.
        let journal = directory.appendingPathComponent("e2e.db").path
        #expect(waitUntil(seconds: 30) {
            let rows = JournalRows.readIfPresent(journal)
            let progressing = Set(rows.filter { $0.type == "trialProgress" }.compactMap(\.trial))
            let finished = Set(rows.filter { $0.type == "trialCompleted" }.compactMap(\.trial))
            return progressing.subtracting(finished).count >= 3
        })
        let workers = run.children()
        #expect(workers.count == 3)
        let victim = try #require(workers.first)
        kill(victim, SIGKILL)
        let status = run.wait(timeout: 60)
        #expect(status == 0, "stderr: \(run.standardError)")
        let report = try EndToEnd.report(run.standardOutput)
        #expect(report.completed == 10)
        #expect(Set(report.trials.map(\.id)).count == report.trials.count)
        #expect(report.trials.allSatisfy { $0.state == "completed" })
        // The lost trial ran again as attempt 2 on another worker.
        #expect(report.trials.contains { $0.attempts == 2 })
        #expect(run.standardError.contains("lost"))
        #expect(EndToEnd.waitUntilGone(workers, timeout: 5))
    }

    @Test func aCoordinatorKilledMidStudyResumesWithEveryCompletedTrialIntact() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 16, duration: 0.15)
        let (first, workers) = try EndToEnd.run(study, ["--workers", "2"], untilCompleted: 5)
        first.signal(SIGKILL)
        first.wait(timeout: 5)
        // Orphaned workers notice that their parent is gone (--parent-pid), well before their coordinator timeout.
        #expect(EndToEnd.waitUntilGone(workers, timeout: 5), "no worker may outlive a killed hpo run")
        workers.forEach { kill($0, SIGKILL) }
        let before = Set(EndToEnd.completedTrialIDs(in: first.standardError))
        #expect(before.count >= 5)

        let second = try HPOProcess(["run", study, "--workers", "2", "--resume", "--json"])
        let status = second.wait(timeout: 60)
        #expect(status == 0, "stderr: \(second.standardError)")
        let report = try EndToEnd.report(second.standardOutput)
        #expect(report.completed == 16)
        #expect(Set(report.trials.map(\.id)).count == report.trials.count)
        let completed = Set(report.trials.filter { $0.state == "completed" }.map(\.id))
        #expect(before.isSubset(of: completed))
        #expect(second.standardError.contains("resuming study e2e"))
    }

    @Test func sigintStopsTheRunLeavesNoProcessAndAJournalThatResumes() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 14, duration: 0.2)
        let (run, workers) = try EndToEnd.run(study, ["--workers", "2"], untilCompleted: 3)
        #expect(workers.count == 2)
        run.signal(SIGINT)
        let status = run.wait(timeout: 20)
        #expect(status == 130, "stderr: \(run.standardError)")
        #expect(run.standardOutput.contains("interrupted"))
        #expect(run.standardOutput.contains("resume with: hpo run \(study) --workers 2 --resume"), "stdout: \(run.standardOutput)")
        #expect(EndToEnd.waitUntilGone(workers, timeout: 5), "no worker may outlive hpo run")

        let resumed = try HPOProcess(["run", study, "--workers", "2", "--resume", "--json"])
        #expect(resumed.wait(timeout: 60) == 0, "stderr: \(resumed.standardError)")
        let report = try EndToEnd.report(resumed.standardOutput)
        #expect(report.completed == 14)
    }

    @Test func syncModeWithASeedGivesTheSameTrialsWhateverTheWorkerCount() throws {
        let directory = try ScratchDirectory.current()
        var reports: [EndToEnd.Report] = []
        for (index, workers) in [1, 3].enumerated() {
            // Four Sobol trials, then two batches of four from the GP (constant liar within each batch).
            let study = try BraninStudy.write(
                in: directory, name: "sync\(index)", trials: 12, duration: 0.01, optimizer: "gp", batchMode: "sync",
                startupTrials: 4)
            let run = try HPOProcess(["run", study, "--workers", "\(workers)", "--batch-size", "4", "--json"])
            #expect(run.wait(timeout: 60) == 0, "stderr: \(run.standardError)")
            reports.append(try EndToEnd.report(run.standardOutput))
        }
        #expect(reports[0].trials.map(\.parameters) == reports[1].trials.map(\.parameters))
        #expect(reports[0].trials.map(\.value) == reports[1].trials.map(\.value))
    }
}
