/* grv_cache.h: the derived state cache, DIR/cache/state.bin: a folded
 * state saved, mapped again for grv_state_load to fold on from, and
 * brought up to date record by record. */
#ifndef GRV_CACHE_H
#define GRV_CACHE_H

#include "grv_ctx.h"
#include "grv_fold.h"

/*
 * With ON set, the cache is still read but never written: for a program
 * that promises to change nothing in the data directory (grv-escalate
 * --dry-run).
 */
void	 grv_cache_readonly(int on);

/*
 * Load maps ST from DIR/cache when it is present, matches the ledger, and
 * covers no row stamped after NOW; it returns 0 on success, -1 when the
 * caller must fold from scratch.  Every record is checked at the load
 * unless O->point, when each is checked the first time grv_state_get
 * fetches it.  Save writes back what changed; failures only cost speed,
 * but a cache/ or state.bin that is a symbolic link is refused:
 * GRV_EX_CANTCREAT (said), else 0.
 */
int	 grv_cache_load(struct grv_state *, const struct grv_ctx *,
	    const struct grv_fold_opts *, grv_time_t now);
int	 grv_cache_save(const struct grv_state *, const struct grv_ctx *);

/*
 * For the fold and grv_state_get: check complaint N's record (once; a
 * damaged one found inside a fold marks the store stale, one found after
 * the load is folded again from the ledger in place, so that pointers
 * already handed out stay good); note that the fold changed it; make room
 * for one more complaint; let the mapping go.
 */
int	 grv_cache_check(const struct grv_state *, uint32_t n);
void	 grv_cache_touch(const struct grv_state *, uint32_t n);
void	 grv_cache_folding(const struct grv_state *, int on);
int	 grv_cache_stale(const struct grv_state *);
void	 grv_cache_grow(struct grv_state *);

/*
 * The row index.  Build: give a cold fold's ST a store that writes the
 * index as the fold goes (nothing when cache/ cannot be made).  Row: the
 * fold's note of each row it applies (KIND GRV_COMPLAINTS or GRV_EVENTS,
 * complaint N, FILE 0 the live one or K the K-th segment, the row's
 * offset and crc).
 */
void	 grv_cache_build(struct grv_state *, const struct grv_ctx *);
void	 grv_cache_row(const struct grv_state *, int kind, uint32_t n,
	    unsigned file, uint64_t off, uint32_t crc);
void	 grv_cache_release(struct grv_state *);

/*
 * Complaint N's history from the row index, without the rest of the
 * ledger: its row to FC, then each of its events to FE, as the fold
 * would give them, replayed from the row and required to come to the
 * state ST holds.  0, or -1 when the index cannot say (a row in a sealed
 * segment, or anything that does not match): the caller folds instead,
 * and must be ready for FC and FE to have been called already.
 */
int	 grv_cache_history(const struct grv_state *, const struct grv_ctx *,
	    uint32_t n, grv_complaint_fn fc, grv_event_fn fe, void *arg);

/*
 * Where complaint N's rows are, from the row index, without reading
 * them: its complaint row, then its event rows oldest first, each as
 * the fold noted it (LOC: the file, 0 the live one or K the K-th segment,
 * shifted left 48, or the offset; CRC the row's own).  0 with a malloc'd
 * *OUT of *NOUT, or -1 when the index cannot say.
 */
struct grv_rowloc {
	uint64_t	 loc;
	uint32_t	 crc;
};
int	 grv_cache_locs(const struct grv_state *, uint32_t n,
	    struct grv_rowloc **out, size_t *nout);
/*
 * The row of ledger KIND (GRV_COMPLAINTS, ...) at LOC (a grv_rowloc's:
 * the live file, or the one gzip member of a sealed segment that holds
 * it), to FN if its crc is CRC: FN's answer, or -1 when it cannot be read
 * or is not that row (the caller reads the ledger instead).
 */
int	 grv_cache_row_at(const struct grv_ctx *, int kind, uint64_t loc,
	    uint32_t crc, int (*fn)(void *, const struct grv_csv_row *),
	    void *arg);

/*
 * Complaint N's row alone, from the row index, to FC, read through *RD
 * (opened on first use, kept for the next call; the caller closes it):
 * for a program that needs the rows of many complaints; a row in a sealed
 * segment is read from the one gzip member that holds it (grv_segmem.h).
 * 0, or -1 when the index cannot say (no index, anything that does not
 * match).
 */
int	 grv_cache_complaint_row(const struct grv_state *,
	    const struct grv_ctx *, uint32_t n, grv_complaint_fn fc,
	    void *arg, struct grv_csv_reader **rd);

/*
 * The complaints that may be under one key (GRV_KEY_OFFICER,
 * GRV_KEY_DEPT or GRV_KEY_DISTRICT, master index IDX): every complaint
 * that has the key now is among them, with some that had it once; the
 * caller checks each.  0 with *OUT a malloc'd bit map of ST->n bits, bit
 * N - 1 set for complaint N among them, or -1 when the key index cannot
 * say (no cache, or damage in the index): the caller looks at every
 * complaint.
 */
enum { GRV_KEY_OFFICER, GRV_KEY_DEPT, GRV_KEY_DISTRICT };
int	 grv_cache_keyed(const struct grv_state *, int kind, int idx,
	    unsigned char **out);
/*
 * For a reader that changes no record: complaint N as grv_state_get gives
 * it, read into BUF from the file (and checked) when the mapping holds
 * nothing of its own for it, so that a walk over a large part of the
 * state does not hold all of it in memory; else a pointer into the
 * state.  NULL when there is no such complaint.
 */
const struct grv_cstate *grv_cache_peek(const struct grv_state *, uint32_t n,
	    struct grv_cstate *buf);
/*
 * The same for a walk in id order: the records read GRV_PEEK_RECS at a
 * time into PK (first set its n to 0), the pointer returned into PK or
 * the state.
 */
#define GRV_PEEK_RECS	256
struct grv_peek {
	uint32_t	 first, n;	/* it holds complaints first + 1 to
					   first + n */
	struct grv_cstate rec[GRV_PEEK_RECS];
};
const struct grv_cstate *grv_cache_peek_next(const struct grv_state *,
	    uint32_t n, struct grv_peek *pk);

/*
 * The complaints the sweep at NOW may have something to do with: every
 * complaint whose wake (grv_wake) is before NOW is among them, in id
 * order, with others; the caller checks each.  0 with a malloc'd *OUT of
 * *NOUT, or -1 when the wake index cannot say (no cache, damage, a state
 * cut short of the ledger's end, or a NOW before the last sweep's): the
 * caller looks at every complaint.
 */
int	 grv_cache_due(const struct grv_state *, grv_time_t now,
	    uint32_t **out, size_t *nout);
/*
 * After a sweep at NOW has written its rows: nothing due before NOW is
 * left but at the top level and the NSTUCK complaints of STUCK, which
 * could not climb, so the next sweep starts its walk at NOW's hour.
 * Nothing happens when the cache is being read or has moved on since the
 * load: the next sweep walks further back.
 */
void	 grv_cache_swept(const struct grv_state *, grv_time_t now,
	    const uint32_t *stuck, size_t nstuck);

#endif
