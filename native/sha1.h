/* PBKDF2-HMAC-SHA1: the second key-derivation stage of every backup (ITER 10,000 with SALT). */
#ifndef RECLAIM_SHA1_H
#define RECLAIM_SHA1_H

#include <stddef.h>
#include <stdint.h>

/*
 * A kernel runs `rounds` further iterations for `streams` independent PBKDF2 blocks at once. Arrays are
 * [stream][5] words; u holds U1 on entry, t holds U1 on entry and T on exit.
 */
typedef void (*sha1_kernel_fn)(const uint32_t *istate, const uint32_t *ostate, uint32_t *u, uint32_t *t,
                               uint32_t rounds);

typedef struct {
  const char *name;
  unsigned streams;
  sha1_kernel_fn run;
  int (*supported)(void);
} sha1_kernel;

/* The most streams any kernel takes at once. */
#define SHA1_MAX_STREAMS 32

/* Every SHA-1 kernel compiled into this binary, best guess first; null-terminated. */
extern const sha1_kernel *const SHA1_KERNELS[];

const sha1_kernel *sha1_kernel_by_name(const char *name);
const sha1_kernel *sha1_kernel_default(void);

/* 32-byte PBKDF2-HMAC-SHA1 keys (two 20-byte blocks, the second cut to 12) for `count` secrets. */
void pbkdf2_sha1_batch(const sha1_kernel *kernel, const uint8_t *const *secrets, const size_t *lengths,
                       size_t count, const uint8_t *salt, size_t salt_len, uint32_t iterations, uint8_t *out);

/* Kernels (defined in their own files, compiled for their instruction sets). */
void sha1_rounds_scalar(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
#if defined(__x86_64__) || defined(__i386__)
#define SHA1_X86 1
void sha1_rounds_shani_x4(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void sha1_rounds_avx2_x8(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void sha1_rounds_avx2_x16(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void sha1_rounds_avx512_x16(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
void sha1_rounds_avx512_x32(const uint32_t *, const uint32_t *, uint32_t *, uint32_t *, uint32_t);
#endif

#endif
