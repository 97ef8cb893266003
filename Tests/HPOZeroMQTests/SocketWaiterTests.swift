import HPOTestSupport
import HPOZeroMQ
import Testing

/// `SocketWaiter` against real sockets over TCP loopback: it reports a message, a rung doorbell, a message left
/// waiting after other calls on the socket (libzmq's descriptor is edge-triggered), and nothing when nothing came.
@Suite struct SocketWaiterTests {
    /// A ROUTER on an ephemeral loopback port, a DEALER connected to it, and a doorbell.
    private struct Pair {
        let server: LoopbackRouter
        let dealer: Socket
        let signal: WakeUpSignal
        var router: Socket { server.router }

        init() throws {
            server = try LoopbackRouter()
            dealer = try Socket(server.context, type: .dealer, linger: .zero)
            try dealer.set(.routingID(Array("w".utf8)))
            try dealer.connect(server.endpoint)
            signal = try WakeUpSignal()
        }
    }

    /// Waits (up to 10 s per wait) until the socket is reported ready and reads what waits.
    private static func nextMessages(_ waiter: inout SocketWaiter, _ router: Socket) throws -> [[[UInt8]]] {
        for _ in 0..<1_000 {
            let ready = try waiter.wait(timeout: .seconds(10))
            guard ready.socket else { continue }
            var messages: [[[UInt8]]] = []
            while let frames = try router.tryReceive() { messages.append(frames) }
            if !messages.isEmpty { return messages }
        }
        Issue.record("no message was reported")
        return []
    }

    @Test func aMessageAndARungDoorbellAreReported() throws {
        let pair = try Pair()
        var waiter = try SocketWaiter(socket: pair.router, fileDescriptor: pair.signal.fileDescriptor)
        try pair.dealer.send([Array("hello".utf8)])
        let messages = try Self.nextMessages(&waiter, pair.router)
        #expect(messages == [[Array("w".utf8), Array("hello".utf8)]])

        pair.signal.ring()
        let rung = try waiter.wait(timeout: .seconds(10))
        #expect(rung.descriptor)
        #expect(pair.signal.clear())
    }

    @Test func nothingIsReportedWhenNothingCame() throws {
        let pair = try Pair()
        var waiter = try SocketWaiter(socket: pair.router, fileDescriptor: pair.signal.fileDescriptor)
        // The connection's own setup may wake the socket's descriptor once: read until a wait finds nothing.
        var quiet = SocketWaiter.Readiness(socket: true, descriptor: false)
        for _ in 0..<100 where quiet.socket {
            #expect(try pair.router.tryReceive() == nil)
            quiet = try waiter.wait(timeout: .milliseconds(20))
        }
        #expect(quiet == SocketWaiter.Readiness())
    }

    /// Messages that arrive while the loop sends (a send processes the socket's commands and may consume the
    /// descriptor's signal) are all reported: the waiter asks the socket before it sleeps.
    @Test func messagesThatArriveWhileTheLoopSendsAreAllReported() throws {
        let pair = try Pair()
        var waiter = try SocketWaiter(socket: pair.router, fileDescriptor: pair.signal.fileDescriptor)
        for index in 0..<50 {
            try pair.dealer.send([Array("message \(index)".utf8)])
        }
        var received: [[[UInt8]]] = []
        while received.count < 50 {
            // A wait that missed a waiting message would sleep its full minute and report nothing.
            let ready = try waiter.wait(timeout: .seconds(60))
            #expect(ready.socket, "after \(received.count) of 50 messages")
            guard ready.socket else { break }
            // Read one message, then send, as the coordinator's loop does between its reads and its next wait.
            if let frames = try pair.router.tryReceive() { received.append(frames) }
            try pair.router.send([Array("w".utf8), Array("reply".utf8)])
        }
        #expect(received.count == 50)
        #expect(received.last == [Array("w".utf8), Array("message 49".utf8)])
    }
}
