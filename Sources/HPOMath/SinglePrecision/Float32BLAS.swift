internal import CLAPACK

/// Single-precision (float32) BLAS calls over raw row-major buffers, for the MLP trainer.
///
/// The trainer keeps every activation and gradient in preallocated `[Float]` buffers and calls these
/// wrappers with pointers into them, so a training step allocates nothing. All matrices are
/// **row-major**: an `rows × columns` matrix stores element `(i, j)` at `i * leadingDimension + j`.
/// The wrappers are thin: no validation beyond what a `precondition` catches cheaply, because
/// they run thousands of times per epoch.
public enum Float32BLAS {
    /// Whether an operand is used as stored or transposed.
    public enum Transpose: Sendable {
        /// Use the matrix as stored.
        case none
        /// Use the transpose of the stored matrix.
        case transposed

        var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    }

    /// `C ← alpha · op(A) · op(B) + beta · C` in float32, row-major.
    ///
    /// Corresponds to `cblas_sgemm(CblasRowMajor, …)`.
    ///
    /// - Parameters:
    ///   - transposeA: whether `op(A)` is `A` or `Aᵀ`; `op(A)` is `m × k`.
    ///   - transposeB: whether `op(B)` is `B` or `Bᵀ`; `op(B)` is `k × n`.
    ///   - m: rows of `C`.
    ///   - n: columns of `C`.
    ///   - k: the shared dimension.
    ///   - a: `A`'s storage, leading dimension `lda` (its stored row length).
    ///   - b: `B`'s storage, leading dimension `ldb`.
    ///   - c: `C`'s storage (`m × n`, leading dimension `ldc`), overwritten.
    /// - Complexity: O(m · n · k).
    public static func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA.cblas, transposeB.cblas,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `y ← alpha · x + y` over `count` float32 elements.
    ///
    /// Corresponds to `cblas_saxpy`.
    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    /// `x ← alpha · x` over `count` float32 elements.
    ///
    /// Corresponds to `cblas_sscal`.
    public static func scale(count: Int, alpha: Float, x: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        cblas_sscal(blasint(count), alpha, x, 1)
    }

    /// The dot product of two float32 vectors of `count` elements.
    ///
    /// Corresponds to `cblas_sdot`.
    public static func dot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
        guard count > 0 else { return 0 }
        return cblas_sdot(blasint(count), x, 1, y, 1)
    }

    /// The number of threads OpenBLAS uses for each call (all precisions; process-wide).
    ///
    /// Corresponds to `openblas_get_num_threads`.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses for each call (all precisions; process-wide).
    ///
    /// Corresponds to `openblas_set_num_threads`. On small matrices (the MLP's 32×64 products) extra
    /// threads only add synchronization: on this project's 2-vCPU machines an epoch at batch 128 takes
    /// 0.61 ms with one thread and 0.76 ms with OpenBLAS's default of one thread per vCPU.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The CPU kernel family OpenBLAS chose at load time, e.g. "Haswell" or "SkylakeX".
    ///
    /// Corresponds to `openblas_get_corename`. Chosen once per process from the CPU or the
    /// `OPENBLAS_CORETYPE` environment variable; it cannot change afterwards.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// How this OpenBLAS was built, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64`.
    ///
    /// Corresponds to `openblas_get_config`.
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }
}
