import HPOOptimizer
import HPOWire

extension CoordinatorStateMachine {
    /// READY: a worker announces itself (first time, after a reconnect, or after it was presumed lost or left).
    mutating func workerReady(_ peer: WorkerID, _ ready: Ready, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        let metadata = ["worker.id": peer.description]
        if let pinned = ready.study, pinned != studyName {
            refuseOtherStudy(peer, pinned: pinned, now: now, output: &output)
            return
        }
        let capabilities = ready.capabilities
        let compatible = capabilities.contains(configuration.objective.kind)
        if var existing = workers[peer] {
            let wasLive = existing.isLive
            existing.host = ready.host
            existing.pid = ready.pid
            existing.capabilities = capabilities
            existing.blasKernels = ready.blasKernels.map { String($0.prefix(200)) }
            existing.lastHeard = now
            workers[peer] = existing
            if compatible {
                switch existing.state {
                case .awaitingFirstReport, .idle, .running, .cancelling:
                    break  // A reconnect: the worker keeps running its attempt and reports it in its heartbeats.
                case .presumedLost(let held):
                    setState(peer, returningState(previouslyHeld: held), now: now)
                case .left, .incompatible:
                    setState(peer, returningState(previouslyHeld: nil), now: now)
                }
                if !wasLive {
                    output.journal(.workerJoined(worker: peer, host: ready.host, pid: ready.pid, capabilities: capabilities))
                    output.log(.info, "worker \(peer) (\(ready.host) pid \(ready.pid)) is back", metadata)
                }
            }
        } else {
            guard hasRoomForWorker() else {
                let text =
                    "the coordinator already keeps \(workers.count) worker records (the most it keeps); "
                    + "try again later, or raise the coordinator's worker cap"
                warn("refused worker \(peer): \(text)", peer: peer, now: now, output: &output)
                output.send(errorReply(code: .tooManyWorkers, message: text), to: peer)
                return
            }
            workers[peer] = WorkerRecord(
                id: peer, host: ready.host, pid: ready.pid, capabilities: capabilities,
                state: compatible ? returningState(previouslyHeld: nil) : .incompatible, now: now)
            workers[peer]?.blasKernels = ready.blasKernels.map { String($0.prefix(200)) }
            output.journal(.workerJoined(worker: peer, host: ready.host, pid: ready.pid, capabilities: capabilities))
            output.log(
                .info, "worker \(peer) joined (\(ready.host) pid \(ready.pid), runs \(capabilities.joined(separator: ", ")))",
                metadata)
        }
        guard compatible else {
            let reason =
                "this study's objective is kind \"\(configuration.objective.kind)\" but the worker runs only "
                + "[\(capabilities.joined(separator: ", "))]; start a worker built with that objective kind"
            if let held = workers[peer]?.leasedAttempt {
                requeueOrFail(held.trial, reason: "worker \(peer) can no longer run it", countsAsRetry: false, now: now, output: &output)
            }
            if workers[peer]?.state != .incompatible || workers[peer]?.stateSince == now {
                // Journaled once: a peer that repeats an incompatible READY adds no journal event.
                output.journal(.workerLeft(worker: peer, reason: reason))
            }
            setState(peer, .incompatible, now: now)
            warn("worker \(peer) cannot run this study: \(reason)", peer: peer, now: now, output: &output)
            output.send(errorReply(code: .unsupportedObjective, message: reason), to: peer)
            output.send(shutdownMessage(reason: reason), to: peer)
            markSent(peer, now: now)
            return
        }
        output.send(heartbeatMessage(to: peer), to: peer)
        markSent(peer, now: now)
    }

    /// Sends away a worker pinned to another study: ERROR `wrong_study` and SHUTDOWN, and no record (a record it
    /// had, from an earlier READY, is dropped and its trial re-queued).
    private mutating func refuseOtherStudy(
        _ peer: WorkerID, pinned: String, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        let text =
            "this coordinator runs study \"\(studyName)\" but the worker is pinned to study \"\(pinned)\"; connect it "
            + "to that study's coordinator, or start it with --study \(studyName)"
        if workers[peer] != nil {
            loseWorker(peer, reason: "it announced another study (\(pinned))", now: now, output: &output)
            workers[peer] = nil
        }
        warn("refused worker \(peer): \(text)", peer: peer, now: now, output: &output)
        output.send(errorReply(code: .wrongStudy, message: text), to: peer)
        output.send(shutdownMessage(reason: text), to: peer)
    }

