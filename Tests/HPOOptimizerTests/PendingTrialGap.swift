import HPOOptimizer
import Testing

/// How far proposals keep from running trials, shared by the constant-liar checks.
enum PendingTrialGap {
    /// Expects the proposals made while `running` were pending to keep further from them than `unconditioned`, the
    /// proposals of a control that never saw them pending.
    static func expectFurther(
        _ conditioned: [Proposal], than unconditioned: [Proposal], from running: [Proposal],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let runningPoints = running.map(\.point)
        let conditionedGap = closestDistance(conditioned.map(\.point), runningPoints)
        let unconditionedGap = closestDistance(unconditioned.map(\.point), runningPoints)
        #expect(
            conditionedGap > unconditionedGap,
            "closest distance to a running trial: \(conditionedGap) conditioned, \(unconditionedGap) without",
            sourceLocation: sourceLocation
        )
    }

    /// The smallest Euclidean distance (unit-cube units) between a point of `a` and a point of `b`.
    static func closestDistance(_ a: [[Double]], _ b: [[Double]]) -> Double {
        var closest = Double.infinity
        for p in a {
            for q in b {
                var sum = 0.0
                for (u, v) in zip(p, q) { sum += (u - v) * (u - v) }
                closest = min(closest, sum.squareRoot())
            }
        }
        return closest
    }
}
