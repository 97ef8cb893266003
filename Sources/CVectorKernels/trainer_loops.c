#include "isa_builds.h"

#include <stdint.h>
#include <string.h>

// The trainer's own loops around its products (docs/blas-kernels.md, *The trainer's loops in C*): plain C that clang
// vectorizes, compiled for the baseline, for AVX2 + FMA and for AVX-512 (isa_builds.h), each public function picking
// its build by `isa`.

/// e^x in float for x ≤ 88.3 (clamped there; NaN stays NaN), 0 below −87.3 (where e^x is under FLT_MIN: no subnormal
/// reaches the products), branch-free so the loops around it vectorize: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite,
/// two-part ln2), e^r by Cephes' degree-6 polynomial, times 2ⁿ from the exponent bits. Within 1 ulp of e^x.
__attribute__((always_inline)) static inline float exponential(float x) {
    const float shifter = 12582912.0f;  // 1.5·2²³: adding it rounds to an integer held in the low mantissa bits
    const float underflow = x < -87.3f ? 0.0f : 1.0f;
    x = x < -87.3f ? -87.3f : x;
    x = x > 88.3f ? 88.3f : x;
    float shifted = x * 1.44269504088896341f + shifter;
    float n = shifted - shifter;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    uint32_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    bits = (bits + 127u) << 23;  // the low bits hold n; n + 127 is 2ⁿ's biased exponent
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale * underflow;
}

/// ln x in float for normal x > 0 (the softmax's sums, in [1, classes]; NaN and +∞ give themselves): x = m·2ᵉ with m in [√½, √2), ln m by Cephes'
/// degree-9 polynomial in m − 1, plus e·ln2 in two parts. Within 2 ulp of libm's logf there; branch-free.
__attribute__((always_inline)) static inline float logarithm(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    // Shift by √½'s bits so that the exponent taken off leaves m in [√½, √2).
    uint32_t offset = bits - 0x3f3504f3u;
    float e = (float)((int32_t)offset >> 23);
    bits = (offset & 0x007fffffu) + 0x3f3504f3u;
    float m;
    memcpy(&m, &bits, sizeof m);
    m -= 1.0f;
    float z = m * m;
    float y = 7.0376836292e-2f;
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    y += e * -2.12194440e-4f;
    y += -0.5f * z;
    float result = m + y + e * 0.693359375f;
    return x < __builtin_inff() ? result : x;  // NaN and +∞ give themselves (a diverged run's loss stays NaN)
}

__attribute__((always_inline)) static inline void bias_relu(
    float *restrict z, const float *restrict bias, float *restrict h, long rows, long width) {
    for (long r = 0; r < rows; r++) {
        float *restrict zr = z + r * width;
        if (h) {
            float *restrict hr = h + r * width;
            // Rows are short (10–64 floats): one vector per step, not four, or a 10-wide row runs scalar.
#pragma clang loop interleave_count(1)
            for (long j = 0; j < width; j++) {
                float v = zr[j] + bias[j];
                zr[j] = v;
                hr[j] = v > 0 ? v : 0;
            }
        } else {
#pragma clang loop interleave_count(1)
            for (long j = 0; j < width; j++) zr[j] += bias[j];
        }
    }
}

/// Rows per block of the softmax: its row sums and their logarithms sit in a stack array of this many floats.
#define SOFTMAX_BLOCK 64

