#ifndef HPO_TWO_BUILDS_H
#define HPO_TWO_BUILDS_H

#include "hpo_vector_kernels.h"

/// Builds the always-inline function `body` twice, `body##_generic` for the baseline and (on x86-64)
/// `body##_avx2_fma` with AVX2 + FMA, and defines `body##_for(isa)`, which returns the build `isa` names.
/// `params` is the parenthesized parameter list, `args` the parenthesized argument names.
#if defined(__x86_64__)
#define HPO_TWO_BUILDS(body, params, args)                                                   \
    static void body##_generic params { body args; }                                        \
    __attribute__((target("avx2,fma"))) static void body##_avx2_fma params { body args; }   \
    static __typeof__(&body##_generic) body##_for(HPOVectorISA isa) {                       \
        return isa == HPOVectorISAAVX2FMA ? body##_avx2_fma : body##_generic;               \
    }
#else
#define HPO_TWO_BUILDS(body, params, args)                                                   \
    static void body##_generic params { body args; }                                        \
    static __typeof__(&body##_generic) body##_for(HPOVectorISA isa) {                       \
        (void)isa;                                                                          \
        return body##_generic;                                                              \
    }
#endif

#endif
