/*
 * PBKDF2-HMAC-SHA1 with 16 blocks per AVX-512 register. The x32 variant keeps two registers in flight
 * (generic 1024-bit vectors, split by the compiler into zmm pairs, still vprold/vpternlogd): a round
 * waits on the one before, so on cores with several 512-bit pipes one chain leaves most of them idle.
 */
#include "sha1.h"
#ifdef SHA1_X86
#pragma GCC target("avx512f")
#include <immintrin.h>
typedef uint32_t v16u __attribute__((vector_size(64)));
typedef uint32_t v32u __attribute__((vector_size(128)));

#include "sha1_avx512_ops.h"
#define KERNEL_NAME sha1_rounds_avx512_x16
#define hmac_block hmac_block_x16
#define gather gather_x16
#define scatter scatter_x16
#include "sha1_simd.h"
#undef V
#undef ROL
#undef CH
#undef MAJ
#undef XOR3
#undef KERNEL_NAME
#undef hmac_block
#undef gather
#undef scatter
#undef LANES

#define V v32u
#define KERNEL_NAME sha1_rounds_avx512_x32
#define hmac_block hmac_block_x32
#define gather gather_x32
#define scatter scatter_x32
#include "sha1_simd.h"
#endif
