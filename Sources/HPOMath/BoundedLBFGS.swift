/// Box-constrained minimization by projected limited-memory BFGS (L-BFGS-B style).
///
/// Every iterate, including the start, lies inside [lower, upper]. Each iteration:
/// 1. variables at a bound whose gradient pushes outward are held fixed (the active set);
/// 2. the two-loop recursion over the last `memory` curvature pairs gives a quasi-Newton direction in the free
///    variables (steepest descent if that is not a descent direction);
/// 3. a backtracking line search along the projected path x(t) = P(x + t·d) accepts the first step with
///    f(x(t)) ≤ f(x) + 10⁻⁴·∇f·(x(t) − x) (Armijo);
/// 4. the pair (s, y) is kept only if sᵀy > ε·yᵀy, so the implicit Hessian stays positive definite.
///
/// It stops when the projected gradient's largest component is ≤ `gradientTolerance`, when the relative decrease of
/// f in one iteration is ≤ `relativeTolerance`, when no step decreases f, or after `maxIterations` iterations.
/// A NaN or infinite f during the line search counts as "too far" and shortens the step.
///
/// Unlike Byrd–Lu–Nocedal's L-BFGS-B it does no generalized Cauchy point search: on the smooth, low-dimensional
/// problems here (GP hyperparameters, acquisition refinement) the projected variant converges as well and is far
/// simpler. Tested on Rosenbrock with and without active bounds.
public enum BoundedLBFGS {
    /// The outcome of a minimization, with the reason it stopped.
    public struct Result: Sendable, Equatable {
        /// The best point found, inside the bounds.
        public var point: [Double]
        /// f at `point`.
        public var value: Double
        /// Gradient at `point`.
        public var gradient: [Double]
        /// Iterations performed (each one accepted step).
        public var iterations: Int
        /// Calls of f.
        public var evaluations: Int
        /// Why it stopped.
        public var termination: Termination
    }

    /// Why a minimization stopped.
    public enum Termination: String, Sendable, Equatable {
        case gradientTolerance, relativeDecrease, lineSearchFailed, maxIterations, nonFiniteStart
    }

    /// Minimizes `f` over the box [lower, upper] from `start` (clamped into the box first).
    ///
    /// - Parameters:
    ///   - start: n starting coordinates; clamped into the box.
    ///   - lower: n lower bounds (may be −∞).
    ///   - upper: n upper bounds (may be +∞), each ≥ its lower bound.
    ///   - maxIterations: the most accepted steps.
    ///   - f: returns f(x) and writes ∇f(x) (n entries) into `gradient`.
    /// - Returns: the best point, its value and the number of iterations.
    public static func minimize(
        start: [Double], lower: [Double], upper: [Double], maxIterations: Int,
        _ f: (_ x: [Double], _ gradient: inout [Double]) -> Double
    ) -> (point: [Double], value: Double, iterations: Int) {
        let result = minimizeWithDetails(start: start, lower: lower, upper: upper, maxIterations: maxIterations, f)
        return (result.point, result.value, result.iterations)
    }

    /// Minimizes `f` over the box [lower, upper] and reports how the run went; see ``BoundedLBFGS``.
    ///
    /// - Parameters:
    ///   - memory: curvature pairs kept (default 10).
    ///   - gradientTolerance: stop when max |projected gradient| is at most this (default 1e-6).
    ///   - relativeTolerance: stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) is at most this (default 1e-10).
    /// - Precondition: `start`, `lower` and `upper` have the same count and lower ≤ upper componentwise.
    public static func minimizeWithDetails(
        start: [Double], lower: [Double], upper: [Double], maxIterations: Int,
        memory: Int = 10, gradientTolerance: Double = 1e-6, relativeTolerance: Double = 1e-10,
        _ f: (_ x: [Double], _ gradient: inout [Double]) -> Double
    ) -> Result {
        var run = Run(
            start: start, lower: lower, upper: upper, maxIterations: maxIterations, memory: memory,
            gradientTolerance: gradientTolerance, relativeTolerance: relativeTolerance)
        var gradient = [Double](repeating: 0, count: start.count)
        while let x = run.pendingPoint {
            let value = f(x, &gradient)
            run.tell(value: value, gradient: gradient)
        }
        guard let result = run.result else { preconditionFailure("BoundedLBFGS.Run stopped asking without a result") }
        return result
    }

    /// Each coordinate of `x` clamped into [lower, upper] (the projection onto the box).
    public static func clamp(_ x: [Double], _ lower: [Double], _ upper: [Double]) -> [Double] {
        project(x, lower, upper)
    }

    /// P(x): each coordinate clamped into [lower, upper].
    static func project(_ x: [Double], _ lower: [Double], _ upper: [Double]) -> [Double] {
        var result = x
        for i in result.indices { result[i] = min(max(result[i], lower[i]), upper[i]) }
        return result
    }

    /// max |P(x − g) − x|: zero exactly at a first-order critical point of the box-constrained problem.
    static func projectedGradientNorm(_ x: [Double], _ g: [Double], _ lower: [Double], _ upper: [Double]) -> Double {
        var norm = 0.0
        for i in x.indices {
            let moved = min(max(x[i] - g[i], lower[i]), upper[i])
            norm = max(norm, abs(moved - x[i]))
        }
        return norm
    }

    /// True for variables that may move: not at a bound with the gradient pushing outward.
    static func freeMask(_ x: [Double], _ g: [Double], _ lower: [Double], _ upper: [Double]) -> [Bool] {
        x.indices.map { i in
            !((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0))
        }
    }

    static func steepestDescent(_ g: [Double], free: [Bool]) -> [Double] {
        g.indices.map { free[$0] ? -g[$0] : 0 }
    }
}
