/* Portable SHA-1, HMAC-SHA1 pads, the one-stream kernel and the batch driver. */
#include <stdlib.h>
#include <string.h>

#include "sha1.h"

static const uint32_t IV[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

static inline uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void compress_words(uint32_t state[5], uint32_t w[80]) {
  for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
    else { f = b ^ c ^ d; k = 0xca62c1d6; }
    uint32_t t = rol(a, 5) + f + e + k + w[i];
    e = d; d = c; c = rol(b, 30); b = a; a = t;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e;
}

static void compress_bytes(uint32_t state[5], const uint8_t block[64]) {
  uint32_t w[80];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
  compress_words(state, w);
}

/* Finishes a SHA-1 whose first `absorbed` bytes are already in state. */
static void finish(uint32_t state[5], uint64_t absorbed, const uint8_t *rest, size_t len) {
  uint8_t block[64];
  uint64_t bits = (absorbed + len) * 8;
  for (; len >= 64; rest += 64, len -= 64) compress_bytes(state, rest);
  memset(block, 0, sizeof block);
  memcpy(block, rest, len);
  block[len] = 0x80;
  if (len >= 56) {
    compress_bytes(state, block);
    memset(block, 0, sizeof block);
  }
  for (int i = 0; i < 8; i++) block[63 - i] = (uint8_t)(bits >> (8 * i));
  compress_bytes(state, block);
}

static void to_bytes(const uint32_t *words, int count, uint8_t *out) {
  for (int i = 0; i < count; i++) {
    out[4 * i] = (uint8_t)(words[i] >> 24);
    out[4 * i + 1] = (uint8_t)(words[i] >> 16);
    out[4 * i + 2] = (uint8_t)(words[i] >> 8);
    out[4 * i + 3] = (uint8_t)words[i];
  }
}

static void pads(const uint8_t *key, size_t key_len, uint32_t istate[5], uint32_t ostate[5]) {
  uint8_t k[64], pad[64];
  memset(k, 0, sizeof k);
  if (key_len > 64) {
    uint32_t digest[5];
    memcpy(digest, IV, sizeof digest);
    finish(digest, 0, key, key_len);
    to_bytes(digest, 5, k);
  } else if (key_len) {
    memcpy(k, key, key_len);
  }
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
  memcpy(istate, IV, 20);
  compress_bytes(istate, pad);
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
  memcpy(ostate, IV, 20);
  compress_bytes(ostate, pad);
}

/* U1 = HMAC(key, salt || INT(block)). */
static void first_block(const uint32_t istate[5], const uint32_t ostate[5], const uint8_t *salt, size_t salt_len,
                        uint32_t block, uint32_t u1[5]) {
  uint8_t stack_buf[256], digest[20];
  uint8_t *msg = salt_len + 4 <= sizeof stack_buf ? stack_buf : malloc(salt_len + 4);
  uint32_t inner[5];
  memcpy(msg, salt, salt_len);
  to_bytes(&block, 1, msg + salt_len);
  memcpy(inner, istate, 20);
  finish(inner, 64, msg, salt_len + 4);
  if (msg != stack_buf) free(msg);
  to_bytes(inner, 5, digest);
  memcpy(u1, ostate, 20);
  finish(u1, 64, digest, 20);
}

/* HMAC of a 20-byte message: the block is the digest, 0x80, zeros and the length 672 bits. */
static void hmac_round(const uint32_t pad_state[5], const uint32_t msg[5], uint32_t out[5]) {
  uint32_t w[80] = {0};
  memcpy(w, msg, 20);
  w[5] = 0x80000000;
  w[15] = (64 + 20) * 8;
  memcpy(out, pad_state, 20);
  compress_words(out, w);
}

void sha1_rounds_scalar(const uint32_t *istate, const uint32_t *ostate, uint32_t *u, uint32_t *t, uint32_t rounds) {
  uint32_t inner[5];
  for (uint32_t r = 0; r < rounds; r++) {
    hmac_round(istate, u, inner);
    hmac_round(ostate, inner, u);
    for (int i = 0; i < 5; i++) t[i] ^= u[i];
  }
}

void pbkdf2_sha1_batch(const sha1_kernel *kernel, const uint8_t *const *secrets, const size_t *lengths,
                       size_t count, const uint8_t *salt, size_t salt_len, uint32_t iterations, uint8_t *out) {
  const size_t streams = kernel->streams;
  /* Every candidate needs two PBKDF2 blocks (32 bytes from 20-byte blocks): each is a stream. */
  const size_t total = 2 * count;
  uint32_t istate[5 * SHA1_MAX_STREAMS], ostate[5 * SHA1_MAX_STREAMS], u[5 * SHA1_MAX_STREAMS],
      t[5 * SHA1_MAX_STREAMS];
  for (size_t first = 0; first < total; first += streams) {
    size_t previous = (size_t)-1;
    for (size_t s = 0; s < streams; s++) {
      /* A short last group repeats its last stream in the spare lanes. */
      size_t stream = first + s < total ? first + s : total - 1;
      size_t candidate = stream / 2;
      /* Both blocks of a candidate share its pads: compute them once. */
      if (candidate == previous) {
        memcpy(istate + 5 * s, istate + 5 * (s - 1), 20);
        memcpy(ostate + 5 * s, ostate + 5 * (s - 1), 20);
      } else {
        pads(secrets[candidate], lengths[candidate], istate + 5 * s, ostate + 5 * s);
      }
      previous = candidate;
      first_block(istate + 5 * s, ostate + 5 * s, salt, salt_len, (uint32_t)(stream % 2 + 1), u + 5 * s);
      memcpy(t + 5 * s, u + 5 * s, 20);
    }
    if (iterations > 1) kernel->run(istate, ostate, u, t, iterations - 1);
    for (size_t s = 0; s < streams && first + s < total; s++) {
      uint8_t block[20];
      size_t stream = first + s;
      to_bytes(t + 5 * s, 5, block);
      memcpy(out + 32 * (stream / 2) + 20 * (stream % 2), block, stream % 2 ? 12 : 20);
    }
  }
}
