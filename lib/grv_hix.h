/* grv_hix.h: hashed indexes in cache/ over one ledger (grv-ledger(5), The
 * state cache): from a 64-bit key to the rows that carry it, so that a
 * program asks for one phone's complaints, or one complaint's
 * corrections, without reading the ledger.  cache/phone.bin maps a phone
 * as registered to its complaints, cache/corr.bin a complaint to its rows
 * of ledger/corrections.csv, cache/key.bin a complaint's ref (an intake's
 * key, grv-add --key) hashed to the rows that carry it, each entry's val
 * the row's place (as grv_rowloc's loc), so that the caller reads the
 * row and compares the ref itself.  Derived only: deleting one costs a read of
 * its ledger, never a change in output. */
#ifndef GRV_HIX_H
#define GRV_HIX_H

#include <stdint.h>

#include "grv_ctx.h"

/* One entry: KEY, a value for it (a registration time, a byte offset),
   the complaint and the row's crc. */
struct grv_hix_ent {
	uint64_t	 key;
	int64_t		 val;
	uint32_t	 n;
	uint32_t	 prev;		/* the bucket's entry before, 0 none */
	uint32_t	 crc;
	uint32_t	 check;
};

struct grv_hix;
enum { GRV_HIX_PHONE, GRV_HIX_CORR, GRV_HIX_KEY };

/*
 * Open the index KIND, brought up to date with its ledger (complaints.csv
 * and its segments, or corrections.csv): read from the point it covers,
 * or, when it is missing, damaged, of another build, or does not match
 * the ledger, built anew from every row.  The caller holds the ledger so
 * that no writer appends meanwhile, and has checked its rows (the
 * high-water mark vouches, or a cold read).  NULL when no index can be
 * had (cache/ cannot be written, say): the caller reads the ledger.
 */
struct grv_hix *grv_hix_open(const struct grv_ctx *, int kind);
/*
 * Every entry of KEY, oldest first, to FN (which stops the walk by
 * returning non-zero, that value returned).  0, or -1 when the index is
 * damaged and cannot be built again: the caller reads the ledger.
 */
int	 grv_hix_find(struct grv_hix *, uint64_t key,
	    int (*fn)(void *, const struct grv_hix_ent *), void *arg);
/* After the caller's own append: the rows since, indexed and saved. */
void	 grv_hix_update(struct grv_hix *);
/* Save what was indexed since the open (when the file may be written and
   no one else is reading it), and let the index go. */
void	 grv_hix_close(struct grv_hix *);

/* A phone as stored (grv_phone_norm) as a key; 0 for none. */
uint64_t grv_hix_phone_key(const char *phone, size_t len);
/* A ref (an intake's key) as a key: a hash of its bytes, never 0; 0 for
   an empty one.  Two refs may share one: the caller compares the row's. */
uint64_t grv_hix_ref_key(const char *ref, size_t len);

#endif
