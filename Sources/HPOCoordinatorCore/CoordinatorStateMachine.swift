public import HPOOptimizer
public import HPOSearchSpace
import HPOWire

/// The coordinator's trial lifecycle as a pure state machine: `(event, now) -> [action]`.
///
/// It never touches a socket, clock, file or logger: the runtime feeds it `CoordinatorEvent`s with the time it
/// saw them and carries out the returned `CoordinatorAction`s in order (journal first). Guarantees:
/// - a trial is queued -> leased(worker, attempt) -> completed | failed, or re-queued with the same parameters and
///   `attempt + 1` when its worker is lost (silent for `heartbeatInterval × liveness`), up to `retries` times;
/// - a result is recorded once per trial: a late result of a presumed-lost worker is accepted if the trial has not
///   finished yet, and ignored otherwise; a result for an unknown trial, or from a worker that never held that
///   attempt, is refused with an ERROR reply and a log line;
/// - every journal event that a dispatch or reply depends on comes before it in the action list.
public struct CoordinatorStateMachine: Sendable {
    /// The study's name (journal, logs).
    public let studyName: String
    /// Whether larger objective values are better.
    public let direction: Direction
    /// The search space the trials come from (journaled so a resume can check it did not change).
    public let space: SearchSpace
    /// Budget, batching, liveness and retries.
    public let configuration: CoordinatorConfiguration

    /// Every trial proposed so far, by id.
    public internal(set) var trials: TrialTable
    /// Every peer that joined as a worker, by id.
    public internal(set) var workers = WorkerTable()
    /// Whether the session is over (`finish` was emitted).
    public internal(set) var isFinished = false

    /// Trials waiting for a worker, in dispatch order (re-queued trials go first).
    var queue: [TrialID] = []
    /// Trials waiting for a worker, in dispatch order (read-only, for status and invariant checks).
    public var queuedTrials: [TrialID] { queue }
    /// Sessions started so far (1 for a first run).
    var session = 0
    /// When this session started.
    var startedAt: ContinuousClock.Instant?
    /// Proposals asked for and not yet answered.
    var outstandingRequest = 0
    /// The optimizer answered an ask with nothing; do not ask again until a result arrives.
    var optimizerExhausted = false
    /// Set once the session is winding down.
    var stop: PendingStop?
    /// Sync mode: the trials of the batch in flight, and tells held back until the batch is done.
    var currentBatch: Set<TrialID> = []
    var heldTells: [(TrialID, TrialOutcome)] = []
    /// Foreign (non-hpo) messages dropped since the last log line about them, and when that line was written.
    var foreignDropsSinceNotice = 0
    var lastForeignNotice: ContinuousClock.Instant?
    /// Rate limit of the warnings peers can cause.
    var warnings = WarningLimiter()
    /// The previous tick (the runtime ticks far more often than every heartbeat interval).
    var lastTick: ContinuousClock.Instant?
    /// When the coordinator last resumed after a stall of its own: silence is counted from no earlier than this.
    var resumedAfterStall: ContinuousClock.Instant?
    /// The early-stopping rule and what it recorded (rebuilt from the journal on resume).
    public internal(set) var pruner: any Pruner
    /// Which PROGRESS reports become journal rows.
    var curves: ProgressCoalescer
    /// Trials enqueued before `.start` (``enqueue(_:)``), journaled right after the session's `studyStarted`.
    var enqueuedBeforeStart: [JournalEvent] = []
    /// ENQUEUE requests waiting for an id, and enqueued trials still queued (`+EnqueueRequests`).
    var enqueues = EnqueueBook()

    /// Why and how the session is winding down.
    struct PendingStop: Sendable {
        var state: StudyState
        var reason: String
        /// After this, finish even if cancelled trials have not answered (nil: wait for running trials).
        var deadline: ContinuousClock.Instant?
    }

    /// A fresh study.
    public init(studyName: String, direction: Direction, space: SearchSpace, configuration: CoordinatorConfiguration) {
        self.studyName = studyName
        self.direction = direction
        self.space = space
        self.configuration = configuration
        self.trials = TrialTable(direction: direction)
        self.pruner = configuration.pruner.makePruner(direction: direction, isSync: configuration.batchMode == .sync)
        self.curves = ProgressCoalescer(
            maxRows: configuration.progressRowsPerAttempt, minInterval: configuration.progressMinInterval,
            denseRows: configuration.progressDenseRows)
    }

