public import HPOCoordinatorCore

/// The SQLite journal store is the coordinator's journal: each batch of events is one durable transaction.
extension JournalStore: CoordinatorJournal where Event == JournalEvent {
    public func record(_ events: [JournalEvent]) throws {
        _ = try append(events)
    }

    public func recordedEvents() throws -> [JournalEvent] {
        try readAll().map(\.event)
    }
}

extension JournalEvent: JournalTypeNamed {
    public var journalTypeName: String { caseName }
}
