internal import CVectorKernels

/// Up to ``width`` right-hand sides of an n × n triangular solve, stored row by row, so that one pass over a
/// ``CholeskyFactor`` solves all of them (``CholeskyFactor/solveLower(panel:)``): the GP's acquisition refinement
/// solves for several points at once this way (docs/gaussian-process.md, *Fourth round*).
public struct RightHandSidePanel: Sendable, Equatable {
    /// How many right-hand sides a panel holds (8: two AVX2 registers per row).
    public static let width = Int(HPO_PANEL_WIDTH)

    /// n, the number of rows (the factor's order).
    public let rows: Int
    /// rows × ``width`` values, row-major: right-hand side c of row i is `elements[i * width + c]`.
    public var elements: [Double]

    /// A panel of `rows` rows, every value 0 (an unused right-hand side stays 0 through the solves).
    public init(rows: Int) {
        precondition(rows >= 0, "a panel needs a non-negative row count, got \(rows)")
        self.rows = rows
        self.elements = [Double](repeating: 0, count: rows * Self.width)
    }

    /// Right-hand side `column` as n values.
    public func column(_ column: Int) -> [Double] {
        precondition((0..<Self.width).contains(column), "a panel has columns 0..<\(Self.width), got \(column)")
        return (0..<rows).map { elements[$0 * Self.width + column] }
    }

    /// Sets right-hand side `column` to `values` (n of them).
    public mutating func setColumn(_ column: Int, to values: [Double]) {
        precondition((0..<Self.width).contains(column), "a panel has columns 0..<\(Self.width), got \(column)")
        precondition(values.count == rows, "a panel column needs \(rows) values, got \(values.count)")
        for (row, value) in values.enumerated() { elements[row * Self.width + column] = value }
    }
}
