public import HPOZeroMQ

/// A ROUTER (linger 0) on an ephemeral TCP loopback port, in a context of its own: the coordinator's side of a
/// socket test. When released it closes the ROUTER and shuts the context down (blocking calls on it end with ETERM).
///
/// Subclass it to give the ROUTER a role (a rogue coordinator that sends what a test wants).
open class LoopbackRouter {
    /// The context the ROUTER (and any socket a test connects to it) belongs to.
    public let context: Context
    /// The bound ROUTER.
    public let router: Socket
    /// Where it listens, e.g. `tcp://127.0.0.1:41234`.
    public let endpoint: String

    /// Binds a ROUTER to `tcp://127.0.0.1:*` in a new context.
    ///
    /// - Throws: `ZMQError` when libzmq refuses the context, the socket or the bind.
    public init() throws {
        context = try Context()
        router = try Socket.bound(context, .router)
        endpoint = try router.lastEndpoint
    }

    deinit {
        router.close()
        context.shutdown()
    }
}