__attribute__((always_inline)) static inline double softmax_cross_entropy(
    const float *restrict logits, const int32_t *restrict labels, long rows, long classes, float scale,
    float *restrict delta, long *correct) {
    double loss = 0;
    long right = 0;
    float maxima[SOFTMAX_BLOCK], sums[SOFTMAX_BLOCK];
    for (long r0 = 0; r0 < rows; r0 += SOFTMAX_BLOCK) {
        long block = rows - r0 < SOFTMAX_BLOCK ? rows - r0 : SOFTMAX_BLOCK;
        const float *restrict z = logits + r0 * classes;
        float *restrict d = delta + r0 * classes;
        // Pass 1, per row: the largest logit (the first, on ties; NaN never wins) and the shifted logits.
        for (long r = 0; r < block; r++) {
            const float *zr = z + r * classes;
            // The largest value, then the first index holding it: two branch-free loops (a branch on which logit is
            // larger mispredicts on random data; perf put 40 % of this function there).
            float maximum = zr[0];
            for (long j = 1; j < classes; j++) maximum = zr[j] > maximum ? zr[j] : maximum;
            maxima[r] = maximum;
            if (correct) {  // a training step asks for no count; its scalar select chain was 30 % of this function
                long best = 0;
                for (long j = classes - 1; j > 0; j--) best = zr[j] == maximum ? j : best;
                right += best == labels[r0 + r];
            }
#pragma clang loop interleave_count(1)
            for (long j = 0; j < classes; j++) d[r * classes + j] = zr[j] - maxima[r];
        }
        // Pass 2, the whole block as one vector: e^(z − max).
        for (long i = 0; i < block * classes; i++) d[i] = exponential(d[i]);
        for (long r = 0; r < block; r++) {
            float sum = 0;
            for (long j = 0; j < classes; j++) sum += d[r * classes + j];
            sums[r] = sum;
        }
        // Pass 3: the loss of each row and the gradient scale·(softmax − one-hot).
        for (long r = 0; r < block; r++) maxima[r] += logarithm(sums[r]);
        for (long r = 0; r < block; r++) {
            long label = labels[r0 + r];
            loss += (double)(maxima[r] - z[r * classes + label]);
            float factor = scale / sums[r];
#pragma clang loop interleave_count(1)
            for (long j = 0; j < classes; j++) d[r * classes + j] *= factor;
            d[r * classes + label] -= scale;
        }
    }
    if (correct) *correct = right;
    return loss;
}

/// sums[j0 + j] = Σ_r matrix[r][j0 + j] for j < chunk (a constant: the sums stay in registers down all the rows).
__attribute__((always_inline)) static inline void column_sums_chunk(
    const float *restrict matrix, long rows, long width, long j0, const int chunk, float *restrict sums) {
    float acc[32] = {0};
    for (long r = 0; r < rows; r++)
        for (int j = 0; j < chunk; j++) acc[j] += matrix[r * width + j0 + j];
    for (int j = 0; j < chunk; j++) sums[j0 + j] = acc[j];
}

/// Each column's sum runs down the rows in order, as before, but 32, 8 or 1 columns at a time in registers: summed in
/// `sums` itself, every row waited on the previous row's store (a store-to-load chain of a few cycles per row; 3× the
/// time at widths 32 and 64).
__attribute__((always_inline)) static inline void column_sums(
    const float *restrict matrix, long rows, long width, float *restrict sums) {
    long j0 = 0;
    for (; j0 + 32 <= width; j0 += 32) column_sums_chunk(matrix, rows, width, j0, 32, sums);
    for (; j0 + 8 <= width; j0 += 8) column_sums_chunk(matrix, rows, width, j0, 8, sums);
    for (; j0 < width; j0++) column_sums_chunk(matrix, rows, width, j0, 1, sums);
}

__attribute__((always_inline)) static inline void relu_gradient(float *restrict g, const float *restrict z, long count) {
    // As a mask on the bits, so that the baseline build vectorizes it too: written as a select, clang's SSE2 cost
    // model keeps it scalar with a branch on a random sign (a quarter of a generic epoch, perf).
    for (long i = 0; i < count; i++) {
        uint32_t bits, keep = (uint32_t)-(int32_t)!(z[i] <= 0);
        memcpy(&bits, g + i, sizeof bits);
        bits &= keep;
        memcpy(g + i, &bits, sizeof bits);
    }
}

__attribute__((always_inline)) static inline void sgd_momentum(
    float *restrict p, const float *restrict g, float *restrict v, long count, float rate, float momentum,
    int nesterov) {
    if (nesterov) {
        for (long i = 0; i < count; i++) {
            float velocity = momentum * v[i] + g[i];
            v[i] = velocity;
            p[i] -= rate * (g[i] + momentum * velocity);
        }
    } else {
        for (long i = 0; i < count; i++) {
            float velocity = momentum * v[i] + g[i];
            v[i] = velocity;
            p[i] -= rate * velocity;
        }
    }
}

