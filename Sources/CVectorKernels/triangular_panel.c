#include "isa_builds.h"

// Forward and back substitution with a column-major lower factor for a panel of HPO_PANEL_WIDTH right-hand sides
// stored row by row. Columns of L are read four at a time, each once per solve, so one pass over the factor serves
// every right-hand side (docs/gaussian-process.md, *Fourth round*).

typedef double lanes __attribute__((vector_size(32), aligned(8)));  // 4 doubles; two SSE2 registers in the generic build

/// Row `row` of the panel as two 4-lane halves.
#define PANEL_ROW(panel, row) ((lanes *)((panel) + (row) * HPO_PANEL_WIDTH))

/// Rows first ..< first + count of the panel solved against L's diagonal block, given that every earlier row's
/// contribution has been subtracted: forward (`backward` = 0) or with Lᵀ (`backward` = 1).
__attribute__((always_inline)) static inline void diagonal_block(
    long n, const double *restrict l, double *restrict panel, long first, long count, int backward) {
    for (long step = 0; step < count; step++) {
        long t = backward ? count - 1 - step : step;
        lanes *row = PANEL_ROW(panel, first + t);
        long from = backward ? t + 1 : 0, to = backward ? count : t;
        for (long s = from; s < to; s++) {
            // L[first + t][first + s] forward; Lᵀ[first + t][first + s] = L[first + s][first + t] backward.
            double factor = backward ? l[(first + s) + (first + t) * n] : l[(first + t) + (first + s) * n];
            lanes *solved = PANEL_ROW(panel, first + s);
            row[0] -= factor * solved[0];
            row[1] -= factor * solved[1];
        }
        double diagonal = l[(first + t) + (first + t) * n];
        row[0] /= diagonal;
        row[1] /= diagonal;
    }
}

__attribute__((always_inline)) static inline void lower_solve(long n, const double *restrict l, double *restrict panel) {
    for (long j = 0; j < n; j += 4) {
        long count = n - j < 4 ? n - j : 4;
        diagonal_block(n, l, panel, j, count, 0);
        if (count < 4) break;
        const double *c0 = l + j * n, *c1 = c0 + n, *c2 = c1 + n, *c3 = c2 + n;
        lanes *solved = PANEL_ROW(panel, j);
        lanes v0a = solved[0], v0b = solved[1], v1a = solved[2], v1b = solved[3];
        lanes v2a = solved[4], v2b = solved[5], v3a = solved[6], v3b = solved[7];
        for (long i = j + 4; i < n; i++) {
            lanes *row = PANEL_ROW(panel, i);
            double a0 = c0[i], a1 = c1[i], a2 = c2[i], a3 = c3[i];
            lanes low = row[0], high = row[1];
            low -= a0 * v0a; high -= a0 * v0b; low -= a1 * v1a; high -= a1 * v1b;
            low -= a2 * v2a; high -= a2 * v2b; low -= a3 * v3a; high -= a3 * v3b;
            row[0] = low;
            row[1] = high;
        }
    }
}

__attribute__((always_inline)) static inline void upper_solve(long n, const double *restrict l, double *restrict panel) {
    for (long end = n; end > 0;) {
        long count = end < 4 ? end : 4, first = end - count;
        // The rows end ..< n are solved; subtract their contributions to rows first ..< end.
        lanes sums[4][2] = {{0}};
        if (count == 4) {
            const double *c0 = l + first * n, *c1 = c0 + n, *c2 = c1 + n, *c3 = c2 + n;
            for (long i = end; i < n; i++) {
                lanes *row = PANEL_ROW(panel, i);
                lanes low = row[0], high = row[1];
                sums[0][0] += c0[i] * low; sums[0][1] += c0[i] * high;
                sums[1][0] += c1[i] * low; sums[1][1] += c1[i] * high;
                sums[2][0] += c2[i] * low; sums[2][1] += c2[i] * high;
                sums[3][0] += c3[i] * low; sums[3][1] += c3[i] * high;
            }
        } else {
            for (long s = 0; s < count; s++) {
                const double *column = l + (first + s) * n;
                for (long i = end; i < n; i++) {
                    lanes *row = PANEL_ROW(panel, i);
                    sums[s][0] += column[i] * row[0];
                    sums[s][1] += column[i] * row[1];
                }
            }
        }
        for (long s = 0; s < count; s++) {
            lanes *row = PANEL_ROW(panel, first + s);
            row[0] -= sums[s][0];
            row[1] -= sums[s][1];
        }
        diagonal_block(n, l, panel, first, count, 1);
        end = first;
    }
}

VOID_KERNEL(lower_solve, (long n, const double *l, double *panel), (n, l, panel))
VOID_KERNEL(upper_solve, (long n, const double *l, double *panel), (n, l, panel))

void hpo_lower_solve_panel(HPOVectorISA isa, long n, const double *lower, double *panel) {
    (void)DISPATCH(isa, lower_solve_0, (n, lower, panel));
}

void hpo_lower_transpose_solve_panel(HPOVectorISA isa, long n, const double *lower, double *panel) {
    (void)DISPATCH(isa, upper_solve_0, (n, lower, panel));
}
