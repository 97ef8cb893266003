import Foundation
import HPOTestSupport
import HPOZeroMQ
import Testing

@Suite struct MonitorAndWakeUpTests {
    @Test func wakeUpSignalWakesAPollerFromAnotherThread() throws {
        let signal = try WakeUpSignal()
        #expect(signal.clear() == false)
        let context = try Context()
        let idle = try Socket.bound(context, .pull, to: "inproc://idle-wake")
        var poller = Poller()
        poller.register(idle)
        let index = poller.register(fileDescriptor: signal.fileDescriptor)
        #expect(try poller.poll(timeout: .milliseconds(10)) == [[], []])

        let rung = DispatchSemaphore(value: 0)
        let thread = Thread {
            signal.ring()
            signal.ring()
            rung.signal()
        }
        thread.start()
        let ready = try poller.poll(timeout: .seconds(10))
        #expect(ready[index] == .readable)
        #expect(signal.clear() == true)
        // Two rings may coalesce into one wake-up, but once both rang and it is cleared, it is quiet again.
        #expect(rung.wait(timeout: .now() + 10) == .success)
        _ = signal.clear()
        #expect(try poller.poll(timeout: .zero)[index] == [])
    }

    @Test func monitorReportsHandshakeAndDisconnect() throws {
        let context = try Context()
        let router = try Socket.bound(context, .router)
        let endpoint = try router.lastEndpoint

        let dealer = try Socket(context, type: .dealer, linger: .zero)
        try dealer.set(.reconnectInterval(.milliseconds(10)))
        try dealer.startMonitor("inproc://dealer-monitor", events: [.handshakeSucceeded, .disconnected])
        let monitor = try Socket(context, type: .pair, linger: .zero)
        try monitor.connect("inproc://dealer-monitor")
        try dealer.connect(endpoint)

        let first = try #require(try monitor.receive(timeout: .seconds(10)).flatMap(SocketMonitorEvent.init(frames:)))
        #expect(first.event == .handshakeSucceeded)
        #expect(first.endpoint == endpoint)

        router.close()
        let second = try #require(try monitor.receive(timeout: .seconds(10)).flatMap(SocketMonitorEvent.init(frames:)))
        #expect(second.event == .disconnected)
        #expect(SocketMonitorEvent(frames: [[1, 2]]) == nil)
    }
}
