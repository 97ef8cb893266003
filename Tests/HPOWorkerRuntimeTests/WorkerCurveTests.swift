import Foundation
import HPOWire
import HPOZeroMQ
import Testing
import HPOObjectives
import HPOWorkerRuntime

/// A worker talking CURVE to a coordinator socket that admits only listed client keys.
@Suite(.serialized) struct WorkerCurveTests {
    final class CurveCoordinator {
        let context: Context
        let authenticator: CurveAuthenticator
        let router: Socket
        let endpoint: String
        let keys: CurveKeyPair

        init(allowing clientKeys: Set<String>) throws {
            context = try Context()
            authenticator = try CurveAuthenticator(context: context, allowedClientKeys: clientKeys)
            keys = try ZMQ.curveKeypair()
            router = try Socket(context, type: .router, linger: .zero)
            try router.set(.curveServer(true))
            try router.set(.curveSecretKey(keys.secretKey))
            try router.bind("tcp://127.0.0.1:*")
            endpoint = try router.lastEndpoint
        }

        deinit { authenticator.stop() }

        func receive(timeout: Duration) throws -> (peer: [UInt8], message: WireMessage)? {
            guard let frames = try router.receive(timeout: timeout) else { return nil }
            return (frames[0], try WireCodec.decode(Array(frames.dropFirst())))
        }
    }

    func worker(endpoint: String, serverKey: String, secretKey: String) throws -> WorkerUnderTest {
        var configuration = WorkerConfiguration(endpoint: endpoint, name: "curve-worker")
        configuration.heartbeatInterval = .milliseconds(50)
        configuration.coordinatorTimeout = .seconds(30)
        try configuration.useCurve(serverKey: serverKey, secretKey: secretKey)
        return try WorkerUnderTest(configuration)
    }

    @Test func anAdmittedWorkerIsHeardAndAStrangerIsNot() throws {
        let admitted = try ZMQ.curveKeypair()
        let coordinator = try CurveCoordinator(allowing: [admitted.publicKey])
        let stranger = try worker(
            endpoint: coordinator.endpoint, serverKey: coordinator.keys.publicKey, secretKey: try ZMQ.curveKeypair().secretKey)
        let good = try worker(endpoint: coordinator.endpoint, serverKey: coordinator.keys.publicKey, secretKey: admitted.secretKey)

        let (peer, message) = try #require(try coordinator.receive(timeout: .seconds(20)))
        #expect(message.kind == .ready)
        #expect(String(decoding: peer, as: UTF8.self) == good.service.workerID)
        // Nothing ever arrives from the stranger, though it keeps trying.
        let deadline = ContinuousClock.now + .milliseconds(500)
        while ContinuousClock.now < deadline {
            guard let (from, _) = try coordinator.receive(timeout: .milliseconds(100)) else { continue }
            #expect(String(decoding: from, as: UTF8.self) != stranger.service.workerID)
        }
        good.service.requestStop(reason: "test over")
        stranger.service.requestStop(reason: "test over")
        #expect(good.exit() == .stopped(reason: "test over"))
        #expect(stranger.exit() == .stopped(reason: "test over"))
    }

    @Test func malformedKeysAreRefusedBeforeConnecting() {
        var configuration = WorkerConfiguration(endpoint: "tcp://127.0.0.1:1")
        #expect(throws: WorkerError.self) { try configuration.useCurve(serverKey: "too-short", secretKey: nil) }
        let error = #expect(throws: WorkerError.self) {
            try configuration.useCurve(serverKey: String(repeating: "a", count: 40), secretKey: "nope")
        }
        #expect(error?.description.contains("HPO_WORKER_SECRET_KEY") == true)
    }
}
