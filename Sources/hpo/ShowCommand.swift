import ArgumentParser
import HPORuntime

/// `hpo show`: a study's trials from its journal, as a table, CSV or JSON. Safe while the coordinator runs.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a study's trials from its journal (safe while the study runs).",
        discussion: """
            Give the journal (e.g. digits.db) or the study file (its journal is found from it).
            The best trial is marked with * in the table.
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

    func run() async throws {
        let journalPath: String
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
            journalPath = try StudyConfig.load(contentsOf: path).journalPath
        } else {
            journalPath = path
        }
        let history = try StudyHistory.load(journalPath: journalPath)
        print(history.render(StudyHistory.Format(rawValue: format.rawValue) ?? .table), terminator: "")
    }
}