    /// Handles one event and returns what the runtime must do, journal events first.
    ///
    /// - Parameters:
    ///   - event: what happened.
    ///   - now: when the runtime saw it (a monotonic instant; only differences matter).
    /// - Returns: the actions, in order; a single `.journal` action comes first when there are journal events.
    public mutating func handle(_ event: CoordinatorEvent, now: ContinuousClock.Instant) -> [CoordinatorAction] {
        var output = ActionBuffer()
        if isFinished, case .journalFailed(let reason, let lost) = event {
            // The batch that finished the session was lost: the end is decided again from what was committed.
            isFinished = false
            journalFailed(reason: reason, lost: lost, now: now, output: &output)
            return output.actions
        }
        if isFinished {
            handleAfterFinish(event, now: now, output: &output)
            return output.actions
        }
        switch event {
        case .start:
            start(now: now, output: &output)
        case .message(let peer, let message):
            receive(message, from: peer, now: now, output: &output)
        case .malformedMessage(let peer, let reason):
            warn("refused a malformed message from \(peer): \(reason)", peer: peer, now: now, output: &output)
            output.send(errorReply(code: .malformedMessage, message: reason), to: peer)
            markSent(peer, now: now)
        case .oversizeMessage(let peer, let reason):
            warn("dropped a message from \(peer) unread: \(reason)", peer: peer, now: now, output: &output)
            output.send(errorReply(code: .messageTooLarge, message: reason), to: peer)
            markSent(peer, now: now)
        case .unsupportedProtocol(let peer, let version, let reason):
            warn("refused a peer speaking protocol version \(version): \(reason)", peer: peer, now: now, output: &output)
            output.send(errorReply(code: .unsupportedVersion, message: reason), to: peer)
        case .foreignMessage(let peer, let reason):
            dropForeign(from: peer, reason: reason, now: now, output: &output)
        case .peerUnreachable(let peer, let undelivered):
            for case .trial(let assignment) in undelivered {
                requeueUndelivered(
                    assignment.key, to: peer,
                    now: now, output: &output)
            }
            loseWorker(peer, reason: "unreachable (the send failed: the peer disconnected)", now: now, output: &output)
        case .trialSent(let key, let peer):
            trialSent(key, to: peer, now: now)
        case .tick:
            tick(now: now, output: &output)
        case .proposalsReady(let proposals):
            acceptProposals(proposals, now: now, output: &output)
        case .proposalsFailed(let reason):
            outstandingRequest = 0
            output.log(.error, "the optimizer could not propose trials: \(reason)", [:])
            beginStop(state: .failed, reason: "the optimizer failed: \(reason)", cancelRunning: true, now: now, output: &output)
        case .journalFailed(let reason, let lost):
            journalFailed(reason: reason, lost: lost, now: now, output: &output)
        case .stopRequested(let immediately):
            if immediately {
                finish(state: .interrupted, reason: "stopped at once by a second signal", now: now, output: &output)
            } else if stop == nil {
                let verb = configuration.cancelRunningOnStop ? "cancelling" : "waiting for"
                output.log(.notice, "stop requested: no new trials; \(verb) \(runningCount) running", [:])
                beginStop(
                    state: .interrupted, reason: "interrupted by a stop request",
                    cancelRunning: configuration.cancelRunningOnStop, now: now, output: &output)
            }
        }
        if !isFinished {
            admitEnqueues(now: now, output: &output)
            fillIdleWorkers(now: now, output: &output)
            requestProposalsIfNeeded(output: &output)
            checkCompletion(now: now, output: &output)
        }
        return output.actions
    }

    /// After the session ended: answer status requests, and tell workers that still talk to go away.
    private func handleAfterFinish(_ event: CoordinatorEvent, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard case .message(let peer, let message) = event else { return }
        switch message {
        case .statusRequest:
            output.send(.statusReply(statusReport(now: now)), to: peer)
        case .ready, .heartbeat, .progress, .result:
            output.send(shutdownMessage(reason: "the study is over"), to: peer)
        case .enqueue:
            output.send(errorReply(code: .studyClosed, message: closedReason ?? "the study is over"), to: peer)
        default:
            break
        }
    }

    // MARK: Session start and time

