/*
 * The nonce loop. The first 64 header bytes do not depend on the nonce, so their compression
 * (the "midstate") is done once per call; each nonce then costs two compressions: the header's
 * second block, and the 32-byte first digest padded into one block. This is the portable loop;
 * with SHA-NI the loop of scan_shani.c runs instead (two nonces at a time).
 */
#include "scan.h"
#include "sha256.h"

#include <string.h>

typedef void (*compress_fn)(uint32_t state[8], const uint8_t block[64]);

static inline void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static inline uint32_t bswap32(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

/* hash ≤ target, both 32-byte little-endian numbers: compare from the most significant byte. */
static inline int meets_target(const uint8_t hash[32], const uint8_t target[32]) {
  for (int i = 31; i >= 0; i--) {
    if (hash[i] != target[i]) return hash[i] < target[i];
  }
  return 1;
}

uint32_t scan_nonces(scan_impl impl, const uint8_t header80[80], uint32_t start, uint64_t count, const uint8_t target[32],
                     int chip_order, scan_hit *hits, uint32_t max_hits) {
  compress_fn compress = impl == SCAN_IMPL_SHANI ? sha256_compress_shani : sha256_compress_scalar;
  uint32_t midstate[8];
  memcpy(midstate, sha256_initial_state, sizeof midstate);
  compress(midstate, header80);
  return scan_from_midstate(impl, midstate, header80 + 64, start, count, target, chip_order, hits, max_hits);
}

uint32_t scan_from_midstate(scan_impl impl, const uint32_t midstate[8], const uint8_t tail12[12], uint32_t start, uint64_t count,
                            const uint8_t target[32], int chip_order, scan_hit *hits, uint32_t max_hits) {
  if (impl == SCAN_IMPL_SHANI) return scan_from_midstate_shani(midstate, tail12, start, count, target, chip_order, hits, max_hits);
  compress_fn compress = sha256_compress_scalar;

  /* Second block: header bytes 64..79, then padding for an 80-byte (640-bit) message. */
  uint8_t tail[64] = {0};
  memcpy(tail, tail12, 12);
  tail[16] = 0x80;
  tail[62] = 0x02; /* 640 = 0x0280 */
  tail[63] = 0x80;

  /* Block of the second hash: 32-byte digest, then padding for a 256-bit message. */
  uint8_t outer[64] = {0};
  outer[32] = 0x80;
  outer[62] = 0x01; /* 256 = 0x0100 */

  uint32_t found = 0;
  uint32_t counter = start;
  for (uint64_t i = 0; i < count && found < max_hits; i++, counter++) {
    uint32_t nonce = chip_order ? bswap32(counter) : counter;
    tail[12] = (uint8_t)nonce; tail[13] = (uint8_t)(nonce >> 8);
    tail[14] = (uint8_t)(nonce >> 16); tail[15] = (uint8_t)(nonce >> 24);

    uint32_t state[8];
    memcpy(state, midstate, sizeof state);
    compress(state, tail);
    for (int w = 0; w < 8; w++) store_be32(outer + 4 * w, state[w]);

    memcpy(state, sha256_initial_state, sizeof state);
    compress(state, outer);
    /* Cheap reject: the top 32 bits of the LE number are the last digest word. */
    uint8_t hash[32];
    store_be32(hash + 28, state[7]);
    if (hash[31] > target[31]) continue;
    for (int w = 0; w < 7; w++) store_be32(hash + 4 * w, state[w]);
    if (!meets_target(hash, target)) continue;
    hits[found].nonce = nonce;
    memcpy(hits[found].hash, hash, 32);
    found++;
  }
  return found;
}
