/* grv_tlog.h: a ledger read as a transparency log: its rows (sealed
 * segments, then the live file) as the leaves of a Merkle tree, the
 * tree's compact range kept in cache/ between checkpoints, and the row a
 * leaf is. */
#ifndef GRV_TLOG_H
#define GRV_TLOG_H

#include <stdint.h>

#include "grv_buf.h"
#include "grv_layout.h"
#include "grv_merkle.h"

/* One file of the log and its rows. */
struct grv_tlog_file {
	char		*rel;		/* "ledger/events-2025.csv.gz" */
	uint64_t	 first;		/* index of its first row in the log */
	uint64_t	 rows;
};

/* Where a scan stands: the files read so far, the tree so far. */
struct grv_tlog {
	enum grv_ledger_kind kind;
	struct grv_tlog_file *f;	/* segments, then the live file */
	size_t		 nf;
	uint64_t	 live_off;	/* bytes of the live file read */
	uint64_t	 live_dev, live_ino;
	struct grv_mrange r;
	grv_hash	 last;		/* SHA-256 of 0x00 and the last row's
					   whole bytes, crc included: an
					   earlier row changed and the chain
					   recomputed shows there */
	uint64_t	 at;		/* while a leaf function runs: the
					   row's offset in the live file,
					   GRV_TLOG_SEALED in a segment */
};
#define GRV_TLOG_SEALED	UINT64_MAX

/* The leaf hash of a row of LEN bytes (no line feed): RFC 6962's leaf of
   its bytes up to and excluding its final comma, so that its crc, which
   sealing may change, is not in it. */
void	 grv_tlog_leaf(const char *row, size_t len, grv_hash out);

/* Called for every leaf the scan hashes. */
typedef void grv_tlog_leaf_fn(void *arg, uint64_t index, const grv_hash leaf,
	    const char *row, size_t len);

/*
 * Read ledger KIND of DIR as a log, from the start (FROM NULL) or from
 * where FROM stood (its live file only: the caller has checked that
 * nothing before it changed), each live file read under its shared lock
 * (WAIT seconds for a writer), hashing each row into T's compact range
 * and calling FN (may be NULL).  The header of every file must be the
 * ledger's.  0, or an exit code after printing why.
 */
int	 grv_tlog_scan(const char *dir, enum grv_ledger_kind, double wait,
	    const struct grv_tlog *from, struct grv_tlog *t,
	    grv_tlog_leaf_fn *fn, void *arg);
void	 grv_tlog_release(struct grv_tlog *);
/* "ledger/events.csv:LINE" of leaf INDEX into B. */
void	 grv_tlog_where(const struct grv_tlog *, uint64_t index,
	    struct grv_buf *b);

/*
 * The tree state in cache/merkle-NAME (derived: lost, it is rebuilt from
 * the ledger) and the first 4 bytes of each leaf hash in
 * cache/merkle-NAME.leaves, which let grv-verify name the first row that
 * differs from what an earlier checkpoint signed.  Load: 0 when a state
 * for the same segments is there (T filled), -1 otherwise.  Save: 0 or
 * -1 (a state not saved costs time, never correctness).
 */
int	 grv_tlog_load(const char *dir, enum grv_ledger_kind, struct grv_tlog *);
int	 grv_tlog_save(const char *dir, const struct grv_tlog *,
	    const unsigned char *leaves4, uint64_t from, uint64_t n);
/* "DIR/cache/merkle-NAME" and SUFFIX into B (reset). */
void	 grv_tlog_path(struct grv_buf *b, const char *dir,
	    enum grv_ledger_kind, const char *suffix);
/* The 4-byte prefixes of leaves [0, N) from cache, or NULL. */
unsigned char *grv_tlog_load_leaves(const char *dir, enum grv_ledger_kind,
	    uint64_t n);

#endif