    /// Whether a new worker record fits under `maxWorkers`; at the cap, the oldest retired record makes room.
    private mutating func hasRoomForWorker() -> Bool {
        if workers.count < configuration.maxWorkers { return true }
        return workers.removeOldestRetired() != nil
    }

    /// The state of a worker that (re)joins: it may still run `previouslyHeld`, or (after a coordinator restart)
    /// one of the trials awaiting re-adoption; then it waits for its first report. Otherwise it is idle.
    func returningState(previouslyHeld: TrialAttempt?) -> WorkerRecord.State {
        if previouslyHeld != nil || !trials.awaitingAdoption.isEmpty {
            return .awaitingFirstReport(previouslyHeld: previouslyHeld)
        }
        return .idle
    }

    /// Changes a worker's state (and when it changed); the worker table keeps its indexes current.
    mutating func setState(_ peer: WorkerID, _ state: WorkerRecord.State, now: ContinuousClock.Instant) {
        guard var worker = workers[peer], worker.state != state else { return }
        worker.state = state
        worker.stateSince = now
        workers[peer] = worker
    }

    /// Records that a peer spoke: refreshes its liveness and brings a presumed-lost worker back (it then awaits its
    /// first report if it held an attempt).
    ///
    /// A peer becomes a worker only by READY (workers send it first on every connection, so a worker of a previous
    /// coordinator process announces itself again); anything else from an unknown peer is answered by
    /// ``refuseUnannounced(_:what:output:)``.
    /// - Returns: whether the peer is a known, live worker afterwards (a worker that left or is incompatible is not).
    @discardableResult
    mutating func touch(_ peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) -> Bool {
        // The common case (a live worker that reported before) only moves its clock, in place.
        if workers.noteHeard(peer, at: now) { return true }
        guard var worker = workers[peer] else { return false }
        worker.lastHeard = now
        worker.hasReported = true
        workers[peer] = worker
        if case .presumedLost(let held) = worker.state {
            setState(peer, returningState(previouslyHeld: held), now: now)
            output.journal(.workerJoined(worker: peer, host: worker.host, pid: worker.pid, capabilities: worker.capabilities))
            output.log(.info, "worker \(peer) is back after it was presumed lost", ["worker.id": peer.description])
        }
        return workers[peer]?.isLive == true
    }

    /// Answers a peer that spoke before READY: an ERROR (`not_ready`) asking for READY, and a warning. Such a peer
    /// declared no objective kinds, so it is never given a trial and never holds one.
    mutating func refuseUnannounced(_ peer: WorkerID, what: String, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        let text = "a \(what) from \(peer), which has not sent READY; send READY first"
        warn("refused \(text)", peer: peer, now: now, output: &output)
        output.send(errorReply(code: .notReady, message: text), to: peer)
    }

    /// HEARTBEAT from a worker: liveness, and what it runs reconciled with what it holds.
    mutating func workerHeartbeat(
        _ peer: WorkerID, running reported: [TrialAttempt], now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard workers[peer] != nil else {
            refuseUnannounced(peer, what: "HEARTBEAT", now: now, output: &output)
            return
        }
        guard touch(peer, now: now, output: &output) else { return }
        reconcile(peer, reported: reported, now: now, output: &output)
    }

    /// Brings the worker's state in line with the attempts it says it runs: renews its lease, re-adopts an attempt
    /// it held before it was presumed lost (or one awaiting re-adoption after a restart), cancels attempts it should
    /// not run, and frees it once it no longer runs a cancelled attempt.
    mutating func reconcile(
        _ peer: WorkerID, reported: [TrialAttempt], now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard let worker = workers[peer] else { return }
        var previouslyHeld: TrialAttempt?
        if case .awaitingFirstReport(let held) = worker.state { previouslyHeld = held }
        // A worker runs one trial at a time here; a longer list is cut so a hostile one costs bounded work.
        var seen = Set<TrialAttempt>()
        var next: WorkerRecord.State?
        for key in reported.prefix(Self.maxReportedAttempts) where seen.insert(key).inserted {
            if key == worker.busyAttempt { continue }
            if worker.busyAttempt == nil && next == nil {
                if key == previouslyHeld, readopt(key, by: peer, now: now, output: &output) {
                    next = .running(key)
                    continue
                }
                if let trial = trials[key.trial], case .awaitingAdoption(let attempt, _) = trial.phase, attempt == key.attempt {
                    adopt(key, by: peer, now: now, output: &output)
                    next = .running(key)
                    continue
                }
            }
            // It runs something it should not (finished or handed out elsewhere, or unknown): stop it.
            warn("worker \(peer) reports \(key), which it does not hold: cancelling it", peer: peer, level: .notice, now: now, output: &output)
            cancel(key, on: peer, reason: "the coordinator does not expect this attempt", now: now, output: &output)
            if worker.busyAttempt == nil && next == nil {
                next = .cancelling(key)
            }
        }
        switch worker.state {
        case .running(let held) where seen.contains(held):
            if trials[held.trial]?.idleReportedAt != nil {
                trials[held.trial]?.idleReportedAt = nil
            }
        case .running(let held) where !seen.contains(held):
            releaseIfNeverStarted(held, by: peer, now: now, output: &output)
        case .cancelling(let held) where !seen.contains(held):
            // The cancelled attempt ended without a RESULT (or the RESULT was lost): the worker is free.
            setState(peer, next ?? .idle, now: now)
        case .awaitingFirstReport, .idle:
            setState(peer, next ?? .idle, now: now)
        default:
            break
        }
    }

