import HPOWire
import HPOWorkerCore
import Testing

/// Plays one example session against the worker's state machine: every `C → W` line that arrives is fed to it, and
/// every `W → C` line must be what it sends, in order. A message the worker sends by itself is caused first when
/// nothing is pending: READY by a completed handshake, PROGRESS and RESULT by its objective reporting them (with the
/// line's contents), HEARTBEAT by an idle heartbeat interval.
struct WorkerSessionPlayer {
    let session: ProtocolDocument.Session
    private(set) var machine: WorkerStateMachine
    private let origin = ContinuousClock.now
    private var elapsed: Duration = .zero
    /// Messages sent and not yet matched with a line.
    private var pending: [WireMessage] = []
    /// The reasons the machine gave its objectives to stop, by attempt.
    private var stopReasons: [TrialKey: String] = [:]
    /// Every message the worker sent.
    private(set) var sent: [WireMessage] = []

    /// A worker configured as the session's first READY says (`hpo worker --slots … --study …`).
    init(_ session: ProtocolDocument.Session) throws {
        self.session = session
        let ready = try #require(
            session.messages.lazy.compactMap { if case .ready(let ready) = $0.message { ready } else { nil } }.first,
            "session \"\(session)\" has no READY")
        var settings = WorkerProtocolSettings(
            endpoint: "tcp://head:5555", host: ready.host, pid: ready.pid, capabilities: ready.capabilities)
        settings.slots = ready.slots
        settings.study = ready.study
        settings.blasKernels = ready.blasKernels
        settings.heartbeatInterval = .seconds(2)
        machine = WorkerStateMachine(settings: settings, now: origin)
    }

    private var now: ContinuousClock.Instant { origin + elapsed }

    private mutating func feed(_ event: WorkerEvent) {
        for action in machine.handle(event, now: now) {
            switch action {
            case .send(let message):
                pending.append(message)
                sent.append(message)
            case .cancel(let key, let reason):
                stopReasons[key] = reason
            case .start, .log, .exit:
                break
            }
        }
    }

    /// Plays the whole session; records an issue for every line the machine does not play as written.
    mutating func play() throws {
        for step in session.steps {
            switch step {
            case .connectionDies, .coordinatorRestarts:
                feed(.disconnected(endpoint: "tcp://head:5555"))
            case .timePasses(let duration):
                elapsed += duration
                feed(.tick)
            case .stopRequested:
                break
            case .message(.toWorker, let message, _, let lost):
                if !lost { feed(.message(message)) }
            case .message(.toCoordinator, let message, _, _):
                if pending.isEmpty { try cause(message) }
                let sent = try #require(pending.first, "session \"\(session)\": the worker did not send \(message.typeName)")
                pending.removeFirst()
                #expect(sent == message, "session \"\(session)\": the worker sent \(sent), the document says \(message)")
            }
        }
        #expect(pending.isEmpty, "session \"\(session)\": the worker also sent \(pending), which the document does not show")
    }

    /// Makes the worker send `message` the way it would by itself.
    private mutating func cause(_ message: WireMessage) throws {
        switch message {
        case .ready:
            feed(.connected(endpoint: "tcp://head:5555"))
        case .progress(let progress):
            feed(.progress(progress))
        case .result(let result):
            if case .stopped(let reason) = result.outcome {
                let asked = try #require(stopReasons[result.key], "session \"\(session)\": \(result.key) stopped, but nothing stopped it")
                #expect(reason == asked, "session \"\(session)\": a stopped RESULT carries the reason its objective was given")
            }
            feed(.finished(result))
        case .heartbeat:
            elapsed += machine.settings.heartbeatInterval
            feed(.tick)
        default:
            Issue.record("session \"\(session)\": a worker does not send \(message.typeName) by itself")
        }
    }
}
