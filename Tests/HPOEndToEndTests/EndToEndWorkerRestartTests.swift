import Foundation
import Glibc
import HPOTestSupport
import Testing

/// `hpo run` replaces local workers that die (SIGKILL, crash), within a bound: real processes and sockets.
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndWorkerRestartTests {
    /// Waits until `run` has exactly one child other than `old`; returns it.
    private func newChild(of run: HPOProcess, replacing old: Int32, timeout: TimeInterval) -> Int32? {
        var child: Int32?
        waitUntil(seconds: timeout, poll: .milliseconds(50)) {
            child = run.children().first { $0 != old && EndToEnd.isAlive($0) }
            return child != nil
        }
        return child
    }

    @Test func theOnlyWorkerKilledMidStudyIsReplacedAndTheStudyCompletesItsBudget() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 8, duration: 0.3)
        let (run, workers) = try EndToEnd.run(study, ["--workers", "1", "--json"], untilCompleted: 2)
        defer { run.wait(timeout: 1) }
        let victim = try #require(workers.first)
        #expect(workers.count == 1)
        kill(victim, SIGKILL)
        let status = run.wait(timeout: 60)
        #expect(status == 0, "hpo run must finish with a replacement worker; stderr: \(run.standardError)")
        let report = try EndToEnd.report(run.standardOutput)
        #expect(report.state == "completed")
        #expect(report.completed == 8)
        #expect(run.standardError.contains("local worker 0 (pid \(victim)) exited unexpectedly: killed by signal 9 (SIGKILL)"))
        #expect(run.standardError.contains("restart 1 of at most 3"))
        #expect(EndToEnd.waitUntilGone(run.children() + workers, timeout: 5))
    }

    @Test func workersThatKeepDyingFailTheStudyWithTheLastExitStatus() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 200, duration: 0.3)
        let run = try HPOProcess(["run", study, "--workers", "1", "--json"])
        defer { run.wait(timeout: 1) }
        var current = try #require(newChild(of: run, replacing: -1, timeout: 30))
        var killed: [Int32] = []
        // Three restarts are allowed for one worker; the fourth death ends the study.
        for round in 1...4 {
            kill(current, SIGKILL)
            killed.append(current)
            if round == 4 { break }
            current = try #require(
                newChild(of: run, replacing: current, timeout: 10), "no replacement after death \(round): \(run.standardError)")
        }
        let status = run.wait(timeout: 30)
        #expect(status == 1, "stderr: \(run.standardError)")
        let report = try EndToEnd.report(run.standardOutput)
        #expect(report.state == "failed")
        #expect(run.standardError.contains("local workers keep dying: killed by signal 9 (SIGKILL)"))
        #expect(run.standardOutput.contains("local workers keep dying"))
        #expect(EndToEnd.waitUntilGone(killed + run.children(), timeout: 5))
    }
}
