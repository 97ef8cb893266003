import HPOSearchSpace
import HPOWire
import HPOWorkerCore

/// Drives a `WorkerStateMachine` with a fake clock; no sockets, threads or real time.
struct WorkerHarness {
    var machine: WorkerStateMachine
    let origin = ContinuousClock.now
    var elapsed: Duration = .zero
    /// Every action returned so far, in order.
    var log: [WorkerAction] = []

    init(configure: (inout WorkerProtocolSettings) -> Void = { _ in }) {
        var settings = WorkerProtocolSettings(
            endpoint: "tcp://head:5555", host: "node-1", pid: 4242, capabilities: ["null", "test-function"])
        settings.heartbeatInterval = .seconds(1)
        settings.coordinatorTimeout = .seconds(60)
        settings.stopGracePeriod = .seconds(10)
        configure(&settings)
        machine = WorkerStateMachine(settings: settings, now: origin)
    }

    var now: ContinuousClock.Instant { origin + elapsed }

    @discardableResult
    mutating func send(_ event: WorkerEvent) -> [WorkerAction] {
        let actions = machine.handle(event, now: now)
        log += actions
        return actions
    }

    /// Lets `duration` pass and ticks.
    @discardableResult
    mutating func advance(_ duration: Duration) -> [WorkerAction] {
        elapsed += duration
        return send(.tick)
    }

    @discardableResult
    mutating func connect() -> [WorkerAction] { send(.connected(endpoint: "tcp://head:5555")) }

    @discardableResult
    mutating func disconnect() -> [WorkerAction] { send(.disconnected(endpoint: "tcp://head:5555")) }

    @discardableResult
    mutating func receive(_ message: WireMessage) -> [WorkerAction] { send(.message(message)) }

    @discardableResult
    mutating func trial(_ id: Int, attempt: Int = 1, kind: String = "null", study: String? = nil) -> [WorkerAction] {
        receive(.trial(Self.assignment(id, attempt: attempt, kind: kind, study: study)))
    }

    @discardableResult
    mutating func finish(_ id: Int, attempt: Int = 1, _ outcome: TrialResult.Outcome = .completed(value: 0.5, metrics: [:])) -> [WorkerAction] {
        send(.finished(Self.result(id, attempt: attempt, outcome)))
    }

    static func assignment(_ id: Int, attempt: Int = 1, kind: String = "null", study: String? = nil) -> TrialAssignment {
        TrialAssignment(
            trialID: id, attempt: attempt, parameters: ["x": .double(0.5)], objective: ObjectiveDescriptor(kind: kind),
            study: study)
    }

    static func result(_ id: Int, attempt: Int = 1, _ outcome: TrialResult.Outcome = .completed(value: 0.5, metrics: [:])) -> TrialResult {
        TrialResult(trialID: id, attempt: attempt, outcome: outcome, duration: .milliseconds(250))
    }

    static func key(_ id: Int, attempt: Int = 1) -> TrialKey { TrialKey(trialID: id, attempt: attempt) }
}

/// Views of an action list.
extension [WorkerAction] {
    /// The messages sent, in order.
    var sent: [WireMessage] {
        compactMap { if case .send(let message) = $0 { message } else { nil } }
    }

    /// The kinds of the messages sent, in order.
    var sentKinds: [WireMessageKind] { sent.map(\.kind) }

    /// The RESULTs sent, in order.
    var results: [TrialResult] {
        sent.compactMap { if case .result(let result) = $0 { result } else { nil } }
    }

    /// The attempts started.
    var started: [TrialKey] {
        compactMap { if case .start(let assignment) = $0 { assignment.key } else { nil } }
    }

    /// The RESULT refusing an offered attempt unrun: the first RESULT, when no attempt started; else nil.
    var refusal: TrialResult? {
        started.isEmpty ? results.first : nil
    }

    /// The attempts asked to stop, with the reasons.
    var cancelled: [TrialKey] {
        compactMap { if case .cancel(let key, _) = $0 { key } else { nil } }
    }

    /// The exit, if one was emitted.
    var exit: WorkerExit? {
        for case .exit(let exit) in self { return exit }
        return nil
    }

    /// The log lines at `level` or above.
    func logs(atLeast level: WorkerAction.LogLevel) -> [String] {
        let order: [WorkerAction.LogLevel] = [.debug, .info, .notice, .warning, .error]
        return compactMap {
            guard case .log(let lineLevel, let text, _) = $0,
                order.firstIndex(of: lineLevel)! >= order.firstIndex(of: level)! else { return nil }
            return text
        }
    }
}
