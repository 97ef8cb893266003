import HPOCoordinatorCore
import HPOCoordinatorRuntime

/// `hpo export`: a study's journal in another tool's format.
public enum StudyExport {
    /// The formats `hpo export` writes.
    public enum Format: String, Sendable, CaseIterable {
        /// Optuna's journal file (JSON lines), for `optuna.storages.JournalStorage` and optuna-dashboard.
        case optunaJournal = "optuna-journal"
        /// One row per trial, as `hpo show --format csv`.
        case csv
        /// The trials as `hpo show --format json`.
        case json
    }

    /// The exported text of the journal at `journalPath` (read-only; safe while a coordinator writes it).
    ///
    /// - Throws: ``CoordinatorError`` when the journal is missing, damaged or not an hpo journal; ``OutputError``
    ///   (`nothing_to_export`) when (optuna-journal) it holds no study yet.
    public static func text(journalPath: String, format: Format) throws -> String {
        let entries = try JournalStore<JournalEvent>(path: journalPath, mode: .readOnly).readAll()
        switch format {
        case .optunaJournal: return try OptunaJournalExport.text(entries: entries)
        case .csv: return StudyHistory(entries: entries).render(.csv)
        case .json: return StudyHistory(entries: entries).render(.json)
        }
    }
}
