/* grv_sha256.h: SHA-256 of one byte followed by a buffer, the shape of
 * every hash of the Merkle tree (RFC 6962: 0x00 and a leaf, 0x01 and two
 * children); the processor's SHA instructions where it has them,
 * libsodium's portable code otherwise.  tests/unit/test_sha256.c holds
 * the fast path to libsodium. */
#ifndef GRV_SHA256_H
#define GRV_SHA256_H

#include <stddef.h>

/* SHA-256 of the byte PREFIX, then the N bytes at P, into OUT. */
void	 grv_sha256_prefixed(unsigned char prefix, const void *p, size_t n,
	    unsigned char out[32]);
/* The same by libsodium alone, whatever the processor. */
void	 grv_sha256_prefixed_plain(unsigned char prefix, const void *p,
	    size_t n, unsigned char out[32]);
/* Does grv_sha256_prefixed use the processor's SHA instructions? */
int	 grv_sha256_fast(void);

#endif
