internal import HPOMath

extension MLPNetwork {
    /// `C ← op(A) · op(B)` in float32, row-major, with `C` (`m × n`, contiguous: `ldc == n`) overwritten.
    ///
    /// Small products (all of the usual networks') go to hpo's AVX2 + FMA or AVX-512 kernel where the CPU has it
    /// (`VectorKernels.smallProduct`: no packing, no driver; 1.2–1.3× faster than OpenBLAS over an epoch's products
    /// on Zen 3, docs/blas-kernels.md, *Small products without packing*). Otherwise `cblas_sgemm`, with `C` zeroed
    /// here and `beta = 1` rather than `beta = 0`: OpenBLAS applies a `beta ≠ 1` in a separate pass over `C`
    /// before the product, and on the Haswell/Zen kernel sets that pass (`sgemm_beta`) stores one float at a time;
    /// it took 10 % of an epoch on Zen 3 (perf, 2026-12-01), while zeroing here is a vectorized memset. The values
    /// are identical to `beta = 0`'s: the kernel adds its sums to `C`, and `0 + s = s` exactly.
    /// - Parameters: as `Float32BLAS.gemm`; `op(A)` is `m × k`, `op(B)` is `k × n`.
    /// - Complexity: O(m · n · k).
    func product(
        _ transposeA: Float32BLAS.Transpose, _ transposeB: Float32BLAS.Transpose, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>
    ) {
        if VectorKernels.smallProduct(
            transposeA, transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: n,
            instructionSet: vectorInstructionSet)
        {
            return
        }
        c.update(repeating: 0, count: m * n)
        Float32BLAS.gemm(transposeA, transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: 1, c: c, ldc: n)
    }
}
