public import HPOWire

/// Every worker record by id, with the indexes the state machine needs per event kept current on every change:
/// the idle workers (first idle first), the live count, and the retired records due for removal.
///
/// Setting a record through the subscript updates the indexes in O(1), so no event scans all workers.
public struct WorkerTable: Sendable {
    private var records: [WorkerID: WorkerRecord] = [:]
    /// Records in creation order, as (id, joinSequence); entries of removed or re-created records are stale.
    private var order: [(id: WorkerID, sequence: UInt64)] = []
    private var staleOrderEntries = 0
    private var nextSequence: UInt64 = 0
    /// Idle workers, first idle first.
    /// Idle workers that have reported since READY, and idle workers that have only sent READY: the latter are given
    /// trials only while no live worker has reported (docs/protocol.md, *Handshake*).
    private(set) var idle = IdleWorkerQueue()
    private(set) var idleUnreported = IdleWorkerQueue()
    /// Live workers that have reported since READY.
    public private(set) var reportedLiveCount = 0
    /// Workers that are connected and able to run the study's objective (`WorkerRecord.isLive`).
    public private(set) var liveCount = 0
    /// The slots of live workers (`WorkerRecord.slots` summed), for sync batches.
    public private(set) var liveSlotCount = 0
    /// Free slots of serving workers that have reported since READY, and of those that have only sent READY.
    private var freeSlotsReported = 0
    private var freeSlotsUnreported = 0
    /// Retired records (lost, left, incompatible) in the order they retired, with the instant they did.
    private var retired: [(id: WorkerID, since: ContinuousClock.Instant)] = []
    private var retiredHead = 0
    /// The live workers' last-heard and last-sent instants, for the tick's checks.
    public private(set) var liveClocks = LiveWorkerClocks()

    public init() {}

    /// The record for `id`; setting it keeps the indexes current (the join sequence is assigned here).
    public subscript(id: WorkerID) -> WorkerRecord? {
        get { records[id] }
        set {
            let old = records[id]
            guard var new = newValue else {
                if let old {
                    records[id] = nil
                    reindex(old: old, new: nil)
                    staleOrderEntries += 1
                    compactOrderIfSparse()
                }
                return
            }
            if let old {
                new.joinSequence = old.joinSequence
            } else {
                nextSequence += 1
                new.joinSequence = nextSequence
                order.append((id, nextSequence))
            }
            records[id] = new
            reindex(old: old, new: new)
        }
    }

    /// Records that a live worker which has reported before was heard from at `now`, changing nothing else (no index
    /// but its clock moves). Returns false, changing nothing, for any other worker: the caller then sets the record.
    public mutating func noteHeard(_ id: WorkerID, at now: ContinuousClock.Instant) -> Bool {
        guard let index = records.index(forKey: id) else { return false }
        let heard = withStoredRecord(at: index) { record in
            guard record.isLive, record.hasReported else { return false }
            record.lastHeard = now
            return true
        }
        if heard {
            liveClocks.noteHeard(id, at: now)
        }
        return heard
    }

    /// Takes a worker's usual HEARTBEAT: when the worker is live, has reported before and `reported` are exactly the
    /// attempts it holds leases for (``WorkerRecord/runsExactlyItsLeases(_:)``), moves its last-heard clock in place
    /// and returns true, with one lookup of the record. Returns false, changing nothing, for any other HEARTBEAT: the
    /// caller then takes the full path (``noteHeard(_:at:)``, reconciliation).
    public mutating func noteUsualHeartbeat(_ id: WorkerID, reporting reported: [TrialKey], at now: ContinuousClock.Instant) -> Bool {
        guard let index = records.index(forKey: id) else { return false }
        let usual = withStoredRecord(at: index) { record in
            guard record.hasReported, record.runsExactlyItsLeases(reported) else { return false }
            record.lastHeard = now
            return true
        }
        if usual {
            liveClocks.noteHeard(id, at: now)
        }
        return usual
    }

    /// Records that `now` the coordinator sent the worker a message, in place: no index depends on it but the live
    /// clocks (heartbeats go to workers sent nothing for an interval). No effect for an unknown worker.
    public mutating func noteSent(_ id: WorkerID, at now: ContinuousClock.Instant) {
        guard let index = records.index(forKey: id) else { return }
        records.values[index].lastSent = now
        // A no-op unless the worker is live.
        liveClocks.noteSent(id, at: now)
    }

    /// Whether a HEARTBEAT naming `reported` changes nothing for this worker (``WorkerRecord/runsExactlyItsLeases(_:)``);
    /// false for an unknown worker. Mutating only to read the record where it is stored, without a copy.
    public mutating func runsExactlyItsLeases(_ id: WorkerID, _ reported: [TrialKey]) -> Bool {
        guard let index = records.index(forKey: id) else { return false }
        return withStoredRecord(at: index) { $0.runsExactlyItsLeases(reported) }
    }

    /// Whether a record exists for `id`.
    public func contains(_ id: WorkerID) -> Bool {
        records.index(forKey: id) != nil
    }

