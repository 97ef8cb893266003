/// The `type` column of a journal entry: for an enum event (such as the coordinator's `JournalEvent`), the case
/// name (`trialCompleted`); for any other event, its Swift type's name.
///
/// Read with `Mirror` rather than from the encoded JSON, which would cost a second parse per event.
enum JournalEventType {
    static func name(of event: some Any) -> String {
        let mirror = Mirror(reflecting: event)
        guard mirror.displayStyle == .enum else { return String(describing: type(of: event)) }
        if let label = mirror.children.first?.label { return label }
        return String(describing: event)
    }
}
