/// Where per-trial log files live (docs/trial-logs.md).
public enum TrialLogPath {
    /// The directory `hpo run` gives its local workers, and `hpo logs` reads by default: the journal's path without
    /// its extension, plus `.logs` (`runs/digits.db` → `runs/digits.logs`).
    public static func directory(forJournal journal: String) -> String {
        let slash = journal.lastIndex(of: "/")
        if let dot = journal.lastIndex(of: "."), slash.map({ dot > $0 }) ?? true, dot != journal.startIndex {
            return String(journal[..<dot]) + ".logs"
        }
        return journal + ".logs"
    }

    /// The log file of trial `trial` in `directory`: `directory/trial-<trial>.log`.
    public static func file(directory: String, trial: Int) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + "trial-\(trial).log"
    }
}
