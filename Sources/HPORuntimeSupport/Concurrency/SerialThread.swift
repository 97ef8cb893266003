import Foundation
import Synchronization

/// A long-lived thread of its own (never Swift's cooperative pool) that runs submitted jobs one at a time, in the
/// order they were submitted. For work that blocks: objectives, optimizer fits.
package final class SerialThread: Sendable {
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var closed = false
    }

    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)

    /// Starts the thread, named `name` (shown by debuggers and `top -H`). Call `close()` when done, or the thread
    /// (and this object) lives as long as the process.
    package init(name: String) {
        // The thread keeps this object alive until `close()` lets it end.
        let thread = Thread { [self] in
            while true {
                available.wait()
                let next: (@Sendable () -> Void)?? = self.queue.withLock { queue in
                    if !queue.jobs.isEmpty { return .some(queue.jobs.removeFirst()) }
                    return queue.closed ? .some(nil) : .none
                }
                switch next {
                case .some(.some(let job)): job()
                case .some(.none): return
                case .none: continue
                }
            }
        }
        thread.name = name
        thread.start()
    }

    /// Queues `job`; ignored once `close()` was called. Any thread.
    package func submit(_ job: @escaping @Sendable () -> Void) {
        let accepted = queue.withLock { queue in
            guard !queue.closed else { return false }
            queue.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
    }

    /// Lets the thread end after the jobs already queued; does not wait for it.
    package func close() {
        queue.withLock { $0.closed = true }
        available.signal()
    }
}
