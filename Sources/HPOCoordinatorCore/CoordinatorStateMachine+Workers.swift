import HPOOptimizer
import HPOWire

extension CoordinatorStateMachine {
    /// READY: a worker announces itself (first time, after a reconnect, or after it was presumed lost).
    mutating func workerReady(
        _ peer: WorkerID, host: String, pid: Int, capabilities: [String], now: ContinuousClock.Instant,
        output: inout ActionBuffer
    ) {
        let compatible = capabilities.contains(configuration.objective.kind)
        let metadata = ["worker.id": peer.description]
        if var existing = workers[peer] {
            let wasAlive = existing.isAlive
            existing.host = host
            existing.pid = pid
            existing.capabilities = capabilities
            existing.isCompatible = compatible
            existing.isAlive = true
            existing.hasLeft = false
            existing.lastHeard = now
            workers[peer] = existing
            if !wasAlive {
                output.journal(.workerJoined(worker: peer, host: host, pid: pid, capabilities: capabilities))
                output.log(.info, "worker \(peer) (\(host) pid \(pid)) is back", metadata)
            }
        } else {
            workers[peer] = WorkerRecord(
                id: peer, host: host, pid: pid, capabilities: capabilities, isCompatible: compatible, now: now)
            workers[peer]?.awaitsFirstReport = !trials.awaitingAdoption.isEmpty
            workerOrder.append(peer)
            output.journal(.workerJoined(worker: peer, host: host, pid: pid, capabilities: capabilities))
            output.log(.info, "worker \(peer) joined (\(host) pid \(pid), runs \(capabilities.joined(separator: ", ")))", metadata)
        }
        if !compatible {
            let reason =
                "this study's objective is kind \"\(configuration.objective.kind)\" but the worker runs only "
                + "[\(capabilities.joined(separator: ", "))]; start a worker built with that objective kind"
            output.journal(.workerLeft(worker: peer, reason: reason))
            output.log(.warning, "worker \(peer) cannot run this study: \(reason)", metadata)
            output.send(errorReply(code: .unsupportedObjective, message: reason), to: peer)
            output.send(shutdownMessage(reason: reason), to: peer)
            workers[peer]?.isAlive = false
        } else {
            output.send(heartbeatMessage(running: workers[peer]?.running), to: peer)
        }
        markSent(peer, now: now)
    }

    /// Records that a peer spoke: refreshes its liveness and brings a presumed-lost worker back.
    ///
    /// A peer becomes a worker only by READY (workers send it first on every connection, so a worker of a previous
    /// coordinator process announces itself again); anything else from an unknown peer is answered by
    /// ``refuseUnannounced(_:what:output:)``.
    /// - Returns: whether the peer is a known, live worker afterwards.
    @discardableResult
    mutating func touch(_ peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) -> Bool {
        if var worker = workers[peer] {
            worker.lastHeard = now
            if !worker.isAlive && worker.isCompatible && !worker.hasLeft {
                worker.isAlive = true
                output.journal(
                    .workerJoined(worker: peer, host: worker.host, pid: worker.pid, capabilities: worker.capabilities ?? []))
                output.log(.info, "worker \(peer) is back after it was presumed lost", ["worker.id": peer.description])
            }
            workers[peer] = worker
            return worker.isAlive
        }
        return false
    }

    /// Answers a peer that spoke before READY: an ERROR (`not_ready`) asking for READY, and a warning. Such a peer
    /// declared no objective kinds, so it is never given a trial and never holds one.
    mutating func refuseUnannounced(_ peer: WorkerID, what: String, output: inout ActionBuffer) {
        let text = "a \(what) from \(peer), which has not sent READY; send READY first"
        output.log(.warning, "refused \(text)", ["worker.id": peer.description])
        output.send(errorReply(code: .notReady, message: text), to: peer)
    }

    /// HEARTBEAT from a worker: liveness, re-adoption after a restart, and leases the worker does not know about.
    mutating func workerHeartbeat(
        _ peer: WorkerID, running key: TrialAttempt?, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard workers[peer] != nil else {
            refuseUnannounced(peer, what: "HEARTBEAT", output: &output)
            return
        }
        guard touch(peer, now: now, output: &output) else { return }
        workers[peer]?.awaitsFirstReport = false
        guard let worker = workers[peer] else { return }
        let metadata = ["worker.id": peer.description]
        if let key {
            guard worker.running != key else { return }
            if let trial = trials[key.trial], case .awaitingAdoption(let attempt, _) = trial.phase, attempt == key.attempt,
                worker.running == nil
            {
                adopt(key, by: peer, now: now, output: &output)
                return
            }
            // The worker runs something it should not (finished elsewhere, or unknown): stop it.
            output.log(.notice, "worker \(peer) reports \(key), which it does not hold: cancelling it", metadata)
            output.send(cancelMessage(key, reason: "the coordinator does not expect this attempt"), to: peer)
            markSent(peer, now: now)
        } else if let held = worker.running {
            guard let trial = trials[held.trial], case .leased(let holder, let attempt, let since) = trial.phase,
                holder == peer, attempt == held.attempt
            else {
                // A cancelled attempt (its trial finished elsewhere) that the worker has dropped: it is free.
                workers[peer]?.running = nil
                return
            }
            if now - since > configuration.leaseTimeout {
                // The TRIAL message never arrived (dropped connection): the worker idles while holding a lease.
                workers[peer]?.running = nil
                requeueOrFail(
                    held.trial, reason: "worker \(peer) reports it is idle while holding \(held)", countsAsRetry: true,
                    now: now, output: &output)
            }
        }
    }

