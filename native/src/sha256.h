/*
 * SHA-256 compression for the nonce scanner. Two implementations of one contract:
 * update `state` (8 words, H0..H7) with one 64-byte block, no padding added.
 */
#ifndef HASHDECK_SHA256_H
#define HASHDECK_SHA256_H

#include <stdint.h>

extern const uint32_t sha256_initial_state[8];
extern const uint32_t sha256_round_constants[64];

void sha256_compress_scalar(uint32_t state[8], const uint8_t block[64]);

/* Only call when sha256_shani_available() returned 1. */
void sha256_compress_shani(uint32_t state[8], const uint8_t block[64]);
int sha256_shani_available(void);

#endif
