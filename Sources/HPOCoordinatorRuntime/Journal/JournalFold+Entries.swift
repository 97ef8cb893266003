import Foundation
public import HPOCoordinatorCore

extension JournalFold {
    /// The fold of a journal's entries as the store read them, each applied at its time in seconds since `origin`
    /// (seconds since 1970; 0 keeps times absolute). An event naming a never-proposed trial (a damaged journal) is
    /// skipped, so readers (`hpo show`, `hpo report`, `hpo export`) show what can be shown.
    public init(entries: [JournalEntry<JournalEvent>], since origin: Double = 0) {
        self.init()
        for entry in entries {
            _ = try? apply(entry.event, at: entry.time.timeIntervalSince1970 - origin)
        }
    }
}
