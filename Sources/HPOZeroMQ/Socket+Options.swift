internal import CZeroMQ
import Glibc

extension Socket {
    /// Sets one option. Corresponds to `zmq_setsockopt` with the option the case names.
    ///
    /// - Throws: `ZMQError` with `EINVAL` for a value libzmq rejects (e.g. a CURVE key that is not 40 Z85
    ///   characters, an empty routing id), naming the option.
    public func set(_ option: SocketOption) throws(ZMQError) {
        switch option {
        case .linger(let duration): try setInt32(ZMQ_LINGER, Self.milliseconds(duration), option)
        case .routerMandatory(let on): try setInt32(ZMQ_ROUTER_MANDATORY, on ? 1 : 0, option)
        case .routerHandover(let on): try setInt32(ZMQ_ROUTER_HANDOVER, on ? 1 : 0, option)
        case .maxMessageSize(let bytes): try setInt64(ZMQ_MAXMSGSIZE, bytes, option)
        case .reconnectInterval(let duration): try setInt32(ZMQ_RECONNECT_IVL, Self.milliseconds(duration), option)
        case .reconnectIntervalMax(let duration): try setInt32(ZMQ_RECONNECT_IVL_MAX, Self.milliseconds(duration), option)
        case .routingID(let bytes): try setBytes(ZMQ_ROUTING_ID, bytes, option)
        case .sendHighWaterMark(let count): try setInt32(ZMQ_SNDHWM, Int32(clamping: count), option)
        case .receiveHighWaterMark(let count): try setInt32(ZMQ_RCVHWM, Int32(clamping: count), option)
        case .immediate(let on): try setInt32(ZMQ_IMMEDIATE, on ? 1 : 0, option)
        case .handshakeInterval(let duration): try setInt32(ZMQ_HANDSHAKE_IVL, Self.milliseconds(duration), option)
        case .connectionHeartbeatInterval(let duration):
            try setInt32(ZMQ_HEARTBEAT_IVL, Self.milliseconds(duration), option)
        case .connectionHeartbeatTimeout(let duration):
            try setInt32(ZMQ_HEARTBEAT_TIMEOUT, Self.milliseconds(duration), option)
        case .connectionHeartbeatTTL(let duration):
            try setInt32(ZMQ_HEARTBEAT_TTL, Self.milliseconds(duration), option)
        case .curveServer(let on): try setInt32(ZMQ_CURVE_SERVER, on ? 1 : 0, option)
        case .curvePublicKey(let key): try setBytes(ZMQ_CURVE_PUBLICKEY, Array(key.utf8), option)
        case .curveSecretKey(let key): try setBytes(ZMQ_CURVE_SECRETKEY, Array(key.utf8), option)
        case .curveServerKey(let key): try setBytes(ZMQ_CURVE_SERVERKEY, Array(key.utf8), option)
        case .zapDomain(let domain): try setBytes(ZMQ_ZAP_DOMAIN, Array(domain.utf8), option)
        }
    }

    /// The endpoint this socket last bound or connected, with the actual port of a `tcp://…:*` bind
    /// (e.g. `tcp://127.0.0.1:41235`). Corresponds to `zmq_getsockopt(ZMQ_LAST_ENDPOINT)`.
    public var lastEndpoint: String {
        get throws(ZMQError) {
            let bytes = try getBytes(ZMQ_LAST_ENDPOINT, name: "ZMQ_LAST_ENDPOINT", capacity: 1024)
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// This socket's routing id (empty when none was set). Corresponds to `zmq_getsockopt(ZMQ_ROUTING_ID)`.
    public var routingID: [UInt8] {
        get throws(ZMQError) { try getBytes(ZMQ_ROUTING_ID, name: "ZMQ_ROUTING_ID", capacity: 256) }
    }

    /// Whether more frames of the current message follow. Corresponds to `zmq_getsockopt(ZMQ_RCVMORE)`;
    /// rarely needed because `receive` returns whole messages.
    var hasMoreFrames: Bool {
        get throws(ZMQError) {
            let handle = try liveHandle("zmq_getsockopt(ZMQ_RCVMORE)")
            var value: Int32 = 0
            var size = MemoryLayout<Int32>.size
            try ZMQCall.check("zmq_getsockopt(ZMQ_RCVMORE)") { zmq_getsockopt(handle, ZMQ_RCVMORE, &value, &size) }
            return value != 0
        }
    }

    static func milliseconds(_ duration: Duration) -> Int32 {
        if duration < .zero { return -1 }
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    private func setInt32(_ name: Int32, _ value: Int32, _ option: SocketOption) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt(\(option.name))")
        var value = value
        try ZMQCall.check("zmq_setsockopt(\(option.name), \(value))") {
            zmq_setsockopt(handle, name, &value, MemoryLayout<Int32>.size)
        }
    }

    private func setInt64(_ name: Int32, _ value: Int64, _ option: SocketOption) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt(\(option.name))")
        var value = value
        try ZMQCall.check("zmq_setsockopt(\(option.name), \(value))") {
            zmq_setsockopt(handle, name, &value, MemoryLayout<Int64>.size)
        }
    }

    private func setBytes(_ name: Int32, _ bytes: [UInt8], _ option: SocketOption) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt(\(option.name))")
        // Keys and ids are not echoed: a secret key must never end up in a log.
        try ZMQCall.check("zmq_setsockopt(\(option.name), \(bytes.count) bytes)") {
            bytes.withUnsafeBytes { zmq_setsockopt(handle, name, $0.baseAddress, $0.count) }
        }
    }

    private func getBytes(_ name: Int32, name label: String, capacity: Int) throws(ZMQError) -> [UInt8] {
        let handle = try liveHandle("zmq_getsockopt(\(label))")
        var buffer = [UInt8](repeating: 0, count: capacity)
        var size = capacity
        try ZMQCall.check("zmq_getsockopt(\(label))") {
            buffer.withUnsafeMutableBytes { zmq_getsockopt(handle, name, $0.baseAddress, &size) }
        }
        return Array(buffer.prefix(size))
    }
}
