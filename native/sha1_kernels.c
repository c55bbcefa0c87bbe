/* The SHA-1 kernel table and run-time CPU dispatch. */
#include <string.h>

#include "sha1.h"

#ifdef SHA1_X86
#include "cpu.h"

static const sha1_kernel AVX512_X32 = {"avx512-x32", 32, sha1_rounds_avx512_x32, cpu_has_avx512};
static const sha1_kernel AVX512_X16 = {"avx512", 16, sha1_rounds_avx512_x16, cpu_has_avx512};
static const sha1_kernel SHANI_X4 = {"shani-x4", 4, sha1_rounds_shani_x4, cpu_has_sha};
static const sha1_kernel AVX2_X16 = {"avx2-x16", 16, sha1_rounds_avx2_x16, cpu_has_avx2};
static const sha1_kernel AVX2_X8 = {"avx2", 8, sha1_rounds_avx2_x8, cpu_has_avx2};
#endif

static int always(void) { return 1; }
static const sha1_kernel SCALAR = {"scalar", 1, sha1_rounds_scalar, always};

const sha1_kernel *const SHA1_KERNELS[] = {
#ifdef SHA1_X86
    &AVX512_X32, &AVX512_X16, &SHANI_X4, &AVX2_X16, &AVX2_X8,
#endif
    &SCALAR, NULL,
};

const sha1_kernel *sha1_kernel_by_name(const char *name) {
  for (int i = 0; SHA1_KERNELS[i]; i++)
    if (strcmp(SHA1_KERNELS[i]->name, name) == 0) return SHA1_KERNELS[i];
  return NULL;
}

const sha1_kernel *sha1_kernel_default(void) {
  for (int i = 0; SHA1_KERNELS[i]; i++)
    if (SHA1_KERNELS[i]->supported()) return SHA1_KERNELS[i];
  return &SCALAR;
}