    /// The number of records.
    public var count: Int { records.count }
    /// Idle workers: serving workers with a free slot that may be given trials.
    public var idleCount: Int { idle.count + (reportedLiveCount == 0 ? idleUnreported.count : 0) }
    /// Free slots of the idle workers (a worker with 4 slots running 1 adds 3).
    public var freeSlotCount: Int { freeSlotsReported + (reportedLiveCount == 0 ? freeSlotsUnreported : 0) }
    /// Entries the idle queue stores, stale ones included (bounded by about twice `idleCount` plus a constant).
    public var idleQueueStorage: Int { idle.storedEntries + idleUnreported.storedEntries }
    /// Records in no particular order.
    public var values: Dictionary<WorkerID, WorkerRecord>.Values { records.values }

    /// Records in the order they were created, produced lazily (a caller that stops early pays only for what it
    /// read; the sequence reads a snapshot, so the table may change while it is iterated).
    public var inJoinOrder: some Sequence<WorkerRecord> {
        let records = self.records
        return order.lazy.compactMap { entry in
            guard let record = records[entry.id], record.joinSequence == entry.sequence else { return nil }
            return record
        }
    }

    /// The worker idle the longest among those that have reported since READY; while none has, among those that only
    /// sent READY. Taken out of the idle index (the caller then gives it a trial; a worker that still has a free slot
    /// afterwards goes to the back of the queue, so slots fill round-robin across workers).
    public mutating func popIdle() -> WorkerID? {
        idle.popFirst() ?? (reportedLiveCount == 0 ? idleUnreported.popFirst() : nil)
    }

    /// Removes retired records whose state has not changed since before `cutoff`; returns their ids.
    public mutating func removeRetired(before cutoff: ContinuousClock.Instant) -> [WorkerID] {
        var removed: [WorkerID] = []
        while retiredHead < retired.count, retired[retiredHead].since <= cutoff {
            let entry = retired[retiredHead]
            retiredHead += 1
            if let record = records[entry.id], record.isRetired, record.stateSince == entry.since {
                self[entry.id] = nil
                removed.append(entry.id)
            }
        }
        if retiredHead > 64, retiredHead * 2 > retired.count {
            retired.removeFirst(retiredHead)
            retiredHead = 0
        }
        return removed
    }

    /// Removes the record that retired first and is still retired (to make room at the cap); returns its id.
    public mutating func removeOldestRetired() -> WorkerID? {
        while retiredHead < retired.count {
            let entry = retired[retiredHead]
            retiredHead += 1
            if let record = records[entry.id], record.isRetired, record.stateSince == entry.since {
                self[entry.id] = nil
                return entry.id
            }
        }
        return nil
    }

    /// Reads or changes the record stored at `index` in place. A plain read of `records` copies the record (retaining
    /// each of its fields), which the paths taken for every message avoid. `body` must not change what the indexes
    /// depend on (state, attempts, slots, whether it reported).
    private mutating func withStoredRecord<R>(
        at index: Dictionary<WorkerID, WorkerRecord>.Index, _ body: (inout WorkerRecord) -> R
    ) -> R {
        body(&records.values[index])
    }

    /// Updates the indexes for one record's change (`nil` = no record).
    private mutating func reindex(old: WorkerRecord?, new: WorkerRecord?) {
        let before = Counted(old)
        let after = Counted(new)
        liveCount += after.live - before.live
        reportedLiveCount += after.reportedLive - before.reportedLive
        liveSlotCount += after.liveSlots - before.liveSlots
        freeSlotsReported += after.freeReported - before.freeReported
        freeSlotsUnreported += after.freeUnreported - before.freeUnreported
        if let new, new.isLive {
            liveClocks.update(new)
        } else if let old, old.isLive {
            liveClocks.remove(old.id)
        }
        let wasIdle = old?.isIdle == true
        let isIdle = new?.isIdle == true
        if wasIdle, let old, !isIdle || old.hasReported != new?.hasReported {
            if old.hasReported { idle.remove(old.id) } else { idleUnreported.remove(old.id) }
        }
        // Idempotent for a worker already queued; puts back one that was popped and still has a free slot.
        if isIdle, let new {
            if new.hasReported { idle.insert(new.id) } else { idleUnreported.insert(new.id) }
        }
        if let new, new.isRetired, old?.isRetired != true || old?.stateSince != new.stateSince {
            retired.append((new.id, new.stateSince))
        }
    }

    /// What one record adds to the counts (each property of the record read once).
    private struct Counted {
        var live = 0, reportedLive = 0, liveSlots = 0, freeReported = 0, freeUnreported = 0

        init(_ record: WorkerRecord?) {
            guard let record, record.isLive else { return }
            live = 1
            liveSlots = record.slots
            let free = record.freeSlots
            if record.hasReported {
                reportedLive = 1
                freeReported = free
            } else {
                freeUnreported = free
            }
        }
    }

    private mutating func compactOrderIfSparse() {
        guard staleOrderEntries > 64, staleOrderEntries * 2 > order.count else { return }
        order = order.filter { records[$0.id]?.joinSequence == $0.sequence }
        staleOrderEntries = 0
    }
}
