/*
 * SHA-NI kernels. One stream is latency-bound (each sha256rnds2 waits on the previous one), so 2-4
 * independent candidates are interleaved to keep the SHA unit busy. State lives in the ABEF/CDGH
 * register form that sha256rnds2 wants; message words sit one per 32-bit lane.
 */
#include "sha256.h"
#ifdef RECLAIM_X86
#pragma GCC target("sha,sse4.1,ssse3")
#include <immintrin.h>
#include <string.h>

typedef struct {
  __m128i abef, cdgh;
} sha_state;

static inline sha_state to_sha_state(const uint32_t *words) {
  __m128i abcd = _mm_loadu_si128((const __m128i *)words);
  __m128i efgh = _mm_loadu_si128((const __m128i *)(words + 4));
  __m128i cdab = _mm_shuffle_epi32(abcd, 0xB1);
  __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
  sha_state s = {_mm_alignr_epi8(cdab, hgfe, 8), _mm_blend_epi16(hgfe, cdab, 0xF0)};
  return s;
}

/* State (ABEF/CDGH) to message words W0..3 = A..D and W4..7 = E..H. */
static inline void to_words(sha_state s, __m128i *w0, __m128i *w1) {
  __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
  *w0 = _mm_blend_epi16(feba, dchg, 0xF0);
  *w1 = _mm_alignr_epi8(dchg, feba, 8);
}

static inline __m128i k4(int g) {
  return _mm_loadu_si128((const __m128i *)(SHA256_K + 4 * g));
}

/*
 * For N streams: out = pad + compress(pad, w0 || w1 || 0x80... || 768 bits). Groups of four rounds are
 * issued stream after stream so that independent sha256rnds2 chains overlap.
 */
#define DEFINE_HMAC_BLOCKS(N)                                                                         \
  static inline __attribute__((always_inline)) void hmac_blocks_x##N(const sha_state *pad, __m128i *w0, \
                                                                     __m128i *w1) {                    \
    __m128i m[N][4];                                                                                   \
    sha_state s[N];                                                                                    \
    for (int i = 0; i < N; i++) {                                                                      \
      m[i][0] = w0[i];                                                                                 \
      m[i][1] = w1[i];                                                                                 \
      m[i][2] = _mm_set_epi32(0, 0, 0, (int)0x80000000u);                                              \
      m[i][3] = _mm_set_epi32((64 + 32) * 8, 0, 0, 0);                                                 \
      s[i] = pad[i];                                                                                   \
    }                                                                                                  \
    _Pragma("GCC unroll 16") for (int g = 0; g < 16; g++) {                                            \
      _Pragma("GCC unroll 4") for (int i = 0; i < N; i++) {                                            \
        __m128i *mm = m[i];                                                                            \
        __m128i wk = _mm_add_epi32(mm[g & 3], k4(g));                                                  \
        s[i].cdgh = _mm_sha256rnds2_epu32(s[i].cdgh, s[i].abef, wk);                                   \
        if (g >= 3 && g <= 14) {                                                                       \
          __m128i next = _mm_add_epi32(mm[(g + 1) & 3], _mm_alignr_epi8(mm[g & 3], mm[(g - 1) & 3], 4)); \
          mm[(g + 1) & 3] = _mm_sha256msg2_epu32(next, mm[g & 3]);                                     \
        }                                                                                              \
        s[i].abef = _mm_sha256rnds2_epu32(s[i].abef, s[i].cdgh, _mm_shuffle_epi32(wk, 0x0E));          \
        if (g >= 1 && g <= 12) mm[(g - 1) & 3] = _mm_sha256msg1_epu32(mm[(g - 1) & 3], mm[g & 3]);     \
      }                                                                                                \
    }                                                                                                  \
    for (int i = 0; i < N; i++) {                                                                      \
      s[i].abef = _mm_add_epi32(s[i].abef, pad[i].abef);                                               \
      s[i].cdgh = _mm_add_epi32(s[i].cdgh, pad[i].cdgh);                                               \
      to_words(s[i], &w0[i], &w1[i]);                                                                  \
    }                                                                                                  \
  }

#define DEFINE_KERNEL(N)                                                                               \
  DEFINE_HMAC_BLOCKS(N)                                                                                \
  void pbkdf2_rounds_shani_x##N(const uint32_t *istate, const uint32_t *ostate, uint32_t *u, uint32_t *t, \
                                uint32_t rounds) {                                                     \
    sha_state ipad[N], opad[N];                                                                        \
    __m128i u0[N], u1[N], t0[N], t1[N];                                                                \
    for (int i = 0; i < N; i++) {                                                                      \
      ipad[i] = to_sha_state(istate + 8 * i);                                                          \
      opad[i] = to_sha_state(ostate + 8 * i);                                                          \
      u0[i] = _mm_loadu_si128((const __m128i *)(u + 8 * i));                                           \
      u1[i] = _mm_loadu_si128((const __m128i *)(u + 8 * i + 4));                                       \
      t0[i] = _mm_loadu_si128((const __m128i *)(t + 8 * i));                                           \
      t1[i] = _mm_loadu_si128((const __m128i *)(t + 8 * i + 4));                                       \
    }                                                                                                  \
    for (uint32_t r = 0; r < rounds; r++) {                                                            \
      hmac_blocks_x##N(ipad, u0, u1);                                                                  \
      hmac_blocks_x##N(opad, u0, u1);                                                                  \
      for (int i = 0; i < N; i++) {                                                                    \
        t0[i] = _mm_xor_si128(t0[i], u0[i]);                                                           \
        t1[i] = _mm_xor_si128(t1[i], u1[i]);                                                           \
      }                                                                                                \
    }                                                                                                  \
    for (int i = 0; i < N; i++) {                                                                      \
      _mm_storeu_si128((__m128i *)(u + 8 * i), u0[i]);                                                 \
      _mm_storeu_si128((__m128i *)(u + 8 * i + 4), u1[i]);                                             \
      _mm_storeu_si128((__m128i *)(t + 8 * i), t0[i]);                                                 \
      _mm_storeu_si128((__m128i *)(t + 8 * i + 4), t1[i]);                                             \
    }                                                                                                  \
  }

DEFINE_KERNEL(2)
DEFINE_KERNEL(3)
DEFINE_KERNEL(4)
#endif
