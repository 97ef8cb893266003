import CLAPACK

/// A dense real matrix stored column-major (LAPACK's layout): element (i, j) is `elements[i + j * rows]`.
///
/// Products go through OpenBLAS (`cblas_dgemv`, `cblas_dgemm`); set `OPENBLAS_NUM_THREADS=1` in workers.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// rows × columns values, column-major.
    public var elements: [Double]

    /// A rows × columns matrix with every element `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix needs non-negative sizes, got \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = [Double](repeating: value, count: rows * columns)
    }

    /// A rows × columns matrix whose elements are not set: only for a result that a BLAS call with β = 0 writes in
    /// full (BLAS does not read C when β = 0), so that a large product is not zero-filled twice.
    init(overwrittenRows rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "Matrix needs non-negative sizes, got \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = [Double](unsafeUninitializedCapacity: rows * columns) { _, count in count = rows * columns }
    }

    /// A rows × columns matrix over column-major `elements` (count rows·columns).
    public init(rows: Int, columns: Int, elements: [Double]) throws(MathError) {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw MathError(
                .shapeMismatch,
                "a \(rows)×\(columns) matrix needs \(rows * columns) elements, got \(elements.count); "
                    + "pass the values column by column")
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from row arrays (each the same length), convenient in tests.
    public init(rowArrays: [[Double]]) throws(MathError) {
        let columns = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == columns }) else {
            throw MathError(.shapeMismatch, "every row needs \(columns) values, got rows of lengths \(rowArrays.map(\.count))")
        }
        self.init(rows: rowArrays.count, columns: columns)
        for (i, row) in rowArrays.enumerated() {
            for (j, value) in row.enumerated() { elements[i + j * rows] = value }
        }
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix {
        var matrix = Matrix(rows: n, columns: n)
        for i in 0..<n { matrix.elements[i + i * n] = 1 }
        return matrix
    }

    /// Element (row, column).
    public subscript(row: Int, column: Int) -> Double {
        get { elements[row + column * rows] }
        set { elements[row + column * rows] = newValue }
    }

    /// The transpose (columns × rows).
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { result.elements[j + i * columns] = elements[i + j * rows] }
        }
        return result
    }

    /// A·x (x has `columns` entries, the result `rows`), by `cblas_dgemv`.
    public func multiplied(by vector: [Double]) -> [Double] {
        product(vector, transposed: false)
    }

    /// Aᵀ·x (x has `rows` entries, the result `columns`), by `cblas_dgemv`.
    public func transposeMultiplied(by vector: [Double]) -> [Double] {
        product(vector, transposed: true)
    }

    /// A·B, by `cblas_dgemm`.
    public func multiplied(by other: Matrix) -> Matrix {
        product(other, transposed: false)
    }

    /// Aᵀ·B, by `cblas_dgemm` (A is rows × columns, B is rows × m; the result is columns × m).
    public func transposeMultiplied(by other: Matrix) -> Matrix {
        product(other, transposed: true)
    }

    /// A·x, or Aᵀ·x when `transposed`.
    private func product(_ vector: [Double], transposed: Bool) -> [Double] {
        let (inner, outer) = transposed ? (rows, columns) : (columns, rows)
        precondition(vector.count == inner, "Matrix product with a vector needs \(inner) entries, got \(vector.count)")
        var result = [Double](repeating: 0, count: outer)
        guard rows > 0, columns > 0 else { return result }
        cblas_dgemv(
            CblasColMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), 1, elements, Int32(rows),
            vector, 1, 0, &result, 1)
        return result
    }

    /// A·B, or Aᵀ·B when `transposed`.
    private func product(_ other: Matrix, transposed: Bool) -> Matrix {
        let (inner, outer) = transposed ? (rows, columns) : (columns, rows)
        precondition(inner == other.rows, "Matrix product needs \(inner) rows in the right factor, got \(other.rows)")
        guard outer > 0, other.columns > 0, inner > 0 else { return Matrix(rows: outer, columns: other.columns) }
        var result = Matrix(overwrittenRows: outer, columns: other.columns)
        cblas_dgemm(
            CblasColMajor, transposed ? CblasTrans : CblasNoTrans, CblasNoTrans, Int32(outer), Int32(other.columns),
            Int32(inner), 1, elements, Int32(rows), other.elements, Int32(other.rows), 0, &result.elements, Int32(outer))
        return result
    }
}
