public import Foundation

/// One recorded event with its place in the journal.
public struct JournalEntry<Event: Sendable>: Sendable {
    /// 1, 2, 3, ... in append order, never reused.
    public var sequence: Int64
    /// When it was appended (wall clock).
    public var time: Date
    /// The event's type name as stored (for a Swift enum with synthesized `Codable`, the case name).
    public var type: String
    /// The event.
    public var event: Event
}

extension JournalEntry: Equatable where Event: Equatable {}
