import HPOCoordinatorCore
import HPOZeroMQ
import Synchronization

/// Events from other threads (optimizer answers, stop requests) for the socket loop, with a doorbell it polls.
final class CoordinatorInbox: Sendable {
    private let events = Mutex<[CoordinatorEvent]>([])
    /// Rung on every post; the loop polls its file descriptor.
    let signal: WakeUpSignal

    init() throws(ZMQError) {
        signal = try WakeUpSignal()
    }

    /// Queues an event and wakes the loop. Safe from any thread.
    func post(_ event: CoordinatorEvent) {
        events.withLock { $0.append(event) }
        signal.ring()
    }

    /// Takes every queued event (on the loop's thread).
    func drain() -> [CoordinatorEvent] {
        signal.clear()
        return events.withLock { queued in
            defer { queued = [] }
            return queued
        }
    }
}
