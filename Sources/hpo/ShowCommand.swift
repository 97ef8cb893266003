import ArgumentParser
import HPOCoordinatorRuntime
import HPOOutput

/// `hpo show`: a study's trials from its journal, as a table, CSV or JSON. Safe while the coordinator runs.
///
/// Exit status: 0, 65 when the journal (or study file) is missing, damaged or not an hpo journal, 64 for usage.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a study's trials from its journal (safe while the study runs).",
        discussion: """
            Give the journal (e.g. digits.db) or the study file (its journal is found from it).
            The best trial is marked with * in the table. Exit status 65 when the journal is missing or damaged.
            """
    )

    @Argument(help: "The study's journal (.db) or its study file (.yaml).")
    var path: String

    /// The output formats, as spelled on the command line.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    @Flag(help: "Print the learning curves instead (trial, step, value per journaled intermediate value; CSV unless --format json).")
    var curves = false

    func run() throws {
        if curves {
            try showCurves()
            return
        }
        // A missing, damaged or foreign journal (or a bad study file) is a data error: exit 65, as `hpo run` does.
        let history = try StudyCommandSupport.exitingOnDataError {
            try StudyHistory.load(journalPath: try StudyCommandSupport.journalPath(for: path))
        }
        print(history.render(StudyHistory.Format(rawValue: format.rawValue) ?? .table), terminator: "")
    }

    /// `--curves`: the journaled intermediate values of each trial's latest attempt (docs/coordinator.md,
    /// *Learning curves*).
    private func showCurves() throws {
        let loaded = try StudyCommandSupport.exitingOnDataError {
            try StudyCurves.load(journalPath: try StudyCommandSupport.journalPath(for: path))
        }
        print(format == .json ? loaded.json : loaded.csv, terminator: "")
    }
}