__attribute__((always_inline)) static inline int gather_rows(
    float *restrict rows_out, int32_t *restrict labels_out, const float *restrict features,
    const int32_t *restrict labels, long source_rows, long width, const long *restrict indices, long rows) {
    for (long r = 0; r < rows; r++)
        if ((unsigned long)indices[r] >= (unsigned long)source_rows) return -1;
    for (long r = 0; r < rows; r++) {
        const float *restrict source = features + indices[r] * width;
        float *restrict target = rows_out + r * width;
#pragma clang loop vectorize(enable)
        for (long j = 0; j < width; j++) target[j] = source[j];
        labels_out[r] = labels[indices[r]];
    }
    return 0;
}

// In place over `count` floats, for the tests of the two functions above.
__attribute__((always_inline)) static inline void exponentials(float *values, long count) {
    for (long i = 0; i < count; i++) values[i] = exponential(values[i]);
}

__attribute__((always_inline)) static inline void logarithms(float *values, long count) {
    for (long i = 0; i < count; i++) values[i] = logarithm(values[i]);
}

VOID_KERNEL(bias_relu, (float *z, const float *bias, float *h, long rows, long width), (z, bias, h, rows, width))
VOID_KERNEL(column_sums, (const float *matrix, long rows, long width, float *sums), (matrix, rows, width, sums))
VOID_KERNEL(relu_gradient, (float *g, const float *z, long count), (g, z, count))
VOID_KERNEL(sgd_momentum, (float *p, const float *g, float *v, long count, float rate, float momentum, int nesterov),
            (p, g, v, count, rate, momentum, nesterov))
VOID_KERNEL(exponentials, (float *values, long count), (values, count))
VOID_KERNEL(logarithms, (float *values, long count), (values, count))
EVERY_BUILD(double, softmax_cross_entropy,
            (const float *logits, const int32_t *labels, long rows, long classes, float scale, float *delta,
             long *correct),
            (logits, labels, rows, classes, scale, delta, correct))
EVERY_BUILD(int, gather_rows,
            (float *rows_out, int32_t *labels_out, const float *features, const int32_t *labels, long source_rows,
             long width, const long *indices, long rows),
            (rows_out, labels_out, features, labels, source_rows, width, indices, rows))

void hpo_bias_relu(HPOVectorISA isa, float *z, const float *bias, float *relu_output, long rows, long width) {
    (void)DISPATCH(isa, bias_relu_0, (z, bias, relu_output, rows, width));
}

double hpo_softmax_cross_entropy(
    HPOVectorISA isa, const float *logits, const int32_t *labels, long rows, long classes, float scale, float *delta,
    long *correct) {
    return DISPATCH(isa, softmax_cross_entropy, (logits, labels, rows, classes, scale, delta, correct));
}

void hpo_column_sums(HPOVectorISA isa, const float *matrix, long rows, long width, float *sums) {
    (void)DISPATCH(isa, column_sums_0, (matrix, rows, width, sums));
}

void hpo_relu_gradient(HPOVectorISA isa, float *gradient, const float *preactivation, long count) {
    (void)DISPATCH(isa, relu_gradient_0, (gradient, preactivation, count));
}

void hpo_sgd_momentum(
    HPOVectorISA isa, float *parameters, const float *gradients, float *velocity, long count, float rate,
    float momentum, int nesterov) {
    (void)DISPATCH(isa, sgd_momentum_0, (parameters, gradients, velocity, count, rate, momentum, nesterov));
}

int hpo_gather_rows(
    HPOVectorISA isa, float *rows_out, int32_t *labels_out, const float *features, const int32_t *labels,
    long source_rows, long width, const long *indices, long rows) {
    return DISPATCH(isa, gather_rows, (rows_out, labels_out, features, labels, source_rows, width, indices, rows));
}

void hpo_exp_floats(HPOVectorISA isa, float *values, long count) { (void)DISPATCH(isa, exponentials_0, (values, count)); }

void hpo_log_floats(HPOVectorISA isa, float *values, long count) { (void)DISPATCH(isa, logarithms_0, (values, count)); }
