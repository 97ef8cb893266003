public import HPOZeroMQ

extension Socket {
    /// A socket of `type` with linger 0 (closing it never waits), bound to `endpoint`: by default an ephemeral TCP
    /// loopback port, read back with `lastEndpoint`. With `curveSecretKey` (40 Z85 characters) it is a CURVE server.
    ///
    /// - Throws: `ZMQError` when libzmq refuses the socket, the key or the endpoint.
    public static func bound(
        _ context: Context, _ type: SocketType, to endpoint: String = "tcp://127.0.0.1:*", curveSecretKey: String? = nil
    ) throws -> Socket {
        let socket = try Socket(context, type: type, linger: .zero)
        if let curveSecretKey {
            try socket.set(.curveServer(true))
            try socket.set(.curveSecretKey(curveSecretKey))
        }
        try socket.bind(endpoint)
        return socket
    }
}
