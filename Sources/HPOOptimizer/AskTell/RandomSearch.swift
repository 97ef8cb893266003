public import HPOSearchSpace
import HPOMath

/// Uniform random search in the unit cube: the baseline every model-based optimizer must beat.
///
/// Each coordinate is drawn uniformly from [0, 1) by a ``SeededGenerator`` and the point is snapped onto the space
/// (so integers and categorical choices are uniform too). A draw that repeats a known point is redrawn, up to
/// ``maximumDraws`` times per proposal; a small discrete space that is used up yields fewer proposals.
public struct RandomSearch: Optimizer {
    public let direction: Direction
    /// Redraws allowed per proposal before concluding that the space has no untried point left.
    public static let maximumDraws = 1_000
    public private(set) var ledger: TrialLedger
    private var generator: SeededGenerator

    public var space: SearchSpace { ledger.space }

    /// - Parameters:
    ///   - space: where to draw from.
    ///   - direction: whether larger or smaller values are better (random search ignores it; kept for the record).
    ///   - seed: same seed and same calls give the same proposals.
    public init(space: SearchSpace, direction: Direction, seed: UInt64) {
        self.direction = direction
        self.ledger = TrialLedger(space: space)
        self.generator = SeededGenerator(seed: seed)
    }

    public mutating func ask(count: Int) throws(OptimizerError) -> [Proposal] {
        guard count >= 0 else {
            throw OptimizerError(.invalidArgument, "ask(count: \(count)): count must be >= 0")
        }
        var proposals: [Proposal] = []
        for _ in 0..<count {
            guard let point = drawUntriedPoint(generator: &generator, ledger: ledger) else { break }
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
}

/// A uniformly random snapped point that no known trial has, or nil after ``RandomSearch/maximumDraws`` tries.
func drawUntriedPoint(generator: inout SeededGenerator, ledger: TrialLedger) -> [Double]? {
    let dimension = ledger.space.dimensionCount
    for _ in 0..<RandomSearch.maximumDraws {
        let raw = (0..<dimension).map { _ in generator.nextUniform() }
        let point = ledger.space.snap(raw)
        if !ledger.contains(point: point) { return point }
    }
    return nil
}
