import Foundation
import HPOOptimizer
import HPOSearchSpace

/// Every ``Optimizer`` the conformance suite checks, built the same way.
enum OptimizerKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case random
    case bayesian
    case bayesianLogEI

    var description: String { rawValue }

    func make(space: SearchSpace, direction: Direction = .maximize, seed: UInt64 = 7) -> any Optimizer {
        switch self {
        case .random:
            RandomSearch(space: space, direction: direction, seed: seed)
        case .bayesian:
            BayesianOptimizer(
                space: space, direction: direction, seed: seed,
                options: .init(initialTrials: 4, candidateCount: 256, localCandidateCount: 64, refinementStarts: 2)
            )
        case .bayesianLogEI:
            BayesianOptimizer(
                space: space, direction: direction, seed: seed,
                options: .init(
                    initialTrials: 4, acquisition: .logExpectedImprovement, candidateCount: 256, localCandidateCount: 64,
                    refinementStarts: 2
                )
            )
        }
    }
}

/// Search spaces the conformance suite runs on.
enum Spaces {
    /// One of every parameter kind.
    static let mixed = try! SearchSpace([
        .float("learning_rate", 1e-4, 1e-1, log: true),
        .float("dropout", 0, 0.5),
        .float("momentum", 0.5, 0.99, step: 0.01),
        .int("layers", 1, 4),
        .int("width", 16, 256, log: true),
        .categorical("activation", [.string("relu"), .string("tanh"), .string("gelu")]),
        .categorical("batch_norm", [.bool(true), .bool(false)]),
        .fixed("epochs", .int(10)),
    ])

    /// 2 × 3 = 6 distinct points.
    static let tiny = try! SearchSpace([
        .int("a", 0, 1),
        .categorical("b", [.string("x"), .string("y"), .string("z")]),
    ])

    /// A smooth objective on `mixed`, larger is better (peaks near lr 1e-2, dropout 0.1, 2 layers, relu).
    static func mixedObjective(_ assignment: Assignment) -> Double {
        let lr = assignment["learning_rate"]!.doubleValue!
        let dropout = assignment["dropout"]!.doubleValue!
        let layers = Double(assignment["layers"]!.intValue!)
        let bonus = assignment["activation"] == .string("relu") ? 0.2 : 0
        let logDistance = log10(lr) + 2
        return 1 - logDistance * logDistance - (dropout - 0.1) * (dropout - 0.1) - 0.1 * (layers - 2) * (layers - 2) + bonus
    }
}
