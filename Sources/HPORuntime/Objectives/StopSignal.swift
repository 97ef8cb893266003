import Glibc
import Synchronization

/// A one-way, thread-safe "please stop" flag for a running trial, with the reason and optional callbacks.
///
/// The worker's socket thread calls `request(reason:)` (on CANCEL, SHUTDOWN or when the coordinator went silent);
/// the objective's thread polls `isRequested` between steps, sleeps with `wait(upTo:)`, or registers `onRequest` to
/// interrupt something blocking (e.g. terminate a child process). The first request wins; later ones are ignored.
public final class StopSignal: Sendable {
    private struct State {
        var reason: String?
        var handlers: [@Sendable (String) -> Void] = []
    }

    private let requested = Atomic<Bool>(false)
    private let state = Mutex(State())

    public init() {}

    /// Asks the trial to stop. Runs the registered handlers once, on the calling thread. Idempotent.
    ///
    /// - Parameter reason: who asked and why, e.g. "cancelled by the coordinator: trial budget reached".
    public func request(reason: String) {
        let handlers: [@Sendable (String) -> Void]? = state.withLock { state in
            guard state.reason == nil else { return nil }
            state.reason = reason
            defer { state.handlers = [] }
            return state.handlers
        }
        guard let handlers else { return }
        requested.store(true, ordering: .releasing)
        for handler in handlers { handler(reason) }
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

    /// Sleeps up to `duration`, waking within about 5 ms of a stop request.
    ///
    /// - Returns: `true` if a stop was requested (before or during the wait), `false` if the full time passed.
    public func wait(upTo duration: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: duration)
        while !isRequested {
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { return false }
            Self.sleepOnThisThread(min(remaining, .milliseconds(5)))
        }
        return true
    }

    /// Blocks the current (dedicated) thread; objectives never run on the cooperative pool, so this is fine.
    private static func sleepOnThisThread(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
