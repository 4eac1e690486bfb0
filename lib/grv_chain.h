/* grv_chain.h: the crc chain (SPEC section 3): each row's crc32 over the
 * crc before it and its own bytes. */
#ifndef GRV_CHAIN_H
#define GRV_CHAIN_H

#include <stddef.h>
#include <stdint.h>

/*
 * The chain (SPEC section 3): crc32 of PREV (the previous row's crc text,
 * or the header line for the first row) followed by BODY, the row's bytes
 * up to and excluding its final comma.  Writes 8 hex digits and a NUL.
 */
void	 grv_chain_crc(const char *prev, size_t prevlen, const char *body,
	    size_t bodylen, char out[9]);
/*
 * Check one raw row (without newline) against PREV: 0 when its last field
 * is the right crc, -1 otherwise.  BODYLEN gets the length before the
 * final comma.
 */
int	 grv_chain_verify(const char *prev, size_t prevlen, const char *row,
	    size_t rowlen);

/* zlib's crc32 of P[0..N) after CRC (0 to begin), the bulk by the
   processor's carry-less multiplication where it has it. */
uint32_t grv_crc32(uint32_t crc, const void *p, size_t n);

/* The last field of a raw row: its crc (8 chars), or NULL. */
const char *grv_row_crc(const char *row, size_t len);

#endif
