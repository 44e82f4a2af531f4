/*
 * sha256.h - SHA-256 (FIPS 180-4), streaming.
 *
 * Used for the digest of the loaded rules that every machine-readable report
 * carries, and for finding fingerprints.  Written from the standard; not a
 * security boundary, but exact.
 */
#ifndef IPR_BASE_SHA256_H
#define IPR_BASE_SHA256_H

#include "common.h"

struct sha256 {
    uint32_t state[8];
    uint64_t total_len; /* bytes hashed so far */
    unsigned char block[64];
    size_t block_len;
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
void sha256_final(struct sha256 *h, unsigned char digest[32]);
/* Writes 2*n_bytes lowercase hex digits of digest plus a NUL into hex. */
void sha256_hex(const unsigned char *digest, size_t n_bytes, char *hex);

#endif
