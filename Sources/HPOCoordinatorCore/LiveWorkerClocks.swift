/// The live workers' liveness clocks (when each was last heard from and last sent to) in dense parallel arrays, so a
/// tick's lease and heartbeat checks read two plain instants per worker: no record is copied and no reference count
/// touched until a worker is selected.
///
/// Kept by `WorkerTable` on every record change: a worker is here exactly while its record `isLive`.
/// - Complexity: `update`, `noteHeard`, `noteSent` and `remove` O(1) on average; `silent` and `unsentTo` O(live
///   workers) plus sorting what they return.
public struct LiveWorkerClocks: Sendable {
    /// Slot `i` of every array below describes the same worker.
    private var ids: [WorkerID] = []
    private var joinSequences: [UInt64] = []
    private var lastHeard: [ContinuousClock.Instant] = []
    private var lastSent: [ContinuousClock.Instant] = []
    private var position: [WorkerID: Int] = [:]

    /// Live workers tracked.
    public var count: Int { ids.count }

    /// Inserts or refreshes a live record's clocks.
    mutating func update(_ record: WorkerRecord) {
        if let index = position[record.id] {
            joinSequences[index] = record.joinSequence
            lastHeard[index] = record.lastHeard
            lastSent[index] = record.lastSent
        } else {
            position[record.id] = ids.count
            ids.append(record.id)
            joinSequences.append(record.joinSequence)
            lastHeard.append(record.lastHeard)
            lastSent.append(record.lastSent)
        }
    }

    /// Moves a tracked worker's last-heard instant.
    mutating func noteHeard(_ id: WorkerID, at now: ContinuousClock.Instant) {
        if let index = position[id] {
            lastHeard[index] = now
        }
    }

    /// Moves a tracked worker's last-sent instant.
    mutating func noteSent(_ id: WorkerID, at now: ContinuousClock.Instant) {
        if let index = position[id] {
            lastSent[index] = now
        }
    }

    /// Forgets a worker that is no longer live (swap-remove).
    mutating func remove(_ id: WorkerID) {
        guard let index = position.removeValue(forKey: id) else { return }
        let last = ids.count - 1
        if index < last {
            ids.swapAt(index, last)
            joinSequences.swapAt(index, last)
            lastHeard.swapAt(index, last)
            lastSent.swapAt(index, last)
            position[ids[index]] = index
        }
        ids.removeLast()
        joinSequences.removeLast()
        lastHeard.removeLast()
        lastSent.removeLast()
    }

    /// Workers not heard from for longer than `timeout` before `now` (silence counted from `countFrom` when that is
    /// later: the coordinator's own stall), in join order.
    public func silent(longerThan timeout: Duration, now: ContinuousClock.Instant, countFrom: ContinuousClock.Instant?) -> [WorkerID] {
        // Heard after this instant (or counted from a later one) is not silent.
        let heardBy = now - timeout
        if let countFrom, countFrom >= heardBy { return [] }
        return select(lastHeard) { $0 < heardBy }
    }

    /// Workers sent nothing for at least `interval` before `now`, in join order.
    public func unsentTo(for interval: Duration, now: ContinuousClock.Instant) -> [WorkerID] {
        let sentBy = now - interval
        return select(lastSent) { $0 <= sentBy }
    }

    /// The workers whose instant in `clock` passes `include`, in join order.
    private func select(
        _ clock: [ContinuousClock.Instant], _ include: (ContinuousClock.Instant) -> Bool
    ) -> [WorkerID] {
        var chosen: [Int] = []
        for index in clock.indices where include(clock[index]) {
            chosen.append(index)
        }
        if chosen.count > 1 {
            chosen.sort { joinSequences[$0] < joinSequences[$1] }
        }
        return chosen.map { ids[$0] }
    }
}
