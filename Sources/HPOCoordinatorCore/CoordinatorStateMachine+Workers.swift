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
            existing.slots = Self.countedSlots(ready.slots)
            existing.lastHeard = now
            workers[peer] = existing
            if compatible {
                switch existing.state {
                case .awaitingFirstReport, .serving:
                    break  // A reconnect: the worker keeps running its attempts and reports them in its heartbeats.
                case .presumedLost(let held):
                    setState(peer, returningState(previouslyHeld: held), now: now)
                case .left, .incompatible:
                    setState(peer, returningState(previouslyHeld: []), now: now)
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
            var record = WorkerRecord(
                id: peer, host: ready.host, pid: ready.pid, capabilities: capabilities,
                state: compatible ? returningState(previouslyHeld: []) : .incompatible, now: now)
            record.blasKernels = ready.blasKernels.map { String($0.prefix(200)) }
            record.slots = Self.countedSlots(ready.slots)
            workers[peer] = record
            output.journal(.workerJoined(worker: peer, host: ready.host, pid: ready.pid, capabilities: capabilities))
            output.log(
                .info, "worker \(peer) joined (\(ready.host) pid \(ready.pid), runs \(capabilities.joined(separator: ", ")))",
                metadata)
        }
        guard compatible else {
            let reason =
                "this study's objective is kind \"\(configuration.objective.kind)\" but the worker runs only "
                + "[\(capabilities.joined(separator: ", "))]; start a worker built with that objective kind"
            requeueLeasedAttempts(of: peer, reason: "worker \(peer) can no longer run it", now: now, output: &output)
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
    /// trials awaiting re-adoption; then it waits for its first report. Otherwise it is serving, with free slots.
    func returningState(previouslyHeld: [TrialKey]) -> WorkerRecord.State {
        if !previouslyHeld.isEmpty || !trials.awaitingAdoption.isEmpty {
            return .awaitingFirstReport(previouslyHeld: previouslyHeld)
        }
        return .serving
    }

    /// Changes a worker's state (and when it changed); the worker table keeps its indexes current. A worker that
    /// stops serving runs nothing the coordinator counts any more.
    mutating func setState(_ peer: WorkerID, _ state: WorkerRecord.State, now: ContinuousClock.Instant) {
        guard var worker = workers[peer], worker.state != state else { return }
        worker.state = state
        worker.stateSince = now
        if state != .serving { worker.attempts = [:] }
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
        _ peer: WorkerID, running reported: [TrialKey], now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        // The usual one (most messages of a large study): liveness and lease renewal with one record lookup.
        if workers.noteUsualHeartbeat(peer, reporting: reported, at: now) {
            for key in reported { trials.clearIdleReport(key.trial) }
            return
        }
        guard workers.contains(peer) else {
            refuseUnannounced(peer, what: "HEARTBEAT", now: now, output: &output)
            return
        }
        guard touch(peer, now: now, output: &output) else { return }
        reconcile(peer, reported: reported, now: now, output: &output)
    }

    /// Brings the worker's attempts in line with the ones it says it runs: renews their leases, re-adopts attempts
    /// it held before it was presumed lost (or ones awaiting re-adoption after a restart) while it has free slots,
    /// cancels attempts it should not run (they take a slot until they end), and frees the slots of attempts it no
    /// longer runs.
    mutating func reconcile(
        _ peer: WorkerID, reported: [TrialKey], now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        if workers.runsExactlyItsLeases(peer, reported) {
            // The usual heartbeat: nothing to adopt, cancel or free; the leases stand.
            for key in reported { trials.clearIdleReport(key.trial) }
            return
        }
        guard let worker = workers[peer] else { return }
        var previouslyHeld: [TrialKey] = []
        if case .awaitingFirstReport(let held) = worker.state { previouslyHeld = held }
        // It said what it runs: it serves from now on (with the attempts adopted below).
        setState(peer, .serving, now: now)
        // A longer list than the worker's slots (or 16) is cut, so a hostile one costs bounded work.
        var seen = Set<TrialKey>()
        for key in reported.prefix(max(Self.maxReportedAttempts, worker.slots)) where seen.insert(key).inserted {
            guard let current = workers[peer] else { return }
            if current.attempts[key] != nil { continue }
            if current.attempts.count < current.slots {
                if previouslyHeld.contains(key), readopt(key, by: peer, now: now, output: &output) { continue }
                if let trial = trials[key.trial], case .awaitingAdoption(let attempt, _) = trial.phase, attempt == key.attempt {
                    adopt(key, by: peer, now: now, output: &output)
                    continue
                }
            }
            // It runs something it should not (finished or handed out elsewhere, unknown, or beyond its slots).
            warn("worker \(peer) reports \(key), which it does not hold: cancelling it", peer: peer, level: .notice, now: now, output: &output)
            cancel(key, on: peer, reason: "the coordinator does not expect this attempt", now: now, output: &output)
            hold(key, .cancelling, on: peer, now: now)
        }
        var confirming = false
        for key in workers[peer]?.busyAttempts ?? [] {
            switch workers[peer]?.attempts[key] {
            case .leased? where seen.contains(key):
                trials[key.trial]?.idleReportedAt = nil
            case .leased?:
                if releaseIfNeverStarted(key, by: peer, now: now, output: &output) { confirming = true }
            case .cancelling? where !seen.contains(key):
                // The cancelled attempt ended without a RESULT (or the RESULT was lost): its slot is free.
                release(key, on: peer)
            default:
                break
            }
        }
        if confirming, workers[peer]?.isLive == true {
            // The coordinator heartbeats this worker only every `coordinatorHeartbeatInterval`, which may come after
            // the attempt is released: list it now, so a worker whose RESULT was lost sends it again in time
            // (docs/protocol.md, *Heartbeats and liveness*).
            output.send(heartbeatMessage(to: peer), to: peer)
            markSent(peer, now: now)
        }
    }

    /// The most attempts of one HEARTBEAT the coordinator looks at (more for a worker with more slots).
    static var maxReportedAttempts: Int { 16 }

    /// A worker's HEARTBEAT omits an attempt it holds: if the TRIAL was sent more than a lease timeout before, and the worker
    /// says so again a heartbeat interval (of the coordinator's clock) later, the attempt never started or was
    /// dropped: it goes back to the queue as the trial's next attempt, using no retry (the worker was not lost), and
    /// its slot is free. Heartbeats the worker sent before the TRIAL reached it never count: they are older than
    /// the send, or arrive as one backlog after a coordinator stall.
    /// - Returns: whether this report is the first of the two (the caller then lists the attempt to the worker at
    ///   once, so a lost RESULT is sent again before the second report releases the attempt).
    private mutating func releaseIfNeverStarted(
        _ held: TrialKey, by peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) -> Bool {
        guard let trial = trials[held.trial], case .leased(let holder, let attempt, _) = trial.phase, holder == peer,
            attempt == held.attempt
        else {
            release(held, on: peer)
            return false
        }
        guard let sentAt = trial.sentAt, now - sentAt > configuration.leaseTimeout else { return false }
        guard let firstReport = trial.idleReportedAt else {
            trials[held.trial]?.idleReportedAt = now
            return true
        }
        guard now - firstReport >= configuration.heartbeatInterval else { return false }
        release(held, on: peer)
        requeueOrFail(
            held.trial,
            reason: "worker \(peer) reports it is idle \(now - sentAt) after \(held) was sent to it",
            countsAsRetry: false, now: now, output: &output)
        return false
    }

    /// Sends CANCEL for an attempt a worker runs; records it as cancelled when the worker held it, so its
    /// `stopped` RESULT is expected and not taken for a shutdown.
    mutating func cancel(
        _ key: TrialKey, on peer: WorkerID, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer
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
        _ key: TrialKey, by peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) -> Bool {
        guard stop == nil, var trial = trials[key.trial], trial.phase == .queued, trial.attempt == key.attempt,
            trial.holders[key.attempt] == peer
        else { return false }
        trial.phase = .leased(worker: peer, attempt: key.attempt, since: now)
        trial.sentAt = now
        trial.retries = max(0, trial.retries - 1)
        trials[key.trial] = trial
        queue.removeAll { $0 == key.trial }
        hold(key, .leased, on: peer, now: now)
        output.journal(.trialAdopted(trial: key.trial, attempt: key.attempt, worker: peer))
        output.log(
            .info, "worker \(peer) came back still running \(key): lease restored, retry given back",
            ["worker.id": peer.description, "trial.id": "\(key.trial.rawValue)", "trial.attempt": "\(key.attempt)"])
        return true
    }

    /// Gives a trial that was running when the previous coordinator stopped back to the worker that runs it.
    mutating func adopt(_ key: TrialKey, by peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        trials[key.trial]?.phase = .leased(worker: peer, attempt: key.attempt, since: now)
        trials[key.trial]?.sentAt = now
        trials[key.trial]?.holders[key.attempt] = peer
        hold(key, .leased, on: peer, now: now)
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
        var stillHeld: [TrialKey] = []
        if case .awaitingFirstReport(let held) = worker.state { stillHeld = held }
        var lost: [(key: TrialKey, cancelled: Bool)] = []
        for key in worker.leasedAttempts {
            guard let trial = trials[key.trial], case .leased(let holder, let attempt, _) = trial.phase, holder == peer,
                attempt == key.attempt
            else { continue }
            let cancelled = trial.cancelledAttempts.contains(attempt)
            if !cancelled { stillHeld.append(key) }
            lost.append((key, cancelled))
        }
        setState(peer, .presumedLost(heldAttempts: stillHeld), now: now)
        for (key, cancelled) in lost {
            if cancelled {
                requeueOrFail(key.trial, reason: "cancelled, and its worker was lost", countsAsRetry: false, now: now, output: &output)
            } else {
                // A worker that never reported after READY never showed it reads (an identity that sent READY and
                // vanished): losing it says nothing about the trial, so no retry is used (docs/protocol.md, *Handshake*).
                requeueOrFail(
                    key.trial, reason: "worker \(peer) lost: \(reason)", countsAsRetry: worker.hasReported, now: now,
                    output: &output)
            }
        }
    }

    /// Records that a worker is shutting down (it stopped an attempt the coordinator did not cancel): it gets no
    /// new trial (a TRIAL sent now would only come back `stopped`, or fail to send once it disconnected).
    mutating func workerLeaving(_ peer: WorkerID, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard let worker = workers[peer], worker.state != .left else { return }
        let wasLive = worker.isLive
        requeueLeasedAttempts(of: peer, reason: "worker \(peer) is shutting down: \(reason)", now: now, output: &output)
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

    /// Heartbeats every live worker the coordinator has sent nothing for `coordinatorHeartbeatInterval` (half the
    /// lease timeout; a worker heartbeats every interval, the coordinator need not: docs/protocol.md).
    mutating func sendHeartbeats(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        for id in workers.liveClocks.unsentTo(for: configuration.coordinatorHeartbeatInterval, now: now) {
            output.send(heartbeatMessage(to: id), to: id)
            markSent(id, now: now)
        }
    }

    /// Remembers a send to a worker (heartbeats are only needed when nothing else was sent).
    mutating func markSent(_ peer: WorkerID, now: ContinuousClock.Instant) {
        workers.noteSent(peer, at: now)
    }

    /// Live workers that can run the study's objective (kept by the worker table, not counted per event).
    var liveCompatibleWorkerCount: Int { workers.liveCount }
}
