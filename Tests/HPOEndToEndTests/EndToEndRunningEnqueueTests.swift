import Foundation
import Glibc
import HPOTestSupport
import Testing

/// `hpo enqueue` into a running study (issue #11 §5) through the real binaries: the journal is locked, so the trial
/// goes to the coordinator (ENQUEUE), which journals it and runs it before any new proposal with exactly its values.
@Suite(.serialized, .scratchDirectory("e2e")) struct EndToEndRunningEnqueueTests {
    /// The `trialProposed` rows of `journal` whose parameters are x0, x1.
    static func proposed(_ journal: String, x0: Double, x1: Double) throws -> [JournalRow] {
        try JournalRows.read(journal).filter { row in
            let parameters = row.fields["parameters"] as? [String: Any]
            return row.type == "trialProposed" && parameters?["x0"] as? Double == x0 && parameters?["x1"] as? Double == x1
        }
    }

    /// Runs `hpo enqueue` with `arguments`; expects exit `status` and each of `messages` on standard error.
    static func expectEnqueue(_ arguments: [String], exits status: Int32, saying messages: [String]) throws {
        let enqueue = try HPOProcess(["enqueue"] + arguments)
        #expect(enqueue.wait(timeout: 60) == status, "stderr: \(enqueue.standardError)")
        for message in messages {
            #expect(enqueue.standardError.contains(message), "\(enqueue.standardError)")
        }
    }

    /// Enqueues x0=2, x1=3 into the running `study` (`running`): refused with status 69 and `messages` on standard
    /// error; then SIGINT stops the study (130) and its journal never proposed that trial.
    static func expectRefusalWith69(_ study: String, running: HPOProcess, saying messages: String...) throws {
        try expectEnqueue([study, "x0=2", "x1=3"], exits: 69, saying: messages)
        running.signal(SIGINT)
        #expect(running.wait(timeout: 60) == 130, "\(running.standardError)")
        let journal = URL(fileURLWithPath: study).deletingPathExtension().appendingPathExtension("db").path
        #expect(try Self.proposed(journal, x0: 2, x1: 3).isEmpty)
    }

    @Test func aTrialEnqueuedIntoARunningStudyRunsWithItsValuesAndSurvivesAResume() throws {
        let directory = try ScratchDirectory.current()
        // 0.2 s a trial, one worker: the study runs for seconds, long enough to enqueue into it.
        let (study, running) = try EndToEnd.runningStudy(in: directory, trials: 40, fixedPort: true, "--json")
        let journal = directory.appendingPathComponent("e2e.db").path
        defer { running.signal(SIGKILL) }

        let enqueue = try HPOProcess(["enqueue", study, "x0=2", "x1=3.25"])
        #expect(enqueue.wait(timeout: 60) == 0, "stderr: \(enqueue.standardError)")
        #expect(enqueue.standardOutput.contains("queued in the running study: x0=2.0 x1=3.25"), "\(enqueue.standardOutput)")
        let id = try #require(Int(enqueue.standardOutput.split(separator: " ").dropFirst().first ?? ""), "\(enqueue.standardOutput)")

        // Refusals while it runs, each with its exit status and a message naming the parameter.
        try Self.expectEnqueue([study, "x0=2", "x1=99"], exits: 65, saying: ["parameter \"x1\": 99.0 is outside [0.0, 15.0]"])
        try Self.expectEnqueue([study, "x0=2", "x1=3", "depth=4"], exits: 65, saying: ["parameter \"depth\""])

        #expect(running.wait(timeout: 120) == 0, "\(running.standardError)")
        let report = try EndToEnd.report(running.standardOutput)
        #expect(report.completed == 40, "an enqueued trial counts against budget.trials")
        let trial = try #require(report.trials.first { $0.id == id })
        #expect(trial.parameters == ["x0": 2, "x1": 3.25])
        #expect(trial.state == "completed")
        #expect(try Self.proposed(journal, x0: 2, x1: 3.25).map(\.trial) == [id])
        #expect(try Self.proposed(journal, x0: 2, x1: 99).isEmpty)

        // A resume keeps the enqueued trial's record (and does not run it again).
        var text = try String(contentsOfFile: study, encoding: .utf8)
        text = text.replacingOccurrences(of: "trials: 40", with: "trials: 42")
        try text.write(toFile: study, atomically: true, encoding: .utf8)
        let resumed = try HPOProcess(["run", study, "--workers", "1", "--json", "--resume"])
        #expect(resumed.wait(timeout: 120) == 0, "\(resumed.standardError)")
        let after = try EndToEnd.report(resumed.standardOutput)
        #expect(after.completed == 42)
        #expect(after.trials.first { $0.id == id }?.parameters == ["x0": 2, "x1": 3.25])
        #expect(after.trials.filter { $0.parameters == ["x0": 2, "x1": 3.25] }.count == 1)
    }

    @Test func aRunningStudyWhoseBudgetIsUsedUpRefusesWithStatus69() throws {
        let directory = try ScratchDirectory.current()
        // Budget 2: trial 0 runs (long), trial 1 waits in the queue; nothing is left.
        let (study, running) = try EndToEnd.runningStudy(
            in: directory, trials: 2, duration: 30, fixedPort: true, "--cancel-on-stop")
        defer { running.signal(SIGKILL) }
        try Self.expectRefusalWith69(study, running: running, saying: "budget.trials = 2 is used up", "raise budget.trials")
    }

    @Test func aStoppingStudyRefusesWithStatus69() throws {
        let directory = try ScratchDirectory.current()
        let (study, running) = try EndToEnd.runningStudy(in: directory, trials: 40, duration: 30, fixedPort: true)
        defer { running.signal(SIGKILL) }
        // The first Ctrl-C waits for the running trial: the study is stopping and takes no new trials.
        running.signal(SIGINT)
        #expect(running.waitForStandardError(timeout: 60) { $0.contains("stop requested") }, "\(running.standardError)")
        try Self.expectRefusalWith69(study, running: running, saying: "study e2e is stopping")
    }

    @Test func aRunningJournalWithoutACoordinatorAddressIsAUsageError() throws {
        let directory = try ScratchDirectory.current()
        let (study, running) = try EndToEnd.runningStudy(in: directory)
        defer { running.signal(SIGKILL) }
        // The study file binds an ephemeral port: the command says how to name the coordinator.
        try Self.expectEnqueue([study, "x0=2", "x1=3"], exits: 64, saying: ["a port the system picks at start"])
        try Self.expectEnqueue(
            [directory.appendingPathComponent("e2e.db").path, "x0=2", "x1=3"], exits: 64,
            saying: ["the study is running", "--connect"])
        running.signal(SIGINT)
        #expect(running.wait(timeout: 60) == 130)
    }

    @Test func onlyAllowListedKeysMayEnqueueIntoACurveStudy() throws {
        let directory = try ScratchDirectory.current()
        // No worker: the study waits, its journal locked (random search proposes 16 ahead: the budget leaves room).
        let (coordinator, endpointFile, keys) = try ClusterSecurityTests.securedCoordinator(directory, trials: 40)
        let other = try ClusterSecurityTests.keygen(directory, "other")
        defer { coordinator.signal(SIGKILL) }
        let common = ["enqueue", directory.appendingPathComponent("e2e.db").path, "--connect-file", endpointFile, "--timeout", "2s"]
        let intruders = [
            try HPOProcess(common + ["x0=-1", "x1=1"]),                                            // no CURVE
            try HPOProcess(common + ["x0=-1", "x1=1", "--keys", keys, "--key", other + "/worker.key"]),   // not allowed
            try HPOProcess(common + ["x0=-1", "x1=1", "--keys", other]),                            // wrong server key
        ]
        for intruder in intruders {
            #expect(intruder.wait(timeout: 60) == 1, "\(intruder.standardError)")
            #expect(intruder.standardError.contains("no answer from a coordinator"), "\(intruder.standardError)")
        }
        let keyed = try HPOProcess(common + ["x0=-1", "x1=1", "--keys", keys])
        #expect(keyed.wait(timeout: 60) == 0, "\(keyed.standardError)")
        let journal = directory.appendingPathComponent("e2e.db").path
        #expect(try Self.proposed(journal, x0: -1, x1: 1).count == 1)
    }
}
