#ifndef HPO_TWO_BUILDS_H
#define HPO_TWO_BUILDS_H

#include "hpo_vector_kernels.h"

/// The one way every kernel of this target is built: each loop twice from the same always-inline source,
/// generic_<name> for the baseline and avx2_fma_<name> for AVX2 + FMA, and DISPATCH picks the build an HPOVectorISA
/// names.
#if defined(__x86_64__)
#define AVX2_FMA_BUILD(result, name, parameters, arguments)                                                            \
    __attribute__((target("avx2,fma"))) static result avx2_fma_##name parameters { return name arguments; }
#define DISPATCH(isa, name, arguments)                                                                                 \
    ((isa) == HPOVectorISAAVX2FMA ? avx2_fma_##name arguments : generic_##name arguments)
#else
#define AVX2_FMA_BUILD(result, name, parameters, arguments)
#define DISPATCH(isa, name, arguments) ((void)(isa), generic_##name arguments)
#endif
#define BOTH_BUILDS(result, name, parameters, arguments)                                                               \
    static result generic_##name parameters { return name arguments; }                                               \
    AVX2_FMA_BUILD(result, name, parameters, arguments)

// The void loops report nothing; their builds return 0 so that one macro serves every kernel.
#define VOID_KERNEL(name, parameters, arguments)                                                                       \
    __attribute__((always_inline)) static inline int name##_0 parameters { name arguments; return 0; }              \
    BOTH_BUILDS(int, name##_0, parameters, arguments)

#endif
