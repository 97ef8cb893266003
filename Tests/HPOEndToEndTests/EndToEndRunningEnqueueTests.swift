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

    @Test func aTrialEnqueuedIntoARunningStudyRunsWithItsValuesAndSurvivesAResume() throws {
        let directory = try ScratchDirectory.current()
        let bind = FreePort.loopbackEndpoint()
        // 0.2 s a trial, one worker: the study runs for seconds, long enough to enqueue into it.
        let study = try BraninStudy.write(in: directory, trials: 40, duration: 0.2, extra: "transport: {bind: \"\(bind)\"}")
        let journal = directory.appendingPathComponent("e2e.db").path
        let running = try HPOProcess(["run", study, "--workers", "1", "--json"])
        defer { running.signal(SIGKILL) }
        #expect(running.waitForStandardError(timeout: 60) { $0.contains(" joined (") }, "\(running.standardError)")

        let enqueue = try HPOProcess(["enqueue", study, "x0=2", "x1=3.25"])
        #expect(enqueue.wait(timeout: 60) == 0, "stderr: \(enqueue.standardError)")
        #expect(enqueue.standardOutput.contains("queued in the running study: x0=2.0 x1=3.25"), "\(enqueue.standardOutput)")
        let id = try #require(Int(enqueue.standardOutput.split(separator: " ").dropFirst().first ?? ""), "\(enqueue.standardOutput)")

        // Refusals while it runs, each with its exit status and a message naming the parameter.
        let outside = try HPOProcess(["enqueue", study, "x0=2", "x1=99"])
        #expect(outside.wait(timeout: 60) == 65)
        #expect(outside.standardError.contains("parameter \"x1\": 99.0 is outside [0.0, 15.0]"), "\(outside.standardError)")
        let unknown = try HPOProcess(["enqueue", study, "x0=2", "x1=3", "depth=4"])
        #expect(unknown.wait(timeout: 60) == 65)
        #expect(unknown.standardError.contains("parameter \"depth\""), "\(unknown.standardError)")

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
        let bind = FreePort.loopbackEndpoint()
        // Budget 2: trial 0 runs (long), trial 1 waits in the queue; nothing is left.
        let study = try BraninStudy.write(in: directory, trials: 2, duration: 30, extra: "transport: {bind: \"\(bind)\"}")
        let running = try HPOProcess(["run", study, "--workers", "1", "--cancel-on-stop"])
        defer { running.signal(SIGKILL) }
        #expect(running.waitForStandardError(timeout: 60) { $0.contains(" joined (") }, "\(running.standardError)")
        let enqueue = try HPOProcess(["enqueue", study, "x0=2", "x1=3"])
        #expect(enqueue.wait(timeout: 60) == 69, "stderr: \(enqueue.standardError)")
        #expect(enqueue.standardError.contains("budget.trials = 2 is used up"), "\(enqueue.standardError)")
        #expect(enqueue.standardError.contains("raise budget.trials"), "\(enqueue.standardError)")
        running.signal(SIGINT)
        #expect(running.wait(timeout: 60) == 130, "\(running.standardError)")
        #expect(try Self.proposed(directory.appendingPathComponent("e2e.db").path, x0: 2, x1: 3).isEmpty)
    }

    @Test func aStoppingStudyRefusesWithStatus69() throws {
        let directory = try ScratchDirectory.current()
        let bind = FreePort.loopbackEndpoint()
        let study = try BraninStudy.write(in: directory, trials: 40, duration: 30, extra: "transport: {bind: \"\(bind)\"}")
        let running = try HPOProcess(["run", study, "--workers", "1"])
        defer { running.signal(SIGKILL) }
        #expect(running.waitForStandardError(timeout: 60) { $0.contains(" joined (") }, "\(running.standardError)")
        // The first Ctrl-C waits for the running trial: the study is stopping and takes no new trials.
        running.signal(SIGINT)
        #expect(running.waitForStandardError(timeout: 60) { $0.contains("stop requested") }, "\(running.standardError)")
        let enqueue = try HPOProcess(["enqueue", study, "x0=2", "x1=3"])
        #expect(enqueue.wait(timeout: 60) == 69, "stderr: \(enqueue.standardError)")
        #expect(enqueue.standardError.contains("study e2e is stopping"), "\(enqueue.standardError)")
        running.signal(SIGINT)
        #expect(running.wait(timeout: 60) == 130, "\(running.standardError)")
        #expect(try Self.proposed(directory.appendingPathComponent("e2e.db").path, x0: 2, x1: 3).isEmpty)
    }

    @Test func aRunningJournalWithoutACoordinatorAddressIsAUsageError() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 400, duration: 0.2)
        let running = try HPOProcess(["run", study, "--workers", "1"])
        defer { running.signal(SIGKILL) }
        #expect(running.waitForStandardError(timeout: 60) { $0.contains(" joined (") }, "\(running.standardError)")
        // The study file binds an ephemeral port: the command says how to name the coordinator.
        let byStudy = try HPOProcess(["enqueue", study, "x0=2", "x1=3"])
        #expect(byStudy.wait(timeout: 60) == 64)
        #expect(byStudy.standardError.contains("a port the system picks at start"), "\(byStudy.standardError)")
        let byJournal = try HPOProcess(["enqueue", directory.appendingPathComponent("e2e.db").path, "x0=2", "x1=3"])
        #expect(byJournal.wait(timeout: 60) == 64)
        #expect(byJournal.standardError.contains("the study is running"), "\(byJournal.standardError)")
        #expect(byJournal.standardError.contains("--connect"), "\(byJournal.standardError)")
        running.signal(SIGINT)
        #expect(running.wait(timeout: 60) == 130)
    }

    @Test func onlyAllowListedKeysMayEnqueueIntoACurveStudy() throws {
        let directory = try ScratchDirectory.current()
        let keys = try ClusterSecurityTests.keygen(directory, "keys")
        let other = try ClusterSecurityTests.keygen(directory, "other")
        // No worker: the study waits, its journal locked (random search proposes 16 ahead: the budget leaves room).
        let (coordinator, endpointFile) = try ClusterSecurityTests.securedCoordinator(directory, keys: keys, trials: 40)
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
