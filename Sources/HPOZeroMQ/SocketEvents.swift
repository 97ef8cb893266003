internal import CZeroMQ

/// Transport events a socket monitor reports (TCP and IPC only; inproc has none).
public struct SocketEvents: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `ZMQ_EVENT_CONNECTED`: a connect-side TCP/IPC connection is up (before the ZMTP handshake).
    public static let connected = SocketEvents(rawValue: UInt16(ZMQ_EVENT_CONNECTED))
    /// `ZMQ_EVENT_CONNECT_RETRIED`: a connect attempt failed; libzmq will retry after the reconnect interval.
    public static let connectRetried = SocketEvents(rawValue: UInt16(ZMQ_EVENT_CONNECT_RETRIED))
    /// `ZMQ_EVENT_ACCEPTED`: a bind-side socket accepted a connection.
    public static let accepted = SocketEvents(rawValue: UInt16(ZMQ_EVENT_ACCEPTED))
    /// `ZMQ_EVENT_DISCONNECTED`: a connection broke.
    public static let disconnected = SocketEvents(rawValue: UInt16(ZMQ_EVENT_DISCONNECTED))
    /// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`: the ZMTP handshake (and CURVE authentication, if any) completed;
    /// messages now flow. The right moment for a client to (re-)announce itself.
    public static let handshakeSucceeded = SocketEvents(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_SUCCEEDED))
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`: the peer spoke bad ZMTP (value: a `ZMQ_PROTOCOL_ERROR_*` code),
    /// e.g. a CURVE client using the wrong server key.
    public static let handshakeFailedProtocol = SocketEvents(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL))
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`: the ZAP handler refused the client (value: its status code, e.g. 400).
    public static let handshakeFailedAuth = SocketEvents(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH))
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`: the handshake failed with a system error (value: errno).
    public static let handshakeFailedNoDetail = SocketEvents(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL))
    /// `ZMQ_EVENT_MONITOR_STOPPED`: the monitored socket closed; no more events follow.
    public static let monitorStopped = SocketEvents(rawValue: UInt16(ZMQ_EVENT_MONITOR_STOPPED))
    /// Every event (`ZMQ_EVENT_ALL`).
    public static let all = SocketEvents(rawValue: UInt16(ZMQ_EVENT_ALL))

    public var description: String {
        let names: [(SocketEvents, String)] = [
            (.connected, "connected"), (.connectRetried, "connect retried"), (.accepted, "accepted"),
            (.disconnected, "disconnected"), (.handshakeSucceeded, "handshake succeeded"),
            (.handshakeFailedProtocol, "handshake failed (protocol)"), (.handshakeFailedAuth, "handshake failed (auth)"),
            (.handshakeFailedNoDetail, "handshake failed"), (.monitorStopped, "monitor stopped"),
        ]
        let matched = names.filter { contains($0.0) }.map(\.1)
        return matched.isEmpty ? "event 0x\(String(rawValue, radix: 16))" : matched.joined(separator: ", ")
    }
}

/// One event read from a monitor socket (see `Socket.startMonitor`).
public struct SocketMonitorEvent: Sendable, Hashable {
    /// The event (exactly one flag).
    public var event: SocketEvents
    /// The event's value: an fd, errno, ZAP status, protocol error code or reconnect interval, depending on `event`.
    public var value: UInt32
    /// The endpoint concerned.
    public var endpoint: String

    /// Decodes a monitor message: frame 1 is a 16-bit event and a 32-bit value (native byte order), frame 2 the endpoint.
    ///
    /// - Returns: `nil` if `frames` is not a monitor message.
    public init?(frames: [[UInt8]]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let header = frames[0]
        event = SocketEvents(rawValue: UInt16(header[0]) | UInt16(header[1]) << 8)
        value = UInt32(header[2]) | UInt32(header[3]) << 8 | UInt32(header[4]) << 16 | UInt32(header[5]) << 24
        endpoint = String(decoding: frames[1], as: UTF8.self)
    }
}

extension Socket {
    /// Publishes this socket's `events` on a PAIR socket at `endpoint` (an `inproc://` address).
    ///
    /// Connect a `.pair` socket to `endpoint` (after this call) and decode what it receives with
    /// `SocketMonitorEvent(frames:)`. Corresponds to `zmq_socket_monitor`.
    public func startMonitor(_ endpoint: String, events: SocketEvents = .all) throws(ZMQError) {
        let handle = try liveHandle("zmq_socket_monitor")
        try ZMQCall.check("zmq_socket_monitor", endpoint: endpoint) {
            zmq_socket_monitor(handle, endpoint, Int32(events.rawValue))
        }
    }
}
