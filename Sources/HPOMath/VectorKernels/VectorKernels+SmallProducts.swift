internal import CVectorKernels

extension VectorKernels {
    /// The largest `m · n · k` a product may have to go to the hand kernel (``smallProduct``): beyond it
    /// OpenBLAS's packing pays for itself (measured on Zen 3: 256×256×256 took 1.3× as long by hand).
    public static let smallProductLimit = 1 << 21
    /// The largest shared dimension `k` for the hand kernel: a 16-column panel of `op(B)` (`k × 16` floats) must stay
    /// in L1.
    public static let smallProductDepthLimit = 512

    /// `C ← alpha · op(A) · op(B) + beta · C` in float32, row-major, by hpo's own AVX2 + FMA or AVX-512 kernel (the
    /// same bits) when the product is small; returns `false` (and leaves `C` alone) when it is not, or when the
    /// instruction set has no hand kernel: the caller then uses `Float32BLAS.gemm`.
    ///
    /// OpenBLAS 0.3.21 packs both operands and sets up its blocked driver for every call on AVX2 CPUs; the
    /// trainer's ~400 products per epoch are small enough (e.g. 32×64×64) that this overhead rivals the
    /// arithmetic. The kernel computes 6 × 16 tiles of `C` in registers straight from `A` and `B` (only `Bᵀ` is
    /// copied, 16 columns at a time); a panel 10 or 2 columns wide (a 10-class output layer) goes in 8 × 10 or 8 × 2
    /// tiles whose last two columns of four rows share one register, so no lane computes an unused column. Each element is one in-order sum of fused multiply-adds, so values differ
    /// from `sgemm`'s in the last bits (docs/blas-kernels.md, *Small products without packing*).
    ///
    /// - Parameters: as `Float32BLAS.gemm`: `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n` with leading
    ///   dimension `ldc ≥ n`; only its `m × n` elements are written; `beta = 0` never reads `C`.
    ///   - instructionSet: the set to use (tests compare them); nil: ``selected``. Must be supported.
    /// - Returns: whether the product was computed here; `false` for `m · n · k` above ``smallProductLimit``,
    ///   `k` above ``smallProductDepthLimit``, or an instruction set without a hand kernel (`generic`).
    /// - Complexity: O(m · n · k).
    @discardableResult
    public static func smallProduct(
        _ transposeA: Float32BLAS.Transpose, _ transposeB: Float32BLAS.Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        instructionSet: InstructionSet? = nil
    ) -> Bool {
        let set = checkedSet(instructionSet)
        // Checked in this order, no product overflows.
        guard set == HPOVectorISAAVX2FMA || set == HPOVectorISAAVX512, k <= smallProductDepthLimit,
            m <= smallProductLimit, n <= smallProductLimit, m * n * k <= smallProductLimit
        else { return false }
        precondition(
            m >= 0 && n >= 0 && k >= 0 && ldc >= n && lda >= (transposeA == .none ? k : m) && ldb >= (transposeB == .none ? n : k),
            "smallProduct: m \(m), n \(n), k \(k) need lda, ldb, ldc at least the stored rows' lengths, got \(lda), \(ldb), \(ldc)")
        return hpo_small_sgemm_isa(
            set, transposeA == .transposed ? 1 : 0, transposeB == .transposed ? 1 : 0, m, n, k, alpha, a, lda, b, ldb,
            beta, c, ldc) == 0
    }
}
