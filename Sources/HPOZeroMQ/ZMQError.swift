internal import CZeroMQ
import Glibc

/// A failed libzmq call: which call, on which endpoint, with libzmq's errno and text.
///
/// HPOZeroMQ funnels every C call through one place (`ZMQCall`): `EINTR` is retried, `EAGAIN` becomes
/// "not now" (`nil`/`false` from the non-blocking variants), and everything else is thrown as a `ZMQError`.
/// `ETERM` (the context is shutting down) is thrown too; check `isContextTerminated` and leave your loop.
public struct ZMQError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errno value libzmq reported (`zmq_errno()`), e.g. `EHOSTUNREACH`, `EADDRINUSE`, or libzmq's `ETERM`.
    public var code: Int32
    /// The operation that failed, e.g. `"zmq_bind"` or `"zmq_setsockopt(ZMQ_LINGER)"`.
    public var operation: String
    /// The endpoint involved, if any (bind/connect address).
    public var endpoint: String?
    /// libzmq's text for `code` (`zmq_strerror`), or a message of our own for errors we detect.
    public var message: String

    public init(code: Int32, operation: String, endpoint: String? = nil, message: String? = nil) {
        self.code = code
        self.operation = operation
        self.endpoint = endpoint
        self.message = message ?? String(cString: zmq_strerror(code))
    }

    /// The context was shut down or terminated (`ETERM`): stop using the socket and close it.
    public var isContextTerminated: Bool { code == ETERM_CODE }
    /// A ROUTER with `routerMandatory` tried to send to a routing id that is not connected (`EHOSTUNREACH`).
    public var isHostUnreachable: Bool { code == EHOSTUNREACH }
    /// The address is already bound by someone else (`EADDRINUSE`).
    public var isAddressInUse: Bool { code == EADDRINUSE }

    public var description: String {
        var text = "\(operation) failed"
        if let endpoint { text += " on \(endpoint)" }
        text += ": \(message) (errno \(code))"
        if let hint { text += "; \(hint)" }
        return text
    }

    private var hint: String? {
        switch code {
        case EADDRINUSE: "another process holds that address; pick another port or use tcp://127.0.0.1:* for an ephemeral one"
        case EHOSTUNREACH: "the peer is gone or never connected; treat the message as undelivered"
        case EINVAL: "check the endpoint syntax (tcp://host:port, ipc:///path, inproc://name) and option values"
        case EPROTONOSUPPORT: "that transport is not supported; use tcp://, ipc:// or inproc://"
        case ENOENT: "nothing is bound at that inproc address; bind before connecting, or connect to an endpoint you bound"
        case ETERM_CODE: "the context is shutting down; close the socket"
        default: nil
        }
    }
}

/// libzmq's `ETERM` (`ZMQ_HAUSNUMERO + 53`); the macro does not import into Swift.
let ETERM_CODE: Int32 = 156_384_712 + 53
