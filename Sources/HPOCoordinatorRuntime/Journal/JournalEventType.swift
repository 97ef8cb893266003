/// The `type` column of a journal entry: for an enum event (such as the coordinator's `JournalEvent`), the case
/// name (`trialCompleted`); for any other event, its Swift type's name.
///
/// Read with `Mirror` rather than from the encoded JSON, which would cost a second parse per event.
enum JournalEventType {
    static func name(of event: some Any) -> String {
        // Fast path: reflection costs a fifth of the coordinator's time at thousands of trials/s.
        if let named = event as? any JournalTypeNamed { return named.journalTypeName }
        let mirror = Mirror(reflecting: event)
        guard mirror.displayStyle == .enum else { return String(describing: type(of: event)) }
        if let label = mirror.children.first?.label { return label }
        return String(describing: event)
    }
}

/// An event that names its own `type` column (the enum case name), so the store need not reflect on it.
public protocol JournalTypeNamed {
    /// The case name, e.g. `trialCompleted`; must equal what `Mirror` reports for the value.
    var journalTypeName: String { get }
}
