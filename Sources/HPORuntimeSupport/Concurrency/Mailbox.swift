package import HPOZeroMQ
import Synchronization

/// A queue that any thread posts to and one socket thread drains, with an eventfd doorbell that thread's
/// `Poller` waits on: an event wakes the loop within microseconds, without polling.
///
/// The worker's loop uses `Mailbox<WorkerEvent>` (objective progress and results, local stop requests); the
/// coordinator's loop uses `Mailbox<CoordinatorEvent>` (optimizer answers, stop requests).
package final class Mailbox<Event: Sendable>: Sendable {
    /// Registered with the socket thread's `Poller`; rung on every post.
    package let wakeUp: WakeUpSignal
    private let events = Mutex<[Event]>([])

    /// - Throws: `ZMQError` when the process cannot create an eventfd (out of file descriptors).
    package init() throws(ZMQError) {
        wakeUp = try WakeUpSignal()
    }

    /// Queues `event` and wakes the socket thread. Any thread.
    package func post(_ event: Event) {
        events.withLock { $0.append(event) }
        wakeUp.ring()
    }

    /// Takes every queued event, oldest first. Socket thread only.
    package func drain() -> [Event] {
        // Clear first: an event posted after the swap rings again, so it is never left behind.
        wakeUp.clear()
        return events.withLock { queued in
            defer { queued = [] }
            return queued
        }
    }
}
