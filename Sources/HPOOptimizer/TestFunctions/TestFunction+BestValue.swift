extension TestFunction {
    /// The lowest value `optimizer` finds in `budget` evaluations of this function, asking for `batch` proposals at a
    /// time and telling each value back.
    ///
    /// - Parameters:
    ///   - optimizer: an optimizer over ``searchSpace`` that minimizes.
    ///   - budget: evaluations at most (fewer when the optimizer runs out of proposals).
    ///   - batch: proposals asked for at once, ≥ 1.
    /// - Returns: the best value seen; +∞ when nothing was evaluated.
    /// - Throws: ``OptimizerError`` from the optimizer, or `.invalidAssignment` for a proposal outside ``searchSpace``.
    public func bestValue(of optimizer: inout any Optimizer, budget: Int, batch: Int) throws(OptimizerError) -> Double {
        var best = Double.infinity
        var evaluated = 0
        while evaluated < budget {
            let proposals = try optimizer.ask(count: min(batch, budget - evaluated))
            guard !proposals.isEmpty else { break }
            for proposal in proposals {
                let value = try value(for: proposal.assignment)
                best = min(best, value)
                try optimizer.tell(proposal.id, .completed(value))
            }
            evaluated += proposals.count
        }
        return best
    }
}
