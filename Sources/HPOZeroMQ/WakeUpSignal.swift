internal import CZeroMQ
import Glibc

/// A thread-safe doorbell for a socket loop: any thread rings it, the loop's `Poller` sees it readable.
///
/// Backed by a Linux `eventfd`, so ringing is one `write(2)` and never blocks or allocates. Typical use: other
/// threads put work in a lock-protected queue and call `ring()`; the socket thread registers `fileDescriptor` with its
/// `Poller`, and when it is readable calls `clear()` and drains the queue. Rings before a `clear()` coalesce.
public final class WakeUpSignal: Sendable {
    /// The descriptor to register with `Poller.register(fileDescriptor:)`; valid until the signal is released.
    public let fileDescriptor: Int32

    /// Creates the eventfd. Corresponds to `eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)`.
    ///
    /// - Throws: `ZMQError` naming `eventfd` with errno (e.g. `EMFILE`: too many open files).
    public init() throws(ZMQError) {
        let descriptor = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard descriptor >= 0 else {
            throw ZMQError(code: errno, operation: "eventfd", message: String(cString: strerror(errno)))
        }
        fileDescriptor = descriptor
    }

    deinit {
        close(fileDescriptor)
    }

    /// Wakes the loop. Safe from any thread, any number of times; never blocks.
    public func ring() {
        var one: UInt64 = 1
        while write(fileDescriptor, &one, 8) == -1 && errno == EINTR {}
    }

    /// Resets the signal after the loop woke up (reads the eventfd counter). Call on the loop's thread.
    ///
    /// - Returns: whether it had been rung since the last `clear()`.
    @discardableResult
    public func clear() -> Bool {
        var count: UInt64 = 0
        while true {
            if read(fileDescriptor, &count, 8) == 8 { return count > 0 }
            if errno != EINTR { return false }   // EAGAIN: not rung
        }
    }
}
