import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// Drives a `CoordinatorStateMachine` with a fake clock and a fake optimizer that numbers trials 0, 1, 2, …
struct Harness {
    var machine: CoordinatorStateMachine
    let origin = ContinuousClock.now
    var elapsed: Duration = .zero
    /// Every action returned so far, in order.
    var log: [CoordinatorAction] = []
    /// The next trial id the fake optimizer hands out.
    var nextTrial = 0
    /// The last outstanding proposal request's count.
    var requested: Int?
    /// Feed `trialSent` for every TRIAL at once, as the runtime does after its sends (off: a stalled send).
    var reportsSends = true
    /// Check the core's invariants after every event (off for floods of thousands of peers: the check is O(n)).
    var checksInvariants = true
    /// Remember every action in `log` (off for floods).
    var keepsLog = true

    init(configure: (inout CoordinatorConfiguration) -> Void = { _ in }) {
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null", options: [:]))
        configuration.trialBudget = 4
        // The tests' timings are written for 1 s × 3 (the production default is more tolerant).
        configuration.heartbeatInterval = .seconds(1)
        configuration.liveness = 3
        configure(&configuration)
        machine = CoordinatorStateMachine(
            studyName: "test", direction: .maximize, space: Harness.space, configuration: configuration)
    }

    /// A started study in which each of `workers` joined in turn and got a trial (0, 1, …), then `prefetched` more
    /// proposal requests answered (their trials wait in the queue). `handshake: false` joins with READY alone.
    static func running(
        _ workers: [String], prefetched: Int = 0, handshake: Bool = true,
        configure: (inout CoordinatorConfiguration) -> Void = { _ in }
    ) -> Harness {
        var harness = Harness(configure: configure)
        harness.send(.start)
        for worker in workers {
            if handshake { harness.join(worker) } else { harness.ready(worker) }
            harness.answerProposals()
        }
        for _ in 0..<prefetched { harness.answerProposals() }
        return harness
    }

    static let space: SearchSpace = try! SearchSpace([
        Parameter(name: "x", kind: .float(low: 0, high: 1, log: false, step: nil))
    ])

    var now: ContinuousClock.Instant { origin + elapsed }

    /// Feeds one event; returns its actions (and remembers them and any proposal request).
    @discardableResult
    mutating func send(_ event: CoordinatorEvent) -> [CoordinatorAction] {
        var actions = machine.handle(event, now: now)
        if reportsSends {
            for case .send(let peer, .trial(let trial)) in actions {
                actions += machine.handle(.trialSent(trial.key, to: peer), now: now)
            }
        }
        if keepsLog {
            log += actions
        }
        if checksInvariants {
            let problems = Invariants.violations(machine)
            #expect(problems.isEmpty, "after \(event): \(problems)")
        }
        for case .requestProposals(let count) in actions {
            requested = count
        }
        // As a real optimizer does: later proposals take ids after a registered (enqueued) trial's.
        for case .registerTrial(let id, _) in actions {
            nextTrial = max(nextTrial, id.rawValue + 1)
        }
        return actions
    }

    /// Answers the outstanding proposal request with fresh trials.
    @discardableResult
    mutating func answerProposals() -> [CoordinatorAction] {
        guard let count = requested else { return [] }
        requested = nil
        let proposals = (0..<count).map { _ -> Proposal in
            defer { nextTrial += 1 }
            return Proposal(
                id: TrialID(rawValue: nextTrial), assignment: ["x": .double(Double(nextTrial) / 100)],
                point: [Double(nextTrial) / 100])
        }
        return send(.proposalsReady(proposals))
    }

    /// READY and the HEARTBEAT with which a real worker answers the coordinator's reply (docs/protocol.md,
    /// *Handshake*): the worker has reported, so losing it uses a retry.
    @discardableResult
    mutating func join(_ worker: String, kinds: [String] = ["null", "test-function"]) -> [CoordinatorAction] {
        ready(worker, kinds: kinds) + heartbeat(worker)
    }

    @discardableResult
    mutating func ready(_ worker: String, kinds: [String] = ["null", "test-function"]) -> [CoordinatorAction] {
        send(.message(from: WorkerID(worker), .ready(Ready(host: "h", pid: 7, capabilities: kinds))))
    }

    @discardableResult
    mutating func complete(_ worker: String, trial: Int, attempt: Int = 1, value: Double) -> [CoordinatorAction] {
        send(.message(from: WorkerID(worker), .result(TrialResult(
            trialID: trial, attempt: attempt, outcome: .completed(value: value, metrics: [:]), duration: .milliseconds(100)))))
    }

    @discardableResult
    mutating func report(_ worker: String, trial: Int, attempt: Int = 1, _ outcome: TrialResult.Outcome) -> [CoordinatorAction] {
        send(.message(from: WorkerID(worker), .result(TrialResult(trialID: trial, attempt: attempt, outcome: outcome, duration: .milliseconds(100)))))
    }

    @discardableResult
    mutating func heartbeat(_ worker: String, trial: Int? = nil, attempt: Int? = nil) -> [CoordinatorAction] {
        send(.message(from: WorkerID(worker), .heartbeat(Heartbeat(running: trial.map { [TrialKey(trialID: $0, attempt: attempt ?? 1)] } ?? []))))
    }

    /// Moves the fake clock forward, ticking at least every 0.5 s as the runtime does (a longer gap between ticks
    /// is a stall of the coordinator itself: use `stall`); returns the actions of every tick.
    @discardableResult
    mutating func advance(_ duration: Duration) -> [CoordinatorAction] {
        var actions: [CoordinatorAction] = []
        var left = duration
        repeat {
            let step = min(left, .milliseconds(500))
            elapsed += step
            left -= step
            actions += send(.tick)
        } while left > .zero
        return actions
    }

    /// The coordinator stalls for `duration` (no tick, nothing read), then ticks once.
    @discardableResult
    mutating func stall(_ duration: Duration) -> [CoordinatorAction] {
        elapsed += duration
        return send(.tick)
    }

    /// Every journal event so far.
    var journal: [JournalEvent] {
        log.flatMap { action -> [JournalEvent] in
            if case .journal(let events) = action { return events }
            return []
        }
    }

    /// (trial, attempt) of every TRIAL message sent to `worker` so far.
    func dispatched(to worker: String) -> [TrialKey] {
        log.compactMap { action in
            guard case .send(let peer, .trial(let trial)) = action, peer == WorkerID(worker) else { return nil }
            return trial.key
        }
    }

    /// The trials that completed in the journal, in order.
    var completedTrials: [Int] {
        journal.compactMap { event in
            if case .trialCompleted(let trial, _, _, _, _) = event { return trial.rawValue }
            return nil
        }
    }

    var tells: [(TrialID, TrialOutcome)] {
        log.compactMap { action in
            if case .tellOptimizer(let id, let outcome) = action { return (id, outcome) }
            return nil
        }
    }

    var summary: StudySummary? {
        log.lazy.compactMap { action -> StudySummary? in
            if case .finish(let summary) = action { return summary }
            return nil
        }.first
    }

    /// Messages sent to a peer in `actions`.
    static func messages(_ actions: [CoordinatorAction], to worker: String) -> [WireMessage] {
        actions.compactMap { action in
            guard case .send(let peer, let message) = action, peer == WorkerID(worker) else { return nil }
            return message
        }
    }

    static func errors(_ actions: [CoordinatorAction], to worker: String) -> [String] {
        messages(actions, to: worker).compactMap { message in
            if case .error(let reply) = message { return reply.message }
            return nil
        }
    }
}
