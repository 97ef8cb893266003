import CLAPACK

/// The Cholesky factor L (lower triangular, A + jitter·I = L·Lᵀ) of a symmetric positive definite matrix, with the
/// solves, log-determinant and one-row extension a Gaussian process needs.
///
/// Factoring goes through LAPACK `dpotrf` (column-major); solves through `cblas_dtrsv` / `cblas_dtrsm`.
public struct CholeskyFactor: Sendable {
    /// n, the order of the factored matrix.
    public let dimension: Int
    /// L, n × n, column-major, zero above the diagonal.
    public private(set) var lower: Matrix
    /// What was added to the diagonal before factoring succeeded (0 if nothing was needed).
    public let jitter: Double

    /// Factors the symmetric matrix `matrix` (only its lower triangle is read), adding diagonal jitter if needed.
    ///
    /// Tries A first, then A + τ·I with τ = 10⁻⁹·(trace/n), growing tenfold up to `maximumRelativeJitter`·(trace/n).
    ///
    /// - Parameters:
    ///   - matrix: n × n, symmetric.
    ///   - maximumRelativeJitter: the largest jitter tried, relative to the mean diagonal (default 1e-3).
    /// - Throws: `MathError.notPositiveDefinite` if even the largest jitter fails; `.shapeMismatch` for a non-square
    ///   matrix; `.nonFinite` if the matrix holds NaN or ±∞.
    /// - Complexity: O(n³/3) per attempt.
    public init(factoring matrix: Matrix, maximumRelativeJitter: Double = 1e-3) throws(MathError) {
        guard matrix.rows == matrix.columns else {
            throw MathError(.shapeMismatch, "Cholesky needs a square matrix, got \(matrix.rows)×\(matrix.columns)")
        }
        let n = matrix.rows
        guard matrix.elements.allSatisfy(\.isFinite) else {
            throw MathError(.nonFinite, "Cholesky of a \(n)×\(n) matrix with NaN or infinite entries; check the inputs that built it")
        }
        var trace = 0.0
        for i in 0..<n { trace += matrix[i, i] }
        let scale = n > 0 && trace > 0 ? trace / Double(n) : 1
        var jitter = 0.0
        var attempt = matrix
        while true {
            if jitter > 0 {
                attempt = matrix
                for i in 0..<n { attempt.elements[i + i * n] += jitter }
            }
            if Self.factorInPlace(&attempt.elements, n) {
                break
            }
            jitter = jitter == 0 ? 1e-9 * scale : jitter * 10
            if jitter > maximumRelativeJitter * scale * (1 + 1e-12) {
                throw MathError(
                    .notPositiveDefinite,
                    "the \(n)×\(n) matrix is not positive definite even with jitter \(jitter / 10) on its diagonal "
                        + "(mean diagonal \(scale)); look for duplicate points with too little noise, or NaN in the data")
            }
        }
        self.dimension = n
        self.lower = attempt
        self.jitter = jitter
    }

    /// Wraps an already computed lower-triangular factor without checks.
    init(lower: Matrix, jitter: Double) {
        self.dimension = lower.rows
        self.lower = lower
        self.jitter = jitter
    }

