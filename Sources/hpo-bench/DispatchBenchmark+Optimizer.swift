import HPOOptimizer
import HPOSearchSpace

/// The optimizers the dispatch benchmark can drive.
enum BenchOptimizer {
    static func make(_ kind: String, space: SearchSpace) throws -> any Optimizer {
        switch kind {
        case "random":
            return RandomSearch(space: space, direction: .minimize, seed: 1)
        case "gp":
            return BayesianOptimizer(space: space, direction: .minimize, seed: 1)
        default:
            throw DispatchBenchmarkError("optimizer \(kind) is not available in this build; use --optimizer random")
        }
    }
}
