#include "hpo_vector_kernels.h"

// Small float32 products C ← alpha·op(A)·op(B) + beta·C for the trainer, without OpenBLAS's packing and driver:
// docs/blas-kernels.md, *Small products without packing*. Only an AVX2 + FMA build exists; other instruction sets
// leave the product to BLAS (hpo_small_sgemm_isa returns -1).

#if defined(__x86_64__)
#include <immintrin.h>

/// Rows of C one micro-kernel call computes (6 rows × 16 columns: 12 ymm accumulators).
#define MICRO_ROWS 6
/// Columns of C one micro-kernel call computes (two ymm vectors).
#define MICRO_COLUMNS 16
/// op(B) rows copied per panel when B is transposed: a 16 × 256 panel is 16 KiB, in L1.
#define PANEL_DEPTH 256

/// Lane masks for the first `width` of 8 lanes (width in 0...8).
__attribute__((target("avx2,fma"), always_inline)) static inline __m256i lane_mask(long width) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)width), lanes);
}

/// dst[0..<count] ← the first `count` lanes of v (count in 0...8), without a masked store (microcoded on Zen).
__attribute__((target("avx2,fma"), always_inline)) static inline void store_head(float *dst, __m256 v, long count) {
    __m128 low = _mm256_castps256_ps128(v);
    if (count >= 4) {
        _mm_storeu_ps(dst, low);
        low = _mm256_extractf128_ps(v, 1);
        dst += 4;
        count -= 4;
    }
    if (count >= 2) {
        _mm_storel_pi((__m64 *)dst, low);
        low = _mm_movehl_ps(low, low);
        dst += 2;
        count -= 2;
    }
    if (count >= 1) _mm_store_ss(dst, low);
}

/// C[0..<rows][0..<width] ← alpha · Σ_p a(r, p) · b[p][j] + beta · C, for rows ≤ 6 and width ≤ 16.
/// a(r, p) = a[r·a_row + p·a_step] (row-major A: a_row = lda, a_step = 1; transposed: a_row = 1, a_step = lda);
/// b[p][j] = b[p·ldb + j]; c row-major with leading dimension ldc. beta = 0 never reads C.
/// Sums run over p in order, one fused multiply-add per step.
__attribute__((target("avx2,fma"), always_inline)) static inline void micro_kernel(
    const int rows, long width, long k, float alpha, const float *a, long a_row, long a_step,
    const float *b, long ldb, float beta, float *c, long ldc) {
    __m256 acc[MICRO_ROWS][2];
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < MICRO_ROWS; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    const __m256i mask0 = lane_mask(width < 8 ? width : 8);
    const __m256i mask1 = lane_mask(width > 8 ? width - 8 : 0);
    if (width == MICRO_COLUMNS) {
        for (long p = 0; p < k; p++) {
            const __m256 b0 = _mm256_loadu_ps(b + p * ldb), b1 = _mm256_loadu_ps(b + p * ldb + 8);
            _Pragma("clang loop unroll(full)")
            for (int r = 0; r < rows; r++) {
                const __m256 x = _mm256_broadcast_ss(a + r * a_row + p * a_step);
                acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
            }
        }
    } else if (width > 8) {
        for (long p = 0; p < k; p++) {
            const __m256 b0 = _mm256_loadu_ps(b + p * ldb), b1 = _mm256_maskload_ps(b + p * ldb + 8, mask1);
            _Pragma("clang loop unroll(full)")
            for (int r = 0; r < rows; r++) {
                const __m256 x = _mm256_broadcast_ss(a + r * a_row + p * a_step);
                acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
            }
        }
    } else {
        for (long p = 0; p < k; p++) {
            const __m256 b0 = _mm256_maskload_ps(b + p * ldb, mask0);
            _Pragma("clang loop unroll(full)")
            for (int r = 0; r < rows; r++) {
                const __m256 x = _mm256_broadcast_ss(a + r * a_row + p * a_step);
                acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
            }
        }
    }
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < rows; r++) {
        float *cr = c + r * ldc;
        __m256 c0 = _mm256_mul_ps(va, acc[r][0]), c1 = _mm256_mul_ps(va, acc[r][1]);
        if (width == MICRO_COLUMNS) {  // masked stores are slow on Zen: plain ones where the row is whole
            if (beta != 0) {
                c0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr), c0);
                c1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr + 8), c1);
            }
            _mm256_storeu_ps(cr, c0);
            _mm256_storeu_ps(cr + 8, c1);
            continue;
        }
        if (beta != 0) {
            c0 = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr, mask0), c0);
            c1 = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr + 8, mask1), c1);
        }
        if (width >= 8) {
            _mm256_storeu_ps(cr, c0);
            store_head(cr + 8, c1, width - 8);
        } else {
            store_head(cr, c0, width);
        }
    }
}

