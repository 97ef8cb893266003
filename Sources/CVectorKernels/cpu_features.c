#include "hpo_vector_kernels.h"

static int selected = -1;

static int supported = -1;

static HPOVectorISA query_cpu(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return HPOVectorISAGeneric;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return HPOVectorISAAVX512;
    return HPOVectorISAAVX2FMA;
#endif
    return HPOVectorISAGeneric;
}

HPOVectorISA hpo_vector_isa_supported(void) {
    // Asked once per process (cpuid is slow in a VM); a race only asks twice and stores the same answer.
    int answer = __atomic_load_n(&supported, __ATOMIC_RELAXED);
    if (answer < 0) {
        answer = (int)query_cpu();
        __atomic_store_n(&supported, answer, __ATOMIC_RELAXED);
    }
    return (HPOVectorISA)answer;
}

HPOVectorISA hpo_vector_isa_selected(void) {
    int current = __atomic_load_n(&selected, __ATOMIC_RELAXED);
    return current < 0 ? hpo_vector_isa_supported() : (HPOVectorISA)current;
}

int hpo_vector_isa_select(HPOVectorISA isa) {
    // The sets are ordered by width, and a CPU runs every set up to its widest.
    if ((int)isa < (int)HPOVectorISAGeneric || (int)isa > (int)hpo_vector_isa_supported()) return -1;
    __atomic_store_n(&selected, (int)isa, __ATOMIC_RELAXED);
    return 0;
}
