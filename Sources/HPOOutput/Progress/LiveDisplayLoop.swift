import Foundation
import HPOCoordinatorCore

/// The thread that redraws a ``LiveDisplay`` until ``cancel()``: a thread of its own named `hpo-live-view`, never
/// Swift's cooperative pool, so a terminal that stops reading (Ctrl-S, a stalled ssh) blocks only the view, and
/// `hpo-bench live-view` can read the view's own CPU time from `/proc/PID/task/TID/schedstat`.
public final class LiveDisplayLoop: Sendable {
    /// The thread's name, as `/proc/PID/task/TID/comm` shows it (at most 15 bytes).
    public static let threadName = "hpo-live-view"

    private let cancelled = DispatchSemaphore(value: 0)

    /// Starts the thread: `display` draws `snapshot()` at once and then every `interval`.
    init(display: LiveDisplay, interval: Duration, snapshot: @escaping @Sendable () -> StudySnapshot) {
        let nanoseconds = Int(interval.components.seconds) * 1_000_000_000 + Int(interval.components.attoseconds / 1_000_000_000)
        let thread = Thread { [cancelled] in
            repeat {
                display.draw(snapshot())
            } while cancelled.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut
        }
        thread.name = Self.threadName
        thread.start()
    }

    /// Stops the redraws; a redraw under way finishes (``LiveDisplay/finish()`` then erases it). Does not wait.
    public func cancel() {
        cancelled.signal()
    }
}