    /// The most attempts of one HEARTBEAT the coordinator looks at.
    static var maxReportedAttempts: Int { 16 }

    /// A leased worker reports it runs nothing: if the TRIAL was sent more than a lease timeout before, and the worker
    /// says so again a heartbeat interval (of the coordinator's clock) later, the attempt never started or was
    /// dropped: it goes back to the queue as the trial's next attempt, using no retry (the worker was not lost), and
    /// the worker is idle. Heartbeats the worker sent before the TRIAL reached it never count: they are older than
    /// the send, or arrive as one backlog after a coordinator stall.
    private mutating func releaseIfNeverStarted(
        _ held: TrialAttempt, by peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard let trial = trials[held.trial], case .leased(let holder, let attempt, _) = trial.phase, holder == peer,
            attempt == held.attempt
        else {
            setState(peer, .idle, now: now)
            return
        }
        guard let sentAt = trial.sentAt, now - sentAt > configuration.leaseTimeout else { return }
        guard let firstReport = trial.idleReportedAt else {
            trials[held.trial]?.idleReportedAt = now
            return
        }
        guard now - firstReport >= configuration.heartbeatInterval else { return }
        setState(peer, .idle, now: now)
        requeueOrFail(
            held.trial,
            reason: "worker \(peer) reports it is idle \(now - sentAt) after \(held) was sent to it",
            countsAsRetry: false, now: now, output: &output)
    }

    /// Sends CANCEL for an attempt a worker runs; records it as cancelled when the worker held it, so its
    /// `stopped` RESULT is expected and not taken for a shutdown.
    mutating func cancel(
        _ key: TrialAttempt, on peer: WorkerID, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        if trials[key.trial]?.holders[key.attempt] == peer {
            trials[key.trial]?.cancelledAttempts.insert(key.attempt)
        }
        output.send(cancelMessage(key, reason: reason), to: peer)
        markSent(peer, now: now)
    }

    /// Gives a worker that came back after it was presumed lost its old attempt again, when that attempt was
    /// re-queued but not handed out since: the lease is restored, the trial leaves the queue, and the retry its loss
    /// used is given back (the worker was not really lost).
    /// - Returns: false when the attempt cannot be re-adopted (handed out again, finished, or the study is stopping).
    private mutating func readopt(
        _ key: TrialAttempt, by peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) -> Bool {
        guard stop == nil, var trial = trials[key.trial], trial.phase == .queued, trial.attempt == key.attempt,
            trial.holders[key.attempt] == peer
        else { return false }
        trial.phase = .leased(worker: peer, attempt: key.attempt, since: now)
        trial.sentAt = now
        trial.retries = max(0, trial.retries - 1)
        trials[key.trial] = trial
        queue.removeAll { $0 == key.trial }
        setState(peer, .running(key), now: now)
        output.journal(.trialAdopted(trial: key.trial, attempt: key.attempt, worker: peer))
        output.log(
            .info, "worker \(peer) came back still running \(key): lease restored, retry given back",
            ["worker.id": peer.description, "trial.id": "\(key.trial.rawValue)", "trial.attempt": "\(key.attempt)"])
        return true
    }

    /// Gives a trial that was running when the previous coordinator stopped back to the worker that runs it.
    mutating func adopt(_ key: TrialAttempt, by peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        trials[key.trial]?.phase = .leased(worker: peer, attempt: key.attempt, since: now)
        trials[key.trial]?.sentAt = now
        trials[key.trial]?.holders[key.attempt] = peer
        setState(peer, .running(key), now: now)
        output.journal(.trialAdopted(trial: key.trial, attempt: key.attempt, worker: peer))
        output.log(
            .info, "worker \(peer) still runs \(key): lease restored",
            ["worker.id": peer.description, "trial.id": "\(key.trial.rawValue)", "trial.attempt": "\(key.attempt)"])
    }

