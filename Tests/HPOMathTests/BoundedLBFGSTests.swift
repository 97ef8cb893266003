import HPOMath
import Testing

@Suite struct BoundedLBFGSTests {
    /// Rosenbrock in n dimensions: Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1).
    static func rosenbrock(_ x: [Double], _ gradient: inout [Double]) -> Double {
        var value = 0.0
        for i in gradient.indices { gradient[i] = 0 }
        for i in 0..<(x.count - 1) {
            let a = x[i + 1] - x[i] * x[i]
            let b = 1 - x[i]
            value += 100 * a * a + b * b
            gradient[i] += -400 * a * x[i] - 2 * b
            gradient[i + 1] += 200 * a
        }
        return value
    }

    @Test func findsTheUnconstrainedRosenbrockMinimum() {
        let result = BoundedLBFGS.minimizeWithDetails(
            start: [-1.2, 1, -1.2, 1], lower: [Double](repeating: -5, count: 4), upper: [Double](repeating: 5, count: 4),
            maxIterations: 500, Self.rosenbrock)
        #expect(result.value < 1e-10, "value \(result.value) after \(result.iterations) iterations (\(result.termination))")
        for coordinate in result.point { #expect(abs(coordinate - 1) < 1e-4) }
    }

    @Test func stopsOnTheBoundWhenTheMinimumIsOutside() {
        // Box [−2, 0.5] × [−2, 2]: the constrained minimum is x0 = 0.5 (active bound), x1 = 0.25, value 0.25.
        var iterates: [[Double]] = []
        let result = BoundedLBFGS.minimize(start: [-1.5, 1.5], lower: [-2, -2], upper: [0.5, 2], maxIterations: 200) { x, g in
            iterates.append(x)
            return Self.rosenbrock(x, &g)
        }
        #expect(abs(result.point[0] - 0.5) < 1e-12)
        #expect(abs(result.point[1] - 0.25) < 1e-5)
        #expect(abs(result.value - 0.25) < 1e-8)
        #expect(iterates.allSatisfy { $0[0] >= -2 && $0[0] <= 0.5 && $0[1] >= -2 && $0[1] <= 2 }, "every evaluated point is inside the box")
    }

    @Test func clampsAStartOutsideTheBoxAndHandlesBothBoundsActive() {
        // Minimum of Σ (x_i − 3)² over [0, 1] × [−1, 2] × [5, 6] is the corner (1, 2, 5).
        let result = BoundedLBFGS.minimize(start: [10, -10, 0], lower: [0, -1, 5], upper: [1, 2, 6], maxIterations: 50) { x, g in
            var value = 0.0
            for i in x.indices {
                g[i] = 2 * (x[i] - 3)
                value += (x[i] - 3) * (x[i] - 3)
            }
            return value
        }
        #expect(result.point == [1, 2, 5])
        #expect(result.value == 4 + 1 + 4)
    }

    @Test func fixedVariableWithEqualBoundsStaysPut() {
        let result = BoundedLBFGS.minimize(start: [0, 0], lower: [-3, 0.7], upper: [3, 0.7], maxIterations: 100, Self.rosenbrock)
        #expect(result.point[1] == 0.7)
        // With x1 = 0.7 fixed, f(x0) = 100(0.7 − x0²)² + (1 − x0)², minimized near x0 ≈ 0.8395.
        var g = [0.0, 0.0]
        _ = Self.rosenbrock(result.point, &g)
        #expect(abs(g[0]) < 1e-5)
    }

    @Test func survivesNonFiniteValuesByShorteningTheStep() {
        // f = −log(x) + x has its minimum at x = 1; the first trial step lands at x ≤ 0 where f is NaN or infinite.
        let result = BoundedLBFGS.minimizeWithDetails(start: [0.01], lower: [-1], upper: [10], maxIterations: 100) { x, g in
            g[0] = -1 / x[0] + 1
            return x[0] > 0 ? -MathFunctions.log(x[0]) + x[0] : .nan
        }
        #expect(abs(result.point[0] - 1) < 1e-6, "\(result)")
    }

    @Test func reportsANonFiniteStart() {
        let result = BoundedLBFGS.minimizeWithDetails(start: [1], lower: [0], upper: [2], maxIterations: 10) { _, g in
            g[0] = 0
            return .nan
        }
        #expect(result.termination == .nonFiniteStart)
        #expect(result.iterations == 0)
    }

    /// Runs driven from outside in lockstep (one of them finishing early, one hitting a bound) take exactly the steps
    /// each takes alone through the closure interface, and ask for no point after they finish.
    @Test func runsInLockstepTakeTheStepsTheyTakeAlone() {
        func shifted(_ x: [Double], _ gradient: inout [Double]) -> Double {
            gradient = x.map { 2 * ($0 - 0.3) }
            return x.reduce(0) { $0 + ($1 - 0.3) * ($1 - 0.3) }
        }
        let problems: [(start: [Double], lower: [Double], upper: [Double], f: ([Double], inout [Double]) -> Double)] = [
            ([-1.2, 1, -1.2], [-5, -5, -5], [5, 5, 5], Self.rosenbrock),
            ([0.9, 0.1, 0.8], [0, 0, 0.5], [1, 1, 1], shifted),
            ([-1.5, 1.5], [-2, -2], [0.5, 2], Self.rosenbrock),
        ]
        var runs = problems.map { BoundedLBFGS.Run(start: $0.start, lower: $0.lower, upper: $0.upper, maxIterations: 200) }
        var asked = [Int](repeating: 0, count: problems.count)
        while runs.contains(where: { $0.pendingPoint != nil }) {
            for index in runs.indices {
                guard let x = runs[index].pendingPoint else { continue }
                var gradient = [Double](repeating: 0, count: x.count)
                let value = problems[index].f(x, &gradient)
                runs[index].tell(value: value, gradient: gradient)
                asked[index] += 1
            }
        }
        for (index, problem) in problems.enumerated() {
            let alone = BoundedLBFGS.minimizeWithDetails(
                start: problem.start, lower: problem.lower, upper: problem.upper, maxIterations: 200, problem.f)
            #expect(runs[index].result == alone, "problem \(index)")
            #expect(asked[index] == alone.evaluations)
        }
        #expect(asked[1] < asked[0], "the quadratic should finish long before Rosenbrock")
    }
}
