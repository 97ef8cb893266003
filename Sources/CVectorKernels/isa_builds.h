#ifndef HPO_ISA_BUILDS_H
#define HPO_ISA_BUILDS_H

#include "hpo_vector_kernels.h"

/// The one way every kernel of this target is built: each loop three times from the same always-inline source,
/// generic_<name> for the baseline, avx2_fma_<name> for AVX2 + FMA and avx512_<name> for AVX-512 (the AVX2 + FMA
/// features plus F, CD, BW, DQ and VL, in 512-bit vectors), and DISPATCH picks the build an HPOVectorISA names. The
/// loops are element-wise or sum in a fixed order, so the two wide builds give the same bits; the one loop whose sums
/// are reassociated has no AVX-512 build (NARROW_VOID_KERNEL below).

/// The features of the AVX-512 set (what `hpo_vector_isa_supported` checks), as a `target` attribute's list.
#define AVX512_TARGET "avx2,fma,avx512f,avx512cd,avx512bw,avx512dq,avx512vl"

#if defined(__x86_64__)
#define AVX2_FMA_BUILD(result, name, parameters, arguments)                                                            \
    __attribute__((target("avx2,fma"))) static result avx2_fma_##name parameters { return name arguments; }
#define AVX512_BUILD(result, name, parameters, arguments)                                                              \
    __attribute__((target(AVX512_TARGET), min_vector_width(512)))                                                    \
    static result avx512_##name parameters { return name arguments; }
#define DISPATCH(isa, name, arguments)                                                                                 \
    ((isa) == HPOVectorISAAVX512 ? avx512_##name arguments                                                            \
     : (isa) == HPOVectorISAAVX2FMA ? avx2_fma_##name arguments                                                        \
                                     : generic_##name arguments)
/// DISPATCH for a kernel built without AVX-512 (NARROW_VOID_KERNEL): AVX-512 CPUs run its AVX2 + FMA build.
#define DISPATCH_NARROW(isa, name, arguments)                                                                          \
    ((isa) == HPOVectorISAAVX512 || (isa) == HPOVectorISAAVX2FMA ? avx2_fma_##name arguments : generic_##name arguments)
#else
#define AVX2_FMA_BUILD(result, name, parameters, arguments)
#define AVX512_BUILD(result, name, parameters, arguments)
#define DISPATCH(isa, name, arguments) ((void)(isa), generic_##name arguments)
#define DISPATCH_NARROW(isa, name, arguments) ((void)(isa), generic_##name arguments)
#endif
#define EVERY_BUILD(result, name, parameters, arguments)                                                               \
    static result generic_##name parameters { return name arguments; }                                               \
    AVX2_FMA_BUILD(result, name, parameters, arguments)                                                               \
    AVX512_BUILD(result, name, parameters, arguments)

// The void loops report nothing; their builds return 0 so that one macro serves every kernel.
#define VOID_KERNEL(name, parameters, arguments)                                                                       \
    __attribute__((always_inline)) static inline int name##_0 parameters { name arguments; return 0; }              \
    EVERY_BUILD(int, name##_0, parameters, arguments)

// A loop whose sums clang may reassociate (their bits then depend on the vector width) is built only for the baseline
// and AVX2 + FMA, and called through DISPATCH_NARROW, so that the two wide sets still give the same bits.
#define NARROW_VOID_KERNEL(name, parameters, arguments)                                                                \
    __attribute__((always_inline)) static inline int name##_0 parameters { name arguments; return 0; }              \
    static int generic_##name##_0 parameters { return name##_0 arguments; }                                          \
    AVX2_FMA_BUILD(int, name##_0, parameters, arguments)

#endif