    private mutating func start(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard startedAt == nil else { return }
        startedAt = now
        session += 1
        output.journal(
            .studyStarted(
                name: studyName, session: session, direction: direction, space: space,
                objective: configuration.objective, trialBudget: configuration.trialBudget, data: configuration.dataSummary))
        enqueuedBeforeStart.forEach { output.journal($0) }
        enqueuedBeforeStart = []
        output.log(
            .info,
            "study \(studyName) session \(session) started: \(trials.count) trials known, budget "
                + (configuration.trialBudget.map { "\($0) trials" } ?? "none (wall time only)"),
            [:])
    }

    private mutating func tick(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        if let pending = stop, let deadline = pending.deadline, now >= deadline {
            finish(state: pending.state, reason: pending.reason + " (running trials did not stop in time)", now: now, output: &output)
            return
        }
        if stop == nil, let wallTime = configuration.wallTime, let startedAt, now - startedAt >= wallTime {
            let state: StudyState = trials.budgetedCount > 0 ? .completed : .failed
            output.log(.notice, "wall-time budget of \(wallTime) spent: cancelling \(runningCount) running trials", [:])
            beginStop(state: state, reason: "wall-time budget of \(wallTime) spent", cancelRunning: true, now: now, output: &output)
        }
        noticeOwnStall(now: now, output: &output)
        expireLeases(now: now, output: &output)
        expireAttempts(now: now, output: &output)
        removeRetiredWorkers(now: now, output: &output)
        summarizeSuppressedWarnings(now: now, output: &output)
        sendHeartbeats(now: now, output: &output)
    }

    /// The TRIAL for `key` left for `peer`: its lease is timed from now.
    private mutating func trialSent(_ key: TrialKey, to peer: WorkerID, now: ContinuousClock.Instant) {
        guard case .leased(let holder, let attempt, _) = trials[key.trial]?.phase, holder == peer, attempt == key.attempt,
            trials[key.trial]?.sentAt == nil
        else { return }
        trials[key.trial]?.sentAt = now
    }

    // MARK: Stopping

    /// Stops dispatching; optionally cancels running trials; finishes once none runs (see `checkCompletion`).
    mutating func beginStop(
        state: StudyState, reason: String, cancelRunning: Bool, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard stop == nil else { return }
        stop = PendingStop(state: state, reason: reason, deadline: cancelRunning ? now + configuration.leaseTimeout : nil)
        if cancelRunning {
            cancelAllRunning(reason: reason, now: now, output: &output)
        }
    }

    private mutating func cancelAllRunning(reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        for id in trials.leased.sorted() {
            guard case .leased(let worker, let attempt, _) = trials[id]?.phase else { continue }
            trials[id]?.cancelledAttempts.insert(attempt)
            output.send(cancelMessage(TrialKey(trial: id, attempt: attempt), reason: reason), to: worker)
            markSent(worker, now: now)
        }
    }

    /// Finishes when the budget is spent, too many trials failed, or a pending stop has nothing left to wait for.
    mutating func checkCompletion(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard !isFinished else { return }
        if let pending = stop {
            if leasedCount == 0 {
                finish(state: pending.state, reason: pending.reason, now: now, output: &output)
            }
            return
        }
        if let budget = configuration.trialBudget, trials.budgetedCount >= budget && runningCount == 0 {
            finish(state: .completed, reason: "trial budget of \(budget) spent", now: now, output: &output)
        } else if optimizerExhausted && runningCount == 0 && queue.isEmpty && outstandingRequest == 0 {
            finish(state: .exhausted, reason: exhaustedReason, now: now, output: &output)
        }
    }

    /// Ends the session: journals it, shuts the workers down, and emits `finish`.
    mutating func finish(state: StudyState, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard !isFinished else { return }
        isFinished = true
        refuseWaitingEnqueues("study \(studyName) \(state.rawValue) (\(reason)) before the trial was queued", output: &output)
        output.journal(.studyFinished(state: state, reason: reason))
        for worker in workers.inJoinOrder where worker.isLive {
            output.send(shutdownMessage(reason: "study \(studyName) \(state.rawValue): \(reason)"), to: worker.id)
        }
        output.log(state == .failed ? .error : .info, "study \(studyName) \(state.rawValue): \(reason)", [:])
        output.append(.finish(summary(state: state, reason: reason)))
    }

    // MARK: Counting

    /// Trials leased or awaiting adoption.
    var runningCount: Int { trials.runningCount }
    /// Trials leased to a live connection (awaiting-adoption ones cannot be waited for once stopping).
    var leasedCount: Int { trials.leased.count }

}
