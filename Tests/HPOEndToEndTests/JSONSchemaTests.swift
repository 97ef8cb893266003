import Foundation
import HPOCoordinatorCore
import HPOOptimizer
import HPOCoordinatorRuntime
import HPOOutput
import HPOWorkerRuntime
import HPOSearchSpace
import HPOWire
import HPOTestSupport
import Testing

/// Each command's JSON against the field lists of docs/json.md, and the tie rule for the best trial.
@Suite(.scratchDirectory("e2e")) struct JSONSchemaTests {
    @Test func theDocumentedSectionsExist() throws {
        let sections = try JSONSchemaPage.sections()
        for name in ["trial", "hpo.session", "hpo.study", "hpo.status", "status best", "status worker"] {
            #expect(sections[name]?.isEmpty == false, "docs/json.md lacks a field table for \(name)")
        }
    }

    @Test func runShowAndExportPrintTheDocumentedKeysAndTheSameTrials() throws {
        let directory = try ScratchDirectory.current()
        let study = try BraninStudy.write(in: directory, trials: 4, duration: 0.01)
        let run = try HPOProcess(["run", study, "--workers", "2", "--json"])
        #expect(run.wait(timeout: 60) == 0, "stderr: \(run.standardError)")
        #expect(!run.standardOutput.contains(#"\/"#), "slashes are not escaped: \(run.standardOutput)")
        let session = try JSONSchemaPage.object(run.standardOutput)
        #expect(Set(session.keys) == (try JSONSchemaPage.keys("hpo.session")))
        #expect(session["schema"] as? String == "hpo.session/1")
        #expect((session["journal"] as? String)?.hasSuffix("/e2e.db") == true)
        let trials = try #require(session["trials"] as? [[String: Any]])
        #expect(trials.count == 4)
        let trialKeys = try JSONSchemaPage.keys("trial")
        for trial in trials + [try #require(session["best"] as? [String: Any])] {
            #expect(Set(trial.keys) == trialKeys, "got \(trial.keys.sorted())")
            #expect((trial["worker"] as? String)?.isEmpty == false)
            #expect((trial["finished_at"] as? String)?.hasSuffix("Z") == true)
        }

        let journal = directory.appendingPathComponent("e2e.db").path
        for arguments in [["show", journal, "--format", "json"], ["export", journal, "--format", "json"]] {
            let shown = try HPOProcess(arguments)
            #expect(shown.wait(timeout: 30) == 0, "stderr: \(shown.standardError)")
            let document = try JSONSchemaPage.object(shown.standardOutput)
            #expect(Set(document.keys) == (try JSONSchemaPage.keys("hpo.study")), "\(arguments[0])")
            #expect(document["schema"] as? String == "hpo.study/1")
            // The same trials, field for field, as the run printed them.
            let shownTrials = try #require(document["trials"] as? [[String: Any]])
            #expect(NSArray(array: shownTrials).isEqual(to: trials), "\(arguments[0]) and run --json disagree")
            #expect(NSDictionary(dictionary: try #require(document["best"] as? [String: Any]))
                .isEqual(to: try #require(session["best"] as? [String: Any])))
        }
    }

    /// Two trials with the same value: the one that completed first is the best, though its id is higher.
    static let tiedEvents: [JournalEvent] = {
        let space = try! SearchSpace([.float("x", 0, 1)])
        return [
            .studyStarted(name: "ties", session: 1, direction: .maximize, space: space, objective: ObjectiveDescriptor(kind: "null"), trialBudget: 3),
            .trialProposed(trial: TrialID(0), parameters: ["x": .double(0.1)]),
            .trialProposed(trial: TrialID(1), parameters: ["x": .double(0.2)]),
            .trialProposed(trial: TrialID(2), parameters: ["x": .double(0.3)]),
            .trialDispatched(trial: TrialID(0), attempt: 1, worker: WorkerID("w1")),
            .trialDispatched(trial: TrialID(1), attempt: 1, worker: WorkerID("w2")),
            .trialDispatched(trial: TrialID(2), attempt: 1, worker: WorkerID("w3")),
            .trialCompleted(trial: TrialID(2), attempt: 1, value: 0.5, metrics: ["best_epoch": 7, "loss": 0.25], duration: 1),
            .trialCompleted(trial: TrialID(1), attempt: 1, value: 0.9, metrics: ["best_epoch": 3], duration: 1),
            .trialCompleted(trial: TrialID(0), attempt: 1, value: 0.9, metrics: [:], duration: 1),
        ]
    }()

    @Test func tiesGoToTheFirstTrialToCompleteEverywhere() throws {
        let directory = try ScratchDirectory.current()
        let path = directory.appendingPathComponent("ties.db").path
        try JournalStore<JournalEvent>(path: path).append(Self.tiedEvents)
        let history = try StudyHistory.load(journalPath: path)
        #expect(history.best?.id == 1)
        #expect(history.render(.table).contains("best #1 = 0.9"))
        let document = try JSONSchemaPage.object(history.render(.json))
        #expect((document["best"] as? [String: Any])?["trial"] as? Int == 1)
        // The core's trial table keeps the first to complete as well.
        var table = TrialTable(direction: .maximize)
        for id in [2, 1, 0] {
            table[TrialID(id)] = TrialRecord(id: TrialID(id), parameters: [:], phase: .completed(value: id == 2 ? 0.5 : 0.9))
        }
        #expect(table.best?.trial == TrialID(1))
        // The report's data: ReportDataTests.
    }

    @Test func integerMetricsStayIntegersInCSV() throws {
        let directory = try ScratchDirectory.current()
        let path = directory.appendingPathComponent("ties.db").path
        try JournalStore<JournalEvent>(path: path).append(Self.tiedEvents)
        let csv = try StudyHistory.load(journalPath: path).render(.csv).split(separator: "\n").map(String.init)
        #expect(csv[0] == "trial,state,value,x,attempts,duration_seconds,reason,metrics.best_epoch,metrics.loss")
        #expect(csv[2] == "1,completed,0.9,0.2,1,1,,3,")
        #expect(csv[3] == "2,completed,0.5,0.3,1,1,,7,0.25")
    }
}
