internal import CZeroMQ
import Glibc

/// A libzmq context: owns the I/O threads; sockets are created from it.
///
/// A context is thread-safe, so this class is `@unchecked Sendable`; sockets are not (see `Socket`).
/// Every socket keeps its context alive, so the context is terminated (`zmq_ctx_term`) only after its last
/// socket has closed, and that never hangs longer than the sockets' `linger` allows.
/// To stop threads blocked in `receive` or `Poller.poll` on other threads, call `shutdown()`: their calls then
/// throw a `ZMQError` with `isContextTerminated`, and they should close their sockets.
public final class Context: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// Creates a context. Corresponds to `zmq_ctx_new` and `zmq_ctx_set(ZMQ_IO_THREADS)`.
    ///
    /// - Parameter ioThreads: libzmq background I/O threads (default 1; enough for well over 1 Gbit/s).
    /// - Throws: `ZMQError` if libzmq cannot create a context (usually: too many open files).
    public init(ioThreads: Int = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else {
            throw ZMQError(code: zmq_errno(), operation: "zmq_ctx_new")
        }
        self.handle = handle
        if ioThreads != 1 {
            let count = Int32(clamping: ioThreads)
            do {
                try ZMQCall.check("zmq_ctx_set(ZMQ_IO_THREADS, \(ioThreads))") { zmq_ctx_set(handle, ZMQ_IO_THREADS, count) }
            } catch {
                zmq_ctx_term(handle)
                throw error
            }
        }
    }

    /// Makes every blocking call on this context's sockets return `ETERM` now, and every later one too.
    ///
    /// Safe to call from any thread, any number of times. Corresponds to `zmq_ctx_shutdown`.
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        // Every socket holds a strong reference to its context, so all sockets are closed by now.
        while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
    }
}
