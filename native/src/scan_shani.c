/*
 * The SHA-NI nonce loop, two nonces at a time. One sha256rnds2 depends on the one before it, so a
 * single hash leaves the SHA unit waiting for each result; two independent hashes written side by
 * side fill those gaps. Work that does not depend on the nonce is done once per call:
 *   - the midstate (header bytes 0..63) comes in ready;
 *   - in the header's second block, rounds 0–1 use only header bytes 64..71, and message words
 *     4..15 are padding: their W + K sums are constants;
 *   - in the second hash's block, words 8..15 are padding: constant W + K sums as well.
 * Same contract and results as the scalar loop in scan.c (same hits, same order, same limit).
 */
#include "scan.h"
#include "sha256.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define SHANI __attribute__((target("sha,sse4.1,ssse3")))
#define LANES 2

static inline uint32_t be32(const uint8_t *p) { return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]; }
static inline uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }
static inline uint32_t bswap32(uint32_t v) { return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24); }
static inline void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* H0..H7 → the ABEF / CDGH registers sha256rnds2 works on. */
SHANI static inline void to_registers(const uint32_t s[8], __m128i *abef, __m128i *cdgh) {
  __m128i cdab = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&s[0]), 0xB1);
  __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&s[4]), 0x1B);
  *abef = _mm_alignr_epi8(cdab, efgh, 8);
  *cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
}

/* ABEF / CDGH → message words (H0..H3), (H4..H7): the digest as the next block's first 32 bytes. */
SHANI static inline void to_words(__m128i abef, __m128i cdgh, __m128i *w0, __m128i *w1) {
  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  *w0 = _mm_blend_epi16(feba, dchg, 0xF0);
  *w1 = _mm_alignr_epi8(dchg, feba, 8);
}

/* Four rounds on every lane from its W + K sums. */
#define ROUNDS4(wk)                                                                  \
  do {                                                                               \
    for (int l = 0; l < LANES; l++) cdgh[l] = _mm_sha256rnds2_epu32(cdgh[l], abef[l], (wk)[l]); \
    for (int l = 0; l < LANES; l++) abef[l] = _mm_sha256rnds2_epu32(abef[l], cdgh[l], _mm_shuffle_epi32((wk)[l], 0x0E)); \
  } while (0)

/* Message group g ≥ 4 of every lane from the ring w[l][0..3], then its four rounds. */
#define SCHEDULE_AND_ROUNDS4(g)                                                      \
  do {                                                                               \
    __m128i wk[LANES];                                                               \
    for (int l = 0; l < LANES; l++) {                                                \
      __m128i t = _mm_sha256msg1_epu32(w[l][(g) & 3], w[l][((g) + 1) & 3]);          \
      t = _mm_add_epi32(t, _mm_alignr_epi8(w[l][((g) + 3) & 3], w[l][((g) + 2) & 3], 4)); \
      w[l][(g) & 3] = _mm_sha256msg2_epu32(t, w[l][((g) + 3) & 3]);                  \
      wk[l] = _mm_add_epi32(w[l][(g) & 3], k[g]);                                    \
    }                                                                                \
    ROUNDS4(wk);                                                                     \
  } while (0)

