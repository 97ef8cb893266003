import Dispatch
import Synchronization

/// A one-way, thread-safe "please stop" flag for a running trial, with the reason and optional callbacks.
///
/// The worker's socket thread calls `request(reason:)` (on CANCEL, SHUTDOWN or when the coordinator went silent);
/// the objective's thread polls `isRequested` between steps, sleeps with `wait(upTo:)` (woken by the request, not
/// by polling), or registers `onRequest` to interrupt something blocking (the command objective rings the eventfd
/// its child-process wait polls). The first request wins; later ones are ignored.
public final class StopSignal: Sendable {
    private struct State {
        var reason: String?
        var handlers: [@Sendable (String) -> Void] = []
        /// Threads blocked in `wait(upTo:)`, each on its own semaphore.
        var waiters: [DispatchSemaphore] = []
    }

    private let requested = Atomic<Bool>(false)
    private let state = Mutex(State())

    public init() {}

    /// Asks the trial to stop. Runs the registered handlers once, on the calling thread. Idempotent.
    ///
    /// - Parameter reason: who asked and why, e.g. "cancelled by the coordinator: trial budget reached".
    public func request(reason: String) {
        let woken: (handlers: [@Sendable (String) -> Void], waiters: [DispatchSemaphore])? = state.withLock { state in
            guard state.reason == nil else { return nil }
            state.reason = reason
            requested.store(true, ordering: .releasing)
            defer {
                state.handlers = []
                state.waiters = []
            }
            return (state.handlers, state.waiters)
        }
        guard let woken else { return }
        for waiter in woken.waiters { waiter.signal() }
        for handler in woken.handlers { handler(reason) }
    }

    /// Whether a stop was requested. Cheap (one atomic load): poll it in inner loops.
    public var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// The reason given to the first `request(reason:)`, or `nil` while none was made.
    public var reason: String? { state.withLock { $0.reason } }

    /// Calls `handler` with the reason when a stop is requested, or at once (on this thread) if it already was.
    public func onRequest(_ handler: @escaping @Sendable (_ reason: String) -> Void) {
        let alreadyRequested: String? = state.withLock { state in
            if let reason = state.reason { return reason }
            state.handlers.append(handler)
            return nil
        }
        if let alreadyRequested { handler(alreadyRequested) }
    }

    /// Sleeps up to `duration`, woken at once by a stop request. Blocks the calling thread: call it from a
    /// dedicated thread (objectives never run on the cooperative pool).
    ///
    /// - Returns: `true` if a stop was requested (before or during the wait), `false` if the full time passed.
    public func wait(upTo duration: Duration) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let alreadyRequested = state.withLock { state in
            if state.reason != nil { return true }
            state.waiters.append(semaphore)
            return false
        }
        if alreadyRequested { return true }
        let (seconds, attoseconds) = max(duration, .zero).components
        let nanoseconds = Int(min(seconds, 1_000_000_000)) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)   // ≤ ~31 years
        if semaphore.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success { return true }
        let stillWaiting = state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0 === semaphore }) else { return false }
            state.waiters.remove(at: index)
            return true
        }
        // Removed by a request that raced the timeout: that request happened within the wait.
        return !stillWaiting || isRequested
    }
}
