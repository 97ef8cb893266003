internal import CZeroMQ
import Glibc

/// A libzmq socket: bind or connect it, set its options, send and receive multipart messages.
///
/// Not `Sendable`: libzmq sockets must be used by one thread at a time. Create a socket on the thread that
/// uses it (for example inside a `Thread`'s closure) and keep it there; talk to it from other threads through an
/// inproc `pair`/`push` socket of their own. The socket keeps its `Context` alive and is closed (`zmq_close`) by
/// `close()` or when it is released.
///
/// Every socket is created with a finite `linger`, so neither closing it nor terminating its context can hang.
public final class Socket {
    /// The context this socket was made from; kept alive so that `zmq_ctx_term` waits for `zmq_close`.
    public let context: Context
    /// The socket pattern.
    public let type: SocketType
    var handle: UnsafeMutableRawPointer?

    /// Creates a socket. Corresponds to `zmq_socket` then `zmq_setsockopt(ZMQ_LINGER)`.
    ///
    /// - Parameters:
    ///   - context: the context that owns the socket's I/O.
    ///   - type: the socket pattern.
    ///   - linger: how long unsent messages may delay `close()` and context termination (default 1 s;
    ///     use `.zero` in tests and for sockets whose pending messages are worthless once closed).
    /// - Throws: `ZMQError` if libzmq refuses (e.g. `EMFILE`: too many sockets; `ETERM`: context shut down).
    public init(_ context: Context, type: SocketType, linger: Duration = .seconds(1)) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError(code: zmq_errno(), operation: "zmq_socket(\(type))")
        }
        self.context = context
        self.type = type
        self.handle = handle
        try set(.linger(linger))
    }

    deinit {
        if let handle { zmq_close(handle) }
    }

    /// Closes the socket now; later calls throw `ENOTSOCK`. Idempotent. Corresponds to `zmq_close`.
    public func close() {
        if let handle { zmq_close(handle) }
        handle = nil
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { handle == nil }

    func liveHandle(_ operation: @autoclosure () -> String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else {
            throw ZMQError(code: ENOTSOCK, operation: operation(), message: "the socket is already closed")
        }
        return handle
    }

    /// Accepts connections at `endpoint`. Corresponds to `zmq_bind`.
    ///
    /// - Parameter endpoint: `tcp://interface:port` (`tcp://127.0.0.1:*` for an ephemeral port, then read
    ///   `lastEndpoint`), `ipc:///path`, or `inproc://name`.
    /// - Throws: `ZMQError` naming the endpoint (e.g. `isAddressInUse`).
    public func bind(_ endpoint: String) throws(ZMQError) {
        try callWithEndpoint("zmq_bind", endpoint, zmq_bind)
    }

    /// Stops accepting connections at `endpoint` (the one given to `bind`, or `lastEndpoint`). Corresponds to `zmq_unbind`.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        try callWithEndpoint("zmq_unbind", endpoint, zmq_unbind)
    }

    /// Connects to `endpoint`; libzmq connects in the background and reconnects by itself
    /// (see `SocketOption.reconnectInterval`), so this succeeds even before the peer has bound.
    /// Corresponds to `zmq_connect`.
    public func connect(_ endpoint: String) throws(ZMQError) {
        try callWithEndpoint("zmq_connect", endpoint, zmq_connect)
    }

    /// Drops the connection to `endpoint` made by `connect`. Corresponds to `zmq_disconnect`.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try callWithEndpoint("zmq_disconnect", endpoint, zmq_disconnect)
    }

    /// Calls `call` (`zmq_bind`, `zmq_unbind`, `zmq_connect` or `zmq_disconnect`, named `operation`) on this open
    /// socket with `endpoint`; an error names both.
    private func callWithEndpoint(
        _ operation: String, _ endpoint: String, _ call: (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    ) throws(ZMQError) {
        let handle = try liveHandle(operation)
        try ZMQCall.check(operation, endpoint: endpoint) { call(handle, endpoint) }
    }
}

