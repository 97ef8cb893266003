import Foundation
import Glibc
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
            Self.nameThisThread()
            repeat {
                display.draw(snapshot())
            } while cancelled.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut
        }
        thread.start()
    }

    /// Names the calling thread ``threadName`` by writing `/proc/thread-self/comm` (what `pthread_setname_np` does;
    /// neither it nor `prctl` is imported into Swift, and `Thread.name` does not reach the kernel on Linux). Best
    /// effort: a thread left unnamed only goes unmeasured.
    private static func nameThisThread() {
        let file = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard file >= 0 else { return }
        _ = threadName.utf8CString.withUnsafeBufferPointer { Glibc.write(file, $0.baseAddress!, $0.count - 1) }
        close(file)
    }

    /// Stops the redraws; a redraw under way finishes (``LiveDisplay/finish()`` then erases it). Does not wait.
    public func cancel() {
        cancelled.signal()
    }
}
