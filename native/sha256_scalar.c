/* Portable SHA-256, HMAC pad states and the one-lane PBKDF2 kernel (used where no SIMD kernel runs). */
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

const uint32_t SHA256_K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t SHA256_IV[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress_words(uint32_t state[8], uint32_t w[64]) {
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i];
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

void sha256_compress(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) {
    w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
           block[4 * i + 3];
  }
  compress_words(state, w);
}

/* SHA-256 of a message whose first 64-byte block was already absorbed into state. */
static void sha256_finish(uint32_t state[8], uint64_t absorbed, const uint8_t *rest, size_t len) {
  uint8_t block[64];
  uint64_t bits = (absorbed + len) * 8;
  while (len >= 64) {
    sha256_compress(state, rest);
    rest += 64;
    len -= 64;
  }
  memset(block, 0, sizeof block);
  memcpy(block, rest, len);
  block[len] = 0x80;
  if (len >= 56) {
    sha256_compress(state, block);
    memset(block, 0, sizeof block);
  }
  for (int i = 0; i < 8; i++) block[63 - i] = (uint8_t)(bits >> (8 * i));
  sha256_compress(state, block);
}

void hmac_sha256_pads(const uint8_t *key, size_t key_len, uint32_t istate[8], uint32_t ostate[8]) {
  uint8_t k[64], pad[64];
  memset(k, 0, sizeof k);
  if (key_len > 64) {
    uint32_t digest[8];
    memcpy(digest, SHA256_IV, sizeof digest);
    sha256_finish(digest, 0, key, key_len);
    for (int i = 0; i < 8; i++) {
      k[4 * i] = (uint8_t)(digest[i] >> 24);
      k[4 * i + 1] = (uint8_t)(digest[i] >> 16);
      k[4 * i + 2] = (uint8_t)(digest[i] >> 8);
      k[4 * i + 3] = (uint8_t)digest[i];
    }
  } else if (key_len > 0) {
    memcpy(k, key, key_len);
  }
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
  memcpy(istate, SHA256_IV, 32);
  sha256_compress(istate, pad);
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
  memcpy(ostate, SHA256_IV, 32);
  sha256_compress(ostate, pad);
}

void pbkdf2_sha256_first_block(const uint32_t istate[8], const uint32_t ostate[8], const uint8_t *salt,
                               size_t salt_len, uint32_t u1[8]) {
  uint8_t stack_buf[256], digest[32];
  uint8_t *msg = salt_len + 4 <= sizeof stack_buf ? stack_buf : malloc(salt_len + 4);
  uint32_t inner[8];
  memcpy(msg, salt, salt_len);
  msg[salt_len] = 0; msg[salt_len + 1] = 0; msg[salt_len + 2] = 0; msg[salt_len + 3] = 1;
  memcpy(inner, istate, 32);
  sha256_finish(inner, 64, msg, salt_len + 4);
  if (msg != stack_buf) free(msg);
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = (uint8_t)(inner[i] >> 24);
    digest[4 * i + 1] = (uint8_t)(inner[i] >> 16);
    digest[4 * i + 2] = (uint8_t)(inner[i] >> 8);
    digest[4 * i + 3] = (uint8_t)inner[i];
  }
  memcpy(u1, ostate, 32);
  sha256_finish(u1, 64, digest, 32);
}

/* HMAC of a 32-byte message: after the pad block comes one block of digest, 0x80, zeros and length 768. */
static void hmac_round(const uint32_t pad_state[8], const uint32_t msg[8], uint32_t out[8]) {
  uint32_t w[64];
  memcpy(w, msg, 32);
  w[8] = 0x80000000;
  for (int i = 9; i < 15; i++) w[i] = 0;
  w[15] = (64 + 32) * 8;
  memcpy(out, pad_state, 32);
  compress_words(out, w);
}

void pbkdf2_rounds_scalar(const uint32_t *istate, const uint32_t *ostate, uint32_t *u, uint32_t *t,
                          uint32_t rounds) {
  uint32_t inner[8];
  for (uint32_t r = 0; r < rounds; r++) {
    hmac_round(istate, u, inner);
    hmac_round(ostate, inner, u);
    for (int i = 0; i < 8; i++) t[i] ^= u[i];
  }
}
