#include "isa_builds.h"

// Small float32 products C ← alpha·op(A)·op(B) + beta·C for the trainer, without OpenBLAS's packing and driver:
// docs/blas-kernels.md, *Small products without packing*. Built for AVX2 + FMA, and for AVX-512 (12 × 16 tiles in
// zmm registers; the 10- and 2-column panels keep their AVX2 pair tiles), the two giving the same bits; the generic
// set leaves the product to BLAS (hpo_small_sgemm_isa returns -1).

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

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

/// Rows of C one pair-tail micro-kernel call computes (`pair_kernel`: 8 rows × (8 + 2) columns).
#define PAIR_ROWS 8

/// TILE(r) for a tail of `count` rows (0–6), the row count a constant in each call so that the tile's loops unroll.
#define ROW_TAIL(count, TILE)                                                                                          \
    switch (count) {                                                                                                   \
    case 6: TILE(6); break;                                                                                            \
    case 5: TILE(5); break;                                                                                            \
    case 4: TILE(4); break;                                                                                            \
    case 3: TILE(3); break;                                                                                            \
    case 2: TILE(2); break;                                                                                            \
    case 1: TILE(1); break;                                                                                            \
    default: break;                                                                                                    \
    }

/// C[0..<rows][0..<width] ← alpha · Σ_p a(r, p) · b[p][j] + beta · C for rows ≤ 8 and width 10 or 2: the last two
/// columns of four rows share one ymm register ([r0c8, r0c9, r1c8, r1c9, …]), so every lane of every FMA is a
/// wanted product (a 6 × 16 tile computes 16 columns to use 10). Operands as in `micro_kernel`. Per k step: one
/// load of b's 8 columns, one 64-bit broadcast of its pair, `rows` broadcasts of a, 10 FMAs, 6 blends.
__attribute__((target("avx2,fma"), always_inline)) static inline void pair_kernel(
    const int rows, const int main_columns, long k, float alpha, const float *a, long a_row, long a_step,
    const float *b, long ldb, float beta, float *c, long ldc) {
    __m256 acc[PAIR_ROWS], tail[2];
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < PAIR_ROWS; r++) acc[r] = _mm256_setzero_ps();
    tail[0] = tail[1] = _mm256_setzero_ps();
    const float *pair = b + main_columns;
    for (long p = 0; p < k; p++) {
        double pair_bits;  // the pair as one 64-bit value (memcpy: b is float storage, maybe not 8-byte aligned)
        memcpy(&pair_bits, pair + p * ldb, sizeof pair_bits);
        const __m256 bp = _mm256_castpd_ps(_mm256_set1_pd(pair_bits));
        const __m256 b0 = main_columns ? _mm256_loadu_ps(b + p * ldb) : bp;
        // Row by row, each pair multiplier built by a chain of blends, so that only one broadcast is live at a time
        // (ten accumulators, b0, bp, the chain and one broadcast: 14 of the 16 ymm registers).
        _Pragma("clang loop unroll(full)")
        for (int h = 0; h < 2; h++) {
            if (h * 4 >= rows) break;
            __m256 d = _mm256_setzero_ps();
            _Pragma("clang loop unroll(full)")
            for (int q = 0; q < 4; q++) {
                const int r = h * 4 + q;
                const __m256 x = r < rows ? _mm256_broadcast_ss(a + r * a_row + p * a_step) : d;
                if (main_columns && r < rows) acc[r] = _mm256_fmadd_ps(x, b0, acc[r]);
                d = q == 0 ? x : q == 1 ? _mm256_blend_ps(d, x, 0xFC) : q == 2 ? _mm256_blend_ps(d, x, 0xF0)
                                                                     : _mm256_blend_ps(d, x, 0xC0);
            }
            tail[h] = _mm256_fmadd_ps(d, bp, tail[h]);
        }
    }
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < rows; r++) {
        float *cr = c + r * ldc;
        if (main_columns) {
            __m256 c0 = _mm256_mul_ps(va, acc[r]);
            if (beta != 0) c0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr), c0);
            _mm256_storeu_ps(cr, c0);
        }
    }
    _Pragma("clang loop unroll(full)")
    for (int h = 0; h < 2; h++) {
        if (h * 4 >= rows) break;
        __m256 t = _mm256_mul_ps(va, tail[h]);
        __m128 lo = _mm256_castps256_ps128(t), hi = _mm256_extractf128_ps(t, 1);
        float *c0 = c + h * 4 * ldc + main_columns;
        // Rows h·4 + 0…3 of the pair columns: the low and high 64 bits of lo, then of hi.
        float *dst[4] = {c0, c0 + ldc, c0 + 2 * ldc, c0 + 3 * ldc};
        const int here = rows - h * 4 < 4 ? rows - h * 4 : 4;
        if (beta != 0) {
            const __m128 vb4 = _mm256_castps256_ps128(vb);
            __m128 old_lo = _mm_setzero_ps(), old_hi = _mm_setzero_ps();
            old_lo = _mm_loadl_pi(old_lo, (const __m64 *)dst[0]);
            if (here > 1) old_lo = _mm_loadh_pi(old_lo, (const __m64 *)dst[1]);
            if (here > 2) old_hi = _mm_loadl_pi(old_hi, (const __m64 *)dst[2]);
            if (here > 3) old_hi = _mm_loadh_pi(old_hi, (const __m64 *)dst[3]);
            lo = _mm_fmadd_ps(vb4, old_lo, lo);
            hi = _mm_fmadd_ps(vb4, old_hi, hi);
        }
        _mm_storel_pi((__m64 *)dst[0], lo);
        if (here > 1) _mm_storeh_pi((__m64 *)dst[1], lo);
        if (here > 2) _mm_storel_pi((__m64 *)dst[2], hi);
        if (here > 3) _mm_storeh_pi((__m64 *)dst[3], hi);
    }
}

