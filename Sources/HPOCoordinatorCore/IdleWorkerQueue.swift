/// The idle workers, first-idle first out, with O(1) insert and remove and amortized O(1) `popFirst`.
///
/// Removal is lazy: a removed worker's entry stays in `order` until it reaches the front or the array is compacted
/// (when consumed and stale entries outnumber live ones), so memory stays within twice the idle count plus a
/// constant.
struct IdleWorkerQueue: Sendable {
    /// The generation of each idle worker's live entry.
    private var members: [WorkerID: UInt64] = [:]
    /// Entries in the order workers became idle; entries whose generation is not the member's are stale.
    private var order: [(worker: WorkerID, generation: UInt64)] = []
    private var head = 0
    private var nextGeneration: UInt64 = 0

    /// Idle workers.
    var count: Int { members.count }

    /// Whether the worker is idle.
    func contains(_ worker: WorkerID) -> Bool { members[worker] != nil }

    /// Appends a worker that became idle (no effect if it is idle already).
    mutating func insert(_ worker: WorkerID) {
        guard members[worker] == nil else { return }
        nextGeneration += 1
        members[worker] = nextGeneration
        order.append((worker, nextGeneration))
    }

    /// Removes a worker that is no longer idle.
    mutating func remove(_ worker: WorkerID) {
        guard members.removeValue(forKey: worker) != nil else { return }
        compactIfSparse()
    }

    /// The worker idle the longest, removed from the queue.
    mutating func popFirst() -> WorkerID? {
        while head < order.count {
            let entry = order[head]
            head += 1
            if members[entry.worker] == entry.generation {
                members[entry.worker] = nil
                compactIfSparse()
                return entry.worker
            }
        }
        return nil
    }

    /// Drops consumed and stale entries once they make up more than half of the array, so its size stays within
    /// about twice the idle count (plus a constant) however long the queue cycles.
    private mutating func compactIfSparse() {
        guard order.count > 64, order.count > 2 * members.count else { return }
        order = order[head...].filter { members[$0.worker] == $0.generation }
        head = 0
    }

    /// Entries stored (live and stale), for tests of the memory bound.
    var storedEntries: Int { order.count }
}
