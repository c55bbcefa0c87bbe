/*
 * 16 lanes per AVX-512 register. The x32 variant keeps two registers in flight per word (generic 1024-bit
 * vectors, which the compiler splits into zmm pairs and still turns into vprold/vpternlogd): on cores with
 * several 512-bit pipes one chain of rounds is latency-bound, two fill the pipes.
 */
#include "sha256.h"
#ifdef RECLAIM_X86
#pragma GCC target("avx512f")
#include <immintrin.h>
typedef uint32_t v16u __attribute__((vector_size(64)));
typedef uint32_t v32u __attribute__((vector_size(128)));

#include "pbkdf2_avx512_ops.h"
#define KERNEL_NAME pbkdf2_rounds_avx512_x16
#define hmac_block hmac_block_x16
#define gather gather_x16
#define scatter scatter_x16
#include "pbkdf2_simd.h"
#undef V
#undef ROR
#undef CH
#undef MAJ
#undef XOR3
#undef KERNEL_NAME
#undef hmac_block
#undef gather
#undef scatter
#undef LANES

#define V v32u
#define KERNEL_NAME pbkdf2_rounds_avx512_x32
#define hmac_block hmac_block_x32
#define gather gather_x32
#define scatter scatter_x32
#include "pbkdf2_simd.h"
#endif
