public import HPOSearchSpace
import HPOMath

/// Uniform random search in the unit cube: the baseline every model-based optimizer must beat.
///
/// Each coordinate is drawn uniformly from [0, 1) and the point is snapped onto the space (so integers and
/// categorical choices are uniform too).
///
/// **One stream per trial id.** The draws for trial id `i` come from their own generator, seeded by `(seed, i)`,
/// not from one stream that starts over with each process. An optimizer that is handed the trials of an earlier
/// run (``register(_:as:outcome:)`` on resume) therefore continues the sequence at the next id and never redraws
/// the earlier points; the same seed and the same calls still give the same proposals, and a resumed study
/// proposes exactly what an uninterrupted one would have.
///
/// **Collisions.** A draw that repeats a known point is drawn again from the same stream. Random search only
/// stops proposing when the space is used up: after ``maximumDraws`` collisions in a row, a finite space of at
/// most ``enumerationLimit`` points is listed and an untried point is picked uniformly among the rest (none left:
/// fewer proposals); a larger or continuous space, where collisions are rare, keeps drawing.
public struct RandomSearch: Optimizer {
    public let direction: Direction
    /// Colliding draws per proposal before a finite space is listed instead.
    public static let maximumDraws = 1_000
    /// The largest finite space (in distinct points) that is listed to find its untried points.
    public static let enumerationLimit = 1 << 16
    public private(set) var ledger: TrialLedger
    /// The study's seed; trial `i` draws from the stream of ``streamSeed(_:index:)``.
    public let seed: UInt64
    /// The space as a finite grid, when it is one (no continuous coordinate, and a point count that fits an `Int`).
    private let grid: FiniteGrid?

    public var space: SearchSpace { ledger.space }

    /// - Parameters:
    ///   - space: where to draw from.
    ///   - direction: whether larger or smaller values are better (random search ignores it; kept for the record).
    ///   - seed: same seed and same calls give the same proposals.
    public init(space: SearchSpace, direction: Direction, seed: UInt64) {
        self.direction = direction
        self.ledger = TrialLedger(space: space)
        self.seed = seed
        self.grid = FiniteGrid(space)
    }

    public mutating func ask(count: Int) throws(OptimizerError) -> [Proposal] {
        guard count >= 0 else {
            throw OptimizerError(.invalidArgument, "ask(count: \(count)): count must be >= 0")
        }
        var proposals: [Proposal] = []
        for _ in 0..<count {
            guard let point = nextPoint() else { break }
            proposals.append(ledger.propose(point: point))
        }
        return proposals
    }

    public mutating func tell(_ id: TrialID, _ outcome: TrialOutcome) throws(OptimizerError) {
        try ledger.tell(id, outcome)
    }

    public mutating func register(_ assignment: Assignment, as id: TrialID, outcome: TrialOutcome?) throws(OptimizerError) {
        try ledger.register(assignment, as: id, outcome: outcome)
    }

    /// The seed of trial `index`'s stream: `seed` and `index` mixed by SplitMix64's finalizer, so neighbouring
    /// indices (and seeds) give unrelated streams.
    public static func streamSeed(_ seed: UInt64, index: Int) -> UInt64 {
        mix(seed ^ mix(UInt64(bitPattern: Int64(index)) &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// The point for the next id (``TrialLedger/nextID``), or nil when the space has no untried point left.
    private func nextPoint() -> [Double]? {
        var generator = SeededGenerator(seed: Self.streamSeed(seed, index: ledger.nextID))
        let dimension = space.dimensionCount
        var draws = 0
        while true {
            let point = space.snap((0..<dimension).map { _ in generator.nextUniform() })
            if !ledger.contains(point: point) { return point }
            draws += 1
            guard draws >= Self.maximumDraws, let grid else { continue }
            if ledger.distinctPointCount >= grid.count { return nil }
            if grid.count <= Self.enumerationLimit {
                let untried = (0..<grid.count).lazy.map { grid.point($0, in: space) }.filter { !ledger.contains(point: $0) }
                let candidates = Array(untried)
                guard !candidates.isEmpty else { return nil }
                return candidates[Int(generator.next() % UInt64(candidates.count))]
            }
            // A large finite space with untried points left: keep drawing (each draw succeeds with probability
            // untried / count).
        }
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A uniformly random snapped point that no known trial has, or nil after ``RandomSearch/maximumDraws`` tries
/// (the Bayesian optimizer's fallback when its own candidates are all taken).
func drawUntriedPoint(generator: inout SeededGenerator, ledger: TrialLedger) -> [Double]? {
    let dimension = ledger.space.dimensionCount
    for _ in 0..<RandomSearch.maximumDraws {
        let raw = (0..<dimension).map { _ in generator.nextUniform() }
        let point = ledger.space.snap(raw)
        if !ledger.contains(point: point) { return point }
    }
    return nil
}
