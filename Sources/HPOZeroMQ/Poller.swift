internal import CZeroMQ

/// Waits, with a timeout, until one of several sockets can receive or send.
///
/// Not `Sendable`, like the sockets it holds: use it on the sockets' thread. The poller keeps its sockets alive.
/// There is deliberately no infinite wait: service loops wake up regularly to check deadlines and stop requests.
public struct Poller {
    private var sockets: [Socket] = []
    private var interests: [PollEvents] = []

    public init() {}

    /// Adds `socket`, waiting for `events`. Returns its index into `poll`'s result.
    @discardableResult
    public mutating func register(_ socket: Socket, for events: PollEvents = .readable) -> Int {
        sockets.append(socket)
        interests.append(events)
        return sockets.count - 1
    }

    /// The number of registered sockets.
    public var count: Int { sockets.count }

    /// Waits up to `timeout` for any registered socket to become ready. Corresponds to `zmq_poll`.
    ///
    /// - Parameter timeout: the longest wait; rounded down to whole milliseconds; `.zero` only checks.
    ///   `EINTR` restarts the wait with the full timeout again (signals are rare here).
    /// - Returns: for each registered socket (in registration order), the events that are ready (empty if none).
    /// - Throws: `ZMQError`, e.g. `isContextTerminated` after `Context.shutdown()`.
    public func poll(timeout: Duration) throws(ZMQError) -> [PollEvents] {
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(sockets.count)
        for (socket, events) in zip(sockets, interests) {
            let handle = try socket.liveHandle("zmq_poll")
            items.append(zmq_pollitem_t(socket: handle, fd: 0, events: events.rawValue, revents: 0))
        }
        let milliseconds = max(0, Int(Socket.milliseconds(timeout)))
        let count = Int32(items.count)
        try ZMQCall.check("zmq_poll") {
            items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, milliseconds) }
        }
        return items.map { PollEvents(rawValue: $0.revents) }
    }
}
