/* PBKDF2-HMAC-SHA1 with 8 blocks per AVX2 register; the x16 variant keeps two registers in flight. */
#include "sha1.h"
#ifdef SHA1_X86
#pragma GCC target("avx2")
typedef uint32_t v8u __attribute__((vector_size(32)));
typedef uint32_t v16u __attribute__((vector_size(64)));

#define V v8u
#define KERNEL_NAME sha1_rounds_avx2_x8
#define hmac_block hmac_block_x8
#define gather gather_x8
#define scatter scatter_x8
#include "sha1_simd.h"
#undef V
#undef KERNEL_NAME
#undef hmac_block
#undef gather
#undef scatter
#undef LANES

#define V v16u
#define KERNEL_NAME sha1_rounds_avx2_x16
#define hmac_block hmac_block_x16
#define gather gather_x16
#define scatter scatter_x16
#include "sha1_simd.h"
#endif
