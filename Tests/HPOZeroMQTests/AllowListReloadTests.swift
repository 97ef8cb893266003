import HPOTestSupport
import HPOZeroMQ
import Testing

/// `CurveAuthenticator.replaceAllowedKeys` (SIGHUP in `hpo coordinator`) admits a key added after the server started.
@Suite(.serialized) struct AllowListReloadTests {
    /// Connects a CURVE DEALER with `client` to the server and sends one message; returns whether it arrived.
    static func reaches(_ router: Socket, serverKey: String, client: CurveKeyPair, context: Context) throws -> Bool {
        let dealer = try Socket(context, type: .dealer, linger: .zero)
        defer { dealer.close() }
        try dealer.set(.curveServerKey(serverKey))
        try dealer.set(.curvePublicKey(client.publicKey))
        try dealer.set(.curveSecretKey(client.secretKey))
        try dealer.connect(try router.lastEndpoint)
        try dealer.send([Array("hello".utf8)])
        return try router.receive(timeout: .seconds(2)) != nil
    }

    @Test func aReplacedListAdmitsTheNewKeyAndRefusesTheDroppedOne() throws {
        let context = try Context()
        defer { context.shutdown() }
        let first = try ZMQ.curveKeypair()
        let second = try ZMQ.curveKeypair()
        let authenticator = try CurveAuthenticator(context: context, allowedClientKeys: [first.publicKey])
        defer { authenticator.stop() }
        let server = try ZMQ.curveKeypair()
        let router = try Socket.bound(context, .router, curveSecretKey: server.secretKey)
        defer { router.close() }

        #expect(authenticator.allowedKeyCount == 1)
        #expect(try Self.reaches(router, serverKey: server.publicKey, client: second, context: context) == false)
        #expect(authenticator.replaceAllowedKeys([second.publicKey]) == 1)
        #expect(try Self.reaches(router, serverKey: server.publicKey, client: second, context: context))
        #expect(try Self.reaches(router, serverKey: server.publicKey, client: first, context: context) == false)
    }
}
