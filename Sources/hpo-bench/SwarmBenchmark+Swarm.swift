import Foundation
import HPOWire
import HPOZeroMQ

/// Many protocol-speaking DEALER sockets in one thread: each sends READY, heartbeats when it has sent nothing for a
/// second (naming the trial it holds), and either holds its TRIAL or answers it at once with a null RESULT.
final class Swarm {
    /// One simulated worker.
    private struct Member {
        let socket: Socket
        var held: TrialKey?
        var nextHeartbeat: ContinuousClock.Instant
        var gone = false
    }

    /// libzmq's default limit is 1,023 sockets per context; stay below it.
    private static let socketsPerContext = 1_000
    private static let heartbeatInterval: Duration = .seconds(1)

    private let contexts: [Context]
    private var members: [Member] = []
    private var poller = Poller()
    private let answersTrials: Bool
    private let clock = ContinuousClock()

    /// Members holding a trial now.
    private(set) var holding = 0
    /// RESULTs sent.
    private(set) var results = 0
    /// HEARTBEATs sent and received.
    private(set) var heartbeatsSent = 0
    private(set) var heartbeatsReceived = 0
    /// Members the coordinator shut down, and those it refused (ERROR).
    private(set) var shutDown = 0
    private(set) var lost = 0
    /// When the first TRIAL arrived and the last RESULT was sent.
    private(set) var firstTrialAt: ContinuousClock.Instant?
    private(set) var lastResultAt: ContinuousClock.Instant?

    /// Connects `workers` DEALERs to `endpoint` and sends each one's READY (capabilities: null).
    init(workers: Int, endpoint: String, answersTrials: Bool) throws {
        self.answersTrials = answersTrials
        contexts = try (0..<((workers + Self.socketsPerContext - 1) / Self.socketsPerContext)).map { _ in try Context() }
        let now = clock.now
        let pid = Int(getpid())
        for index in 0..<workers {
            let socket = try Socket(contexts[index / Self.socketsPerContext], type: .dealer, linger: .zero)
            try socket.set(.routingID(Array("swarm.\(pid).\(index)".utf8)))
            try socket.connect(endpoint)
            try socket.send(WireCodec.encode(.ready(Ready(host: "swarm", pid: pid, capabilities: ["null"]))))
            // Spread the heartbeats over the second so they do not arrive in one burst.
            let offset = Self.heartbeatInterval * Double(index) / Double(workers)
            members.append(Member(socket: socket, held: nil, nextHeartbeat: now + offset))
            _ = poller.register(socket)
        }
    }

    deinit {
        for member in members { member.socket.close() }
    }

    /// Serves every member until `done()` holds or `deadline` passes: reads what arrived, answers, heartbeats.
    func serve(until deadline: ContinuousClock.Instant, _ done: () -> Bool) throws {
        while !done() {
            let now = clock.now
            if now >= deadline { return }
            let nextBeat = members.lazy.filter { !$0.gone }.map(\.nextHeartbeat).min() ?? deadline
            let wait = max(.zero, min(now.duration(to: nextBeat), now.duration(to: deadline), .milliseconds(100)))
            let ready = try poller.poll(timeout: wait)
            for index in ready.indices where ready[index].contains(.readable) {
                while let frames = try members[index].socket.tryReceive() {
                    try handle(frames, member: index)
                }
            }
            try heartbeat(now: clock.now)
        }
    }

    private func handle(_ frames: [[UInt8]], member index: Int) throws {
        guard let message = try? WireCodec.decode(frames) else { return }
        switch message {
        case .trial(let assignment):
            let now = clock.now
            if firstTrialAt == nil { firstTrialAt = now }
            let key = TrialKey(trialID: assignment.trialID, attempt: assignment.attempt)
            if answersTrials {
                let result = TrialResult(
                    trialID: key.trialID, attempt: key.attempt, outcome: .completed(value: 0, metrics: [:]), duration: .zero)
                try send(.result(result), member: index)
                results += 1
                lastResultAt = now
            } else if members[index].held == nil {
                members[index].held = key
                holding += 1
            }
        case .heartbeat:
            heartbeatsReceived += 1
        case .cancel(let cancel):
            if members[index].held == TrialKey(trialID: cancel.trialID, attempt: cancel.attempt) {
                members[index].held = nil
                holding -= 1
                let stopped = TrialResult(
                    trialID: cancel.trialID, attempt: cancel.attempt, outcome: .stopped(reason: "cancelled"), duration: .zero)
                try send(.result(stopped), member: index)
            }
        case .shutdown:
            if !members[index].gone {
                members[index].gone = true
                shutDown += 1
            }
        case .error:
            if !members[index].gone {
                members[index].gone = true
                lost += 1
            }
        default:
            break
        }
    }

    private func send(_ message: WireMessage, member index: Int) throws {
        try members[index].socket.send(WireCodec.encode(message))
        members[index].nextHeartbeat = clock.now + Self.heartbeatInterval
    }

    /// Sends HEARTBEAT for each member that has sent nothing for a second.
    private func heartbeat(now: ContinuousClock.Instant) throws {
        for index in members.indices where !members[index].gone && members[index].nextHeartbeat <= now {
            let running = members[index].held.map { [$0] } ?? []
            try members[index].socket.send(WireCodec.encode(.heartbeat(Heartbeat(running: running))))
            members[index].nextHeartbeat = now + Self.heartbeatInterval
            heartbeatsSent += 1
        }
    }
}
