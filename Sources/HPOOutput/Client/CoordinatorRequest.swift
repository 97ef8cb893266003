import HPOWire
import HPOZeroMQ
import HPOCoordinatorRuntime

/// One request to a running coordinator and its answer, over a fresh DEALER socket (`hpo status`, `hpo enqueue`).
///
/// With `curveServerKey` the socket is a CURVE client: it verifies the coordinator holds the matching secret key and
/// authenticates with `clientSecretKey` (else a fresh pair, which a coordinator with an allow-list refuses).
public struct CoordinatorRequest: Sendable {
    /// The coordinator's endpoint, e.g. `tcp://head:5555`.
    public var endpoint: String
    /// How long to wait for the answer.
    public var timeout: Duration
    /// The coordinator's CURVE public key when it runs with CURVE (40-character Z85).
    public var curveServerKey: String?
    /// This client's CURVE secret key (else a fresh pair).
    public var clientSecretKey: String?

    public init(endpoint: String, timeout: Duration, curveServerKey: String? = nil, clientSecretKey: String? = nil) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.curveServerKey = curveServerKey
        self.clientSecretKey = clientSecretKey
    }

    /// Sends `message` and returns the decoded answer.
    ///
    /// - Throws: ``OutputError`` (`status_no_answer`) when no answer arrives within `timeout`; a ZeroMQ or wire error when the
    ///   socket cannot be set up or the answer does not decode.
    func send(_ message: WireMessage) throws -> WireMessage {
        let context = try Context()
        defer { context.shutdown() }
        let socket = try Socket(context, type: .dealer, linger: .zero)
        defer { socket.close() }
        if let curveServerKey {
            let secret = try clientSecretKey ?? ZMQ.curveKeypair().secretKey
            try socket.set(.curveServerKey(curveServerKey))
            try socket.set(.curvePublicKey(ZMQ.curvePublicKey(fromSecret: secret)))
            try socket.set(.curveSecretKey(secret))
        }
        try socket.connect(endpoint)
        try socket.send(WireCodec.encode(message))
        guard let frames = try socket.receive(timeout: timeout) else {
            throw OutputError(
                .statusNoAnswer,
                "no answer from a coordinator at \(endpoint) within \(timeout); check the endpoint and that "
                    + "`hpo coordinator` (or `hpo run`) is running"
                    + (curveServerKey == nil ? "" : ", and that this client's key is on its allow-list"))
        }
        return try WireCodec.decode(frames)
    }
}
