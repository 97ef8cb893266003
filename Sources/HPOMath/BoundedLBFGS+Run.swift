extension BoundedLBFGS {
    /// One ``BoundedLBFGS`` minimization driven from outside, one evaluation at a time: read ``pendingPoint``,
    /// evaluate f and ∇f there, ``tell(value:gradient:)``, until ``result`` is set. Several runs can so be advanced
    /// in lockstep and their evaluations batched (the acquisition's refinement solves for all its starts in one pass
    /// over the GP's factor). ``BoundedLBFGS/minimizeWithDetails(start:lower:upper:maxIterations:memory:gradientTolerance:relativeTolerance:_:)``
    /// drives one run with a closure, so both give the same iterates.
    public struct Run: Sendable {
        /// Where f and ∇f are wanted next (inside the bounds); nil once the run has finished.
        public private(set) var pendingPoint: [Double]?
        /// The outcome, once finished.
        public private(set) var result: Result?

        private let lower: [Double]
        private let upper: [Double]
        private let maxIterations: Int
        private let gradientTolerance: Double
        private let relativeTolerance: Double
        private var history: CurvatureHistory
        /// The current iterate, f there and ∇f there (after the first evaluation).
        private var x: [Double]
        private var value = Double.nan
        private var gradient: [Double] = []
        private var iterations = 0
        private var evaluations = 0
        private var phase = Phase.start

        /// What the pending evaluation is for.
        private enum Phase: Sendable {
            /// f at the start.
            case start
            /// A line-search trial x + step·direction (projected), attempt 0 ..< 40, with the predicted change ∇f·Δx.
            case lineSearch(direction: [Double], step: Double, attempt: Int, predicted: Double)
        }

        /// A run from `start` (clamped into the box); the parameters are those of
        /// ``BoundedLBFGS/minimizeWithDetails(start:lower:upper:maxIterations:memory:gradientTolerance:relativeTolerance:_:)``.
        public init(
            start: [Double], lower: [Double], upper: [Double], maxIterations: Int,
            memory: Int = 10, gradientTolerance: Double = 1e-6, relativeTolerance: Double = 1e-10
        ) {
            let n = start.count
            precondition(lower.count == n && upper.count == n, "BoundedLBFGS: start, lower and upper need the same count")
            precondition(zip(lower, upper).allSatisfy { $0 <= $1 }, "BoundedLBFGS: every lower bound must be <= its upper bound")
            self.lower = lower
            self.upper = upper
            self.maxIterations = maxIterations
            self.gradientTolerance = gradientTolerance
            self.relativeTolerance = relativeTolerance
            self.history = CurvatureHistory(capacity: max(1, memory))
            self.x = BoundedLBFGS.project(start, lower, upper)
            self.pendingPoint = x
        }

        /// Takes f and ∇f (n entries) at ``pendingPoint`` and moves on to the next point or the end.
        /// - Precondition: the run has not finished.
        public mutating func tell(value newValue: Double, gradient newGradient: [Double]) {
            guard let point = pendingPoint else { preconditionFailure("BoundedLBFGS.Run: told a value after it finished") }
            precondition(newGradient.count == x.count, "BoundedLBFGS.Run: \(newGradient.count) gradient entries for \(x.count) variables")
            evaluations += 1
            switch phase {
            case .start:
                value = newValue
                gradient = newGradient
                guard value.isFinite, gradient.allSatisfy(\.isFinite) else { return finish(.nonFiniteStart) }
                beginIteration()
            case let .lineSearch(direction, step, attempt, predicted):
                if newValue.isFinite, newGradient.allSatisfy(\.isFinite), newValue <= value + 1e-4 * min(predicted, 0) {
                    accept(point, value: newValue, gradient: newGradient)
                } else {
                    propose(direction: direction, step: step * (newValue.isFinite ? 0.5 : 0.1), attempt: attempt + 1)
                }
            }
        }

        /// Starts an iteration at x: stops on the iteration cap or a small projected gradient, else proposes the first
        /// line-search point along the quasi-Newton direction (steepest descent if that is not a descent direction).
        private mutating func beginIteration() {
            guard iterations < maxIterations else { return finish(.maxIterations) }
            if BoundedLBFGS.projectedGradientNorm(x, gradient, lower, upper) <= gradientTolerance { return finish(.gradientTolerance) }
            let free = BoundedLBFGS.freeMask(x, gradient, lower, upper)
            var direction = history.direction(for: gradient, free: free)
            if !(dot(direction, gradient) < 0) {
                history.removeAll()
                direction = BoundedLBFGS.steepestDescent(gradient, free: free)
            }
            // First step of a run without curvature: scale so the step has length ≤ 1 in the max norm.
            var step = 1.0
            if history.isEmpty {
                let largest = direction.reduce(0.0) { max($0, abs($1)) }
                if largest > 1 { step = 1.0 / largest }
            }
            propose(direction: direction, step: step, attempt: 0)
        }

        /// Proposes P(x + step·direction), or gives up the line search after 40 attempts or a null step.
        private mutating func propose(direction: [Double], step: Double, attempt: Int) {
            guard attempt < 40 else { return lineSearchFailed() }
            // P(x + step·d) and ∇f·Δx in one pass (the same sums, in the same order, as projecting and then `dot`).
            var candidate = x
            var predicted = 0.0
            var moved = false
            for i in candidate.indices {
                candidate[i] = min(max(x[i] + step * direction[i], lower[i]), upper[i])
                let change = candidate[i] - x[i]
                moved = moved || change != 0
                predicted += change * gradient[i]
            }
            if !moved { return lineSearchFailed() }
            phase = .lineSearch(direction: direction, step: step, attempt: attempt, predicted: predicted)
            pendingPoint = candidate
        }

        /// No acceptable step: retry once from steepest descent (forgetting the curvature), else stop.
        private mutating func lineSearchFailed() {
            guard history.isEmpty else {
                history.removeAll()
                return beginIteration()
            }
            finish(.lineSearchFailed)
        }

        /// Moves to an accepted point, keeps its curvature pair, and stops on a small relative decrease.
        private mutating func accept(_ newX: [Double], value newValue: Double, gradient newGradient: [Double]) {
            guard newValue <= value else { return lineSearchFailed() }
            history.append(s: zip(newX, x).map { $0 - $1 }, y: zip(newGradient, gradient).map { $0 - $1 })
            let decrease = value - newValue
            let previous = value
            x = newX
            gradient = newGradient
            value = newValue
            iterations += 1
            if decrease <= relativeTolerance * max(abs(previous), abs(newValue), 1) { return finish(.relativeDecrease) }
            beginIteration()
        }

        private mutating func finish(_ termination: Termination) {
            pendingPoint = nil
            result = Result(
                point: x, value: value, gradient: gradient, iterations: iterations, evaluations: evaluations,
                termination: termination)
        }
    }
}