/// One column panel of width 10 or 2 over all m rows of C, eight rows at a time (`pair_kernel`).
__attribute__((target("avx2,fma"))) static void pair_panel(
    long m, long width, long k, float alpha, const float *a, long a_row, long a_step,
    const float *b, long ldb, float beta, float *c, long ldc) {
    long i = 0;
#define PAIR_TILE(rows)                                                                                                \
    (width == 10 ? pair_kernel(rows, 8, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc)        \
                 : pair_kernel(rows, 0, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc))
    for (; i + PAIR_ROWS <= m; i += PAIR_ROWS) PAIR_TILE(PAIR_ROWS);
    if (m - i == 7) {
        PAIR_TILE(7);
    } else {
        ROW_TAIL(m - i, PAIR_TILE)
    }
#undef PAIR_TILE
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
#define MICRO_TILE(rows) micro_kernel(rows, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc)
    ROW_TAIL(m - i, MICRO_TILE)  // at most 5 rows here
#undef MICRO_TILE
}

/// One column panel of C (width ≤ 16) over all m rows in 16-column tiles: `panel` or its AVX-512 form `wide_panel`.
typedef void (*column_panel_kernel)(
    long m, long width, long k, float alpha, const float *a, long a_row, long a_step,
    const float *b, long ldb, float beta, float *c, long ldc);

/// One column panel of C (width ≤ 16) over all m rows: 10 or 2 columns (a 10-class layer's) in pair tiles, so no lane
/// computes an unused column; any other width by `panel_kernel`.
__attribute__((target("avx2,fma"), always_inline)) static inline void column_panel(
    column_panel_kernel panel_kernel, long m, long width, long k, float alpha, const float *a, long a_row,
    long a_step, const float *b, long ldb, float beta, float *c, long ldc) {
    if (width == 10 || width == 2)
        pair_panel(m, width, k, alpha, a, a_row, a_step, b, ldb, beta, c, ldc);
    else
        panel_kernel(m, width, k, alpha, a, a_row, a_step, b, ldb, beta, c, ldc);
}

/// The whole product: 16-column panels of C, each over all rows (`column_panel` with `panel_kernel`); op(B) = Bᵀ is
/// copied panel by panel (at most PANEL_DEPTH rows of it at a time, later parts added with beta = 1).
__attribute__((target("avx2,fma"))) static void small_sgemm_panels(
    column_panel_kernel panel_kernel, int transpose_a, int transpose_b, long m, long n, long k, float alpha,
    const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc) {
    const long a_row = transpose_a ? 1 : lda, a_step = transpose_a ? lda : 1;
    if (!transpose_b) {
        for (long j = 0; j < n; j += MICRO_COLUMNS) {
            long width = n - j < MICRO_COLUMNS ? n - j : MICRO_COLUMNS;
            column_panel(panel_kernel, m, width, k, alpha, a, a_row, a_step, b + j, ldb, beta, c + j, ldc);
        }
        return;
    }
    float copy[PANEL_DEPTH * MICRO_COLUMNS] __attribute__((aligned(64)));
    for (long j = 0; j < n; j += MICRO_COLUMNS) {
        long width = n - j < MICRO_COLUMNS ? n - j : MICRO_COLUMNS;
        for (long p0 = 0; p0 == 0 || p0 < k; p0 += PANEL_DEPTH) {
            long depth = k - p0 < PANEL_DEPTH ? k - p0 : PANEL_DEPTH;
            pack_transposed(copy, b + j * ldb + p0, ldb, width, depth);
            column_panel(panel_kernel, m, width, depth, alpha, a + p0 * a_step, a_row, a_step, copy, MICRO_COLUMNS,
                         p0 == 0 ? beta : 1, c + j, ldc);
        }
    }
}

