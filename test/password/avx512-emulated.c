/* Runs the AVX-512 kernel source (pbkdf2_simd.h with its vpternlogd truth tables and vprord) on emulated
 * intrinsics, so CPUs without AVX-512 still check that path against the scalar kernel. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sha256.h"
typedef uint32_t v16u __attribute__((vector_size(64)));
typedef v16u __m512i;
__attribute__((noinline)) static v16u ternlog(v16u a, v16u b, v16u c, int imm) {
  v16u r = {0};
  for (int l = 0; l < 16; l++) { uint32_t o = 0; for (int bit = 0; bit < 32; bit++) { int idx = ((a[l] >> bit) & 1) << 2 | ((b[l] >> bit) & 1) << 1 | ((c[l] >> bit) & 1); o |= (uint32_t)((imm >> idx) & 1) << bit; } r[l] = o; }
  return r;
}
#define _mm512_ternarylogic_epi32(a, b, c, imm) ternlog(a, b, c, imm)
#define _mm512_ror_epi32(a, n) (((a) >> (n)) | ((a) << (32 - (n))))
#include "pbkdf2_avx512_ops.h"
#define KERNEL_NAME emu_avx512
#include "pbkdf2_simd.h"
int main(void) {
  enum { N_LANES = 16, N_ROUNDS = 50 };
  uint32_t istate[N_LANES * 8], ostate[N_LANES * 8], u[N_LANES * 8], t[N_LANES * 8], want_u[N_LANES * 8], want_t[N_LANES * 8];
  uint8_t salt[20];
  for (int i = 0; i < 20; i++) salt[i] = (uint8_t)(i * 7);
  for (int lane = 0; lane < N_LANES; lane++) {
    char password[16];
    snprintf(password, sizeof password, "pw%d", lane * 37);
    hmac_sha256_pads((const uint8_t *)password, strlen(password), istate + 8 * lane, ostate + 8 * lane);
    pbkdf2_sha256_first_block(istate + 8 * lane, ostate + 8 * lane, salt, sizeof salt, u + 8 * lane);
    memcpy(t + 8 * lane, u + 8 * lane, 32);
    memcpy(want_u + 8 * lane, u + 8 * lane, 32);
    memcpy(want_t + 8 * lane, u + 8 * lane, 32);
    pbkdf2_rounds_scalar(istate + 8 * lane, ostate + 8 * lane, want_u + 8 * lane, want_t + 8 * lane, N_ROUNDS);
  }
  emu_avx512(istate, ostate, u, t, N_ROUNDS);
  int same = memcmp(t, want_t, sizeof t) == 0 && memcmp(u, want_u, sizeof u) == 0;
  puts(same ? "emulated avx512 kernel ok" : "MISMATCH");
  return same ? 0 : 1;
}
