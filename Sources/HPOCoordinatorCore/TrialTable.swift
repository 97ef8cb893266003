public import HPOOptimizer

/// Every trial of a study by id, with the running ones indexed and the counts and best trial kept as trials change
/// phase, so per-event checks stay O(1) in the trial count and the counts cannot drift from the trials.
public struct TrialTable: Sendable {
    private var records: [TrialID: TrialRecord] = [:]
    /// Whether larger values are better (for `best`).
    public let direction: Direction
    /// Trials in phase `leased`.
    public private(set) var leased: Set<TrialID> = []
    /// Trials in phase `awaitingAdoption`.
    public private(set) var awaitingAdoption: Set<TrialID> = []
    /// Trials in phase `completed`.
    public private(set) var completedCount = 0
    /// Trials in phase `failed`.
    public private(set) var failedCount = 0
    /// Trials in phase `pruned`.
    public private(set) var prunedCount = 0
    /// The best completed trial and its value (ties: the first to complete).
    public private(set) var best: (trial: TrialID, value: Double)?
    /// Moves on every change made through the subscript, so a reader can tell that nothing it can see changed
    /// (``CoordinatorStateMachine/snapshotStamp``) without comparing records.
    public private(set) var revision: UInt64 = 0

    /// An empty table for a study with this direction.
    public init(direction: Direction) {
        self.direction = direction
    }

    /// The trial with this id; setting it keeps the indexes, counts and best current.
    public subscript(id: TrialID) -> TrialRecord? {
        get { records[id] }
        set {
            revision &+= 1
            let old = records[id]?.phase
            records[id] = newValue
            leased.remove(id)
            awaitingAdoption.remove(id)
            switch newValue?.phase {
            case .leased: leased.insert(id)
            case .awaitingAdoption: awaitingAdoption.insert(id)
            case .queued, .completed, .failed, .pruned, nil: break
            }
            count(old, -1)
            count(newValue?.phase, +1)
            if case .completed(let value) = newValue?.phase, old != newValue?.phase {
                if best.map({ isBetter(value, than: $0.value) }) ?? true { best = (id, value) }
            } else if best?.trial == id {
                // The best trial stopped being completed (a rolled-back result): rare, so a scan is fine.
                best = nil
                for (other, record) in records {
                    if case .completed(let value) = record.phase,
                        best.map({ isBetter(value, than: $0.value) || (value == $0.value && other < $0.trial) }) ?? true
                    {
                        best = (other, value)
                    }
                }
            }
        }
    }

    /// Forgets that the holder of `id` said it runs nothing (its HEARTBEAT names the attempt again: see
    /// `TrialRecord.idleReportedAt`). Changed in place: no index, count or ``revision`` depends on it, and the common
    /// HEARTBEAT then costs no copy of the record.
    public mutating func clearIdleReport(_ id: TrialID) {
        guard let index = records.index(forKey: id) else { return }
        records.values[index].idleReportedAt = nil
    }

    /// The number of trials.
    public var count: Int { records.count }
    /// Trial ids in no particular order.
    public var keys: Dictionary<TrialID, TrialRecord>.Keys { records.keys }
    /// Trials in no particular order.
    public var values: Dictionary<TrialID, TrialRecord>.Values { records.values }
    /// Trials leased or awaiting adoption.
    public var runningCount: Int { leased.count + awaitingAdoption.count }
    /// Trials neither completed, failed nor pruned.
    public var unfinishedCount: Int { records.count - completedCount - failedCount - prunedCount }
    /// Trials that count toward the trial budget: completed and pruned ones.
    public var budgetedCount: Int { completedCount + prunedCount }

    /// Whether `a` is a better objective value than `b` under the study's direction.
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        direction == .maximize ? a > b : a < b
    }

    private mutating func count(_ phase: TrialRecord.Phase?, _ sign: Int) {
        switch phase {
        case .completed: completedCount += sign
        case .failed: failedCount += sign
        case .pruned: prunedCount += sign
        case .queued, .leased, .awaitingAdoption, nil: break
        }
    }
}
