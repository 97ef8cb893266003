import Foundation
import Glibc
import HPOWire
import HPOZeroMQ

/// The attack traffic of `hpo-bench hostile`: four threads, each bounded by its count in `plan` (the command's
/// options) and by `plan.attackLimit`, all to a 127.0.0.1 endpoint. `stop()` ends them early (the study finished).
final class HostileAttack: @unchecked Sendable {
    let plan: HostileBenchmark
    let endpoint: String
    private let lock = NSLock()
    private var stopped = false
    private var sent: [String: Int] = [:]
    private let finished = DispatchGroup()

    init(plan: HostileBenchmark, endpoint: String) {
        precondition(endpoint.hasPrefix("tcp://127.0.0.1:"), "attack traffic goes to 127.0.0.1 only, got \(endpoint)")
        self.plan = plan
        self.endpoint = endpoint
    }

    /// What each attack sent so far.
    var counts: [String: Int] { lock.withLock { sent } }

    func start() {
        let deadline = ContinuousClock.now + plan.attackLimit
        let attacks: [(String, @Sendable (HostileAttack, ContinuousClock.Instant) throws -> Void)] = [
            ("garbage", { try $0.sendGarbage(until: $1) }),
            ("ready_flood", { try $0.floodReady(until: $1) }),
            ("status_flood", { try $0.floodStatus(until: $1) }),
            ("big_frames", { try $0.sendBigFrames(until: $1) }),
        ]
        for (name, body) in attacks {
            finished.enter()
            let thread = Thread { [self] in
                defer { finished.leave() }
                do { try body(self, deadline) } catch { FileHandle.standardError.write(Data("attack \(name): \(error)\n".utf8)) }
            }
            thread.name = "attack-\(name)"
            thread.start()
        }
    }

    /// Stops every attack and waits for the threads (each checks between sends).
    func stop() {
        lock.withLock { stopped = true }
        finished.wait()
    }

    private func shouldGo(_ deadline: ContinuousClock.Instant) -> Bool {
        !lock.withLock { stopped } && ContinuousClock.now < deadline
    }

    private func count(_ name: String) {
        lock.withLock { sent[name, default: 0] += 1 }
    }

    /// Sends without blocking forever: retries a full queue until it drains, the deadline passes or `stop()`.
    private func send(_ socket: Socket, _ frames: [[UInt8]], until deadline: ContinuousClock.Instant) throws -> Bool {
        while shouldGo(deadline) {
            if try socket.trySend(frames) { return true }
            usleep(200)   // The peer's queue is full (back-pressure): let real time pass before trying again.
        }
        return false
    }

    /// Random frames (one to three, 1–64 bytes); one in ten is an hpo-tagged READY that does not decode.
    private func sendGarbage(until deadline: ContinuousClock.Instant) throws {
        try withDealer { socket in
            var generator = SystemRandomNumberGenerator()
            for index in 0..<plan.garbage {
                let frames: [[UInt8]]
                if index % 10 == 9 {
                    frames = [Array("hpo/1".utf8), Array("READY".utf8), Array("{\"protocol_version\": 1, \"host\": [".utf8)]
                } else {
                    frames = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                        (0..<Int.random(in: 1...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    }
                }
                guard try send(socket, frames, until: deadline) else { return }
                count("garbage")
            }
        }
    }

    /// Identities that connect, send a valid READY and disconnect (at most 128 connections open at once; libzmq
    /// allows 1023 sockets per context, and closed ones linger up to 100 ms).
    private func floodReady(until deadline: ContinuousClock.Instant) throws {
        let context = try Context()
        defer { context.shutdown() }
        let ready = WireCodec.encode(.ready(Ready(host: "flood", pid: 1, capabilities: ["test-function"])))
        var open: [Socket] = []
        defer { open.forEach { $0.close() } }
        for index in 0..<plan.readyFlood {
            guard shouldGo(deadline) else { return }
            guard let socket = try Self.dealerUnlessTooMany(context) else {
                // Too many sockets still lingering: close some, let libzmq reap them, then go on.
                while open.count > 64 { open.removeFirst().close() }
                usleep(20_000)
                continue
            }
            try socket.set(.routingID(Array("flood-\(index)".utf8)))
            try socket.connect(endpoint)
            guard try send(socket, ready, until: deadline) else { socket.close(); return }
            count("ready_flood")
            open.append(socket)
            if open.count >= 128 {
                open.removeFirst().close()
            }
        }
    }

    /// A DEALER with a 100 ms linger, or nil when the context has no free socket (EMFILE).
    private static func dealerUnlessTooMany(_ context: Context) throws -> Socket? {
        do {
            return try Socket(context, type: .dealer, linger: .milliseconds(100))
        } catch {
            if error.code == EMFILE { return nil }
            throw error
        }
    }

    /// One client that sends STATUS_REQUESTs and never reads a reply.
    private func floodStatus(until deadline: ContinuousClock.Instant) throws {
        try withDealer(receiveHighWaterMark: 1) { socket in
            let request = WireCodec.encode(.statusRequest)
            for _ in 0..<plan.statusFlood {
                guard try send(socket, request, until: deadline) else { return }
                count("status_flood")
            }
        }
    }

    /// Runs `body` with one DEALER (linger 0) connected to the endpoint in a context of its own, and closes both
    /// afterwards.
    ///
    /// - Parameter receiveHighWaterMark: the DEALER's `ZMQ_RCVHWM`; nil: libzmq's default.
    private func withDealer(receiveHighWaterMark: Int? = nil, _ body: (Socket) throws -> Void) throws {
        let context = try Context()
        defer { context.shutdown() }
        let socket = try Socket(context, type: .dealer, linger: .zero)
        defer { socket.close() }
        if let receiveHighWaterMark { try socket.set(.receiveHighWaterMark(receiveHighWaterMark)) }
        try socket.connect(endpoint)
        try body(socket)
    }

    /// 11 MB READY bodies, each on a new connection (the coordinator drops a connection that sends one).
    private func sendBigFrames(until deadline: ContinuousClock.Instant) throws {
        let context = try Context()
        defer { context.shutdown() }
        let body = [UInt8](repeating: UInt8(ascii: " "), count: 11 << 20)
        let frames = [Array("hpo/1".utf8), Array("READY".utf8), body]
        var open: [Socket] = []
        defer { open.forEach { $0.close() } }
        for _ in 0..<plan.bigFrames {
            let socket = try Socket(context, type: .dealer, linger: .milliseconds(500))
            try socket.connect(endpoint)
            guard try send(socket, frames, until: deadline) else { socket.close(); return }
            count("big_frames")
            open.append(socket)
            if open.count >= 4 { open.removeFirst().close() }
            usleep(20_000)   // Spread the big frames over the run instead of sending them in one burst.
        }
    }
}
