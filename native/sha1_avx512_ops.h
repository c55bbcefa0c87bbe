/* SHA-1 operations on AVX-512 registers: native rotates and three-input logic (vprold, vpternlogd). */
#define V v16u
#define M(x) ((__m512i)(x))
#define ROL(x, n) ((V)_mm512_rol_epi32(M(x), (n)))
/* Truth tables: 0xCA = b ? c : d, 0xE8 = majority, 0x96 = three-way xor. */
#define CH(b, c, d) ((V)_mm512_ternarylogic_epi32(M(b), M(c), M(d), 0xCA))
#define MAJ(b, c, d) ((V)_mm512_ternarylogic_epi32(M(b), M(c), M(d), 0xE8))
#define XOR3(a, b, c) ((V)_mm512_ternarylogic_epi32(M(a), M(b), M(c), 0x96))
