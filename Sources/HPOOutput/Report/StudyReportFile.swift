import Foundation
import HPOCoordinatorCore
import HPOReport
import HPOWire
public import HPOCoordinatorRuntime

/// `hpo report`: reads a journal (safe while a coordinator writes it) and writes the self-contained HTML report.
public enum StudyReportFile {
    /// Renders the report of the journal at `journalPath`.
    ///
    /// - Throws: ``CoordinatorError`` when the journal is missing, damaged or not an hpo journal.
    public static func render(journalPath: String) throws(CoordinatorError) -> String {
        let entries = try JournalStore<JournalEvent>(path: journalPath, mode: .readOnly).readAll()
        var metric: String?
        for case .studyStarted(_, _, _, _, let objective, _, _) in entries.map(\.event) {
            metric = objective.options["metric"]?.stringValue ?? metric
        }
        return ReportPage.render(StudyReportBuilder.data(entries: entries, metric: metric))
    }
}
