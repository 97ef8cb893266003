public import HPOCoordinatorCore

/// Where the coordinator appends its journal events: durably, before it acts on them.
///
/// A conformer guarantees that when `record` returns, the events survive a crash of the process (the SQLite
/// journal store commits them in one transaction), and that `recordedEvents` returns every appended event in order.
/// The coordinator calls both from its socket thread only.
public protocol CoordinatorJournal: AnyObject, Sendable {
    /// Appends events in order, durably, as one batch.
    func record(_ events: [JournalEvent]) throws
    /// Every event appended so far, in order (for `--resume`).
    func recordedEvents() throws -> [JournalEvent]
}
