import HPOOptimizer
import HPOSearchSpace

/// How much each parameter matters, read from a Gaussian process fitted to the completed trials.
///
/// With an ARD kernel, a coordinate the objective hardly depends on gets a long length scale ℓ; its relevance is
/// 1/ℓ². A parameter's importance is the sum over its coordinates (one per numeric parameter, one per choice of a
/// categorical one), normalized so that all importances sum to 1. The method is described in docs/report.md.
enum ParameterImportance {
    /// What the report says about the method.
    static let method =
        "Importance is the relevance 1/ℓ² of each parameter's length scale ℓ in a Gaussian process (Matérn 5/2, ARD) fitted to the completed trials in the unit cube (a categorical parameter sums its one-hot coordinates), normalized to sum to 100 %. A long length scale means the objective barely changes along that parameter."

    /// Importance per tuned parameter (fixed parameters are left out), or empty with fewer than `minimumTrials`
    /// completed trials or when the fit fails.
    static func estimate(
        space: SearchSpace, trials: [(assignment: Assignment, value: Double)], minimumTrials: Int = 5
    ) -> [(name: String, weight: Double)] {
        guard trials.count >= minimumTrials, space.dimensionCount > 0 else { return [] }
        let points = trials.compactMap { try? space.encode($0.assignment) }
        guard points.count == trials.count,
            let model = try? GaussianProcess.fit(x: points, y: trials.map(\.value), warmStart: nil, seed: 0)
        else { return [] }
        let scales = model.hyperparameters.lengthScales
        var coordinate = 0
        var result: [(name: String, weight: Double)] = []
        for parameter in space.parameters {
            let width: Int
            switch parameter.kind {
            case .float, .int: width = 1
            case .categorical(let choices): width = choices.count
            case .fixed: width = 0
            }
            guard width > 0 else { continue }
            let relevance = scales[coordinate..<(coordinate + width)].reduce(0) { $0 + 1 / ($1 * $1) }
            result.append((parameter.name, relevance))
            coordinate += width
        }
        let total = result.reduce(0) { $0 + $1.weight }
        guard total > 0, total.isFinite else { return [] }
        return result.map { ($0.name, $0.weight / total) }
    }
}
