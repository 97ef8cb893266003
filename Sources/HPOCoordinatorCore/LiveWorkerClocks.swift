/// The live workers' liveness clocks (when each was last heard from and last sent to) in one dense array, so a
/// tick's lease and heartbeat checks read a few words per worker instead of copying every record.
///
/// Kept by `WorkerTable` on every record change: a worker is here exactly while its record `isLive`.
/// - Complexity: `update` and `remove` O(1) on average; `silent` and `due` O(live workers) plus sorting what they
///   return.
public struct LiveWorkerClocks: Sendable {
    struct Entry: Sendable {
        var id: WorkerID
        var joinSequence: UInt64
        var lastHeard: ContinuousClock.Instant
        var lastSent: ContinuousClock.Instant
    }

    private var entries: [Entry] = []
    private var position: [WorkerID: Int] = [:]

    /// Live workers tracked.
    public var count: Int { entries.count }

    /// Inserts or refreshes a live record's clocks.
    mutating func update(_ record: WorkerRecord) {
        let entry = Entry(
            id: record.id, joinSequence: record.joinSequence, lastHeard: record.lastHeard, lastSent: record.lastSent)
        if let index = position[record.id] {
            entries[index] = entry
        } else {
            position[record.id] = entries.count
            entries.append(entry)
        }
    }

    /// Moves a tracked worker's last-heard instant.
    mutating func noteHeard(_ id: WorkerID, at now: ContinuousClock.Instant) {
        if let index = position[id] {
            entries[index].lastHeard = now
        }
    }

    /// Forgets a worker that is no longer live (swap-remove).
    mutating func remove(_ id: WorkerID) {
        guard let index = position.removeValue(forKey: id) else { return }
        let last = entries.removeLast()
        if index < entries.count {
            entries[index] = last
            position[last.id] = index
        }
    }

    /// Workers not heard from for longer than `timeout` before `now` (silence counted from `countFrom` when that is
    /// later: the coordinator's own stall), in join order.
    public func silent(longerThan timeout: Duration, now: ContinuousClock.Instant, countFrom: ContinuousClock.Instant?) -> [WorkerID] {
        select { entry in
            now - max(entry.lastHeard, countFrom ?? entry.lastHeard) > timeout
        }
    }

    /// Workers sent nothing for at least `interval` before `now`, in join order.
    public func unsentTo(for interval: Duration, now: ContinuousClock.Instant) -> [WorkerID] {
        select { now - $0.lastSent >= interval }
    }

    private func select(_ include: (Entry) -> Bool) -> [WorkerID] {
        var chosen: [Entry] = []
        for entry in entries where include(entry) {
            chosen.append(entry)
        }
        if chosen.count > 1 {
            chosen.sort { $0.joinSequence < $1.joinSequence }
        }
        return chosen.map(\.id)
    }
}
