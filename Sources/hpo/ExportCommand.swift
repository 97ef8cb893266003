import ArgumentParser
import Foundation
import HPOOutput

/// `hpo export`: a study's journal as an Optuna journal file, CSV or JSON (safe while the study runs).
///
/// Exit status: 0, 65 when the journal (or study file) is missing or damaged, 73 when the output cannot be written,
/// 64 for usage.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a study's journal for other tools: an Optuna journal file, CSV or JSON.",
        discussion: """
            optuna-journal writes the JSON-lines log that optuna.storages.JournalStorage(JournalFileBackend(path))
            reads, so Optuna's API and optuna-dashboard open the study (docs/report.md). Without -o the export goes
            to standard output. Exit status 65 when the journal is missing or damaged, 73 when the file cannot be
            written.
            """
    )

    @Argument(help: "The study's journal (.db) or its study file (.yaml).")
    var path: String

    @Option(help: "optuna-journal, csv or json.")
    var format: ExportFormat

    @Option(name: [.short, .customLong("output")], help: "The file to write (default: standard output).")
    var output: String?

    /// The formats, as spelled on the command line.
    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case optunaJournal = "optuna-journal", csv, json
    }

    func run() throws {
        let text = try StudyCommandSupport.exitingOnDataError {
            let journalPath = try StudyCommandSupport.journalPath(for: path)
            return try StudyExport.text(journalPath: journalPath, format: StudyExport.Format(rawValue: format.rawValue)!)
        }
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            StudyCommandSupport.writeError("error: cannot write \(output): \(error.localizedDescription); choose another path with -o")
            throw ExitCode(73)
        }
    }
}
