#include "two_builds.h"

/// For each j, the pairs (i, j), i > j, are contiguous in the output and in each coordinate row: the loops run over i.
__attribute__((always_inline)) static inline void distances(
    const double *restrict coordinates, long n, long d, const double *restrict scales, double *restrict out) {
    double *restrict row = out;
    for (long j = 0; j + 1 < n; j++) {
        long count = n - j - 1;
        for (long i = 0; i < count; i++) row[i] = 0;
        for (long k = 0; k < d; k++) {
            const double *restrict x = coordinates + k * n + j + 1;
            double xj = coordinates[k * n + j], s = scales[k];
            for (long i = 0; i < count; i++) {
                double delta = x[i] - xj;
                row[i] += s * (delta * delta);
            }
        }
        row += count;
    }
}

__attribute__((always_inline)) static inline void weighted_squares(
    const double *restrict coordinates, long n, long d, const double *restrict weights, double *restrict sums) {
    for (long k = 0; k < d; k++) sums[k] = 0;
    const double *restrict row = weights;
    for (long j = 0; j + 1 < n; j++) {
        long count = n - j - 1;
        for (long k = 0; k < d; k++) {
            const double *restrict x = coordinates + k * n + j + 1;
            double xj = coordinates[k * n + j];
            double sum = 0;
#pragma clang loop vectorize(enable)
            for (long i = 0; i < count; i++) {
#pragma clang fp reassociate(on)
                double delta = x[i] - xj;
                sum += row[i] * (delta * delta);
            }
            sums[k] += sum;
        }
        row += count;
    }
}

VOID_KERNEL(distances, (const double *coordinates, long n, long d, const double *scales, double *out),
            (coordinates, n, d, scales, out))
VOID_KERNEL(weighted_squares, (const double *coordinates, long n, long d, const double *weights, double *sums),
            (coordinates, n, d, weights, sums))

void hpo_pair_distances(HPOVectorISA isa, const double *coordinates, long n, long d, const double *scales, double *out) {
    (void)DISPATCH(isa, distances_0, (coordinates, n, d, scales, out));
}

void hpo_pair_weighted_squares(
    HPOVectorISA isa, const double *coordinates, long n, long d, const double *weights, double *sums) {
    (void)DISPATCH(isa, weighted_squares_0, (coordinates, n, d, weights, sums));
}
