/// A socket option this project sets; each case names the `zmq_setsockopt` option it corresponds to.
///
/// Durations are converted to whole milliseconds (rounded down; negative values are passed as -1 where libzmq
/// means "forever", which this project avoids).
public enum SocketOption: Sendable, Hashable {
    /// `ZMQ_LINGER`: how long `close()` and context termination wait to deliver queued messages.
    /// libzmq's default is forever, which makes `zmq_ctx_term` hang; `Socket.init` always sets it.
    case linger(Duration)
    /// `ZMQ_ROUTER_MANDATORY`: a ROUTER's send to an unknown or gone routing id throws `EHOSTUNREACH`
    /// instead of silently dropping the message.
    case routerMandatory(Bool)
    /// `ZMQ_ROUTER_HANDOVER`: a peer that reconnects with a routing id already in use takes it over
    /// (otherwise its messages are dropped until the old connection dies).
    case routerHandover(Bool)
    /// `ZMQ_MAXMSGSIZE` (int64): a peer that sends a larger message is disconnected; -1 means no limit.
    case maxMessageSize(Int64)
    /// `ZMQ_RECONNECT_IVL`: the first wait before reconnecting after a lost or refused connection (default 100 ms).
    case reconnectInterval(Duration)
    /// `ZMQ_RECONNECT_IVL_MAX`: the cap of the exponential reconnect backoff (default 0: no backoff).
    case reconnectIntervalMax(Duration)
    /// `ZMQ_ROUTING_ID`: the id a ROUTER peer sees for this socket (1–255 bytes, not starting with 0); set before `connect`.
    case routingID([UInt8])
    /// `ZMQ_SNDHWM`: messages queued per peer before sends block or fail (default 1000; 0 = unlimited).
    case sendHighWaterMark(Int)
    /// `ZMQ_RCVHWM`: messages queued per peer on receive (default 1000; 0 = unlimited).
    case receiveHighWaterMark(Int)
    /// `ZMQ_IMMEDIATE`: queue messages only to completed connections (no queue while disconnected).
    case immediate(Bool)
    /// `ZMQ_HANDSHAKE_IVL`: the longest a security handshake may take before the connection is dropped (default 30 s).
    case handshakeInterval(Duration)
    /// `ZMQ_HEARTBEAT_IVL`: send a ZMTP PING on each connection after this much quiet (default 0: off). libzmq
    /// answers PINGs itself, so this detects dead connections whatever the application is doing.
    case connectionHeartbeatInterval(Duration)
    /// `ZMQ_HEARTBEAT_TIMEOUT`: drop a connection (a connect side then reconnects) when nothing arrives this long
    /// after a PING (default: the heartbeat interval).
    case connectionHeartbeatTimeout(Duration)
    /// `ZMQ_HEARTBEAT_TTL`: ask the peer to drop the connection if it hears nothing from us for this long
    /// (rounded down to 100 ms; default 0: off).
    case connectionHeartbeatTTL(Duration)
    /// `ZMQ_CURVE_SERVER`: this socket is a CURVE server (set together with `curveSecretKey`, before `bind`).
    case curveServer(Bool)
    /// `ZMQ_CURVE_PUBLICKEY`: this socket's long-term public key (40-character Z85 text).
    case curvePublicKey(String)
    /// `ZMQ_CURVE_SECRETKEY`: this socket's long-term secret key (40-character Z85 text).
    case curveSecretKey(String)
    /// `ZMQ_CURVE_SERVERKEY`: on a CURVE client, the server's public key (40-character Z85 text); set before `connect`.
    case curveServerKey(String)
    /// `ZMQ_ZAP_DOMAIN`: the domain passed to the ZAP authenticator for this socket's connections.
    case zapDomain(String)

    /// The libzmq option name, for error messages.
    var name: String {
        switch self {
        case .linger: "ZMQ_LINGER"
        case .routerMandatory: "ZMQ_ROUTER_MANDATORY"
        case .routerHandover: "ZMQ_ROUTER_HANDOVER"
        case .maxMessageSize: "ZMQ_MAXMSGSIZE"
        case .reconnectInterval: "ZMQ_RECONNECT_IVL"
        case .reconnectIntervalMax: "ZMQ_RECONNECT_IVL_MAX"
        case .routingID: "ZMQ_ROUTING_ID"
        case .sendHighWaterMark: "ZMQ_SNDHWM"
        case .receiveHighWaterMark: "ZMQ_RCVHWM"
        case .immediate: "ZMQ_IMMEDIATE"
        case .handshakeInterval: "ZMQ_HANDSHAKE_IVL"
        case .connectionHeartbeatInterval: "ZMQ_HEARTBEAT_IVL"
        case .connectionHeartbeatTimeout: "ZMQ_HEARTBEAT_TIMEOUT"
        case .connectionHeartbeatTTL: "ZMQ_HEARTBEAT_TTL"
        case .curveServer: "ZMQ_CURVE_SERVER"
        case .curvePublicKey: "ZMQ_CURVE_PUBLICKEY"
        case .curveSecretKey: "ZMQ_CURVE_SECRETKEY"
        case .curveServerKey: "ZMQ_CURVE_SERVERKEY"
        case .zapDomain: "ZMQ_ZAP_DOMAIN"
        }
    }
}
