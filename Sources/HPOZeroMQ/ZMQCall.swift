internal import CZeroMQ
import Glibc

/// The one error funnel for every libzmq call in this module.
enum ZMQCall {
    /// The outcome of a call that may say "not now".
    enum Outcome<Value> {
        case done(Value)
        case wouldBlock
    }

    /// Runs `body` (a libzmq call returning `-1` on failure) until it does not fail with `EINTR`.
    ///
    /// - Returns: `.done(result)`, or `.wouldBlock` when libzmq said `EAGAIN`.
    /// - Throws: `ZMQError` for anything else, naming `operation` and `endpoint`.
    static func retrying(
        _ operation: @autoclosure () -> String, endpoint: String? = nil, _ body: () -> Int32
    ) throws(ZMQError) -> Outcome<Int32> {
        while true {
            let result = body()
            if result != -1 { return .done(result) }
            let code = zmq_errno()
            if code == EINTR { continue }
            if code == EAGAIN { return .wouldBlock }
            throw ZMQError(code: code, operation: operation(), endpoint: endpoint)
        }
    }

    /// Like `retrying`, for calls where `EAGAIN` cannot happen or is itself an error.
    @discardableResult
    static func check(
        _ operation: @autoclosure () -> String, endpoint: String? = nil, _ body: () -> Int32
    ) throws(ZMQError) -> Int32 {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = zmq_errno()
            if code == EINTR { continue }
            throw ZMQError(code: code, operation: operation(), endpoint: endpoint)
        }
    }
}
