/*
 * sha256.h - SHA-256 (FIPS 180-4), streaming.
 *
 * Used for the digest of the loaded rules that every machine-readable report
 * carries, and for finding fingerprints.  A thin layer over nettle that
 * keeps nettle's header out of the rest of the code; not a security
 * boundary, but exact.
 */
#ifndef IPR_BASE_SHA256_H
#define IPR_BASE_SHA256_H

#include "common.h"

struct sha256 {
    /* nettle's struct sha256_ctx (112 bytes on 64-bit Debian), opaque here
     * so that callers keep it on the stack without nettle's header */
    _Alignas(8) unsigned char ctx[128];
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
void sha256_final(struct sha256 *h, unsigned char digest[32]);
/* Writes 2*n_bytes lowercase hex digits of digest plus a NUL into hex. */
void sha256_hex(const unsigned char *digest, size_t n_bytes, char *hex);

#endif