SHANI uint32_t scan_from_midstate_shani(const uint32_t midstate[8], const uint8_t tail12[12], uint32_t start, uint64_t count,
                                        const uint8_t target[32], int chip_order, scan_hit *hits, uint32_t max_hits) {
  __m128i k[16];
  for (int g = 0; g < 16; g++) k[g] = _mm_loadu_si128((const __m128i *)&sha256_round_constants[4 * g]);

  /* Header block 2: W0..W2 = header bytes 64..75, W3 = the nonce, W4 = 0x80000000, W15 = 640 bits. */
  __m128i mid_abef, mid_cdgh;
  to_registers(midstate, &mid_abef, &mid_cdgh);
  const __m128i tail_w0 = _mm_set_epi32(0, (int)be32(tail12 + 8), (int)be32(tail12 + 4), (int)be32(tail12));
  const __m128i tail_w1 = _mm_set_epi32(0, 0, 0, (int)0x80000000u);
  const __m128i tail_w2 = _mm_setzero_si128();
  const __m128i tail_w3 = _mm_set_epi32(640, 0, 0, 0);
  const __m128i tail_wk1 = _mm_add_epi32(tail_w1, k[1]), tail_wk2 = _mm_add_epi32(tail_w2, k[2]), tail_wk3 = _mm_add_epi32(tail_w3, k[3]);
  /* Rounds 0–1 do not see the nonce: the ABEF they produce is shared by every nonce. */
  const __m128i after01 = _mm_sha256rnds2_epu32(mid_cdgh, mid_abef, _mm_add_epi32(tail_w0, k[0]));

  /* Second hash's block: W0..W7 = the first digest, W8 = 0x80000000, W15 = 256 bits. */
  __m128i iv_abef, iv_cdgh;
  to_registers(sha256_initial_state, &iv_abef, &iv_cdgh);
  const __m128i outer_w2 = _mm_set_epi32(0, 0, 0, (int)0x80000000u);
  const __m128i outer_w3 = _mm_set_epi32(256, 0, 0, 0);
  const __m128i outer_wk2 = _mm_add_epi32(outer_w2, k[2]), outer_wk3 = _mm_add_epi32(outer_w3, k[3]);

  /* The top 32 bits of the hash as a little-endian number are the byte-swapped last digest word. */
  const uint32_t target_top = le32(target + 28);

  uint32_t found = 0;
  uint32_t counter = start;
  for (uint64_t i = 0; i < count && found < max_hits; i += LANES, counter += LANES) {
    uint32_t nonce[LANES];
    __m128i abef[LANES], cdgh[LANES], w[LANES][4];
    for (int l = 0; l < LANES; l++) {
      uint32_t c = counter + (uint32_t)l;
      nonce[l] = chip_order ? bswap32(c) : c;
      /* The header stores the nonce little-endian; as a message word it reads big-endian. */
      w[l][0] = _mm_insert_epi32(tail_w0, (int)bswap32(nonce[l]), 3);
      w[l][1] = tail_w1;
      w[l][2] = tail_w2;
      w[l][3] = tail_w3;
      /* Rounds 2–3 (W2, and W3 = the nonce) finish the first group. */
      abef[l] = _mm_sha256rnds2_epu32(mid_abef, after01, _mm_shuffle_epi32(_mm_add_epi32(w[l][0], k[0]), 0x0E));
      cdgh[l] = after01;
    }
    {
      __m128i wk[LANES];
      for (int l = 0; l < LANES; l++) wk[l] = tail_wk1;
      ROUNDS4(wk);
      for (int l = 0; l < LANES; l++) wk[l] = tail_wk2;
      ROUNDS4(wk);
      for (int l = 0; l < LANES; l++) wk[l] = tail_wk3;
      ROUNDS4(wk);
    }
    #pragma GCC unroll 12
    for (int g = 4; g < 16; g++) SCHEDULE_AND_ROUNDS4(g);

    /* The first digest becomes the second block's words 0..7. */
    for (int l = 0; l < LANES; l++) {
      to_words(_mm_add_epi32(abef[l], mid_abef), _mm_add_epi32(cdgh[l], mid_cdgh), &w[l][0], &w[l][1]);
      w[l][2] = outer_w2;
      w[l][3] = outer_w3;
      abef[l] = iv_abef;
      cdgh[l] = iv_cdgh;
    }
    {
      __m128i wk[LANES];
      for (int l = 0; l < LANES; l++) wk[l] = _mm_add_epi32(w[l][0], k[0]);
      ROUNDS4(wk);
      for (int l = 0; l < LANES; l++) wk[l] = _mm_add_epi32(w[l][1], k[1]);
      ROUNDS4(wk);
      for (int l = 0; l < LANES; l++) wk[l] = outer_wk2;
      ROUNDS4(wk);
      for (int l = 0; l < LANES; l++) wk[l] = outer_wk3;
      ROUNDS4(wk);
    }
    #pragma GCC unroll 12
    for (int g = 4; g < 16; g++) SCHEDULE_AND_ROUNDS4(g);

    for (int l = 0; l < LANES && i + (uint64_t)l < count && found < max_hits; l++) {
      __m128i final_abef = _mm_add_epi32(abef[l], iv_abef), final_cdgh = _mm_add_epi32(cdgh[l], iv_cdgh);
      /* H7 is lane 0 of CDGH: a cheap reject before the full comparison. */
      if (bswap32((uint32_t)_mm_cvtsi128_si32(final_cdgh)) > target_top) continue;
      __m128i h0, h1;
      uint32_t state[8];
      to_words(final_abef, final_cdgh, &h0, &h1);
      _mm_storeu_si128((__m128i *)&state[0], h0);
      _mm_storeu_si128((__m128i *)&state[4], h1);
      uint8_t hash[32];
      for (int s = 0; s < 8; s++) store_be32(hash + 4 * s, state[s]);
      int meets = 1;
      for (int b = 31; b >= 0; b--) {
        if (hash[b] != target[b]) {
          meets = hash[b] < target[b];
          break;
        }
      }
      if (!meets) continue;
      hits[found].nonce = nonce[l];
      memcpy(hits[found].hash, hash, 32);
      found++;
    }
  }
  return found;
}

#else

uint32_t scan_from_midstate_shani(const uint32_t midstate[8], const uint8_t tail12[12], uint32_t start, uint64_t count,
                                  const uint8_t target[32], int chip_order, scan_hit *hits, uint32_t max_hits) {
  return scan_from_midstate(SCAN_IMPL_SCALAR, midstate, tail12, start, count, target, chip_order, hits, max_hits);
}

#endif
