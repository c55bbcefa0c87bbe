/*
 * PBKDF2-HMAC-SHA1 rounds with SHA-NI, four independent streams interleaved (two candidates, two output
 * blocks each) so one stream's sha1rnds4 latency hides behind the others. State is kept in the
 * registers' own form: ABCD with A in the top lane, E in the top lane of its register.
 */
#include "sha1.h"
#ifdef SHA1_X86
#pragma GCC target("sha,sse4.1,ssse3")
#include <immintrin.h>

#define N 4

typedef struct {
  __m128i abcd, e;
} sha1_state;

/* out = pad + compress(pad, msg || 0x80 || zeros || 672 bits), msg being the 20 bytes of `in`. */
static inline __attribute__((always_inline)) void hmac_blocks(const sha1_state *pad, sha1_state *io) {
  __m128i m[N][4], abcd[N], e0[N], e1[N];
  for (int s = 0; s < N; s++) {
    m[s][0] = io[s].abcd;
    m[s][1] = _mm_blend_epi16(_mm_set_epi32(0, (int)0x80000000u, 0, 0), io[s].e, 0xC0);
    m[s][2] = _mm_setzero_si128();
    m[s][3] = _mm_set_epi32(0, 0, 0, (64 + 20) * 8);
    abcd[s] = pad[s].abcd;
    e0[s] = pad[s].e;
  }
#pragma GCC unroll 20
  for (int g = 0; g < 20; g++) {
#pragma GCC unroll 4
    for (int s = 0; s < N; s++) {
      __m128i *mm = m[s];
      __m128i *cur = g % 2 ? &e1[s] : &e0[s];
      __m128i *other = g % 2 ? &e0[s] : &e1[s];
      *cur = g == 0 ? _mm_add_epi32(*cur, mm[0]) : _mm_sha1nexte_epu32(*cur, mm[g & 3]);
      *other = abcd[s];
      if (g >= 3 && g <= 18) mm[(g + 1) & 3] = _mm_sha1msg2_epu32(mm[(g + 1) & 3], mm[g & 3]);
      switch (g / 5) {
        case 0: abcd[s] = _mm_sha1rnds4_epu32(abcd[s], *cur, 0); break;
        case 1: abcd[s] = _mm_sha1rnds4_epu32(abcd[s], *cur, 1); break;
        case 2: abcd[s] = _mm_sha1rnds4_epu32(abcd[s], *cur, 2); break;
        default: abcd[s] = _mm_sha1rnds4_epu32(abcd[s], *cur, 3); break;
      }
      if (g >= 1 && g <= 16) mm[(g - 1) & 3] = _mm_sha1msg1_epu32(mm[(g - 1) & 3], mm[g & 3]);
      if (g >= 2 && g <= 17) mm[(g - 2) & 3] = _mm_xor_si128(mm[(g - 2) & 3], mm[g & 3]);
    }
  }
  for (int s = 0; s < N; s++) {
    io[s].e = _mm_sha1nexte_epu32(e0[s], pad[s].e);
    io[s].abcd = _mm_add_epi32(abcd[s], pad[s].abcd);
  }
}

static sha1_state load(const uint32_t *words) {
  sha1_state s = {_mm_set_epi32((int)words[0], (int)words[1], (int)words[2], (int)words[3]), _mm_set_epi32((int)words[4], 0, 0, 0)};
  return s;
}

static void store(sha1_state s, uint32_t *words) {
  words[0] = (uint32_t)_mm_extract_epi32(s.abcd, 3);
  words[1] = (uint32_t)_mm_extract_epi32(s.abcd, 2);
  words[2] = (uint32_t)_mm_extract_epi32(s.abcd, 1);
  words[3] = (uint32_t)_mm_extract_epi32(s.abcd, 0);
  words[4] = (uint32_t)_mm_extract_epi32(s.e, 3);
}

void sha1_rounds_shani_x4(const uint32_t *istate, const uint32_t *ostate, uint32_t *u, uint32_t *t, uint32_t rounds) {
  sha1_state ipad[N], opad[N], cur[N], sum[N];
  for (int s = 0; s < N; s++) {
    ipad[s] = load(istate + 5 * s);
    opad[s] = load(ostate + 5 * s);
    cur[s] = load(u + 5 * s);
    sum[s] = load(t + 5 * s);
  }
  for (uint32_t r = 0; r < rounds; r++) {
    hmac_blocks(ipad, cur);
    hmac_blocks(opad, cur);
    for (int s = 0; s < N; s++) {
      sum[s].abcd = _mm_xor_si128(sum[s].abcd, cur[s].abcd);
      sum[s].e = _mm_xor_si128(sum[s].e, cur[s].e);
    }
  }
  for (int s = 0; s < N; s++) {
    store(cur[s], u + 5 * s);
    store(sum[s], t + 5 * s);
  }
}
#endif
