/*
 * Multi-buffer PBKDF2-HMAC-SHA1 rounds, one PBKDF2 block per vector lane. Included by a file that defines
 * V (a GCC vector of uint32_t), KERNEL_NAME and, where the instruction set has them, ROL/CH/MAJ/XOR3.
 * Every HMAC block here hashes a 20-byte digest: words 5..15 are constants, and the full unrolling lets
 * the compiler fold them (and the zeros they put in the message schedule) away.
 */
#include <stdint.h>

#include "sha1.h"

#define LANES ((int)(sizeof(V) / sizeof(uint32_t)))

#ifndef ROL
#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#endif
#ifndef CH
#define CH(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#endif
#ifndef MAJ
#define MAJ(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))
#endif
#ifndef XOR3
#define XOR3(a, b, c) ((a) ^ (b) ^ (c))
#endif

#define SPLAT(x) (((V){0}) + (uint32_t)(x))
#define W_GIVEN(i) w[i]
#define W_NEXT(i) \
  (w[(i)&15] = ROL(XOR3(w[((i)-3) & 15], w[((i)-8) & 15], w[((i)-14) & 15]) ^ w[(i)&15], 1))
/* The newest word, a, goes in last: it is the one the next round waits for. */
#define SHA1_ROUND(a, b, c, d, e, F, K, wi)                  \
  do {                                                  \
    (e) = (e) + ((wi) + (uint32_t)(K)) + F(b, c, d) + ROL(a, 5); \
    (b) = ROL(b, 30);                                   \
  } while (0)
#define ROUNDS5(i, F, K, W)                  \
  SHA1_ROUND(a, b, c, d, e, F, K, W((i) + 0));    \
  SHA1_ROUND(e, a, b, c, d, F, K, W((i) + 1));    \
  SHA1_ROUND(d, e, a, b, c, F, K, W((i) + 2));    \
  SHA1_ROUND(c, d, e, a, b, F, K, W((i) + 3));    \
  SHA1_ROUND(b, c, d, e, a, F, K, W((i) + 4))

/* out = pad + compress(pad, msg || 0x80 || zeros || 672 bits); msg and out may alias. */
static inline __attribute__((always_inline)) void hmac_block(const V pad[5], const V msg[5], V out[5]) {
  V w[16];
  for (int i = 0; i < 5; i++) w[i] = msg[i];
  w[5] = SPLAT(0x80000000u);
  for (int i = 6; i < 15; i++) w[i] = SPLAT(0);
  w[15] = SPLAT((64 + 20) * 8);
  V a = pad[0], b = pad[1], c = pad[2], d = pad[3], e = pad[4];
  ROUNDS5(0, CH, 0x5a827999, W_GIVEN);
  ROUNDS5(5, CH, 0x5a827999, W_GIVEN);
  ROUNDS5(10, CH, 0x5a827999, W_GIVEN);
  SHA1_ROUND(a, b, c, d, e, CH, 0x5a827999, W_GIVEN(15));
  SHA1_ROUND(e, a, b, c, d, CH, 0x5a827999, W_NEXT(16));
  SHA1_ROUND(d, e, a, b, c, CH, 0x5a827999, W_NEXT(17));
  SHA1_ROUND(c, d, e, a, b, CH, 0x5a827999, W_NEXT(18));
  SHA1_ROUND(b, c, d, e, a, CH, 0x5a827999, W_NEXT(19));
  ROUNDS5(20, XOR3, 0x6ed9eba1, W_NEXT);
  ROUNDS5(25, XOR3, 0x6ed9eba1, W_NEXT);
  ROUNDS5(30, XOR3, 0x6ed9eba1, W_NEXT);
  ROUNDS5(35, XOR3, 0x6ed9eba1, W_NEXT);
  ROUNDS5(40, MAJ, 0x8f1bbcdc, W_NEXT);
  ROUNDS5(45, MAJ, 0x8f1bbcdc, W_NEXT);
  ROUNDS5(50, MAJ, 0x8f1bbcdc, W_NEXT);
  ROUNDS5(55, MAJ, 0x8f1bbcdc, W_NEXT);
  ROUNDS5(60, XOR3, 0xca62c1d6, W_NEXT);
  ROUNDS5(65, XOR3, 0xca62c1d6, W_NEXT);
  ROUNDS5(70, XOR3, 0xca62c1d6, W_NEXT);
  ROUNDS5(75, XOR3, 0xca62c1d6, W_NEXT);
  out[0] = pad[0] + a;
  out[1] = pad[1] + b;
  out[2] = pad[2] + c;
  out[3] = pad[3] + d;
  out[4] = pad[4] + e;
}

static void gather(const uint32_t *rows, V out[5]) {
  for (int word = 0; word < 5; word++)
    for (int lane = 0; lane < LANES; lane++) out[word][lane] = rows[lane * 5 + word];
}

static void scatter(const V in[5], uint32_t *rows) {
  for (int word = 0; word < 5; word++)
    for (int lane = 0; lane < LANES; lane++) rows[lane * 5 + word] = in[word][lane];
}

void KERNEL_NAME(const uint32_t *istate, const uint32_t *ostate, uint32_t *u_rows, uint32_t *t_rows,
                 uint32_t rounds) {
  V ipad[5], opad[5], u[5], t[5], inner[5];
  gather(istate, ipad);
  gather(ostate, opad);
  gather(u_rows, u);
  gather(t_rows, t);
  for (uint32_t r = 0; r < rounds; r++) {
    hmac_block(ipad, u, inner);
    hmac_block(opad, inner, u);
    for (int i = 0; i < 5; i++) t[i] ^= u[i];
  }
  scatter(u, u_rows);
  scatter(t, t_rows);
}
