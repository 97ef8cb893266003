import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire
import Testing

/// Plays one example session against the coordinator core: every `W → C` line that arrives is fed to it, and every
/// `C → W` line must be what it sends, in order. The coordinator is set up as docs/protocol.md's *Example sessions*
/// says (`--cancel-on-stop`, study `digits`, a budget of the session's trials, ASHA with η = 2 from step 1); its
/// optimizer answers every ask at once with the session's next trials, in the order the session first shows them.
/// A HEARTBEAT it sends by itself is caused, when nothing is pending, by ticking until it has sent the worker nothing
/// for `coordinatorHeartbeatInterval` (half the lease timeout: 5 s).
struct CoordinatorSessionPlayer {
    let session: ProtocolDocument.Session
    let configuration: CoordinatorConfiguration
    let studyName: String
    /// The worker, by the routing id `hpo worker` gives itself (`host.pid.xxxx`, the same after a reconnect).
    let worker: WorkerID
    private(set) var machine: CoordinatorStateMachine
    /// Everything the core journaled, in order (a restart replays it).
    private(set) var journal: [JournalEvent] = []
    /// Every message the core sent.
    private(set) var sent: [WireMessage] = []
    /// The session's trials as the optimizer proposes them, in the order the session first shows them.
    private let proposals: [Proposal]
    private let origin = ContinuousClock.now
    private var elapsed: Duration = .zero
    /// Messages sent and not yet matched with a line.
    private var pending: [WireMessage] = []

    /// The one-parameter space the sessions' studies are journaled with (the core never reads a trial's values).
    static let space: SearchSpace = try! SearchSpace([
        Parameter(name: "x", kind: .float(low: 0, high: 1, log: false, step: nil))
    ])

    init(_ session: ProtocolDocument.Session) throws {
        self.session = session
        let trials = session.messages.compactMap { if case .trial(let trial) = $0.message { trial } else { nil } }
        let first = try #require(trials.first, "session \"\(session)\" shows no TRIAL")
        let ready = try #require(
            session.messages.lazy.compactMap { if case .ready(let ready) = $0.message { ready } else { nil } }.first,
            "session \"\(session)\" has no READY")
        var seen = Set<Int>()
        proposals = trials.filter { seen.insert($0.trialID).inserted }.map { trial in
            Proposal(id: TrialID(rawValue: trial.trialID), assignment: trial.parameters, point: [0.5])
        }
        var configuration = CoordinatorConfiguration(objective: first.objective)
        configuration.trialBudget = proposals.count
        configuration.cancelRunningOnStop = true
        configuration.pruner = .asha(reductionFactor: 2, minResource: 1, maxResource: nil, minEarlyStoppingRate: 0)
        self.configuration = configuration
        studyName = try #require(first.study, "session \"\(session)\": its TRIALs name no study")
        worker = WorkerID("\(ready.host).\(ready.pid).0001")
        machine = CoordinatorStateMachine(
            studyName: studyName, direction: .maximize, space: Self.space, configuration: configuration)
    }

    private var now: ContinuousClock.Instant { origin + elapsed }
    /// How often the player ticks while it waits for the core's own HEARTBEAT (the runtime's default tick).
    private static let tickInterval: Duration = .milliseconds(100)

    /// Feeds `event`, then what the runtime would feed in answer to its actions: `trialSent` after each TRIAL, and
    /// the optimizer's proposals after each ask.
    private mutating func feed(_ event: CoordinatorEvent) {
        var events = [event]
        while !events.isEmpty {
            for action in machine.handle(events.removeFirst(), now: now) {
                switch action {
                case .journal(let appended):
                    journal += appended
                case .send(let peer, let message):
                    #expect(peer == worker, "session \"\(session)\": the core sent \(message) to \(peer)")
                    pending.append(message)
                    sent.append(message)
                    if case .trial(let trial) = message {
                        events.append(.trialSent(trial.key, to: peer))
                    }
                case .requestProposals(let count):
                    let next = proposals.lazy.filter { [machine] in machine.trials[$0.id] == nil }.prefix(count)
                    if !next.isEmpty { events.append(.proposalsReady(Array(next))) }
                case .tellOptimizer, .registerTrial, .log, .finish:
                    break
                }
            }
        }
    }

    /// Plays the whole session; records an issue for every line the core does not play as written.
    mutating func play() throws {
        feed(.start)
        for step in session.steps {
            switch step {
            case .connectionDies, .message(.toCoordinator, _, _, lost: true):
                break
            case .coordinatorRestarts:
                #expect(pending.isEmpty, "session \"\(session)\": the old coordinator also sent \(pending), which the document does not show")
                machine = try CoordinatorStateMachine.replay(
                    journal, studyName: studyName, direction: .maximize, space: Self.space,
                    configuration: configuration, now: now
                ).machine
                feed(.start)
            case .timePasses(let duration):
                elapsed += duration
                feed(.tick)
            case .stopRequested:
                feed(.stopRequested(immediately: false))
            case .message(.toCoordinator, let message, _, lost: false):
                feed(.message(from: worker, message))
            case .message(.toWorker, let message, _, _):
                if pending.isEmpty, case .heartbeat = message {
                    // Tick as the runtime does until the core has sent the worker nothing for its heartbeat cadence.
                    var waited: Duration = .zero
                    while pending.isEmpty && waited < configuration.coordinatorHeartbeatInterval {
                        elapsed += Self.tickInterval
                        waited += Self.tickInterval
                        feed(.tick)
                    }
                }
                let sent = try #require(pending.first, "session \"\(session)\": the core did not send \(message.typeName)")
                pending.removeFirst()
                #expect(sent == message, "session \"\(session)\": the core sent \(sent), the document says \(message)")
            }
        }
        #expect(pending.isEmpty, "session \"\(session)\": the core also sent \(pending), which the document does not show")
    }
}

extension CoordinatorSessionPlayer {
    /// Feeds `message` from the session's worker once the session was played; returns what the core sends back.
    mutating func answer(_ message: WireMessage) -> [WireMessage] {
        let before = sent.count
        feed(.message(from: worker, message))
        pending = []
        return Array(sent[before...])
    }
}
