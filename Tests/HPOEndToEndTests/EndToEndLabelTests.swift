import Foundation
import HPOTestSupport
import Testing

/// `hpo run` on CSV files whose labels are spelled differently but mean the same classes (issue #12).
@Suite(.scratchDirectory("e2e")) struct EndToEndLabelTests {
    /// The label fixtures live with the loader tests.
    static let labels = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../HPOTrainerTests/Fixtures/labels").standardized.path

    static func study(in directory: URL, name: String, data: String, extra: String = "") throws -> String {
        let yaml = """
            name: \(name)
            direction: maximize
            metric: accuracy
            space:
              lr: {type: float, low: 0.001, high: 0.1, log: true}
            objective:
              kind: mlp
              dataset: csv
              path: \(labels)/\(data)
              hidden: [16]
              epochs: 5
              \(extra)
            optimizer: {kind: random, seed: 3, batch_mode: sync}
            budget: {trials: 3}
            """
        let path = directory.appendingPathComponent("\(name).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func labelsWrittenAs1And1Point0GiveTheSameAccuracyAsTheCleanFile() throws {
        let directory = try ScratchDirectory.current()
        var reports: [EndToEnd.Report] = []
        for (name, data) in [("clean", "clean.csv"), ("mixed", "mixed-spelling.csv")] {
            let run = try HPOProcess(["run", try Self.study(in: directory, name: name, data: data), "--workers", "1", "--json"])
            #expect(run.wait(timeout: 120) == 0, "stderr: \(run.standardError)")
            reports.append(try EndToEnd.report(run.standardOutput))
            // The journal keeps it too: hpo show prints how the data was read.
            let show = try HPOProcess(["show", directory.appendingPathComponent("\(name).db").path])
            #expect(show.wait(timeout: 30) == 0)
            #expect(show.standardOutput.contains("data: \(Self.labels)/\(data): 150 rows, 4 features, 3 classes"), "show: \(show.standardOutput)")
            // The loader's summary is part of the start-up output, so a user can check how the data was read.
            #expect(run.standardError.contains(
                "data: \(Self.labels)/\(data): 150 rows, 4 features, 3 classes (0: 50, 1: 50, 2: 50), label column index 4 (\"class\", the last column, used when no label option is set), split 120 training / 30 validation"),
                "stderr: \(run.standardError)")
        }
        #expect(reports[0].completed == 3)
        #expect(reports[0].trials.map(\.value) == reports[1].trials.map(\.value))
        #expect((reports[0].best?.value ?? 0) > 0.9, "three well-separated classes")
    }

    @Test func aPlaceholderLabelStopsTheStudyBeforeItStartsUnlessRowsAreDropped() throws {
        let directory = try ScratchDirectory.current()
        let refused = try HPOProcess(["run", try Self.study(in: directory, name: "refused", data: "placeholder.csv"), "--workers", "1"])
        #expect(refused.wait(timeout: 60) == 65)
        #expect(refused.standardError.contains("placeholder.csv:12:5: the label \"?\" looks like a placeholder"), "stderr: \(refused.standardError)")
        #expect(refused.standardError.contains("label_missing: drop"))
        let dropped = try HPOProcess([
            "run", try Self.study(in: directory, name: "dropped", data: "placeholder.csv", extra: "label_missing: drop"),
            "--workers", "1", "--json",
        ])
        #expect(dropped.wait(timeout: 120) == 0, "stderr: \(dropped.standardError)")
        #expect(try EndToEnd.report(dropped.standardOutput).completed == 3)
        #expect(dropped.standardError.contains("placeholder.csv: 147 rows"), "three rows without a label were dropped")
    }
}
