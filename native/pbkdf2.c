/* Kernel table, run-time CPU dispatch and the batch driver shared by every kernel. */
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

#ifdef RECLAIM_X86
#include "cpu.h"

static const pbkdf2_kernel AVX512_X32 = {"avx512-x32", 32, pbkdf2_rounds_avx512_x32, cpu_has_avx512};
static const pbkdf2_kernel AVX512_X16 = {"avx512", 16, pbkdf2_rounds_avx512_x16, cpu_has_avx512};
static const pbkdf2_kernel SHANI_X4 = {"shani-x4", 4, pbkdf2_rounds_shani_x4, cpu_has_sha};
static const pbkdf2_kernel SHANI_X3 = {"shani-x3", 3, pbkdf2_rounds_shani_x3, cpu_has_sha};
static const pbkdf2_kernel SHANI_X2 = {"shani-x2", 2, pbkdf2_rounds_shani_x2, cpu_has_sha};
static const pbkdf2_kernel AVX2_X16 = {"avx2-x16", 16, pbkdf2_rounds_avx2_x16, cpu_has_avx2};
static const pbkdf2_kernel AVX2_X8 = {"avx2", 8, pbkdf2_rounds_avx2_x8, cpu_has_avx2};
#endif

static int always(void) { return 1; }
static const pbkdf2_kernel SCALAR = {"scalar", 1, pbkdf2_rounds_scalar, always};

const pbkdf2_kernel *const PBKDF2_KERNELS[] = {
#ifdef RECLAIM_X86
    &AVX512_X32, &AVX512_X16, &SHANI_X4, &SHANI_X3, &SHANI_X2, &AVX2_X16, &AVX2_X8,
#endif
    &SCALAR, NULL,
};

const pbkdf2_kernel *pbkdf2_kernel_by_name(const char *name) {
  for (int i = 0; PBKDF2_KERNELS[i]; i++)
    if (strcmp(PBKDF2_KERNELS[i]->name, name) == 0) return PBKDF2_KERNELS[i];
  return NULL;
}

const pbkdf2_kernel *pbkdf2_kernel_default(void) {
  for (int i = 0; PBKDF2_KERNELS[i]; i++)
    if (PBKDF2_KERNELS[i]->supported()) return PBKDF2_KERNELS[i];
  return &SCALAR;
}

void pbkdf2_sha256_batch(const pbkdf2_kernel *kernel, const uint8_t *const *passwords, const size_t *lengths,
                         size_t count, const uint8_t *salt, size_t salt_len, uint32_t iterations, uint8_t *out) {
  const size_t lanes = kernel->lanes;
  uint32_t *istate = malloc(lanes * 8 * sizeof(uint32_t) * 4);
  uint32_t *ostate = istate + lanes * 8, *u = ostate + lanes * 8, *t = u + lanes * 8;
  for (size_t first = 0; first < count; first += lanes) {
    for (size_t lane = 0; lane < lanes; lane++) {
      /* A short last group repeats its last candidate in the spare lanes. */
      size_t index = first + lane < count ? first + lane : count - 1;
      hmac_sha256_pads(passwords[index], lengths[index], istate + 8 * lane, ostate + 8 * lane);
      pbkdf2_sha256_first_block(istate + 8 * lane, ostate + 8 * lane, salt, salt_len, u + 8 * lane);
      memcpy(t + 8 * lane, u + 8 * lane, 32);
    }
    if (iterations > 1) kernel->run(istate, ostate, u, t, iterations - 1);
    for (size_t lane = 0; lane < lanes && first + lane < count; lane++) {
      uint8_t *dk = out + 32 * (first + lane);
      for (int i = 0; i < 8; i++) {
        uint32_t word = t[8 * lane + i];
        dk[4 * i] = (uint8_t)(word >> 24);
        dk[4 * i + 1] = (uint8_t)(word >> 16);
        dk[4 * i + 2] = (uint8_t)(word >> 8);
        dk[4 * i + 3] = (uint8_t)word;
      }
    }
  }
  free(istate);
}
