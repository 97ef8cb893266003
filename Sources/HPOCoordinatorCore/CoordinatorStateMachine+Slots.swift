import HPOWire

/// The attempts a worker runs, one per slot: every change of a worker's `attempts` goes through here, so the worker
/// table's idle queue and slot counts stay current (docs/protocol.md, *Slots*).
extension CoordinatorStateMachine {
    /// The worker runs `key` as `hold` (leased, or being cancelled); it is serving afterwards.
    mutating func hold(_ key: TrialKey, _ hold: WorkerRecord.Hold, on peer: WorkerID, now: ContinuousClock.Instant) {
        guard var worker = workers[peer] else { return }
        if worker.state != .serving {
            worker.state = .serving
            worker.stateSince = now
            worker.attempts = [:]
        }
        worker.attempts[key] = hold
        workers[peer] = worker
    }

    /// The worker no longer runs `key` (it ended, was never started, or never arrived): its slot is free.
    mutating func release(_ key: TrialKey, on peer: WorkerID) {
        guard var worker = workers[peer], worker.attempts[key] != nil else { return }
        worker.attempts[key] = nil
        workers[peer] = worker
    }

    /// A leased attempt nobody waits for any more (cancelled, or its trial finished elsewhere): the lease ends, and
    /// the slot stays taken until the worker reports the attempt's end.
    mutating func markCancelling(_ key: TrialKey, on peer: WorkerID) {
        guard var worker = workers[peer], worker.attempts[key] == .leased else { return }
        worker.attempts[key] = .cancelling
        workers[peer] = worker
    }

    /// Whether `worker` may take one more attempt by adoption (a free slot; a worker awaiting its first report runs
    /// nothing the coordinator counts yet).
    func hasRoomToAdopt(_ worker: WorkerRecord) -> Bool {
        worker.isLive && worker.attempts.count < worker.slots
    }

    /// The slots a READY announces, clamped to what the coordinator counts (1...`WorkerRecord.maxSlots`).
    static func countedSlots(_ announced: Int) -> Int {
        min(max(1, announced), WorkerRecord.maxSlots)
    }

    /// The worker's other leased attempts go back to the queue, using no retry: it is shutting down and stops them
    /// (their `stopped` RESULTs then change nothing).
    mutating func requeueLeasedAttempts(
        of peer: WorkerID, reason: String, now: ContinuousClock.Instant, output: inout ActionBuffer
    ) {
        guard let worker = workers[peer] else { return }
        for key in worker.leasedAttempts {
            guard case .leased(let holder, let attempt, _) = trials[key.trial]?.phase, holder == peer,
                attempt == key.attempt
            else { continue }
            requeueOrFail(key.trial, reason: reason, countsAsRetry: false, now: now, output: &output)
        }
    }
}

extension WorkerRecord {
    /// Whether a HEARTBEAT naming `reported` changes nothing: the worker serves, and runs exactly the attempts it
    /// holds leases for, each once (the common case, checked without allocating for a handful of slots).
    func runsExactlyItsLeases(_ reported: [TrialKey]) -> Bool {
        guard state == .serving, reported.count == attempts.count, reported.count <= 8 else { return false }
        for (index, key) in reported.enumerated() {
            guard attempts[key] == .leased, !reported[..<index].contains(key) else { return false }
        }
        return true
    }
}
