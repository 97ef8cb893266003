import HPOCoordinatorCore
import HPOOptimizer
import HPOSearchSpace
import HPOWire

/// Drives one coordinator core after another with fuzzed input.
struct CoreFuzzer {
    var random: SeededGenerator
    var machine: CoordinatorStateMachine
    let origin = ContinuousClock.now
    var elapsed: Duration = .zero
    var journal: [JournalEvent] = []
    /// Attempts with a terminal journal event in this study: none may be recorded twice. A trial may hold several,
    /// since the late result of an attempt superseded by a retry is journaled too, and the fold keeps the trial's
    /// first (docs/protocol.md, *Idempotency*).
    var finished = Set<TrialKey>()
    var nextTrial = 0
    var requested = 0
    /// TRIALs the core asked to send that the fuzzer has not yet reported as sent.
    var unsent: [(TrialKey, WorkerID)] = []
    var report = FuzzReport()
    /// The last snapshot the fuzzer saw change, with its stamp: an unchanged stamp must mean an unchanged snapshot
    /// (the runtime publishes a snapshot only when its stamp moved).
    var published: (stamp: SnapshotStamp, snapshot: StudySnapshot)?
    /// Peers that behave like workers (a small pool, so their reports hit real leases).
    let peers = (0..<12).map { WorkerID("w\($0)") }

    init(seed: UInt64) {
        random = SeededGenerator(state: seed)
        machine = Self.freshMachine()
    }

    static func freshMachine() -> CoordinatorStateMachine {
        var configuration = CoordinatorConfiguration(objective: ObjectiveDescriptor(kind: "null"))
        configuration.trialBudget = 40
        configuration.maxFailures = 15
        configuration.heartbeatInterval = .seconds(1)
        configuration.liveness = 3
        configuration.maxWorkers = 32
        configuration.retiredRecordGrace = .seconds(20)
        configuration.attemptTimeout = .seconds(40)
        let space = try! SearchSpace([Parameter(name: "x", kind: .float(low: 0, high: 1))])
        return CoordinatorStateMachine(studyName: "fuzz", direction: .maximize, space: space, configuration: configuration)
    }

    mutating func run(frames: Int) -> FuzzReport {
        restart()
        while report.frames < frames && report.problems.isEmpty {
            switch Int.random(in: 0..<1_000, using: &random) {
            case 0..<700:
                fuzzFrame()
            case 700..<800:
                // Mostly the runtime's regular ticks; now and then a stall of the coordinator itself.
                let stalled = Int.random(in: 0..<50, using: &random) == 0
                elapsed += .milliseconds(stalled ? Int64.random(in: 1_000...15_000, using: &random) : Int64.random(in: 0...900, using: &random))
                feed(.tick)
            case 800..<880:
                answerProposals()
            case 880..<970:
                reportSends()
            case 970..<997:
                let peer = randomPeer()
                let undelivered = unsent.filter { $0.1 == peer }.map { key, _ in
                    WireMessage.trial(TrialAssignment(trialID: key.trial.rawValue, attempt: key.attempt, parameters: [:], objective: ObjectiveDescriptor(kind: "null")))
                }
                unsent.removeAll { $0.1 == peer }
                feed(.peerUnreachable(peer, undelivered: undelivered))
            case 997:
                feed(.stopRequested(immediately: Bool.random(using: &random)))
            default:
                let lost = Array(journal.suffix(Int.random(in: 0...3, using: &random)))
                for key in lost.compactMap(\.completedOrFailedAttempt) { finished.remove(key) }
                feed(.journalFailed(reason: "fuzz", lost: lost))
            }
            if machine.isFinished || machine.trials.count > 400 {
                restart()
            }
        }
        return report
    }

    mutating func restart() {
        machine = Self.freshMachine()
        journal = []
        finished = []
        unsent = []
        requested = 0
        published = nil
        report.studies += 1
        feed(.start)
    }

    /// Feeds one event, records its effects, and checks the invariants.
    mutating func feed(_ event: CoordinatorEvent) {
        let actions = machine.handle(event, now: origin + elapsed)
        report.events += 1
        for action in actions {
            switch action {
            case .journal(let events):
                journal += events
                for event in events {
                    guard let key = event.completedOrFailedAttempt else { continue }
                    if finished.contains(where: { $0.trial == key.trial }) { report.lateResults += 1 }
                    if !finished.insert(key).inserted {
                        report.problems.append(
                            "after \(event): attempt \(key.attempt) of trial \(key.trial.rawValue) finished twice in the journal")
                    }
                }
            case .send(let peer, .trial(let trial)):
                report.dispatched += 1
                unsent.append((trial.key, peer))
            case .requestProposals(let count):
                requested = count
            case .registerTrial(let id, _):
                // As a real optimizer does: later proposals take ids after an enqueued trial's.
                nextTrial = max(nextTrial, id.rawValue + 1)
            case .tellOptimizer(_, .completed):
                report.completed += 1
            default:
                break
            }
        }
        let problems = Invariants.violations(machine)
        if !problems.isEmpty {
            report.problems.append("after \(event): \(problems)")
        }
        let stamp = machine.snapshotStamp
        let snapshot = machine.snapshot
        if let published, published.stamp == stamp, published.snapshot != snapshot {
            report.problems.append("after \(event): the snapshot changed but its stamp \(stamp) did not")
        }
        published = (stamp, snapshot)
    }

