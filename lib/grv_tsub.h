/* grv_tsub.h: a ledger's tree above its blocks of 256 leaves, kept in
 * cache/ (cache/merkle-NAME.sub, cache/merkle-NAME.blk) so that an
 * inclusion proof costs O(log n + 256) hashes and reads only the blocks
 * it touches. */
#ifndef GRV_TSUB_H
#define GRV_TSUB_H

#include <stdint.h>
#include <sys/stat.h>

#include "grv_buf.h"
#include "grv_layout.h"
#include "grv_merkle.h"
#include "grv_tlog.h"

#define GRV_TSUB_BITS	8
#define GRV_TSUB_LEAVES	(1U << GRV_TSUB_BITS)

/* What a scan adds: the hashes of the blocks it completes and of the
   perfect subtrees above them, and where each block it starts begins. */
struct grv_tsub {
	uint64_t	 n0;		/* leaves before the scan */
	struct grv_mrange part;		/* the block being filled */
	struct grv_mrange top;		/* the tree of whole blocks */
	struct grv_buf	 nodes;		/* post order, from block n0 / 256 */
	struct grv_buf	 offs;		/* u64 each, from block
					   ceil(n0 / 256) */
};

/* Follow a scan that goes on from the tree R (its first R->n leaves). */
void	 grv_tsub_begin(struct grv_tsub *, const struct grv_mrange *r);
/* Leaf INDEX (the next one), whose row starts at AT (GRV_TLOG_SEALED). */
void	 grv_tsub_leaf(struct grv_tsub *, uint64_t index,
	    const grv_hash leaf, uint64_t at);
/*
 * Save what S gathered for the log T (its segments, its live file) in
 * DIR/cache: in full when S began at 0, else added to the files there if
 * they are those of the same files and reach S's start (else they are
 * removed: a receipt then reads the ledger, and its scan saves them
 * again).  0, or -1: derived data, a save that fails costs time only.
 */
int	 grv_tsub_save(const char *dir, enum grv_ledger_kind,
	    const struct grv_tlog *t, const struct grv_tsub *s);
void	 grv_tsub_release(struct grv_tsub *);

/*
 * A proof from cache/: the stored subtrees, the blocks read from the live
 * file.  Nothing in it is trusted: every proof it makes must be checked
 * against a signed root (grv_merkle_check_inclusion) by the caller.
 */
struct grv_tsub_view;
/*
 * Open the stored tree of ledger K for a tree of S leaves, its live file
 * LIVEFD (stat LIVE) after NSEG segments of SEGROWS rows: NULL when cache/
 * has none that fits (missing, another file's, cut short, too small).
 */
struct grv_tsub_view *grv_tsub_open(const char *dir, enum grv_ledger_kind k,
	    int livefd, const struct stat *live, uint64_t nseg,
	    uint64_t segrows, uint64_t s);
void	 grv_tsub_close(struct grv_tsub_view *);
/*
 * The row of the live file at offset OFF: its index in the log into
 * *INDEX, its bytes (without the line feed) into ROW.  0, or -1 when the
 * stored blocks cannot place it.
 */
int	 grv_tsub_row(struct grv_tsub_view *, uint64_t off, uint64_t *index,
	    struct grv_buf *row);
/* Leaf INDEX's inclusion proof in the tree of S leaves, from the view:
   its number of hashes, unchecked. */
unsigned grv_tsub_inclusion(struct grv_tsub_view *, uint64_t index,
	    grv_hash proof[GRV_MERKLE_MAXPROOF]);

#endif
