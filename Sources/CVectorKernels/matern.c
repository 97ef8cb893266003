#include "isa_builds.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const double sqrt5 = 2.2360679774997896964;

/// e^x for x in [−708, 0] (clamped below), branch-free so that the loop around it vectorizes.
__attribute__((always_inline)) static inline double exponential(double x) {
    const double log2e = 1.442695040888963387;
    const double ln2_high = 6.93147180369123816490e-01;  // k·ln2_high is exact for |k| < 2²⁰ (fdlibm's split)
    const double ln2_low = 1.90821492927058770002e-10;
    const double shifter = 6755399441055744.0;  // 1.5·2⁵²: adding it rounds to an integer held in the low bits
    x = x < -708 ? -708 : x;
    double shifted = x * log2e + shifter;
    double k = shifted - shifter;
    double r = (x - k * ln2_high) - k * ln2_low;
    double p = 1.0 / 6227020800;
    p = p * r + 1.0 / 479001600;
    p = p * r + 1.0 / 39916800;
    p = p * r + 1.0 / 3628800;
    p = p * r + 1.0 / 362880;
    p = p * r + 1.0 / 40320;
    p = p * r + 1.0 / 5040;
    p = p * r + 1.0 / 720;
    p = p * r + 1.0 / 120;
    p = p * r + 1.0 / 24;
    p = p * r + 1.0 / 6;
    p = p * r + 0.5;
    p = p * r + 1;
    p = p * r + 1;
    int64_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    bits = (bits + 1023) << 52;  // the low bits hold k; k + 1023 is 2ᵏ's biased exponent
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/// One pass: r² → signal·m(r), and signal·g(r) into `factors` when `keep_factors`.
__attribute__((always_inline)) static inline void transform_near(
    double *restrict values, double *restrict factors, long count, double signal, int keep_factors) {
    for (long i = 0; i < count; i++) {
        double r2 = values[i] < 0 ? 0 : values[i];
        double r = __builtin_elementwise_sqrt(r2);
        double e = exponential(-sqrt5 * r);
        values[i] = signal * ((1 + sqrt5 * r + (5.0 / 3.0) * r2) * e);
        if (keep_factors) factors[i] = signal * ((5.0 / 3.0) * (1 + sqrt5 * r) * e);
    }
}

/// The same with e^x of libm wherever it is subnormal or 0 (r² above 10⁵) or r² is NaN: three passes.
__attribute__((always_inline)) static inline void transform_far(
    double *restrict values, double *restrict factors, long count, double signal, int keep_factors) {
    for (long i = 0; i < count; i++) {
        double r2 = values[i] < 0 ? 0 : values[i];
        factors[i] = exponential(-sqrt5 * __builtin_elementwise_sqrt(r2));
    }
    for (long i = 0; i < count; i++) {
        double r2 = values[i] < 0 ? 0 : values[i];
        if (!(r2 <= 100000.0)) factors[i] = exp(-sqrt5 * sqrt(r2));
    }
    for (long i = 0; i < count; i++) {
        double r2 = values[i] < 0 ? 0 : values[i];
        double r = __builtin_elementwise_sqrt(r2);
        double e = factors[i];
        values[i] = signal * ((1 + sqrt5 * r + (5.0 / 3.0) * r2) * e);
        if (keep_factors) factors[i] = signal * ((5.0 / 3.0) * (1 + sqrt5 * r) * e);
    }
}

__attribute__((always_inline)) static inline void transform(
    double *restrict values, double *restrict factors, long count, double signal, int keep_factors) {
    int far = 0;
    for (long i = 0; i < count; i++) far |= !(values[i] <= 100000.0);
    if (far) {
        transform_far(values, factors, count, signal, keep_factors);
    } else if (keep_factors) {
        transform_near(values, factors, count, signal, 1);
    } else {
        transform_near(values, factors, count, signal, 0);
    }
}

VOID_KERNEL(transform, (double *values, double *factors, long count, double signal, int keep_factors),
            (values, factors, count, signal, keep_factors))

void hpo_matern_transform_isa(
    HPOVectorISA isa, double *values, double *factors, long count, double signal, int keep_factors) {
    (void)DISPATCH(isa, transform_0, (values, factors, count, signal, keep_factors));
}
