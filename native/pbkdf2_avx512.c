/* 16 lanes per AVX-512 register, with native rotates and three-input logic (vprord, vpternlogd). */
#include "sha256.h"
#ifdef RECLAIM_X86
#pragma GCC target("avx512f")
#include <immintrin.h>
typedef uint32_t v16u __attribute__((vector_size(64)));

#define V v16u
#define M(x) ((__m512i)(x))
#define ROR(x, n) ((V)_mm512_ror_epi32(M(x), (n)))
/* Truth tables: 0xCA = e ? f : g, 0xE8 = majority, 0x96 = three-way xor. */
#define CH(e, f, g) ((V)_mm512_ternarylogic_epi32(M(e), M(f), M(g), 0xCA))
#define MAJ(a, b, c) ((V)_mm512_ternarylogic_epi32(M(a), M(b), M(c), 0xE8))
#define XOR3(a, b, c) ((V)_mm512_ternarylogic_epi32(M(a), M(b), M(c), 0x96))
#define KERNEL_NAME pbkdf2_rounds_avx512_x16
#include "pbkdf2_simd.h"
#endif
