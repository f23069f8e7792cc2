#ifndef HASHDECK_SCAN_H
#define HASHDECK_SCAN_H

#include <stdint.h>

typedef enum { SCAN_IMPL_SCALAR = 0, SCAN_IMPL_SHANI = 1 } scan_impl;

typedef struct {
  uint32_t nonce;    /* header bytes 76..79 read LE */
  uint8_t hash[32];  /* SHA-256d, internal byte order */
} scan_hit;

/*
 * Hash header80 for `count` nonces and record those whose hash (LE 256-bit) ≤ target (32 bytes,
 * same LE order). With chip_order = 0 the header nonce runs start, start+1, …; with chip_order = 1
 * the BE view of the nonce bytes runs that way instead (BM13xx chips put core and chip address in
 * the top bits of that view, docs/bm13xx-protocol.md §2.5). Counting wraps modulo 2^32.
 * Returns the number of hits written (≤ max_hits).
 */
uint32_t scan_nonces(scan_impl impl, const uint8_t header80[80], uint32_t start, uint64_t count, const uint8_t target[32],
                     int chip_order, scan_hit *hits, uint32_t max_hits);

/*
 * Same, starting from the SHA-256 state after header bytes 0..63 (a BM1397 host midstate) and
 * header bytes 64..75 (merkle root tail, ntime, nbits).
 */
uint32_t scan_from_midstate(scan_impl impl, const uint32_t midstate[8], const uint8_t tail12[12], uint32_t start, uint64_t count,
                            const uint8_t target[32], int chip_order, scan_hit *hits, uint32_t max_hits);

/*
 * The SHA-NI form of scan_from_midstate (scan_shani.c): two nonces at a time, same hits. Only call
 * when sha256_shani_available() returned 1.
 */
uint32_t scan_from_midstate_shani(const uint32_t midstate[8], const uint8_t tail12[12], uint32_t start, uint64_t count,
                                  const uint8_t target[32], int chip_order, scan_hit *hits, uint32_t max_hits);

#endif
