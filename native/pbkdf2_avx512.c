/* 16 lanes per AVX-512 register. */
#include "sha256.h"
#ifdef RECLAIM_X86
#pragma GCC target("avx512f")
#include <immintrin.h>
typedef uint32_t v16u __attribute__((vector_size(64)));

#include "pbkdf2_avx512_ops.h"
#define KERNEL_NAME pbkdf2_rounds_avx512_x16
#include "pbkdf2_simd.h"
#endif
