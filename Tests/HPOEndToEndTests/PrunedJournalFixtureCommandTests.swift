import Foundation
import HPOCoordinatorCore
import HPOCoordinatorRuntime
import HPOOptimizer
import HPOTestSupport
import Testing

/// The checked-in journal with pruned trials (`Tests/HPOCoordinatorRuntimeTests/Fixtures/journal-pruned-v1.db`,
/// made by `scripts/fixtures/pruned-journal`, which lists each trial's story) read by the built `hpo`: `show`,
/// `report`, `export --format optuna-journal` and `run --resume` count trials 1, 3 and 6 as pruned, never completed or
/// failed, and keep their last values (0.2 at step 1, 0.3 at step 2, 0.1 at step 1).
@Suite struct PrunedJournalFixtureCommandTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HPOCoordinatorRuntimeTests/Fixtures/journal-pruned-v1.db")

    static let states = ["completed", "pruned", "completed", "pruned", "failed", "completed", "pruned"]
    static let values: [Double?] = [0.8, 0.2, 0.9, 0.3, nil, 0.7, 0.1]

    /// A scratch directory holding a copy of the fixture as `pruned-fixture.db` (the journal name its study file
    /// gives it); returns both.
    static func copy() throws -> (directory: URL, journal: String) {
        let directory = try EndToEnd.directory()
        let journal = directory.appendingPathComponent("pruned-fixture.db")
        try FileManager.default.copyItem(at: fixture, to: journal)
        return (directory, journal.path)
    }

    @Test func showCountsAndListsThePrunedTrials() throws {
        let (directory, journal) = try Self.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = try HPOProcess(["show", journal])
        #expect(table.wait(timeout: 30) == 0, "stderr: \(table.standardError)")
        #expect(table.standardOutput.hasPrefix(
            "study pruned-fixture (maximize): 6/6 done (3 completed, 3 pruned), 1 failed, 0 running, 0 queued; best #2 = 0.9"),
            "\(table.standardOutput)")

        let json = try HPOProcess(["show", journal, "--format", "json"])
        #expect(json.wait(timeout: 30) == 0)
        let document = try JSONSchemaPage.object(json.standardOutput)
        #expect(Set(document.keys) == (try JSONSchemaPage.keys("hpo.study")))
        #expect(document["completed"] as? Int == 3 && document["pruned"] as? Int == 3 && document["failed"] as? Int == 1)
        let trials = try #require(document["trials"] as? [[String: Any]])
        #expect(trials.map { $0["state"] as? String } == Self.states)
        #expect(trials.map { $0["value"] as? Double } == Self.values)
        #expect((document["best"] as? [String: Any])?["trial"] as? Int == 2)

        let csv = try HPOProcess(["show", journal, "--format", "csv"])
        #expect(csv.wait(timeout: 30) == 0)
        // A row per trial (the failed one's quoted reason spans lines).
        for (trial, state) in Self.states.enumerated() {
            #expect(csv.standardOutput.contains("\n\(trial),\(state),"), "trial \(trial): \(csv.standardOutput)")
        }
    }

    @Test func theReportCountsDrawsAndLeavesOutThePrunedTrials() throws {
        let (directory, journal) = try Self.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html").path
        let report = try HPOProcess(["report", journal, "-o", page])
        #expect(report.wait(timeout: 60) == 0, "stderr: \(report.standardError)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<p>3 completed · 3 pruned · 1 failed</p>"), "summary counts")
        // Each pruned curve ends in a grey cross (two lines); each pruned attempt is a grey bar on its worker's lane.
        #expect(html.components(separatedBy: "class=\"mark-pruned\"").count - 1 == 6)
        #expect(html.components(separatedBy: "class=\"run run-pruned\"").count - 1 == 3)
        // Importance is fitted to completed trials only: 3 of them are fewer than the 5 it needs (a pruned trial's
        // value is an intermediate one).
        #expect(html.contains("not enough completed trials to estimate importance"))
        #expect(html.contains("Best: trial 2,"))
    }

    @Test func theOptunaExportMarksThemPrunedWithTheirLastValue() throws {
        let (directory, journal) = try Self.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let exported = directory.appendingPathComponent("optuna.log").path
        let export = try HPOProcess(["export", journal, "--format", "optuna-journal", "-o", exported])
        #expect(export.wait(timeout: 30) == 0, "stderr: \(export.standardError)")
        // Optuna's TrialState: RUNNING 0, COMPLETE 1, PRUNED 2, FAIL 3, WAITING 4.
        let operations = try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let created = operations.filter { $0["op_code"] as? Int == 4 }
        #expect(created.map { $0["state"] as? Int } == [1, 2, 1, 2, 3, 1, 2])
        #expect(created.map { ($0["values"] as? [Double])?.first } == Self.values)
        #expect((created[3]["intermediate_values"] as? [String: Double]) == ["1": 0.55, "2": 0.3])

        // Optuna's own storage reads them as PRUNED, when a venv with Optuna can be had (OptunaExportTests).
        guard let python = OptunaExportTests.python else { return }
        let read = try OptunaExportTests.run(python, [OptunaExportTests.reader, exported, "pruned-fixture"])
        try #require(read.status == 0, "Optuna could not load the export")
        let study = try JSONDecoder().decode(OptunaExportTests.ExportedStudy.self, from: read.output)
        #expect(study.trials.map(\.state) == ["COMPLETE", "PRUNED", "COMPLETE", "PRUNED", "FAIL", "COMPLETE", "PRUNED"])
        #expect(study.trials.map(\.value) == Self.values)
        #expect(study.trials[1].intermediate == ["1": 0.2])
    }

    @Test func resumeKeepsThePrunedTrialsAndRunsOnlyTheRaisedBudget() throws {
        let (directory, journal) = try Self.copy()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("train.sh").path
        try #"echo '{"hpo": {"accuracy": 0.5}}'"#.write(toFile: script, atomically: true, encoding: .utf8)
        let study = directory.appendingPathComponent("pruned.yaml").path
        // The fixture's study (scripts/fixtures/pruned-journal) with its budget raised from 6 to 8.
        try """
            name: pruned-fixture
            direction: maximize
            space:
              lr: {type: float, low: 0.0001, high: 0.1, log: true}
              batch_size: {type: int, low: 16, high: 128}
              optimizer: {type: categorical, choices: [sgd, adam]}
            objective: {kind: command, argv: [bash, \(script)]}
            optimizer: {kind: random, seed: 4}
            budget: {trials: 8, max_failures: 3}
            pruner: {kind: asha, reduction_factor: 2, min_resource: 1, max_resource: 4}
            """.write(toFile: study, atomically: true, encoding: .utf8)
        let run = try HPOProcess(["run", study, "--workers", "1", "--resume", "--json"])
        #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
        let session = try JSONSchemaPage.object(run.standardOutput)
        #expect(session["completed"] as? Int == 5 && session["pruned"] as? Int == 3 && session["failed"] as? Int == 1)
        let trials = try #require(session["trials"] as? [[String: Any]])
        #expect(trials.map { $0["state"] as? String } == Self.states + ["completed", "completed"])
        #expect(trials.map { $0["value"] as? Double } == Self.values + [0.5, 0.5])
        // Only the two new trials were dispatched in the second session.
        let events = try JournalStore<JournalEvent>(path: journal, mode: .readOnly).readAll().map(\.event)
        let resumed = try #require(events.lastIndex { if case .studyStarted = $0 { true } else { false } })
        let dispatched = events[resumed...].compactMap { event -> Int? in
            if case .trialDispatched(let id, _, _) = event { id.rawValue } else { nil }
        }
        #expect(dispatched == [7, 8])
    }
}
