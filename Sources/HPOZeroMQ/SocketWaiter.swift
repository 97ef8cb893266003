internal import CZeroMQ
import Glibc

/// Waits, with a timeout, until one socket has a message to read or a plain file descriptor (e.g. a
/// `WakeUpSignal`) is readable: at most one `poll(2)` per wait, and no sleep when a message already waits.
///
/// `zmq_poll` asks each socket for its descriptor on every call and, when nothing is ready at once, polls twice (a
/// zero-timeout pass, then the real wait), checking `ZMQ_EVENTS` after each; a loop that wakes for nearly every
/// message pays that per message. This waiter reads `ZMQ_FD` once and asks `ZMQ_EVENTS` once before it sleeps.
/// libzmq's descriptor only signals that the socket's state changed (edge-triggered), and any call on the socket
/// (a send, a receive) may consume that signal, so the socket is asked first whether a message waits; a wake-up on
/// the descriptor may be spurious, which a receive that finds nothing (`tryReceive` returning nil) absorbs.
///
/// Not `Sendable`, like the socket it holds: use it on the socket's thread.
public struct SocketWaiter {
    /// What a wait found.
    public struct Readiness: Sendable, Hashable {
        /// The socket may have a message to read (read until `tryReceive` returns nil).
        public var socket = false
        /// The file descriptor is readable.
        public var descriptor = false

        public init(socket: Bool = false, descriptor: Bool = false) {
            self.socket = socket
            self.descriptor = descriptor
        }
    }

    private let socket: Socket
    private var descriptors: [pollfd]

    /// Waits on `socket` and `fileDescriptor`. Corresponds to `zmq_getsockopt(ZMQ_FD)`.
    ///
    /// - Throws: `ZMQError` when the socket is closed.
    public init(socket: Socket, fileDescriptor: Int32) throws(ZMQError) {
        let handle = try socket.liveHandle("zmq_getsockopt(ZMQ_FD)")
        var socketDescriptor: Int32 = -1
        var size = MemoryLayout<Int32>.size
        try ZMQCall.check("zmq_getsockopt(ZMQ_FD)") { zmq_getsockopt(handle, ZMQ_FD, &socketDescriptor, &size) }
        self.socket = socket
        descriptors = [
            pollfd(fd: socketDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0),
        ]
    }

    /// Waits up to `timeout` until the socket has a message or the descriptor is readable.
    ///
    /// Corresponds to `zmq_getsockopt(ZMQ_EVENTS)`, then `poll(2)` on both descriptors (with a zero timeout when a
    /// message already waits, so the descriptor is still reported).
    /// - Parameter timeout: the longest sleep, rounded down to whole milliseconds; `.zero` only checks. A signal
    ///   (`EINTR`) ends the wait early with nothing ready.
    /// - Throws: `ZMQError`, e.g. `isContextTerminated` after `Context.shutdown()`, or `poll`'s errno.
    public mutating func wait(timeout: Duration) throws(ZMQError) -> Readiness {
        var ready = Readiness()
        ready.socket = try socketHasMessage()
        let milliseconds = ready.socket ? 0 : max(0, Socket.milliseconds(timeout))
        descriptors[0].revents = 0
        descriptors[1].revents = 0
        let count = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, 2, milliseconds) }
        if count < 0 {
            guard errno == EINTR else {
                throw ZMQError(code: errno, operation: "poll", message: String(cString: strerror(errno)))
            }
            return ready
        }
        if descriptors[0].revents != 0 { ready.socket = true }
        if descriptors[1].revents & Int16(POLLIN) != 0 { ready.descriptor = true }
        return ready
    }

    /// Whether a whole message can be received now. Corresponds to `zmq_getsockopt(ZMQ_EVENTS)` (which also
    /// processes the socket's pending commands, re-arming its descriptor).
    private func socketHasMessage() throws(ZMQError) -> Bool {
        let handle = try socket.liveHandle("zmq_getsockopt(ZMQ_EVENTS)")
        var events: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try ZMQCall.check("zmq_getsockopt(ZMQ_EVENTS)") { zmq_getsockopt(handle, ZMQ_EVENTS, &events, &size) }
        return events & ZMQ_POLLIN != 0
    }
}
