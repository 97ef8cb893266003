import HPOWire
import HPOZeroMQ
import Synchronization

/// What other threads hand to the worker's socket thread: a lock-protected queue plus an eventfd doorbell
/// that the socket thread's poller waits on, so a RESULT leaves within microseconds of the objective returning.
final class WorkerMailbox: Sendable {
    enum Event: Sendable {
        /// An intermediate value from the running objective.
        case progress(TrialProgress)
        /// The objective returned.
        case finished(TrialResult)
        /// A local stop request (signal, embedding program).
        case stopRequested(reason: String)
    }

    /// Registered with the socket thread's `Poller`.
    let wakeUp: WakeUpSignal
    private let events = Mutex<[Event]>([])

    init() throws(ZMQError) {
        wakeUp = try WakeUpSignal()
    }

    /// Queues `event` and wakes the socket thread. Any thread.
    func post(_ event: Event) {
        events.withLock { $0.append(event) }
        wakeUp.ring()
    }

    /// Takes every queued event, oldest first. Socket thread only.
    func drain() -> [Event] {
        // Clear first: an event posted after the swap rings again, so it is never left behind.
        wakeUp.clear()
        return events.withLock { queued in
            defer { queued = [] }
            return queued
        }
    }
}