    /// `dpotrf` on the lower triangle; zeroes the upper triangle on success. (`LAPACKE_dpotrf_work` skips LAPACKE's NaN
    /// scan of the matrix: the initializer has checked it.)
    private static func factorInPlace(_ elements: inout [Double], _ n: Int) -> Bool {
        guard n > 0 else { return true }
        let info = elements.withUnsafeMutableBufferPointer { buffer in
            LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), buffer.baseAddress, Int32(n))
        }
        guard info == 0 else { return false }
        for j in 1..<max(n, 1) {
            for i in 0..<j { elements[i + j * n] = 0 }
        }
        return true
    }

    /// log det(A + jitter·I) = 2·Σ log Lᵢᵢ.
    public var logDeterminant: Double {
        var sum = 0.0
        for i in 0..<dimension { sum += MathFunctions.log(lower.elements[i + i * dimension]) }
        return 2 * sum
    }

    /// L⁻¹·b (forward substitution, `cblas_dtrsv`). O(n²).
    public func solveLower(_ b: [Double]) -> [Double] {
        solveTriangular(b, transposed: false)
    }

    /// L⁻ᵀ·b (back substitution, `cblas_dtrsv`). O(n²).
    public func solveUpper(_ b: [Double]) -> [Double] {
        solveTriangular(b, transposed: true)
    }

    /// L⁻¹·b, or L⁻ᵀ·b when `transposed`.
    private func solveTriangular(_ b: [Double], transposed: Bool) -> [Double] {
        precondition(b.count == dimension, "a triangular solve needs \(dimension) entries, got \(b.count)")
        var x = b
        guard dimension > 0 else { return x }
        cblas_dtrsv(
            CblasColMajor, CblasLower, transposed ? CblasTrans : CblasNoTrans, CblasNonUnit, Int32(dimension),
            lower.elements, Int32(dimension), &x, 1)
        return x
    }

    /// A⁻¹·b = L⁻ᵀ·L⁻¹·b. O(n²).
    public func solve(_ b: [Double]) -> [Double] {
        solveUpper(solveLower(b))
    }

    /// L⁻¹·B for an n × m right-hand side (`cblas_dtrsm`), in B's storage when the caller passes it with `consume`.
    /// O(n²·m).
    public func solveLower(_ b: consuming Matrix) -> Matrix {
        precondition(b.rows == dimension, "solveLower needs \(dimension) rows, got \(b.rows)")
        let columns = b.columns
        var x = b
        guard dimension > 0, columns > 0 else { return x }
        cblas_dtrsm(
            CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(dimension), Int32(columns), 1,
            lower.elements, Int32(dimension), &x.elements, Int32(dimension))
        return x
    }

    /// The lower triangle (diagonal included) of (A + jitter·I)⁻¹ = L⁻ᵀ·L⁻¹, zero above the diagonal: all the
    /// marginal likelihood's gradient reads of the symmetric inverse. O(n³).
    ///
    /// What LAPACK's `dpotri` computes (`dtrtri`, then `dlauum`), but split in halves recursively down to 16 × 16
    /// blocks so that most of the work is `dtrmm` and `dsyrk`: OpenBLAS 0.3.21 runs `dtrtri` and `dlauum` of these
    /// sizes as level-2 loops (`dtrmv` per column), 2× slower at n = 101 and n = 256 (docs/gaussian-process.md).
    public func inverseLowerTriangle() -> Matrix {
        lowerTransformed { elements, n in
            guard let elements else { return 0 }
            TriangularInverse.invertLower(order: Int(n), elements, leadingDimension: Int(n))
            TriangularInverse.lowerGram(order: Int(n), elements, leadingDimension: Int(n))
            return 0
        }
    }

    /// A copy of L handed to a routine that works in place on an n × n column-major lower triangle
    /// (``TriangularInverse``); the routine gets the elements and n.
    private func lowerTransformed(_ routine: (UnsafeMutablePointer<Double>?, Int32) -> Int32) -> Matrix {
        var result = lower
        guard dimension > 0 else { return result }
        let n = Int32(dimension)
        _ = result.elements.withUnsafeMutableBufferPointer { buffer in routine(buffer.baseAddress, n) }
        return result
    }

    /// The factor of the matrix grown by one row and column, in O(n²) instead of a new O(n³) factorization.
    ///
    /// For A' = [[A, c], [cᵀ, a]], L' = [[L, 0], [lᵀ, δ]] with l = L⁻¹c and δ = √(a + jitter − lᵀl); the same jitter as
    /// this factor is added to the new diagonal entry so that L'·L'ᵀ = A' + jitter·I. The one-row case of
    /// ``extended(columns:diagonalBlock:)``.
    ///
    /// - Parameters:
    ///   - column: c, the new off-diagonal column (n entries).
    ///   - diagonal: a, the new diagonal entry.
    /// - Throws: `MathError.notPositiveDefinite` if a + jitter − lᵀl ≤ 0 (the new row is a linear combination of the old
    ///   ones); `.nonFinite` for NaN or infinite inputs.
    public func extended(column: [Double], diagonal: Double) throws(MathError) -> CholeskyFactor {
        precondition(column.count == dimension, "extended(column:) needs \(dimension) entries, got \(column.count)")
        return try extended(
            columns: Matrix(rows: dimension, columns: 1, elements: column),
            diagonalBlock: Matrix(rows: 1, columns: 1, elements: [diagonal]))
    }

    /// The factor of the matrix grown by k rows and columns at once: O(n²·k + n·k² + k³) with one copy of the factor,
    /// instead of k successive one-row extensions (k copies).
    ///
    /// For A' = [[A, C], [Cᵀ, D]], L' = [[L, 0], [Bᵀ, M]] with B = L⁻¹·C (`dtrsm`) and M·Mᵀ = D + jitter·I − Bᵀ·B
    /// (`dgemm`, `dpotrf`); the same jitter as this factor is added to the new diagonal, no more.
    ///
    /// - Parameters:
    ///   - columns: C, n × k.
    ///   - diagonalBlock: D, k × k, symmetric (its lower triangle is read).
    /// - Throws: `MathError.notPositiveDefinite` if the Schur complement D + jitter·I − Bᵀ·B is not positive definite;
    ///   `.shapeMismatch` for wrong sizes; `.nonFinite` for NaN or infinite entries.
    public func extended(columns: Matrix, diagonalBlock: Matrix) throws(MathError) -> CholeskyFactor {
        let n = dimension
        let k = columns.columns
        guard columns.rows == n, diagonalBlock.rows == k, diagonalBlock.columns == k else {
            throw MathError(
                .shapeMismatch,
                "extending a \(n)×\(n) Cholesky factor needs an \(n)×k block and a k×k block, got "
                    + "\(columns.rows)×\(columns.columns) and \(diagonalBlock.rows)×\(diagonalBlock.columns)")
        }
        guard k > 0 else { return self }
        guard columns.elements.allSatisfy(\.isFinite), diagonalBlock.elements.allSatisfy(\.isFinite) else {
            throw MathError(.nonFinite, "cannot extend a Cholesky factor with NaN or infinite entries; check the new points")
        }
        let b = solveLower(columns)
        var schur = diagonalBlock
        let overlap = b.transposeMultiplied(by: b)
        for j in 0..<k {
            for i in j..<k { schur.elements[i + j * k] -= overlap.elements[i + j * k] }
            schur.elements[j + j * k] += jitter
        }
        let corner: CholeskyFactor
        do {
            corner = try CholeskyFactor(factoring: schur, maximumRelativeJitter: 0)
        } catch {
            throw MathError(
                .notPositiveDefinite,
                "extending the \(n)×\(n) factor by \(k) rows: the new rows are (numerically) combinations of the "
                    + "old ones or of each other; add noise or drop duplicate points")
        }
        let m = n + k
        // Written once, column by column, into uninitialized storage: no zero-fill pass over the (n+k)² entries.
        let grown = [Double](unsafeUninitializedCapacity: m * m) { buffer, count in
            lower.elements.withUnsafeBufferPointer { old in
                for j in 0..<n {
                    let target = UnsafeMutableBufferPointer(rebasing: buffer[(j * m)..<(j * m + n)])
                    _ = target.initialize(fromContentsOf: old[(j * n)..<(j * n + n)])
                    for r in 0..<k { buffer.initializeElement(at: j * m + n + r, to: b.elements[j + r * n]) }
                }
            }
            for j in 0..<k {
                for i in 0..<n { buffer.initializeElement(at: (n + j) * m + i, to: 0) }
                for i in 0..<k { buffer.initializeElement(at: (n + j) * m + n + i, to: corner.lower.elements[i + j * k]) }
            }
            count = m * m
        }
        return CholeskyFactor(lower: try! Matrix(rows: m, columns: m, elements: grown), jitter: jitter)
    }
}
