import HPOSearchSpace

extension CoordinatorStateMachine {
    /// Why a study whose optimizer proposed nothing new ends `exhausted`, with the numbers a user needs.
    var exhaustedReason: String {
        let budget = configuration.trialBudget.map { " of the budget of \($0)" } ?? ""
        let size = Self.pointCount(of: space).map { " (it holds \($0) distinct points)" } ?? ""
        return "the optimizer proposed nothing new after \(trials.count) trials (\(trials.completedCount) completed"
            + "\(budget)); the search space may be exhausted\(size): widen it, lower budget.trials, or use "
            + "another optimizer"
    }

    /// The number of distinct points of a search space, or nil when it is continuous (or too large for an `Int`).
    static func pointCount(of space: SearchSpace) -> Int? {
        var total = 1
        for parameter in space.parameters {
            let values: Int
            switch parameter.kind {
            case .float(let low, let high, _, let step?):
                let steps = ((high - low) / step).rounded()
                guard steps.isFinite, steps < Double(Int.max / 2) else { return nil }
                values = Int(steps) + 1
            case .float:
                return nil
            case .int(let low, let high, _, let step):
                let (span, overflow) = high.subtractingReportingOverflow(low)
                guard !overflow else { return nil }
                values = span / max(1, step ?? 1) + 1
            case .categorical(let choices):
                values = choices.count
            case .fixed:
                values = 1
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: values)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }
}
