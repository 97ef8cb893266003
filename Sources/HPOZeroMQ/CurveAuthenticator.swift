import Synchronization

/// A ZAP handler that admits only CURVE clients whose public key is on an allow-list.
///
/// libzmq asks the ZAP handler bound at `inproc://zeromq.zap.01` in the same context about every new CURVE
/// connection; without one, any client that knows the server's public key gets in. Create the authenticator
/// **before** binding the CURVE server socket. It answers on its own thread (polling every 100 ms) until
/// `stop()` or `Context.shutdown()`. Only one authenticator can exist per context.
/// Protocol: ZeroMQ RFC 27 (ZAP 1.0).
public final class CurveAuthenticator: Sendable {
    /// The ZAP endpoint libzmq asks (fixed by RFC 27).
    public static let endpoint = "inproc://zeromq.zap.01"

    /// One authentication decision, for logging.
    public struct Decision: Sendable, Hashable {
        /// The client's public key (Z85), or empty for a non-CURVE mechanism.
        public var clientKey: String
        /// The client's IP address as libzmq reports it.
        public var address: String
        /// The ZAP domain of the server socket.
        public var domain: String
        /// Whether the client was admitted.
        public var accepted: Bool
    }

    private let allowedKeys: Mutex<Set<String>>
    private let stopRequested = Atomic<Bool>(false)
    private let thread: Mutex<JoinableThread?> = Mutex(nil)

    /// Binds the ZAP handler and starts answering.
    ///
    /// - Parameters:
    ///   - context: the context of the CURVE server socket(s).
    ///   - allowedClientKeys: public keys (40-character Z85) of the clients to admit.
    ///   - onDecision: called on the handler thread after each decision (e.g. to log rejected clients).
    /// - Throws: `ZMQError` if the ZAP endpoint is already bound (`EADDRINUSE`: another authenticator exists).
    public init(
        context: Context, allowedClientKeys: Set<String>,
        onDecision: (@Sendable (Decision) -> Void)? = nil
    ) throws(ZMQError) {
        allowedKeys = Mutex(allowedClientKeys)
        let socket = try Socket(context, type: .reply, linger: .zero)
        try socket.bind(Self.endpoint)
        // libzmq sockets may move between threads with a full memory barrier; pthread_create is one.
        let transfer = SocketTransfer(socket)
        let worker = JoinableThread { [owner = UnsafeSendableReference(self)] in
            owner.value.serve(transfer.socket, onDecision: onDecision)
        }
        thread.withLock { $0 = worker }
    }

    /// Adds a client key to the allow-list; effective for the next connection.
    public func allow(_ clientKey: String) {
        _ = allowedKeys.withLock { $0.insert(clientKey) }
    }

    /// Replaces the whole allow-list (e.g. re-read on SIGHUP); effective for the next connection. Connections already
    /// admitted stay open.
    ///
    /// - Returns: how many keys the list holds now.
    @discardableResult
    public func replaceAllowedKeys(_ clientKeys: Set<String>) -> Int {
        allowedKeys.withLock { $0 = clientKeys }
        return clientKeys.count
    }

    /// How many client keys are on the allow-list.
    public var allowedKeyCount: Int {
        allowedKeys.withLock { $0.count }
    }

    /// Removes a client key; existing connections stay, new ones are refused.
    public func revoke(_ clientKey: String) {
        _ = allowedKeys.withLock { $0.remove(clientKey) }
    }

    /// Stops answering and waits for the handler thread (at most about 100 ms). Idempotent.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        let worker = thread.withLock { current in
            defer { current = nil }
            return current
        }
        worker?.join()
    }

    deinit {
        stop()
    }

    private func serve(_ socket: Socket, onDecision: (@Sendable (Decision) -> Void)?) {
        defer { socket.close() }
        while !stopRequested.load(ordering: .acquiring) {
            do {
                guard let request = try socket.receive(timeout: .milliseconds(100)) else { continue }
                let (reply, decision) = answer(request)
                try socket.send(reply)
                if let decision { onDecision?(decision) }
            } catch {
                return   // ETERM after Context.shutdown(), or the socket broke: no one is left to answer.
            }
        }
    }

    /// Builds the ZAP reply for one request `[version, id, domain, address, routing id, mechanism, credentials...]`.
    func answer(_ request: [[UInt8]]) -> (reply: [[UInt8]], decision: Decision?) {
        let version = Array("1.0".utf8)
        guard request.count >= 6, request[0] == version else {
            let id = request.count > 1 ? request[1] : []
            return ([version, id, Array("500".utf8), Array("malformed ZAP request".utf8), [], []], nil)
        }
        let domain = String(decoding: request[2], as: UTF8.self)
        let address = String(decoding: request[3], as: UTF8.self)
        let mechanism = String(decoding: request[5], as: UTF8.self)
        var clientKey = ""
        if mechanism == "CURVE", request.count >= 7, request[6].count == 32 {
            clientKey = ZMQ.z85Encode(request[6]) ?? ""
        }
        let accepted = !clientKey.isEmpty && allowedKeys.withLock { $0.contains(clientKey) }
        let status = accepted ? "200" : "400"
        let text = accepted ? "OK" : (clientKey.isEmpty ? "only CURVE clients are admitted" : "client key not allowed")
        let reply = [version, request[1], Array(status.utf8), Array(text.utf8), Array(clientKey.utf8), []]
        return (reply, Decision(clientKey: clientKey, address: address, domain: domain, accepted: accepted))
    }
}

/// Hands a socket to the thread that will own it from now on.
private final class SocketTransfer: @unchecked Sendable {
    let socket: Socket
    init(_ socket: Socket) { self.socket = socket }
}

/// Lets the handler thread call back into its (Sendable) owner without a retain cycle being a concern:
/// `stop()` in `deinit` joins the thread, so the owner outlives it.
private struct UnsafeSendableReference<Value: AnyObject>: @unchecked Sendable {
    unowned(unsafe) let value: Value
    init(_ value: Value) { self.value = value }
}
