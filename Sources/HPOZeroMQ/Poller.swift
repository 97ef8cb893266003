internal import CZeroMQ

/// Waits, with a timeout, until one of several sockets (or plain file descriptors) can receive or send.
///
/// Not `Sendable`, like the sockets it holds: use it on the sockets' thread. The poller keeps its sockets alive.
/// There is deliberately no infinite wait: service loops wake up regularly to check deadlines and stop requests.
public struct Poller {
    private enum Item {
        case socket(Socket)
        case fileDescriptor(Int32)
    }

    private var items: [Item] = []
    private var interests: [PollEvents] = []

    public init() {}

    /// Adds `socket`, waiting for `events`. Returns its index into `poll`'s result.
    @discardableResult
    public mutating func register(_ socket: Socket, for events: PollEvents = .readable) -> Int {
        items.append(.socket(socket))
        interests.append(events)
        return items.count - 1
    }

    /// Adds a plain file descriptor (e.g. an `eventfd` other threads write to wake this loop). Returns its index.
    ///
    /// The caller keeps the descriptor open while the poller is used and reads it to clear readiness.
    @discardableResult
    public mutating func register(fileDescriptor: Int32, for events: PollEvents = .readable) -> Int {
        items.append(.fileDescriptor(fileDescriptor))
        interests.append(events)
        return items.count - 1
    }

    /// The number of registered sockets and descriptors.
    public var count: Int { items.count }

    /// Waits up to `timeout` for any registered socket to become ready. Corresponds to `zmq_poll`.
    ///
    /// - Parameter timeout: the longest wait; rounded down to whole milliseconds; `.zero` only checks.
    ///   `EINTR` restarts the wait with the full timeout again (signals are rare here).
    /// - Returns: for each registered socket (in registration order), the events that are ready (empty if none).
    /// - Throws: `ZMQError`, e.g. `isContextTerminated` after `Context.shutdown()`.
    public func poll(timeout: Duration) throws(ZMQError) -> [PollEvents] {
        var pollItems: [zmq_pollitem_t] = []
        pollItems.reserveCapacity(items.count)
        for (item, events) in zip(items, interests) {
            switch item {
            case .socket(let socket):
                let handle = try socket.liveHandle("zmq_poll")
                pollItems.append(zmq_pollitem_t(socket: handle, fd: 0, events: events.rawValue, revents: 0))
            case .fileDescriptor(let descriptor):
                pollItems.append(zmq_pollitem_t(socket: nil, fd: descriptor, events: events.rawValue, revents: 0))
            }
        }
        let milliseconds = max(0, Int(Socket.milliseconds(timeout)))
        let count = Int32(pollItems.count)
        try ZMQCall.check("zmq_poll") {
            pollItems.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, milliseconds) }
        }
        return pollItems.map { PollEvents(rawValue: $0.revents) }
    }
}
