public import HPOSearchSpace

/// The ask/tell bookkeeping every ``Optimizer`` shares: ids, the pending set, results, and distinctness.
///
/// Pure value type; optimizers hold one and add their model on top. Trials are kept in id order, so everything
/// derived from the ledger (training data, pending points) is deterministic.
public struct TrialLedger: Sendable, Hashable {
    /// One known trial.
    public struct Record: Sendable, Hashable {
        public var id: TrialID
        public var assignment: Assignment
        /// `space.encode(assignment)`.
        public var point: [Double]
        /// Nil while pending.
        public var outcome: TrialOutcome?
    }

    /// The space the trials live in.
    public let space: SearchSpace
    /// Every trial, sorted by id.
    public private(set) var records: [Record] = []
    /// The id the next proposal gets: one past the largest id seen.
    public private(set) var nextID = 0
    private var indexByID: [TrialID: Int] = [:]
    private var pointKeys: Set<PointKey> = []

    public init(space: SearchSpace) {
        self.space = space
    }

    /// The record of `id`, if known.
    public func record(_ id: TrialID) -> Record? {
        indexByID[id].map { records[$0] }
    }

    /// Trials asked (or registered) without an outcome yet, in id order.
    public var pending: [Record] { records.filter { $0.outcome == nil } }

    /// Completed trials as (point, value) in id order; values in the study's units.
    public var completed: [(point: [Double], value: Double)] {
        records.compactMap { record in
            if case .completed(let value) = record.outcome { return (record.point, value) }
            return nil
        }
    }

    /// The number of distinct points among the known trials (see ``PointKey``).
    public var distinctPointCount: Int { pointKeys.count }

    /// Whether `point` (already snapped) coincides with a known trial's point (see ``PointKey``).
    public func contains(point: [Double]) -> Bool {
        pointKeys.contains(PointKey(point))
    }

    /// Adds a new pending trial at a snapped `point` with the next id and returns its proposal.
    public mutating func propose(point: [Double]) -> Proposal {
        let assignment = space.decode(point)
        let id = TrialID(nextID)
        let snapped = space.snap(point)
        append(Record(id: id, assignment: assignment, point: snapped, outcome: nil))
        return Proposal(id: id, assignment: assignment, point: snapped)
    }

    /// Records an outcome; returns whether anything changed (false for a repeated identical result).
    ///
    /// - Throws: ``OptimizerError`` `.unknownTrial`, `.nonFiniteValue` or `.conflictingResult`; nothing changes then.
    @discardableResult
    public mutating func tell(_ id: TrialID, _ outcome: TrialOutcome) throws(OptimizerError) -> Bool {
        guard let index = indexByID[id] else {
            throw OptimizerError(
                .unknownTrial,
                "trial \(id) is unknown (known ids: \(knownIDsSummary)); tell only ids returned by ask or given to register"
            )
        }
        if case .completed(let value) = outcome, !value.isFinite {
            throw OptimizerError(
                .nonFiniteValue,
                "trial \(id): value \(value) is not finite; report the trial as failed instead"
            )
        }
        if let previous = records[index].outcome {
            if previous.isSameResult(as: outcome) { return false }
            throw OptimizerError(
                .conflictingResult,
                "trial \(id) already has the result \(Self.describe(previous)), got \(Self.describe(outcome)); "
                    + "tell each trial's final result once"
            )
        }
        records[index].outcome = outcome
        return true
    }

    /// Adds (or confirms) a trial from elsewhere; returns whether anything changed.
    ///
    /// - Throws: ``OptimizerError`` `.invalidArgument`, `.invalidAssignment`, `.conflictingAssignment`, or what
    ///   ``tell(_:_:)`` throws.
    @discardableResult
    public mutating func register(
        _ assignment: Assignment, as id: TrialID, outcome: TrialOutcome?
    ) throws(OptimizerError) -> Bool {
        guard id.rawValue >= 0 else {
            throw OptimizerError(.invalidArgument, "trial id \(id.rawValue) is negative; ids start at 0")
        }
        let canonical: Assignment
        let point: [Double]
        do {
            canonical = try space.validate(assignment)
            point = try space.encode(canonical)
        } catch {
            throw OptimizerError(.invalidAssignment, "trial \(id) does not fit the search space: \(error)")
        }
        if case .completed(let value) = outcome, !value.isFinite {
            throw OptimizerError(
                .nonFiniteValue, "trial \(id): value \(value) is not finite; register the trial as failed instead"
            )
        }
        if let index = indexByID[id] {
            guard records[index].point == point else {
                throw OptimizerError(
                    .conflictingAssignment,
                    "trial \(id) is already known with \(Self.describe(records[index].assignment)), got "
                        + "\(Self.describe(canonical)); give a new id to a different assignment"
                )
            }
            guard let outcome else { return false }
            return try tell(id, outcome)
        }
        append(Record(id: id, assignment: canonical, point: point, outcome: outcome))
        return true
    }

    private mutating func append(_ record: Record) {
        // Ids usually arrive in increasing order; keep `records` sorted otherwise too.
        if let last = records.last, last.id > record.id {
            let position = records.firstIndex { $0.id > record.id } ?? records.count
            records.insert(record, at: position)
            for index in position..<records.count { indexByID[records[index].id] = index }
        } else {
            indexByID[record.id] = records.count
            records.append(record)
        }
        pointKeys.insert(PointKey(record.point))
        nextID = max(nextID, record.id.rawValue + 1)
    }

    private var knownIDsSummary: String {
        guard let first = records.first, let last = records.last else { return "none" }
        return records.count == last.id.rawValue - first.id.rawValue + 1
            ? "\(first.id.rawValue)...\(last.id.rawValue)" : "\(records.count) ids in \(first.id.rawValue)...\(last.id.rawValue)"
    }

    static func describe(_ outcome: TrialOutcome) -> String {
        switch outcome {
        case .completed(let value): "completed(\(value))"
        case .failed(let reason): "failed(\"\(reason)\")"
        }
    }

    static func describe(_ assignment: Assignment) -> String {
        "{" + assignment.keys.sorted().map { "\($0): \(assignment[$0]!)" }.joined(separator: ", ") + "}"
    }
}

/// A point rounded for duplicate detection: two snapped points are the same trial when every coordinate agrees
/// to 1e-9 (discrete coordinates are exact after snapping; continuous ones closer than that carry no information
/// for a model and make its kernel matrix singular).
struct PointKey: Hashable, Sendable {
    let coordinates: [Int64]

    init(_ point: [Double]) {
        coordinates = point.map { Int64(($0 * 1e9).rounded()) }
    }
}
