import Foundation
import HPOTestSupport
import HPOZeroMQ
import Testing

@Suite struct SocketFaultTests {
    @Test func routerMandatoryThrowsForAnUnknownPeer() throws {
        let context = try Context()
        let router = try Socket(context, type: .router, linger: .zero)
        try router.set(.routerMandatory(true))
        try router.bind("tcp://127.0.0.1:*")
        let error = try #require(throws: ZMQError.self) {
            try router.send([Array("nobody".utf8), Array("hello".utf8)])
        }
        #expect(error.isHostUnreachable)
        #expect(error.description.contains("zmq_send"))
    }

    @Test func routerMandatoryThrowsOnceThePeerIsGone() throws {
        let context = try Context()
        let router = try Socket(context, type: .router, linger: .zero)
        try router.set(.routerMandatory(true))
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = try router.lastEndpoint
        let dealer = try Socket(context, type: .dealer, linger: .zero)
        try dealer.set(.routingID(Array("w".utf8)))
        try dealer.connect(endpoint)
        try dealer.send([Array("ready".utf8)])
        let hello = try #require(try router.receive(timeout: .seconds(10)))
        try router.send([hello[0], Array("ok".utf8)])
        #expect(try dealer.receive(timeout: .seconds(10)) == [Array("ok".utf8)])
        dealer.close()

        // The disconnect reaches the ROUTER asynchronously; keep sending until it refuses (bounded at ~10 s).
        var refusal: ZMQError?
        for _ in 0..<1000 where refusal == nil {
            do {
                try router.send([hello[0], Array("still there?".utf8)])
                _ = try router.receive(timeout: .milliseconds(10))
            } catch {
                refusal = error
            }
        }
        let error = try #require(refusal, "the ROUTER never noticed that its peer closed")
        #expect(error.isHostUnreachable)
    }

    @Test func maxMessageSizeDropsTheConnectionAndTheDealerReconnects() throws {
        let context = try Context()
        let router = try Socket(context, type: .router, linger: .zero)
        try router.set(.maxMessageSize(1_000))
        try router.bind("tcp://127.0.0.1:*")
        let dealer = try Socket(context, type: .dealer, linger: .zero)
        try dealer.set(.reconnectInterval(.milliseconds(10)))
        try dealer.connect(try router.lastEndpoint)

        try dealer.send([Array(repeating: 1, count: 10_000)])
        #expect(try router.receive(timeout: .milliseconds(300)) == nil, "an oversized message must be dropped")

        // The DEALER reconnects by itself; a small message gets through (retry: it may race the reconnect).
        var delivered: [[UInt8]]?
        for attempt in 0..<100 where delivered == nil {
            try dealer.send([Array("small \(attempt)".utf8)])
            delivered = try router.receive(timeout: .milliseconds(100))
        }
        let message = try #require(delivered, "the DEALER never reconnected after the oversized message")
        #expect(String(decoding: message[1], as: UTF8.self).hasPrefix("small"))
    }

    @Test func bindingAnAddressInUseNamesTheEndpoint() throws {
        let context = try Context()
        let first = try Socket.bound(context, .router)
        let endpoint = try first.lastEndpoint
        let second = try Socket(context, type: .router, linger: .zero)
        let error = try #require(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(error.isAddressInUse)
        #expect(error.description.contains(endpoint))
        #expect(error.description.contains("zmq_bind"))
    }

    @Test func aMalformedEndpointIsRejectedWithTheEndpoint() throws {
        let context = try Context()
        let socket = try Socket(context, type: .dealer, linger: .zero)
        let error = try #require(throws: ZMQError.self) { try socket.connect("tcp://no-port-here") }
        #expect(error.description.contains("tcp://no-port-here"))
    }

    @Test func aClosedSocketThrowsInsteadOfCrashing() throws {
        let context = try Context()
        let socket = try Socket(context, type: .dealer, linger: .zero)
        socket.close()
        socket.close()
        #expect(socket.isClosed)
        #expect(throws: ZMQError.self) { try socket.send([[1]]) }
    }

    @Test func contextTerminatesWithUnsentMessages() throws {
        // A DEALER connected to nobody holds a queued message; linger makes teardown finite.
        var context: Context? = try Context()
        var dealer: Socket? = try Socket(context!, type: .dealer, linger: .milliseconds(10))
        try dealer!.connect("tcp://127.0.0.1:1")
        try dealer!.send([Array("never delivered".utf8)])
        dealer = nil
        context = nil
        #expect(context == nil)
    }

    /// The ETERM must come from the receive that was blocked when the context shut down, not from creating or
    /// binding the socket (which a shutdown that came first would also fail): the thread is seen asleep in the
    /// receive before the shutdown, and the error names `zmq_msg_recv`.
    @Test func shutdownWakesABlockedReceiveOnAnotherThread() throws {
        let context = try Context()
        let finished = DispatchSemaphore(value: 0)
        let receiving = DispatchSemaphore(value: 0)
        let outcome = LockedBox<ZMQError?>(nil)
        let thread = Thread {
            do {
                let socket = try Socket.bound(context, .pull, to: "inproc://blocked")
                ProcessTable.nameCurrentThread("hpo-blocked-rcv")
                receiving.signal()
                _ = try socket.receive()
            } catch let error as ZMQError {
                outcome.set(error)
            } catch {}
            finished.signal()
        }
        thread.start()
        try #require(receiving.wait(timeout: .now() + 10) == .success, "the thread never got to its receive")
        // Blocked: the thread sleeps in the kernel (state S) inside zmq_msg_recv and has not finished.
        let blocked = waitUntil(timeout: .seconds(10)) { ProcessTable.threadStates(named: "hpo-blocked-rcv") == ["S"] }
        #expect(blocked, "the receiving thread never blocked (states \(ProcessTable.threadStates(named: "hpo-blocked-rcv")))")
        #expect(outcome.get() == nil, "the receive returned before the shutdown: \(String(describing: outcome.get()))")
        context.shutdown()
        try #require(finished.wait(timeout: .now() + 10) == .success, "the shutdown did not wake the blocked receive")
        let error = try #require(outcome.get(), "the receive returned without an error after the shutdown")
        #expect(error.isContextTerminated)
        #expect(error.operation == "zmq_msg_recv", "ETERM came from \(error.operation), not from the blocked receive")
    }
}

/// A tiny lock-protected cell for handing a value out of a test thread.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func get() -> Value { lock.withLock { value } }
}
