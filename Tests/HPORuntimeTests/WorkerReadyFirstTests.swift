import Foundation
import HPORuntime
import HPOWire
import HPOZeroMQ
import Testing

/// READY must be the first thing a coordinator hears from a worker on every connection. HEARTBEATs queued while the
/// coordinator was down used to arrive first: a fresh coordinator got a burst of them (each answered), and a restarted
/// one (`--resume`) registered the worker from a HEARTBEAT as `host "", pid 0, capabilities []`.
@Suite(.serialized) struct WorkerReadyFirstTests {
    @Test func aWorkerStartedBeforeTheCoordinatorSaysReadyFirst() throws {
        let probe = try WorkerTestCoordinator()
        let endpoint = probe.endpoint
        probe.router.close()
        let worker = try WorkerUnderTest(endpoint: endpoint, heartbeat: .milliseconds(20))
        Thread.sleep(forTimeInterval: 0.4)   // about 20 heartbeat intervals without a coordinator
        let coordinator = try WorkerTestCoordinator(endpoint: endpoint)
        let (peer, first) = try #require(try coordinator.receive(timeout: .seconds(20)), "the worker never connected")
        #expect(first.kind == .ready, "first message: \(first)")
        try coordinator.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }

    @Test func aWorkerSaysReadyFirstToARestartedCoordinator() throws {
        var first: WorkerTestCoordinator? = try WorkerTestCoordinator()
        let endpoint = first!.endpoint
        let worker = try WorkerUnderTest(endpoint: endpoint, heartbeat: .milliseconds(20))
        _ = try #require(try first!.receive(.ready))
        first!.router.close()
        first = nil
        Thread.sleep(forTimeInterval: 0.4)
        let second = try WorkerTestCoordinator(endpoint: endpoint)
        let (peer, message) = try #require(try second.receive(timeout: .seconds(20)), "no message to the restarted coordinator")
        #expect(message.kind == .ready, "first message: \(message)")
        try second.send(.shutdown(Shutdown(reason: "done")), to: peer)
        #expect(worker.exit() == .shutdown(reason: "done"))
    }
}