    /// Gives a trial that was running when the previous coordinator stopped back to the worker that runs it.
    mutating func adopt(_ key: TrialAttempt, by peer: WorkerID, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        trials[key.trial]?.phase = .leased(worker: peer, attempt: key.attempt, since: now)
        trials[key.trial]?.holders[key.attempt] = peer
        workers[peer]?.running = key
        output.journal(.trialAdopted(trial: key.trial, attempt: key.attempt, worker: peer))
        output.log(
            .info, "worker \(peer) still runs \(key): lease restored",
            ["worker.id": peer.description, "trial.id": "\(key.trial.rawValue)", "trial.attempt": "\(key.attempt)"])
    }

    /// Declares a worker lost and re-queues (or fails) the trial it held.
    mutating func loseWorker(_ peer: WorkerID, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer) {
        guard var worker = workers[peer], worker.isAlive else { return }
        worker.isAlive = false
        let held = worker.running
        worker.running = nil
        workers[peer] = worker
        output.journal(.workerLost(worker: peer, reason: reason))
        output.log(.warning, "worker \(peer) lost: \(reason)", ["worker.id": peer.description])
        guard let held, let trial = trials[held.trial], case .leased(let holder, let attempt, _) = trial.phase,
            holder == peer, attempt == held.attempt
        else { return }
        if trial.cancelledAttempts.contains(attempt) {
            requeueOrFail(held.trial, reason: "cancelled, and its worker was lost", countsAsRetry: false, now: now, output: &output)
        } else {
            requeueOrFail(held.trial, reason: "worker \(peer) lost: \(reason)", countsAsRetry: true, now: now, output: &output)
        }
    }

    /// Records that a worker is shutting down (it stopped an attempt the coordinator did not cancel): it gets no
    /// new trial (a TRIAL sent now would only come back `stopped`, or fail to send once it disconnected).
    mutating func workerLeaving(_ peer: WorkerID, reason: String, output: inout ActionBuffer) {
        guard var worker = workers[peer], !worker.hasLeft else { return }
        let wasAlive = worker.isAlive
        worker.hasLeft = true
        worker.isAlive = false
        workers[peer] = worker
        guard wasAlive else { return }
        output.journal(.workerLeft(worker: peer, reason: reason))
        output.log(.info, "worker \(peer) is leaving: \(reason)", ["worker.id": peer.description])
    }

    /// Declares lost every worker silent for longer than the lease timeout, and re-queues trials nobody re-adopted.
    mutating func expireLeases(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        let timeout = configuration.leaseTimeout
        for id in workerOrder {
            guard let worker = workers[id], worker.isAlive, now - worker.lastHeard > timeout else { continue }
            loseWorker(id, reason: "silent for more than \(timeout) (heartbeat interval × liveness)", now: now, output: &output)
        }
        for id in trials.awaitingAdoption.sorted() {
            guard case .awaitingAdoption(_, let deadline) = trials[id]?.phase, now >= deadline else { continue }
            requeueOrFail(
                id, reason: "was running when the coordinator stopped and no worker reported it", countsAsRetry: true,
                now: now, output: &output)
        }
    }

    /// Heartbeats every live worker the coordinator has not sent anything for an interval.
    mutating func sendHeartbeats(now: ContinuousClock.Instant, output: inout ActionBuffer) {
        for id in workerOrder {
            guard let worker = workers[id], worker.isAlive, now - worker.lastSent >= configuration.heartbeatInterval else {
                continue
            }
            output.send(heartbeatMessage(running: worker.running), to: id)
            markSent(id, now: now)
        }
    }

    /// Remembers a send to a worker (heartbeats are only needed when nothing else was sent).
    mutating func markSent(_ peer: WorkerID, now: ContinuousClock.Instant) {
        workers[peer]?.lastSent = now
    }

    /// Live workers that can run the study's objective.
    var liveCompatibleWorkerCount: Int {
        workers.values.reduce(0) { $0 + ($1.isAlive && $1.isCompatible ? 1 : 0) }
    }
}
