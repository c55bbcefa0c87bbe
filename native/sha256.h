/* SHA-256 pieces shared by every PBKDF2 kernel. */
#ifndef RECLAIM_SHA256_H
#define RECLAIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

extern const uint32_t SHA256_K[64];
extern const uint32_t SHA256_IV[8];

/* One compression of a 64-byte big-endian block into state. */
void sha256_compress(uint32_t state[8], const uint8_t block[64]);

/* HMAC-SHA256 inner and outer pad states of a key (computed once per candidate). */
void hmac_sha256_pads(const uint8_t *key, size_t key_len, uint32_t istate[8], uint32_t ostate[8]);

/* U1 = HMAC(key, salt || INT(1)) as eight words, from the candidate's pad states. */
void pbkdf2_sha256_first_block(const uint32_t istate[8], const uint32_t ostate[8], const uint8_t *salt,
                               size_t salt_len, uint32_t u1[8]);

/*
 * A kernel runs `rounds` further PBKDF2 iterations (U_j = HMAC(key, U_{j-1}); T ^= U_j) for `lanes`
 * candidates at once. Arrays are [lane][8] words; u holds U1 on entry, t holds U1 on entry and T on exit.
 */
typedef void (*pbkdf2_kernel_fn)(const uint32_t *istate, const uint32_t *ostate, uint32_t *u, uint32_t *t,
                                 uint32_t rounds);

typedef struct {
  const char *name;
  unsigned lanes;
  pbkdf2_kernel_fn run;
  int (*supported)(void);
} pbkdf2_kernel;

/* Every kernel compiled into this binary, best first; null-terminated. */
extern const pbkdf2_kernel *const PBKDF2_KERNELS[];

const pbkdf2_kernel *pbkdf2_kernel_by_name(const char *name);
const pbkdf2_kernel *pbkdf2_kernel_default(void);

/*
 * PBKDF2-HMAC-SHA256 with a 32-byte output for `count` passwords, `kernel->lanes` at a time.
 * out receives count * 32 bytes.
 */
void pbkdf2_sha256_batch(const pbkdf2_kernel *kernel, const uint8_t *const *passwords, const size_t *lengths,
                         size_t count, const uint8_t *salt, size_t salt_len, uint32_t iterations, uint8_t *out);

/* Kernels (defined in their own files, compiled for their instruction sets). */
void pbkdf2_rounds_scalar(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
#if defined(__x86_64__) || defined(__i386__)
#define RECLAIM_X86 1
void pbkdf2_rounds_avx2_x8(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void pbkdf2_rounds_avx2_x16(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void pbkdf2_rounds_avx512_x16(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void pbkdf2_rounds_avx512_x32(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void pbkdf2_rounds_shani_x2(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void pbkdf2_rounds_shani_x3(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void pbkdf2_rounds_shani_x4(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
#endif

#endif
