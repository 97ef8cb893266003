#include "isa_builds.h"

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

/// Four points at a time, so that four sums run in parallel instead of one chain of d dependent additions.
__attribute__((always_inline)) static inline void point_distances(
    const double *restrict point, const double *restrict points, long n, long d, double *restrict out) {
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        const double *p0 = points + i * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (long k = 0; k < d; k++) {
            double x = point[k], e0 = x - p0[k], e1 = x - p1[k], e2 = x - p2[k], e3 = x - p3[k];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }
        out[i] = s0;
        out[i + 1] = s1;
        out[i + 2] = s2;
        out[i + 3] = s3;
    }
    for (; i < n; i++) {
        double sum = 0;
        for (long k = 0; k < d; k++) {
            double e = point[k] - points[i * d + k];
            sum += e * e;
        }
        out[i] = sum;
    }
}

VOID_KERNEL(distances, (const double *coordinates, long n, long d, const double *scales, double *out),
            (coordinates, n, d, scales, out))
VOID_KERNEL(point_distances, (const double *point, const double *points, long n, long d, double *out),
            (point, points, n, d, out))
NARROW_VOID_KERNEL(weighted_squares, (const double *coordinates, long n, long d, const double *weights, double *sums),
            (coordinates, n, d, weights, sums))

void hpo_pair_distances(HPOVectorISA isa, const double *coordinates, long n, long d, const double *scales, double *out) {
    (void)DISPATCH(isa, distances_0, (coordinates, n, d, scales, out));
}

void hpo_pair_weighted_squares(
    HPOVectorISA isa, const double *coordinates, long n, long d, const double *weights, double *sums) {
    (void)DISPATCH_NARROW(isa, weighted_squares_0, (coordinates, n, d, weights, sums));
}

void hpo_point_distances(HPOVectorISA isa, const double *point, const double *points, long n, long d, double *out) {
    (void)DISPATCH(isa, point_distances_0, (point, points, n, d, out));
}
