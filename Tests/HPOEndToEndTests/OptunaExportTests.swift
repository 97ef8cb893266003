import Foundation
import HPOTestSupport
import Testing

/// `hpo export --format optuna-journal` read back by Optuna's own `JournalStorage` (issue #10): trials, parameters,
/// values and intermediate values agree with the hpo journal.
@Suite(.serialized, .scratchDirectory("e2e")) struct OptunaExportTests {
    /// A venv with Optuna, made once per machine (pip reaches PyPI); nil when Python or pip cannot provide it.
    static let python: String? = {
        let venv = NSTemporaryDirectory() + "hpo-optuna-venv"
        let interpreter = venv + "/bin/python"
        if FileManager.default.isExecutableFile(atPath: interpreter), (try? run(interpreter, ["-c", "import optuna"]).status) == 0 {
            return interpreter
        }
        guard let system = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:)),
            (try? run(system, ["-m", "venv", "--clear", venv]).status) == 0,
            (try? run(venv + "/bin/pip", ["install", "-q", "optuna"]).status) == 0
        else { return nil }
        return interpreter
    }()

    static let reader = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Scripts/read_optuna_journal.py").path

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32?, output: Data) {
        let result = try HPOProcess.run(URL(fileURLWithPath: executable), arguments, timeout: 600)
        return (result.status, Data(result.stdout.utf8))
    }

    /// A study's trials as JSON: `hpo export --format json`, or Optuna's reading printed by the reader script (there
    /// `trial` is Optuna's `hpo_trial_id` user attribute; only that one has `name`, `direction` and `intermediate`).
    struct ExportedStudy: Decodable {
        struct Trial: Decodable {
            var trial: Int
            var state: String
            var parameters: [String: ParameterValue]
            var value: Double?
            var intermediate: [String: Double]?
        }

        var name: String?
        var direction: String?
        var trials: [Trial]
    }

    /// A parameter as JSON gives it: a number or a string.
    enum ParameterValue: Decodable, Equatable {
        case number(Double)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
    }

    @Test(.enabled(if: python != nil, "no python3 with venv and pip here to install Optuna (install python3-venv)"))
    func optunaReadsTheExportedStudyWithEveryTrialAndIntermediateValue() throws {
        let directory = try ScratchDirectory.current()
        let journal = try EndToEnd.runDigitsStudy(in: directory, name: "export", trials: 6, epochs: 4, seed: 9)
        let exported = directory.appendingPathComponent("optuna.log").path
        let export = try HPOProcess(["export", journal, "--format", "optuna-journal", "-o", exported])
        #expect(export.wait(timeout: 30) == 0, "stderr: \(export.standardError)")
        let show = try HPOProcess(["export", journal, "--format", "json"])
        #expect(show.wait(timeout: 30) == 0)
        let hpo = try JSONDecoder().decode(ExportedStudy.self, from: Data(show.standardOutput.utf8))

        let read = try Self.run(Self.python!, [Self.reader, exported, "export"])
        try #require(read.status == 0, "Optuna could not load the export")
        let optuna = try JSONDecoder().decode(ExportedStudy.self, from: read.output)
        #expect(optuna.name == "export" && optuna.direction == "maximize")
        #expect(optuna.trials.count == hpo.trials.count && hpo.trials.count == 6)
        for (mine, theirs) in zip(hpo.trials, optuna.trials) {
            #expect(theirs.trial == mine.trial)
            #expect(theirs.state == (mine.state == "completed" ? "COMPLETE" : "FAIL"))
            #expect(theirs.parameters == mine.parameters, "trial \(mine.trial)")
            #expect(theirs.value == mine.value, "trial \(mine.trial)")
            #expect(theirs.intermediate?.keys.map { Int($0)! }.sorted() == [1, 2, 3, 4], "one value per epoch")
            #expect(theirs.intermediate?["4"] != nil)
        }
    }
}
