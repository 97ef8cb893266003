import HPOWire

/// Collects the actions of one `handle` call; journal events are gathered into one leading `.journal` action.
struct ActionBuffer {
    private var events: [JournalEvent] = []
    private var others: [CoordinatorAction] = []

    mutating func journal(_ event: JournalEvent) {
        events.append(event)
    }

    mutating func send(_ message: WireMessage, to peer: WorkerID) {
        others.append(.send(to: peer, message))
    }

    mutating func log(_ level: LogLevel, _ message: String, _ metadata: [String: String]) {
        others.append(.log(level, message, metadata: metadata))
    }

    mutating func append(_ action: CoordinatorAction) {
        others.append(action)
    }

    /// The journal action (if any) followed by the others in the order they were added.
    var actions: [CoordinatorAction] {
        events.isEmpty ? others : [.journal(events)] + others
    }
}
