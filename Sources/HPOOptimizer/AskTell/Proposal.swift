public import HPOSearchSpace

/// A trial an ``Optimizer`` asks to have evaluated.
public struct Proposal: Sendable, Hashable {
    /// The trial's identity; tell its outcome with this id.
    public var id: TrialID
    /// The parameter values to evaluate; always passes the space's `validate`.
    public var assignment: Assignment
    /// The same trial in the unit cube: `space.encode(assignment)`, `space.dimensionCount` coordinates in [0, 1].
    public var point: [Double]

    public init(id: TrialID, assignment: Assignment, point: [Double]) {
        self.id = id
        self.assignment = assignment
        self.point = point
    }
}
