public import HPOOptimizer

/// Every trial of a study by id, with the running ones indexed so per-event checks stay O(1) in the trial count.
public struct TrialTable: Sendable {
    private var records: [TrialID: TrialRecord] = [:]
    /// Trials in phase `leased`.
    public private(set) var leased: Set<TrialID> = []
    /// Trials in phase `awaitingAdoption`.
    public private(set) var awaitingAdoption: Set<TrialID> = []

    public init() {}

    /// The trial with this id; setting it keeps the running indexes current.
    public subscript(id: TrialID) -> TrialRecord? {
        get { records[id] }
        set {
            leased.remove(id)
            awaitingAdoption.remove(id)
            switch newValue?.phase {
            case .leased: leased.insert(id)
            case .awaitingAdoption: awaitingAdoption.insert(id)
            case .queued, .completed, .failed, nil: break
            }
            records[id] = newValue
        }
    }

    /// The number of trials.
    public var count: Int { records.count }
    /// Trial ids in no particular order.
    public var keys: Dictionary<TrialID, TrialRecord>.Keys { records.keys }
    /// Trials in no particular order.
    public var values: Dictionary<TrialID, TrialRecord>.Values { records.values }
    /// Trials leased or awaiting adoption.
    public var runningCount: Int { leased.count + awaitingAdoption.count }
}
