/*
 * Multi-buffer PBKDF2-HMAC-SHA256 rounds, one candidate per vector lane. Included by a file that defines
 * V (a GCC vector of uint32_t), KERNEL_NAME and, where the instruction set has them, ROR/CH/MAJ/XOR3.
 * Words 8..15 of every HMAC block are constants (padding of a 32-byte message after the 64-byte pad
 * block), so the full unrolling below lets the compiler fold them out of the message schedule.
 */
#include <stdint.h>

#include "sha256.h"

#define LANES ((int)(sizeof(V) / sizeof(uint32_t)))

#ifndef ROR
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#endif
#ifndef CH
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#endif
#ifndef MAJ
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
#endif
#ifndef XOR3
#define XOR3(a, b, c) ((a) ^ (b) ^ (c))
#endif

#define BSIG0(x) XOR3(ROR(x, 2), ROR(x, 13), ROR(x, 22))
#define BSIG1(x) XOR3(ROR(x, 6), ROR(x, 11), ROR(x, 25))
#define SSIG0(x) XOR3(ROR(x, 7), ROR(x, 18), ((x) >> 3))
#define SSIG1(x) XOR3(ROR(x, 17), ROR(x, 19), ((x) >> 10))


#define SPLAT(x) (((V){0}) + (uint32_t)(x))

#define EXPAND(i) (w[(i)&15] += SSIG1(w[((i)-2) & 15]) + w[((i)-7) & 15] + SSIG0(w[((i)-15) & 15]))
#define ROUND(a, b, c, d, e, f, g, h, i, wi)                        \
  do {                                                              \
    V t1_ = (h) + BSIG1(e) + CH(e, f, g) + ((wi) + SHA256_K[i]);          \
    (d) += t1_;                                                     \
    (h) = t1_ + BSIG0(a) + MAJ(a, b, c);                            \
  } while (0)
#define ROUNDS8(i, W)                                              \
  ROUND(a, b, c, d, e, f, g, h, (i) + 0, W((i) + 0));             \
  ROUND(h, a, b, c, d, e, f, g, (i) + 1, W((i) + 1));             \
  ROUND(g, h, a, b, c, d, e, f, (i) + 2, W((i) + 2));             \
  ROUND(f, g, h, a, b, c, d, e, (i) + 3, W((i) + 3));             \
  ROUND(e, f, g, h, a, b, c, d, (i) + 4, W((i) + 4));             \
  ROUND(d, e, f, g, h, a, b, c, (i) + 5, W((i) + 5));             \
  ROUND(c, d, e, f, g, h, a, b, (i) + 6, W((i) + 6));             \
  ROUND(b, c, d, e, f, g, h, a, (i) + 7, W((i) + 7))
#define W_PLAIN(i) w[(i)&15]
#define W_EXPANDED(i) EXPAND(i)

/* out = pad + compress(pad, msg || 0x80 || zeros || 768 bits); msg and out may alias. */
static void hmac_block(const V pad[8], const V msg[8], V out[8]) {
  V w[16];
  for (int i = 0; i < 8; i++) w[i] = msg[i];
  w[8] = SPLAT(0x80000000u);
  for (int i = 9; i < 15; i++) w[i] = SPLAT(0);
  w[15] = SPLAT((64 + 32) * 8);
  V a = pad[0], b = pad[1], c = pad[2], d = pad[3], e = pad[4], f = pad[5], g = pad[6], h = pad[7];
  ROUNDS8(0, W_PLAIN);
  ROUNDS8(8, W_PLAIN);
  ROUNDS8(16, W_EXPANDED);
  ROUNDS8(24, W_EXPANDED);
  ROUNDS8(32, W_EXPANDED);
  ROUNDS8(40, W_EXPANDED);
  ROUNDS8(48, W_EXPANDED);
  ROUNDS8(56, W_EXPANDED);
  out[0] = pad[0] + a; out[1] = pad[1] + b; out[2] = pad[2] + c; out[3] = pad[3] + d;
  out[4] = pad[4] + e; out[5] = pad[5] + f; out[6] = pad[6] + g; out[7] = pad[7] + h;
}

static void gather(const uint32_t *rows, V out[8]) {
  for (int word = 0; word < 8; word++)
    for (int lane = 0; lane < LANES; lane++) out[word][lane] = rows[lane * 8 + word];
}

static void scatter(const V in[8], uint32_t *rows) {
  for (int word = 0; word < 8; word++)
    for (int lane = 0; lane < LANES; lane++) rows[lane * 8 + word] = in[word][lane];
}

void KERNEL_NAME(const uint32_t *istate, const uint32_t *ostate, uint32_t *u_rows, uint32_t *t_rows,
                 uint32_t rounds) {
  V ipad[8], opad[8], u[8], t[8], inner[8];
  gather(istate, ipad);
  gather(ostate, opad);
  gather(u_rows, u);
  gather(t_rows, t);
  for (uint32_t r = 0; r < rounds; r++) {
    hmac_block(ipad, u, inner);
    hmac_block(opad, inner, u);
    for (int i = 0; i < 8; i++) t[i] ^= u[i];
  }
  scatter(u, u_rows);
  scatter(t, t_rows);
}