    mutating func answerProposals() {
        let count = requested > 0 ? requested : Int.random(in: 0...2, using: &random)
        requested = 0
        var proposals: [Proposal] = []
        for _ in 0..<count {
            // Mostly fresh ids; sometimes an id the core already knows (it must ignore it).
            let id = Int.random(in: 0..<10, using: &random) == 0 ? Int.random(in: 0...max(0, nextTrial), using: &random) : nextTrial
            if id == nextTrial { nextTrial += 1 }
            proposals.append(Proposal(id: TrialID(rawValue: id), assignment: ["x": .double(0.5)], point: [0.5]))
        }
        feed(.proposalsReady(proposals))
    }

    mutating func reportSends() {
        guard !unsent.isEmpty else { return }
        let taken = unsent.prefix(Int.random(in: 1...unsent.count, using: &random))
        unsent.removeFirst(taken.count)
        for (key, peer) in taken {
            feed(.trialSent(key, to: peer))
        }
    }

    mutating func randomPeer() -> WorkerID {
        if Int.random(in: 0..<20, using: &random) == 0 {
            return WorkerID(routingID: (0..<Int.random(in: 0...6, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        return peers.randomElement(using: &random)!
    }

    // MARK: Frames

    mutating func fuzzFrame() {
        report.frames += 1
        var peer = randomPeer()
        let message: WireMessage
        if Bool.random(using: &random), let informed = informedMessage() {
            (message, peer) = informed
        } else {
            message = validMessage()
        }
        var frames = WireCodec.encode(message)
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<4:
            break  // valid
        case 4:
            frames = randomFrames()
        default:
            mutate(&frames)
        }
        let event = CoordinatorEvent(decoding: frames, from: peer)
        if case .message = event { report.decoded += 1 }
        feed(event)
    }

    /// A message a worker holding a lease would send (a result, heartbeat or progress for its attempt), or a READY
    /// from a pool peer with no record; nil when nothing is leased and every pool peer has a record.
    mutating func informedMessage() -> (WireMessage, WorkerID)? {
        // A stalled worker coming back with the attempt it held (re-adoption or cancel), or one still cancelling.
        if Int.random(in: 0..<3, using: &random) == 0 {
            let returning = machine.workers.values.flatMap { worker -> [(TrialKey, WorkerID)] in
                switch worker.state {
                case .presumedLost(let held), .awaitingFirstReport(let held):
                    return held.map { ($0, worker.id) }
                case .serving:
                    return worker.attempts.filter { $0.value == .cancelling }.keys.map { ($0, worker.id) }
                case .left, .incompatible:
                    return []
                }
            }
            if let (held, worker) = returning.randomElement(using: &random) {
                let key = TrialKey(trialID: held.trial.rawValue, attempt: held.attempt)
                switch Int.random(in: 0..<5, using: &random) {
                case 0: return (.ready(Ready(host: "h", pid: 1, capabilities: ["null"], slots: randomSlots())), worker)
                case 1: return (.result(TrialResult(trialID: key.trialID, attempt: key.attempt, outcome: .stopped(reason: "cancelled"), duration: .zero)), worker)
                case 2: return (.progress(TrialProgress(trialID: key.trialID, attempt: key.attempt, step: 2, value: 0.1)), worker)
                default: return (.heartbeat(Heartbeat(running: [key])), worker)
                }
            }
        }
        if let id = machine.trials.leased.randomElement(using: &random),
            case .leased(let worker, let attempt, _) = machine.trials[id]?.phase
        {
            let key = TrialKey(trialID: id.rawValue, attempt: attempt)
            switch Int.random(in: 0..<6, using: &random) {
            case 0, 1, 2:
                let outcome: TrialResult.Outcome = Int.random(in: 0..<5, using: &random) == 0
                    ? .failed(reason: "diverged") : .completed(value: Double.random(in: 0...1, using: &random), metrics: [:])
                return (.result(TrialResult(trialID: key.trialID, attempt: key.attempt, outcome: outcome, duration: .zero)), worker)
            case 3, 4:
                // What a worker with several slots says: every attempt it runs.
                let running = machine.workers[worker]?.busyAttempts.map { TrialKey(trialID: $0.trial.rawValue, attempt: $0.attempt) }
                return (.heartbeat(Heartbeat(running: Bool.random(using: &random) ? [key] : running ?? [key])), worker)
            default:
                return (.progress(TrialProgress(trialID: key.trialID, attempt: key.attempt, step: 1, value: 0.5)), worker)
            }
        }
        guard let peer = peers.first(where: { machine.workers[$0]?.isLive != true }) else { return nil }
        return (.ready(Ready(host: "h", pid: 1, capabilities: ["null"], slots: randomSlots())), peer)
    }

    /// Mostly one slot, sometimes two or three (docs/protocol.md, *Slots*).
    mutating func randomSlots() -> Int {
        [1, 1, 2, 3].randomElement(using: &random)!
    }

    /// A valid message of any type, naming trials and attempts the core is likely to know.
    mutating func validMessage() -> WireMessage {
        let trial = Int.random(in: 0...max(1, nextTrial), using: &random)
        let attempt = Int.random(in: 0...3, using: &random)
        let value = [0.5, -1e300, 1e300, 0, Double.random(in: -10...10, using: &random)].randomElement(using: &random)!
        switch Int.random(in: 0..<15, using: &random) {
        case 0, 1:
            let study: String? = [nil, nil, "fuzz", "other"].randomElement(using: &random)!
            let kinds = Bool.random(using: &random) ? ["null"] : ["mlp"]
            return .ready(Ready(host: "h", pid: 1, capabilities: kinds, slots: randomSlots(), study: study))
        case 2, 3, 4:
            let running = (0..<Int.random(in: 0...2, using: &random)).map { _ in
                TrialKey(trialID: Int.random(in: 0...max(1, nextTrial), using: &random), attempt: Int.random(in: 0...3, using: &random))
            }
            return .heartbeat(Heartbeat(running: running))
        case 5:
            return .progress(TrialProgress(trialID: trial, attempt: attempt, step: 1, value: value))
        case 6, 7, 8:
            let outcome: TrialResult.Outcome = [
                .completed(value: value, metrics: ["loss": 1]), .failed(reason: "boom"), .stopped(reason: "cancelled"), .stopped(reason: "busy: no free slot"),
            ].randomElement(using: &random)!
            return .result(TrialResult(trialID: trial, attempt: attempt, outcome: outcome, duration: .milliseconds(5)))
        case 9:
            return .statusRequest
        case 10:
            return .trial(TrialAssignment(trialID: trial, attempt: attempt, parameters: ["x": .double(0.1)], objective: ObjectiveDescriptor(kind: "null"), study: "fuzz"))
        case 11:
            return .cancel(Cancel(trialID: trial, attempt: attempt, reason: "r"))
        case 12:
            return .error(ErrorReply(code: .malformedMessage, message: "m", trial: TrialKey(trialID: trial, attempt: attempt)))
        case 13:
            // In the space, out of it, or naming another study.
            let x = [0.25, 0.5, 1.5].randomElement(using: &random)!
            return .enqueue(Enqueue(parameters: ["x": .double(x)], study: [nil, nil, "fuzz", "other"].randomElement(using: &random)!))
        default:
            return .shutdown(Shutdown(reason: "bye"))
        }
    }

    mutating func randomFrames() -> [[UInt8]] {
        (0..<Int.random(in: 0...4, using: &random)).map { _ in
            (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
    }

    static let splices: [[UInt8]] = [
        "1e999", "-1", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "\"1\"", "[]", "{}",
        "null", "true", "NaN", "-0.0", "1.5", "\"\\u0000\"", "\"\\ud800\"", "{\"a\":1,\"a\":2}",
        String(repeating: "[", count: 70), "\"" + String(repeating: "x", count: 300) + "\"",
    ].map { Array($0.utf8) }

    static let types: [[UInt8]] = [
        "READY", "TRIAL", "PROGRESS", "RESULT", "HEARTBEAT", "CANCEL", "SHUTDOWN", "ERROR", "STATUS_REQUEST",
        "STATUS_REPLY", "ready", "", "HEARTBEATS",
    ].map { Array($0.utf8) }

    /// Flips, truncates, splices, retypes or rearranges frames.
    mutating func mutate(_ frames: inout [[UInt8]]) {
        guard !frames.isEmpty else { return }
        let index = frames.count > 2 && Int.random(in: 0..<4, using: &random) > 0 ? 2 : Int.random(in: 0..<frames.count, using: &random)
        var frame = frames[index]
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where !frame.isEmpty:
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                frame[Int.random(in: 0..<frame.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
        case 1:
            frame = Array(frame.prefix(Int.random(in: 0...frame.count, using: &random)))
        case 2, 3:
            // Replace a value (the text after a random ':') with a hostile one.
            let colons = frame.indices.filter { frame[$0] == UInt8(ascii: ":") }
            if let colon = colons.randomElement(using: &random) {
                let end = frame[(colon + 1)...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") } ?? frame.endIndex
                frame.replaceSubrange((colon + 1)..<end, with: Self.splices.randomElement(using: &random)!)
            }
        case 4:
            frames[1] = Self.types.randomElement(using: &random)!
            return
        case 5:
            frames.append(frame)
            return
        case 6:
            frames.remove(at: index)
            return
        default:
            frame = Array("hpo/\(Int.random(in: 0...3, using: &random))".utf8)
            frames[0] = frame
            return
        }
        frames[index] = frame
    }
}
