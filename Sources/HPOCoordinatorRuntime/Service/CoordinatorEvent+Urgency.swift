import HPOCoordinatorCore
import HPOWire

extension CoordinatorEvent {
    /// True for events after which nothing waits on the coordinator: a worker's HEARTBEAT or PROGRESS (no reply is
    /// due) and a tick. The loop may let further messages gather after a batch of only these
    /// (`CoordinatorServiceOptions.quietCoalescing`).
    var needsNoPromptAnswer: Bool {
        switch self {
        case .tick, .message(_, .heartbeat), .message(_, .progress): true
        default: false
        }
    }
}