/// The 8 × 8 block at src (leading dimension lds) transposed into dst (leading dimension ldd).
__attribute__((target("avx2,fma"), always_inline)) static inline void transpose8(
    float *dst, long ldd, const float *src, long lds) {
    __m256 r[8], t[8];
    for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(src + i * lds);
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        r[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 4; i++) {
        _mm256_storeu_ps(dst + i * ldd, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
        _mm256_storeu_ps(dst + (i + 4) * ldd, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
    }
}

/// copy[p][jj] ← b[jj][p] for jj < width (≤ 16), p < depth: a `depth × 16` panel (row length 16) of op(B) = Bᵀ,
/// where b is row-major with leading dimension ldb.
__attribute__((target("avx2,fma"))) static void pack_transposed(
    float *copy, const float *b, long ldb, long width, long depth) {
    long whole_width = width & ~7L, whole_depth = depth & ~7L;
    for (long jj = 0; jj < whole_width; jj += 8)
        for (long p = 0; p < whole_depth; p += 8) transpose8(copy + p * MICRO_COLUMNS + jj, MICRO_COLUMNS, b + jj * ldb + p, ldb);
    for (long jj = 0; jj < width; jj++) {
        for (long p = jj < whole_width ? whole_depth : 0; p < depth; p++) copy[p * MICRO_COLUMNS + jj] = b[jj * ldb + p];
    }
}

/// One column panel (width ≤ 16) over all m rows of C, six rows at a time.
__attribute__((target("avx2,fma"))) static void panel(
    long m, long width, long k, float alpha, const float *a, long a_row, long a_step,
    const float *b, long ldb, float beta, float *c, long ldc) {
    long i = 0;
    // A tail of 1 or 2 rows would run at a third of the FMA rate (too few accumulators to hide the latency):
    // the last 7 or 8 rows go as two tiles of 3–4 rows instead.
    long full = m % MICRO_ROWS == 1 || m % MICRO_ROWS == 2 ? m - MICRO_ROWS - m % MICRO_ROWS : m - m % MICRO_ROWS;
    if (full < 0) full = 0;
    for (; i < full; i += MICRO_ROWS)
        micro_kernel(MICRO_ROWS, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc);
    if (m - i > MICRO_ROWS) {
        micro_kernel(4, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc);
        i += 4;
    }
    for (; i + MICRO_ROWS <= m; i += MICRO_ROWS)
        micro_kernel(MICRO_ROWS, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc);
    switch (m - i) {
    case 5: micro_kernel(5, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc); break;
    case 4: micro_kernel(4, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc); break;
    case 3: micro_kernel(3, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc); break;
    case 2: micro_kernel(2, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc); break;
    case 1: micro_kernel(1, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc); break;
    default: break;
    }
}

/// The whole product with AVX2 + FMA: 16-column panels of C, each over all rows; op(B) = Bᵀ is copied panel by
/// panel (at most PANEL_DEPTH rows of it at a time, later parts added with beta = 1).
__attribute__((target("avx2,fma"))) static void small_sgemm_avx2_fma(
    int transpose_a, int transpose_b, long m, long n, long k, float alpha, const float *a, long lda,
    const float *b, long ldb, float beta, float *c, long ldc) {
    const long a_row = transpose_a ? 1 : lda, a_step = transpose_a ? lda : 1;
    if (!transpose_b) {
        for (long j = 0; j < n; j += MICRO_COLUMNS) {
            long width = n - j < MICRO_COLUMNS ? n - j : MICRO_COLUMNS;
            panel(m, width, k, alpha, a, a_row, a_step, b + j, ldb, beta, c + j, ldc);
        }
        return;
    }
    float copy[PANEL_DEPTH * MICRO_COLUMNS] __attribute__((aligned(32)));
    for (long j = 0; j < n; j += MICRO_COLUMNS) {
        long width = n - j < MICRO_COLUMNS ? n - j : MICRO_COLUMNS;
        for (long p0 = 0; p0 == 0 || p0 < k; p0 += PANEL_DEPTH) {
            long depth = k - p0 < PANEL_DEPTH ? k - p0 : PANEL_DEPTH;
            pack_transposed(copy, b + j * ldb + p0, ldb, width, depth);
            panel(m, width, depth, alpha, a + p0 * a_step, a_row, a_step, copy, MICRO_COLUMNS, p0 == 0 ? beta : 1,
                  c + j, ldc);
        }
    }
}
#endif

int hpo_small_sgemm_isa(
    HPOVectorISA isa, int transpose_a, int transpose_b, long m, long n, long k, float alpha, const float *a, long lda,
    const float *b, long ldb, float beta, float *c, long ldc) {
#if defined(__x86_64__)
    if (isa == HPOVectorISAAVX2FMA) {
        if (m > 0 && n > 0) small_sgemm_avx2_fma(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return 0;
    }
#endif
    (void)isa, (void)transpose_a, (void)transpose_b, (void)m, (void)n, (void)k, (void)alpha, (void)a, (void)lda;
    (void)b, (void)ldb, (void)beta, (void)c, (void)ldc;
    return -1;
}
