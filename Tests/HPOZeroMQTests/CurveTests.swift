import Foundation
import HPOZeroMQ
import Testing

@Suite struct CurveTests {
    @Test func keypairsAreZ85AndConsistent() throws {
        #expect(ZMQ.has("curve"))
        let pair = try ZMQ.curveKeypair()
        #expect(pair.publicKey.utf8.count == 40)
        #expect(pair.secretKey.utf8.count == 40)
        #expect(try ZMQ.curvePublicKey(fromSecret: pair.secretKey) == pair.publicKey)
        #expect(!pair.description.contains(pair.secretKey))
        let other = try ZMQ.curveKeypair()
        #expect(other != pair)
        let error = try #require(throws: ZMQError.self) { try ZMQ.curvePublicKey(fromSecret: "short") }
        #expect(error.description.contains("40"))
    }

    @Test func z85RoundTrips() throws {
        let bytes: [UInt8] = (0..<32).map { UInt8($0 * 7 % 256) }
        let text = try #require(ZMQ.z85Encode(bytes))
        #expect(text.utf8.count == 40)
        #expect(ZMQ.z85Decode(text) == bytes)
        #expect(ZMQ.z85Encode([1, 2, 3]) == nil)
    }

    struct CurveServer {
        let context: Context
        let router: Socket
        let endpoint: String
        let keys: CurveKeyPair
    }

    func makeServer(context: Context) throws -> CurveServer {
        let keys = try ZMQ.curveKeypair()
        let router = try Socket(context, type: .router, linger: .zero)
        try router.set(.curveServer(true))
        try router.set(.curveSecretKey(keys.secretKey))
        try router.set(.zapDomain("hpo"))
        try router.bind("tcp://127.0.0.1:*")
        return CurveServer(context: context, router: router, endpoint: try router.lastEndpoint, keys: keys)
    }

    func makeClient(_ context: Context, serverKey: String, keys: CurveKeyPair, id: String) throws -> Socket {
        let dealer = try Socket(context, type: .dealer, linger: .zero)
        try dealer.set(.curveServerKey(serverKey))
        try dealer.set(.curvePublicKey(keys.publicKey))
        try dealer.set(.curveSecretKey(keys.secretKey))
        try dealer.set(.routingID(Array(id.utf8)))
        return dealer
    }

    @Test func handshakeWorksWithTheRightServerKeyOnly() throws {
        let context = try Context()
        let server = try makeServer(context: context)
        let good = try makeClient(context, serverKey: server.keys.publicKey, keys: try ZMQ.curveKeypair(), id: "good")
        try good.connect(server.endpoint)
        let wrongServerKey = try ZMQ.curveKeypair().publicKey
        let bad = try makeClient(context, serverKey: wrongServerKey, keys: try ZMQ.curveKeypair(), id: "bad")
        try bad.connect(server.endpoint)

        try bad.send([Array("from bad".utf8)])
        try good.send([Array("from good".utf8)])
        let message = try #require(try server.router.receive(timeout: .seconds(10)))
        #expect(message == [Array("good".utf8), Array("from good".utf8)])
        try server.router.send([Array("good".utf8), Array("welcome".utf8)])
        #expect(try good.receive(timeout: .seconds(10)) == [Array("welcome".utf8)])
        #expect(try server.router.receive(timeout: .milliseconds(300)) == nil, "a client with the wrong server key got in")
    }

    @Test func authenticatorRejectsAnUnknownClientKey() throws {
        let context = try Context()
        let allowedKeys = try ZMQ.curveKeypair()
        let decisions = LockedBox<[CurveAuthenticator.Decision]>([])
        let authenticator = try CurveAuthenticator(context: context, allowedClientKeys: [allowedKeys.publicKey]) { decision in
            decisions.set(decisions.get() + [decision])
        }
        defer { authenticator.stop() }
        let server = try makeServer(context: context)

        let stranger = try makeClient(context, serverKey: server.keys.publicKey, keys: try ZMQ.curveKeypair(), id: "stranger")
        try stranger.connect(server.endpoint)
        try stranger.send([Array("let me in".utf8)])
        let known = try makeClient(context, serverKey: server.keys.publicKey, keys: allowedKeys, id: "known")
        try known.connect(server.endpoint)
        try known.send([Array("hello".utf8)])

        let message = try #require(try server.router.receive(timeout: .seconds(10)))
        #expect(message == [Array("known".utf8), Array("hello".utf8)])
        #expect(try server.router.receive(timeout: .milliseconds(300)) == nil, "the ZAP handler admitted an unknown key")
        let seen = decisions.get()
        #expect(seen.contains { $0.accepted && $0.clientKey == allowedKeys.publicKey && $0.domain == "hpo" })
        #expect(seen.contains { !$0.accepted })
    }

    @Test func aSecondAuthenticatorOnTheSameContextIsRefused() throws {
        let context = try Context()
        let first = try CurveAuthenticator(context: context, allowedClientKeys: [])
        defer { first.stop() }
        let error = try #require(throws: ZMQError.self) {
            _ = try CurveAuthenticator(context: context, allowedClientKeys: [])
        }
        #expect(error.isAddressInUse)
    }
}
