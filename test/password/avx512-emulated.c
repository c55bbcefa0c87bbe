/* Runs the AVX-512 kernel sources (pbkdf2_simd.h and sha1_simd.h with their vpternlogd truth tables and
 * vprord/vprold) on emulated intrinsics, so CPUs without AVX-512 still check those paths against the
 * scalar kernels. (The two-register x32 variants use no hand-written operations: the compiler's own.) */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sha1.h"
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
#define _mm512_rol_epi32(a, n) (((a) << (n)) | ((a) >> (32 - (n))))

#include "pbkdf2_avx512_ops.h"
#define KERNEL_NAME emu_avx512
#define hmac_block sha256_block_x16
#define gather sha256_gather_x16
#define scatter sha256_scatter_x16
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

#include "sha1_avx512_ops.h"
#define KERNEL_NAME emu_sha1_avx512
#define hmac_block sha1_block_x16
#define gather sha1_gather_x16
#define scatter sha1_scatter_x16
#include "sha1_simd.h"

enum { MAX_LANES = 16, N_ROUNDS = 50 };

static int check_sha256(const char *name, pbkdf2_kernel_fn kernel, int lanes) {
  uint32_t istate[MAX_LANES * 8], ostate[MAX_LANES * 8], u[MAX_LANES * 8], t[MAX_LANES * 8];
  uint32_t want_u[MAX_LANES * 8], want_t[MAX_LANES * 8];
  uint8_t salt[20];
  for (int i = 0; i < 20; i++) salt[i] = (uint8_t)(i * 7);
  for (int lane = 0; lane < lanes; lane++) {
    char password[16];
    snprintf(password, sizeof password, "pw%d", lane * 37);
    hmac_sha256_pads((const uint8_t *)password, strlen(password), istate + 8 * lane, ostate + 8 * lane);
    pbkdf2_sha256_first_block(istate + 8 * lane, ostate + 8 * lane, salt, sizeof salt, u + 8 * lane);
    memcpy(t + 8 * lane, u + 8 * lane, 32);
    memcpy(want_u + 8 * lane, u + 8 * lane, 32);
    memcpy(want_t + 8 * lane, u + 8 * lane, 32);
    pbkdf2_rounds_scalar(istate + 8 * lane, ostate + 8 * lane, want_u + 8 * lane, want_t + 8 * lane, N_ROUNDS);
  }
  kernel(istate, ostate, u, t, N_ROUNDS);
  int same = memcmp(t, want_t, 32 * lanes) == 0 && memcmp(u, want_u, 32 * lanes) == 0;
  if (!same) printf("MISMATCH %s\n", name);
  return same;
}

/* SHA-1 kernels start from any states: random words stand in for pads and U1. */
static int check_sha1(const char *name, sha1_kernel_fn kernel, int lanes) {
  uint32_t istate[MAX_LANES * 5], ostate[MAX_LANES * 5], u[MAX_LANES * 5], t[MAX_LANES * 5];
  uint32_t want_u[MAX_LANES * 5], want_t[MAX_LANES * 5];
  for (int i = 0; i < MAX_LANES * 5; i++) {
    istate[i] = i * 2654435761u;
    ostate[i] = i * 40503u + 7;
    u[i] = t[i] = want_u[i] = want_t[i] = i * 97u + 1;
  }
  for (int lane = 0; lane < lanes; lane++)
    sha1_rounds_scalar(istate + 5 * lane, ostate + 5 * lane, want_u + 5 * lane, want_t + 5 * lane, N_ROUNDS);
  kernel(istate, ostate, u, t, N_ROUNDS);
  int same = memcmp(t, want_t, 20 * lanes) == 0 && memcmp(u, want_u, 20 * lanes) == 0;
  if (!same) printf("MISMATCH %s\n", name);
  return same;
}

int main(void) {
  int ok = check_sha256("sha256 avx512", emu_avx512, 16) & check_sha1("sha1 avx512", emu_sha1_avx512, 16);
  puts(ok ? "emulated avx512 kernels ok" : "MISMATCH");
  return ok ? 0 : 1;
}
