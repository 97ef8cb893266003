#ifndef HPO_VECTOR_KERNELS_H
#define HPO_VECTOR_KERNELS_H

/// Hot loops of the GP and the trainer in C, built three times: for the package's baseline x86-64 (SSE2), for
/// AVX2 + FMA and for AVX-512, chosen once per process by the CPU's features (docs/blas-kernels.md, *Vector kernels*).

/// The instruction set the dispatching kernels use.
typedef enum {
    /// Plain C compiled for the build's baseline (SSE2 on x86-64, NEON on aarch64).
    HPOVectorISAGeneric = 0,
    /// x86-64 AVX2 + FMA (Haswell, Zen and later).
    HPOVectorISAAVX2FMA = 1,
    /// x86-64 AVX2 + FMA and AVX-512 F, CD, BW, DQ and VL, in 512-bit vectors (Skylake-SP, Ice Lake, Sapphire and
    /// Emerald Rapids, Zen 4 and later). The same bits as AVX2 + FMA in every kernel.
    HPOVectorISAAVX512 = 2,
} HPOVectorISA;

/// The widest instruction set this CPU runs (AVX-512 when F, CD, BW, DQ and VL are present beside AVX2 + FMA; else
/// AVX2 + FMA when both are present; else generic). A CPU runs every set up to its widest.
HPOVectorISA hpo_vector_isa_supported(void);

/// The instruction set the dispatching kernels use now: the supported one unless `hpo_vector_isa_select` chose
/// another.
HPOVectorISA hpo_vector_isa_selected(void);

/// Makes the dispatching kernels use `isa` (any set up to the widest supported); returns 0, or -1 (and changes
/// nothing) when the CPU cannot run it.
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
/// of ``hpo_pair_distances`` (same order and layout); `sums` holds d doubles. Each j's sum runs in vector lanes
/// (reassociated), so the generic and the AVX2 + FMA builds round differently; the avx512 set runs the AVX2 + FMA
/// build, so that both wide sets give the same bits.
void hpo_pair_weighted_squares(
    HPOVectorISA isa, const double *coordinates, long n, long d, const double *weights, double *sums);

/// Squared distances from one point to n points: out[i] = Σₖ (point[k] − points[i·d + k])², with `points` stored
/// point-major (n × d) and `point` d doubles; each sum runs over k in order.
void hpo_point_distances(HPOVectorISA isa, const double *point, const double *points, long n, long d, double *out);

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

// The trainer's own loops around its products (trainer_loops.c; docs/blas-kernels.md, *The trainer's loops in C*).
// Matrices are row-major and contiguous (leading dimension = width). `isa` must be supported by the CPU.

#include <stdint.h>

/// z[r][j] += bias[j] over rows × width pre-activations; when `relu_output` is not NULL, also
/// relu_output[r][j] = z[r][j] > 0 ? z[r][j] : 0 (NaN gives 0), in the same pass. `bias` holds width floats.
void hpo_bias_relu(HPOVectorISA isa, float *z, const float *bias, float *relu_output, long rows, long width);

/// Softmax cross-entropy of rows × classes logits against `labels` (rows values, each in 0..<classes: not checked),
/// in one call: delta[r][j] = scale·(softmax(z_r)_j − [j = labels[r]]) (rows × classes, must not overlap the logits),
/// and the return value Σ_r (ln Σ_j e^(z_rj) − z_r,label), summed in double. With `correct` not NULL (NULL skips the argmax), *correct =
/// the number of rows whose largest logit (the first, on ties) is at the label. e^x and ln x are float polynomials
/// within 1 ulp of the exact values (see hpo_exp_floats); rows go 64 at a time.
double hpo_softmax_cross_entropy(
    HPOVectorISA isa, const float *logits, const int32_t *labels, long rows, long classes, float scale, float *delta,
    long *correct);

/// sums[j] = Σ_r matrix[r][j] over a rows × width matrix, r in order (the bias gradient: δ's column sums).
void hpo_column_sums(HPOVectorISA isa, const float *matrix, long rows, long width, float *sums);

/// gradient[i] = preactivation[i] ≤ 0 ? 0 : gradient[i] over `count` floats (ReLU's derivative; NaN keeps the value).
void hpo_relu_gradient(HPOVectorISA isa, float *gradient, const float *preactivation, long count);

/// One SGD step with momentum over `count` parameters, in one pass: v ← momentum·v + g, then p ← p − rate·v
/// (nesterov = 0) or p ← p − rate·(g + momentum·v) (nesterov ≠ 0).
void hpo_sgd_momentum(
    HPOVectorISA isa, float *parameters, const float *gradients, float *velocity, long count, float rate,
    float momentum, int nesterov);

/// A mini-batch by index: rows_out[r] ← features[indices[r]] (width floats each; features is source_rows × width)
/// and labels_out[r] ← labels[indices[r]], r < rows. Returns 0, or -1 (writing nothing) when an index is outside
/// 0..<source_rows.
int hpo_gather_rows(
    HPOVectorISA isa, float *rows_out, int32_t *labels_out, const float *features, const int32_t *labels,
    long source_rows, long width, const long *indices, long rows);

/// values[i] ← e^values[i] in place, by the softmax's polynomial (0 below −87.3, clamped at 88.3; NaN stays NaN).
void hpo_exp_floats(HPOVectorISA isa, float *values, long count);

/// values[i] ← ln values[i] in place, by the softmax's polynomial: for normal positive floats, NaN and +∞ only.
void hpo_log_floats(HPOVectorISA isa, float *values, long count);

// Triangular solves for a panel of right-hand sides (triangular_panel.c): the GP's acquisition refinement solves for
// up to HPO_PANEL_WIDTH points at once, so one pass over the n × n factor serves them all.

/// The number of right-hand sides a panel holds (unused columns may hold anything finite, e.g. 0).
#define HPO_PANEL_WIDTH 8

/// Solves L·X = B in place: `lower` is L, n × n, column-major (leading dimension n), lower triangular with a nonzero
/// diagonal (only the lower triangle is read); `panel` holds B, n rows of HPO_PANEL_WIDTH doubles each (row i, right-hand
/// side c at panel[i·HPO_PANEL_WIDTH + c]), and X on return. `isa` must be supported by the CPU.
void hpo_lower_solve_panel(HPOVectorISA isa, long n, const double *lower, double *panel);

/// Solves Lᵀ·X = B in place, with L, the panel and `isa` as in hpo_lower_solve_panel.
void hpo_lower_transpose_solve_panel(HPOVectorISA isa, long n, const double *lower, double *panel);

#endif