    /// Declares a worker lost and re-queues (or fails) the trial it held, using a retry unless it was cancelled.
    mutating func loseWorker(_ peer: WorkerID, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard let worker = workers[peer], worker.isLive else { return }
        output.journal(.workerLost(worker: peer, reason: reason))
        output.log(.warning, "worker \(peer) lost: \(reason)", ["worker.id": peer.description])
        var previouslyHeld: TrialAttempt?
        if case .awaitingFirstReport(let held) = worker.state { previouslyHeld = held }
        guard let held = worker.leasedAttempt, let trial = trials[held.trial],
            case .leased(let holder, let attempt, _) = trial.phase, holder == peer, attempt == held.attempt
        else {
            setState(peer, .presumedLost(heldAttempt: previouslyHeld), now: now)
            return
        }
        if trial.cancelledAttempts.contains(attempt) {
            setState(peer, .presumedLost(heldAttempt: nil), now: now)
            requeueOrFail(held.trial, reason: "cancelled, and its worker was lost", countsAsRetry: false, now: now, output: &output)
        } else {
            setState(peer, .presumedLost(heldAttempt: held), now: now)
            // A worker that never reported after READY never showed it reads (an identity that sent READY and
            // vanished): losing it says nothing about the trial, so no retry is used (docs/protocol.md, *Handshake*).
            requeueOrFail(
                held.trial, reason: "worker \(peer) lost: \(reason)", countsAsRetry: worker.hasReported, now: now,
                output: &output)
        }
    }

    /// Records that a worker is shutting down (it stopped an attempt the coordinator did not cancel): it gets no
    /// new trial (a TRIAL sent now would only come back `stopped`, or fail to send once it disconnected).
    mutating func workerLeaving(_ peer: WorkerID, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard let worker = workers[peer], worker.state != .left else { return }
        let wasLive = worker.isLive
        setState(peer, .left, now: now)
        guard wasLive else { return }
        output.journal(.workerLeft(worker: peer, reason: reason))
        output.log(.info, "worker \(peer) is leaving: \(reason)", ["worker.id": peer.description])
    }

    /// Declares lost every worker silent for longer than the lease timeout, re-queues trials nobody re-adopted, and
    /// removes the records of workers retired longer than the grace time.
    mutating func expireLeases(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        let timeout = configuration.leaseTimeout
        for id in workers.liveClocks.silent(longerThan: timeout, now: now, countFrom: resumedAfterStall) {
            loseWorker(id, reason: "silent for more than \(timeout) (heartbeat interval × liveness)", now: now, output: &output)
        }
        for id in trials.awaitingAdoption.sorted() {
            guard case .awaitingAdoption(_, let deadline) = trials[id]?.phase, now >= deadline else { continue }
            requeueOrFail(
                id, reason: "was running when the coordinator stopped and no worker reported it", countsAsRetry: true,
                now: now, output: &output)
        }
    }

    /// Detects that the coordinator itself stalled (no tick for more than a heartbeat interval: starved, stopped,
    /// or blocked on the disk). Workers' messages may still wait unread in the socket, so silence is then counted
    /// from now: a stalled coordinator never declares its workers lost for its own stall.
    mutating func noticeOwnStall(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        defer { lastTick = now }
        guard let last = lastTick, now - last > configuration.heartbeatInterval else { return }
        resumedAfterStall = now
        output.log(
            .notice,
            "the coordinator was stalled for \(now - last) (no tick); worker silence is counted from now",
            [:])
    }

    /// Heartbeats every live worker the coordinator has not sent anything for an interval.
    mutating func sendHeartbeats(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        for id in workers.liveClocks.unsentTo(for: configuration.heartbeatInterval, now: now) {
            output.send(heartbeatMessage(to: id), to: id)
            markSent(id, now: now)
        }
    }

    /// Remembers a send to a worker (heartbeats are only needed when nothing else was sent).
    mutating func markSent(_ peer: WorkerID, now: ContinuousClock.Instant) {
        workers[peer]?.lastSent = now
    }

    /// Live workers that can run the study's objective (kept by the worker table, not counted per event).
    var liveCompatibleWorkerCount: Int { workers.liveCount }
}
