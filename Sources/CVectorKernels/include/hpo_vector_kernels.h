#ifndef HPO_VECTOR_KERNELS_H
#define HPO_VECTOR_KERNELS_H

/// Hot loops of the GP and the trainer in C, built twice: for the package's baseline x86-64 (SSE2) and for
/// AVX2 + FMA, chosen once per process by the CPU's features (docs/blas-kernels.md, *Vector kernels*).

/// The instruction set the dispatching kernels use.
typedef enum {
    /// Plain C compiled for the build's baseline (SSE2 on x86-64, NEON on aarch64).
    HPOVectorISAGeneric = 0,
    /// x86-64 AVX2 + FMA (Haswell, Zen and later).
    HPOVectorISAAVX2FMA = 1,
} HPOVectorISA;

/// The best instruction set this CPU runs (AVX2 + FMA when both are present, else generic).
HPOVectorISA hpo_vector_isa_supported(void);

/// The instruction set the dispatching kernels use now: the supported one unless `hpo_vector_isa_select` chose
/// another.
HPOVectorISA hpo_vector_isa_selected(void);

/// Makes the dispatching kernels use `isa`; returns 0, or -1 (and changes nothing) when the CPU cannot run it.
int hpo_vector_isa_select(HPOVectorISA isa);

/// The Matérn-5/2 transform of squared distances, in place, with the instruction set `isa` (which must be
/// supported; tests compare them):
/// values[i] = r² on entry (negatives are read as 0, NaN stays NaN), signal·m(r) on return, where
/// m(r) = (1 + √5·r + 5/3·r²)·e^(−√5·r). When `keep_factors` is nonzero, factors[i] = signal·5/3·(1 + √5·r)·e^(−√5·r)
/// (the derivative factor g); else `factors` is scratch. Both buffers hold `count` doubles and must not overlap.
/// e^x comes from a Cody–Waite reduction and a degree-13 polynomial (within 1 ulp of libm); arguments below −708
/// and NaN go through libm.
void hpo_matern_transform_isa(
    HPOVectorISA isa, double *values, double *factors, long count, double signal, int keep_factors);

/// Scaled squared distances of every pair of n points: for the pairs (i, j), j < i, in the order j = 0, 1, …, and i
/// = j + 1, …, n − 1 within each j (column by column of the strictly lower triangle), out[p] = Σₖ scales[k]·(xᵢₖ − xⱼₖ)².
/// `coordinates` holds the points coordinate-major (d × n: coordinates[k·n + i]); `out` n(n−1)/2 doubles.
void hpo_pair_distances(
    HPOVectorISA isa, const double *coordinates, long n, long d, const double *scales, double *out);

/// The length-scale sums of the marginal likelihood's gradient: sums[k] = Σₚ weights[p]·(xᵢₖ − xⱼₖ)² over the pairs
/// of ``hpo_pair_distances`` (same order and layout); `sums` holds d doubles.
void hpo_pair_weighted_squares(
    HPOVectorISA isa, const double *coordinates, long n, long d, const double *weights, double *sums);

// Small float32 products for the trainer (small_sgemm.c).

/// C ← alpha·op(A)·op(B) + beta·C in float32, row-major, for small shapes (the MLP's layers), without packing A.
/// op(A) is m × k: A as stored (transpose_a = 0; A is m × k, leading dimension lda ≥ k) or Aᵀ (A is k × m, lda ≥ m);
/// op(B) is k × n: B (transpose_b = 0; k × n, ldb ≥ n) or Bᵀ (B is n × k, ldb ≥ k); C is m × n, ldc ≥ n; only its
/// m × n elements are written. beta = 0 never reads C (NaN there is overwritten). Each element of C is one sum over p
/// in order, one fused multiply-add per term (with Bᵀ and k > 256, in parts of 256 added to C), so rounding differs
/// from OpenBLAS's in the last bits.
/// Returns 0, or -1 without touching C when `isa` has no hand kernel (generic, or not x86-64): use BLAS then.
/// `isa` must be supported by the CPU. Fast while a 16-column panel of op(B) and the rows of A stay in cache:
/// the Swift wrapper sends m·n·k ≤ 2²¹ and k ≤ 512 here.
int hpo_small_sgemm_isa(
    HPOVectorISA isa, int transpose_a, int transpose_b, long m, long n, long k, float alpha, const float *a, long lda,
    const float *b, long ldb, float beta, float *c, long ldc);

#endif
