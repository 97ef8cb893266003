import Foundation
import HPOTestSupport
import HPOZeroMQ
import Testing

@Suite struct SocketRoundTripTests {
    static func uniqueIPCPath() -> String {
        "ipc:///tmp/hpo-zmq-test-\(getpid())-\(UUID().uuidString.prefix(8)).sock"
    }

    /// Binds a ROUTER at `endpoint`, connects a DEALER, and bounces one multipart message both ways.
    func roundTrip(bindingTo endpoint: String) throws {
        let context = try Context()
        let router = try Socket(context, type: .router, linger: .zero)
        try router.bind(endpoint)
        let bound = try router.lastEndpoint
        if endpoint.hasSuffix(":*") {
            #expect(!bound.hasSuffix(":*"), "lastEndpoint should carry the chosen port, got \(bound)")
        }
        let dealer = try Socket(context, type: .dealer, linger: .zero)
        try dealer.set(.routingID(Array("worker-1".utf8)))
        try dealer.connect(bound)

        let payload: [[UInt8]] = [Array("hpo".utf8), [], Array(repeating: 7, count: 100_000), [0, 1, 2]]
        try dealer.send(payload)
        let received = try #require(try router.receive(timeout: .seconds(10)))
        #expect(received.first == Array("worker-1".utf8))
        #expect(Array(received.dropFirst()) == payload)

        try router.send([received[0], Array("reply".utf8)])
        let reply = try #require(try dealer.receive(timeout: .seconds(10)))
        #expect(reply == [Array("reply".utf8)])
        #expect(try dealer.routingID == Array("worker-1".utf8))
    }

    @Test func routerDealerOverTCPLoopbackWithEphemeralPort() throws {
        try roundTrip(bindingTo: "tcp://127.0.0.1:*")
    }

    @Test func routerDealerOverIPC() throws {
        let endpoint = Self.uniqueIPCPath()
        defer { unlink(String(endpoint.dropFirst("ipc://".count))) }
        try roundTrip(bindingTo: endpoint)
    }

    @Test func inprocPairWakesAnotherThread() throws {
        let context = try Context()
        let receiver = try Socket.bound(context, .pair, to: "inproc://wake")
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                let sender = try Socket(context, type: .pair, linger: .zero)
                try sender.connect("inproc://wake")
                try sender.send([Array("wake".utf8)])
            } catch {
                Issue.record("sender thread failed: \(error)")
            }
            done.signal()
        }
        thread.start()
        let message = try #require(try receiver.receive(timeout: .seconds(10)))
        #expect(message == [Array("wake".utf8)])
        done.wait()
    }

    @Test func nonBlockingCallsSayNotNow() throws {
        let context = try Context()
        let dealer = try Socket(context, type: .dealer, linger: .zero)
        #expect(try dealer.tryReceive() == nil)
        // A DEALER without any connection has nowhere to queue a message.
        #expect(try dealer.trySend([Array("x".utf8)]) == false)
    }

    @Test func pollTimesOutWithNothingReady() throws {
        let context = try Context()
        let router = try Socket.bound(context, .router)
        let pull = try Socket.bound(context, .pull, to: "inproc://nothing")
        var poller = Poller()
        poller.register(router)
        poller.register(pull)
        let ready = try poller.poll(timeout: .milliseconds(50))
        #expect(ready == [[], []])
        #expect(try router.receive(timeout: .milliseconds(20)) == nil)
    }

    @Test func pollReportsTheReadySocket() throws {
        let context = try Context()
        let pull = try Socket.bound(context, .pull, to: "inproc://ready")
        let idle = try Socket.bound(context, .pull, to: "inproc://idle")
        let push = try Socket(context, type: .push, linger: .zero)
        try push.connect("inproc://ready")
        try push.send([[42]])
        var poller = Poller()
        poller.register(idle)
        poller.register(pull)
        let ready = try poller.poll(timeout: .seconds(10))
        #expect(ready == [[], .readable])
        #expect(try pull.tryReceive() == [[42]])
    }
}
