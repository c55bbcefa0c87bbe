/* SHA-256 operations on AVX-512 registers: native rotates and three-input logic (vprord, vpternlogd). */
#define V v16u
#define M(x) ((__m512i)(x))
#define ROR(x, n) ((V)_mm512_ror_epi32(M(x), (n)))
/* Truth tables: 0xCA = e ? f : g, 0xE8 = majority, 0x96 = three-way xor. */
#define CH(e, f, g) ((V)_mm512_ternarylogic_epi32(M(e), M(f), M(g), 0xCA))
#define MAJ(a, b, c) ((V)_mm512_ternarylogic_epi32(M(a), M(b), M(c), 0xE8))
#define XOR3(a, b, c) ((V)_mm512_ternarylogic_epi32(M(a), M(b), M(c), 0x96))
