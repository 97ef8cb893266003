public import HPOSearchSpace

/// A benchmark function with a known global minimum, on its standard box domain.
///
/// All are to be minimized. ``searchSpace`` exposes the box as float parameters `x0`…`x{d−1}` (linear scale), so an
/// ``Optimizer`` can run on it directly; ``value(at:)`` takes coordinates in the function's own domain.
public struct TestFunction: Sendable {
    /// Lower-case name, e.g. `"branin"`, `"hartmann6"`, `"styblinski-tang"`.
    public let name: String
    /// Number of inputs.
    public let dimension: Int
    /// The standard domain: one (low, high) per input.
    public let bounds: [(low: Double, high: Double)]
    /// The global minimum value.
    public let minimum: Double
    /// One point where ``minimum`` is attained, in the function's domain.
    public let minimizer: [Double]
    private let formula: @Sendable ([Double]) -> Double

    init(
        name: String, dimension: Int, bounds: [(low: Double, high: Double)], minimum: Double, minimizer: [Double],
        formula: @escaping @Sendable ([Double]) -> Double
    ) {
        precondition(bounds.count == dimension && minimizer.count == dimension)
        self.name = name
        self.dimension = dimension
        self.bounds = bounds
        self.minimum = minimum
        self.minimizer = minimizer
        self.formula = formula
    }

    /// The function at `x` (``dimension`` coordinates in the domain; points outside are evaluated as given).
    ///
    /// - Precondition: `x.count == dimension`.
    public func value(at x: [Double]) -> Double {
        precondition(x.count == dimension, "\(name): expected \(dimension) coordinates, got \(x.count)")
        return formula(x)
    }

    /// The function at an assignment of ``searchSpace`` (parameters `x0`…`x{d−1}`, ints accepted).
    ///
    /// - Throws: ``OptimizerError`` `.invalidAssignment` when a coordinate is missing or not a number.
    public func value(for assignment: Assignment) throws(OptimizerError) -> Double {
        var x = [Double](repeating: 0, count: dimension)
        for index in 0..<dimension {
            guard let coordinate = assignment["x\(index)"]?.doubleValue else {
                throw OptimizerError(
                    .invalidAssignment,
                    "\(name) needs a number for x\(index), got \(assignment["x\(index)"].map(\.description) ?? "nothing"); "
                        + "give x0...x\(dimension - 1)"
                )
            }
            x[index] = coordinate
        }
        return formula(x)
    }

    /// The simple regret of a best-seen value: `best − minimum` (≥ 0 up to rounding).
    public func regret(ofBest best: Double) -> Double {
        best - minimum
    }

    /// Float parameters `x0`…`x{d−1}` over ``bounds`` (linear scale).
    public var searchSpace: SearchSpace {
        let parameters = bounds.enumerated().map { index, bound in
            Parameter.float("x\(index)", bound.low, bound.high)
        }
        // The bounds are finite with low < high and the names are distinct, so this cannot fail.
        return try! SearchSpace(parameters)
    }
}