/// Rows of C one AVX-512 micro-kernel call computes (12 rows × 16 columns: 12 zmm accumulators, enough independent
/// chains to hide the FMA latency).
#define WIDE_ROWS 12

/// `micro_kernel` in 512-bit vectors: C[0..<rows][0..<width] for rows ≤ 12 and width ≤ 16, one zmm per row, the
/// columns past `width` masked off. Every element is the same in-order chain of fused multiply-adds as in
/// `micro_kernel`, then alpha and beta applied the same way, so the two kernels give the same bits.
__attribute__((target(AVX512_TARGET), always_inline)) static inline void wide_micro_kernel(
    const int rows, long width, long k, float alpha, const float *a, long a_row, long a_step,
    const float *b, long ldb, float beta, float *c, long ldc) {
    __m512 acc[WIDE_ROWS];
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < WIDE_ROWS; r++) acc[r] = _mm512_setzero_ps();
    const __mmask16 mask = width >= MICRO_COLUMNS ? (__mmask16)0xFFFF : (__mmask16)((1u << width) - 1);
    for (long p = 0; p < k; p++) {
        const __m512 b0 = _mm512_maskz_loadu_ps(mask, b + p * ldb);
        _Pragma("clang loop unroll(full)")
        for (int r = 0; r < rows; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[r * a_row + p * a_step]), b0, acc[r]);
    }
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    _Pragma("clang loop unroll(full)")
    for (int r = 0; r < rows; r++) {
        float *cr = c + r * ldc;
        __m512 c0 = _mm512_mul_ps(va, acc[r]);
        if (beta != 0) c0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask, cr), c0);
        _mm512_mask_storeu_ps(cr, mask, c0);
    }
}

/// `panel` with the AVX-512 micro-kernel: one column panel (width ≤ 16) over all m rows, twelve rows at a time.
__attribute__((target(AVX512_TARGET))) static void wide_panel(
    long m, long width, long k, float alpha, const float *a, long a_row, long a_step,
    const float *b, long ldb, float beta, float *c, long ldc) {
    long i = 0;
#define WIDE_TILE(rows) wide_micro_kernel(rows, width, k, alpha, a + i * a_row, a_row, a_step, b, ldb, beta, c + i * ldc, ldc)
    for (; i + WIDE_ROWS <= m; i += WIDE_ROWS) WIDE_TILE(WIDE_ROWS);
    // A tail of few rows runs at a fraction of the FMA rate: rows beyond 6 go as two tiles of about half.
    if (m - i > 6) {
        long half = (m - i) / 2;  // 3–5
        ROW_TAIL(half, WIDE_TILE)
        i += half;
    }
    ROW_TAIL(m - i, WIDE_TILE)  // at most 6 rows here
#undef WIDE_TILE
}

#endif

int hpo_small_sgemm_isa(
    HPOVectorISA isa, int transpose_a, int transpose_b, long m, long n, long k, float alpha, const float *a, long lda,
    const float *b, long ldb, float beta, float *c, long ldc) {
#if defined(__x86_64__)
    if (isa == HPOVectorISAAVX2FMA || isa == HPOVectorISAAVX512) {
        // The 10- and 2-column panels keep their AVX2 pair tiles under either set.
        column_panel_kernel panel_kernel = isa == HPOVectorISAAVX512 ? wide_panel : panel;
        if (m > 0 && n > 0)
            small_sgemm_panels(panel_kernel, transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return 0;
    }
#endif
    (void)isa, (void)transpose_a, (void)transpose_b, (void)m, (void)n, (void)k, (void)alpha, (void)a, (void)lda;
    (void)b, (void)ldb, (void)beta, (void)c, (void)ldc;
    return -1;
}
