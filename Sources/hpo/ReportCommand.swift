import ArgumentParser
import Foundation
import HPOOutput

/// `hpo report`: a study's journal as one self-contained HTML page with charts (safe while the study runs).
///
/// Exit status: 0, 65 when the journal (or study file) is missing or damaged, 73 when the output cannot be written,
/// 64 for usage.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a study's report: one self-contained HTML page with charts (safe while the study runs).",
        discussion: """
            Give the journal (e.g. digits.db) or the study file. The page has no script and loads nothing from the
            network: open it in any browser or mail it. docs/report.md describes each chart.
            Exit status 65 when the journal is missing or damaged, 73 when the output cannot be written.
            """
    )

    @Argument(help: "The study's journal (.db) or its study file (.yaml).")
    var path: String

    @Option(name: [.short, .customLong("output")], help: "Where to write the page (default: the journal's path with .html).")
    var output: String?

    func run() throws {
        let (journalPath, html) = try StudyCommandSupport.exitingOnDataError {
            let journalPath = try StudyCommandSupport.journalPath(for: path)
            return (journalPath, try StudyReportFile.render(journalPath: journalPath))
        }
        let destination = output ?? (journalPath.hasSuffix(".db") ? String(journalPath.dropLast(3)) : journalPath) + ".html"
        do {
            try html.write(toFile: destination, atomically: true, encoding: .utf8)
        } catch {
            StudyCommandSupport.writeError("error: cannot write the report to \(destination): \(error.localizedDescription); choose another path with -o")
            throw ExitCode(73)
        }
        print("report written to \(destination) (\(html.utf8.count / 1024) KiB)")
    }
}
