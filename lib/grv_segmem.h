/* grv_segmem.h: where the gzip members of a sealed segment start, kept in
 * cache/ so that one row is read by inflating the one member that holds
 * it. */
#ifndef GRV_SEGMEM_H
#define GRV_SEGMEM_H

#include <stdint.h>

/*
 * The member of sealed segment DIR/REL that holds uncompressed byte OFF:
 * its offset in the file into *COFF, its first uncompressed byte into
 * *USTART.  From cache/members-NAME, made (by inflating the segment once)
 * when it is missing or not of the segment as it is; a segment written
 * as one member has one, at 0.  0, or -1 when the segment cannot be read.
 * Nothing in the table is trusted: the caller checks the row it reads
 * there (its crc).
 */
int	 grv_segmem_find(const char *dir, const char *rel, uint64_t off,
	    uint64_t *coff, uint64_t *ustart);

#endif
