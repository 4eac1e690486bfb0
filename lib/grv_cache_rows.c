/* grv_cache_rows.c: the row index of the state cache (grv-ledger(5),
 * The state cache): where each complaint's rows are, so that one
 * complaint's history is read without the rest of the ledger.  crow.bin
 * has an entry per complaint, eix.bin one per event row in ledger order,
 * each naming the one before it of the same complaint, and last.bin each
 * complaint's last event row (1-based, 0 for none); a cold fold writes
 * them as it goes, a fold on from the cache keeps the new entries for the
 * save. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_cache.h"
#include "grv_csv.h"
#include "grv_file.h"
#include "grv_ledger.h"
#include "grv_rules.h"
#include "grv_segmem.h"
#include "grv_store.h"

void
grv_ixout_drop(struct ixout *x)
{
	if (x->tmp == NULL)
		return;
	close(x->fd);
	unlink(x->tmp);
	free(x->tmp);
	x->tmp = NULL;
}

int
grv_ixout_flush(struct ixout *x)
{
	if (x->n && !x->failed &&
	    grv_store_pwrite(x->fd, x->buf, x->n * sizeof(x->buf[0]), x->off) == -1)
		x->failed = 1;
	x->off += x->n * sizeof(x->buf[0]);
	x->n = 0;
	return x->failed ? -1 : 0;
}

static void
ixout_put(struct ixout *x, const struct ixent *e)
{
	x->buf[x->n++] = *e;
	if (x->n == sizeof(x->buf) / sizeof(x->buf[0]))
		grv_ixout_flush(x);
}

/* Room in SP->last for complaint N. */
static void
last_room(struct grv_store *sp, uint32_t n)
{
	uint32_t *l;
	size_t cap;

	if (n <= sp->lastcap)
		return;
	cap = sp->lastcap ? sp->lastcap * 2 : 4096;
	while (cap < n)
		cap *= 2;
	if (sp->lastbase) {
		l = grv_reallocarray(NULL, cap, sizeof(*l));
		memcpy(l, sp->last, sp->lastcap * sizeof(*l));
		munmap(sp->lastbase, sp->lastcap * 4);
		sp->lastbase = NULL;
	} else
		l = grv_reallocarray(sp->last, cap, sizeof(*l));
	memset(l + sp->lastcap, 0, (cap - sp->lastcap) * sizeof(*l));
	sp->last = l;
	sp->lastcap = cap;
}

static void
push(struct ixent **v, size_t *n, size_t *cap, const struct ixent *e)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = grv_reallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = *e;
}

void
grv_cache_row(const struct grv_state *st, int kind, uint32_t n,
    unsigned file, uint64_t off, uint32_t crc)
{
	struct grv_store *sp = st->store;
	struct ixent e;

	if (sp == NULL || n == 0)
		return;
	memset(&e, 0, sizeof(e));
	e.loc = (uint64_t)file << 48 | off;
	e.n = n;
	e.crc = crc;
	last_room(sp, n);
	if (kind == GRV_COMPLAINTS) {
		sp->last[n - 1] = 0;
		if (sp->build)
			ixout_put(&sp->oc, &e);
		else
			push(&sp->cnew, &sp->ncnew, &sp->ccap, &e);
		return;
	}
	e.prev = sp->last[n - 1];
	sp->last[n - 1] = (uint32_t)++sp->nev;
	if (sp->build)
		ixout_put(&sp->oe, &e);
	else
		push(&sp->evnew, &sp->nevnew, &sp->evcap, &e);
}

/* ---- one complaint's history from the row index ---- */
/* Entry K (1-based) of the event index (EV) or the complaint index. */
static int
ix_get(const struct grv_store *sp, int ev, uint64_t k, struct ixent *e)
{
	uint64_t saved = ev ? sp->nevsaved : sp->nsaved;
	size_t nnew = ev ? sp->nevnew : sp->ncnew;
	const struct ixent *v = ev ? sp->evnew : sp->cnew;

	if (k == 0)
		return -1;
	if (k > saved) {
		if (k - saved - 1 >= nnew)
			return -1;
		*e = v[k - saved - 1];
		return 0;
	}
	return grv_pread_all(ev ? sp->eixfd : sp->crowfd, e, sizeof(*e),
	    (off_t)((k - 1) * sizeof(*e)));
}

/* The readers of one complaint's rows: the live file's, kept open, and
   the last sealed member's. */
struct rowrd {
	struct grv_csv_reader *live, *sealed;
};

static void
rowrd_close(struct rowrd *r)
{
	if (r->live)
		grv_csv_close(r->live);
	if (r->sealed)
		grv_csv_close(r->sealed);
}

/* A reader at row OFF of the K-th sealed segment of ledger KIND, opened
   at the gzip member holding it (grv_segmem.h): a segment of one member
   is inflated from its start. */
static struct grv_csv_reader *
sealed_at(const struct grv_ctx *ctx, enum grv_ledger_kind kind, unsigned k,
    uint64_t off)
{
	struct grv_segments sg = GRV_SEGMENTS_INIT;
	struct grv_csv_reader *r = NULL;
	uint64_t coff, ustart;

	grv_ledger_segments(ctx->dir, grv_ledger_name(kind), &sg);
	if (k <= sg.n && grv_segmem_find(ctx->dir, sg.rel[k - 1], off, &coff,
	    &ustart) == 0 && (r = grv_csv_open_member(ctx->dir,
	    sg.rel[k - 1], GRV_CSV_LEDGER | GRV_CSV_POINT, coff)) != NULL &&
	    grv_csv_seek(r, off - ustart, 1) == -1) {
		grv_csv_close(r);
		r = NULL;
	}
	grv_segments_release(&sg);
	return r;
}

/* The row at LOC in ledger KIND, through the readers RD (the live file's
   opened on first use), checked against E's crc: the row, or NULL. */
static struct grv_csv_row *
row_at(const struct grv_ctx *ctx, enum grv_ledger_kind kind,
    const struct ixent *e, struct rowrd *rd, char *rel)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	uint64_t off = e->loc & ((1ULL << 48) - 1);

	if (e->loc >> 48 != 0) {
		if (rd->sealed)
			grv_csv_close(rd->sealed);
		if ((r = rd->sealed = sealed_at(ctx, kind,
		    (unsigned)(e->loc >> 48), off)) == NULL)
			return NULL;
	} else {
		if (rd->live == NULL && (rd->live = grv_csv_open(ctx->dir, rel,
		    GRV_CSV_LEDGER | GRV_CSV_POINT)) == NULL)
			return NULL;
		r = rd->live;
		if (grv_csv_seek(r, off, 1) == -1)
			return NULL;
	}
	if (grv_csv_next(r, &row) != 1 ||
	    row->nf != grv_ledger_ncols(kind) || row->nf < 1 ||
	    grv_row_crc32(row) != e->crc)
		return NULL;
	return row;
}

int
grv_cache_row_at(const struct grv_ctx *ctx, int kind, uint64_t loc,
    uint32_t crc, int (*fn)(void *, const struct grv_csv_row *), void *arg)
{
	struct rowrd rd = { NULL, NULL };
	struct grv_csv_row *row;
	struct ixent e;
	char rel[64];
	int rc;

	memset(&e, 0, sizeof(e));
	e.loc = loc;
	e.crc = crc;
	snprintf(rel, sizeof(rel), "ledger/%s.csv", grv_ledger_name(kind));
	row = row_at(ctx, kind, &e, &rd, rel);
	rc = row ? fn(arg, row) : -1;
	rowrd_close(&rd);
	return rc;
}

/* Complaint N's entries: its own to CE, its events' to *EVS, last first,
   each naming the one before.  0, or -1 (*EVS may be allocated). */
static int
entries(const struct grv_store *sp, uint32_t n, struct ixent *ce,
    struct ixent **evs, size_t *nevs)
{
	size_t cap = 0;
	uint64_t k;

	for (k = sp->last[n - 1]; k != 0; k = (*evs)[*nevs - 1].prev) {
		if (*nevs == cap) {
			cap = cap ? cap * 2 : 16;
			*evs = grv_reallocarray(*evs, cap, sizeof(**evs));
		}
		if (*nevs >= sp->nev || ix_get(sp, 1, k, &(*evs)[*nevs]) == -1 ||
		    (*evs)[*nevs].n != n || (*evs)[*nevs].prev >= k)
			return -1;
		(*nevs)++;
	}
	return ix_get(sp, 0, n, ce) == -1 || ce->n != n ? -1 : 0;
}

int
grv_cache_locs(const struct grv_state *st, uint32_t n, struct grv_rowloc **out,
    size_t *nout)
{
	const struct grv_store *sp = st->store;
	struct ixent ce, *evs = NULL;
	size_t nevs = 0, i;

	*out = NULL;
	*nout = 0;
	if (sp == NULL || sp->build || n == 0 || n > st->n ||
	    entries(sp, n, &ce, &evs, &nevs) == -1) {
		free(evs);
		return -1;
	}
	*out = grv_reallocarray(NULL, nevs + 1, sizeof(**out));
	(*out)[0].loc = ce.loc;
	(*out)[0].crc = ce.crc;
	for (i = 0; i < nevs; i++) {
		(*out)[nevs - i].loc = evs[i].loc;
		(*out)[nevs - i].crc = evs[i].crc;
	}
	*nout = nevs + 1;
	free(evs);
	return 0;
}

int
grv_cache_history(const struct grv_state *st, const struct grv_ctx *ctx,
    uint32_t n, grv_complaint_fn fc, grv_event_fn fe, void *arg)
{
	const struct grv_store *sp = st->store;
	struct rowrd rc = { NULL, NULL }, re = { NULL, NULL };
	char crel[64], erel[64];
	struct ixent ce, *evs = NULL;
	struct grv_cstate cs, before;
	const struct grv_cstate *rec;
	struct grv_csv_row *row;
	struct grv_crow p;
	struct grv_event ev;
	struct grv_fault fl;
	size_t nevs = 0, i;
	int ok = -1;

	if (sp == NULL || sp->build || n == 0 || n > st->n ||
	    (rec = grv_state_get(st, n)) == NULL ||
	    entries(sp, n, &ce, &evs, &nevs) == -1)
		goto out;
	snprintf(crel, sizeof(crel), "ledger/%s.csv",
	    grv_ledger_name(GRV_COMPLAINTS));
	snprintf(erel, sizeof(erel), "ledger/%s.csv",
	    grv_ledger_name(GRV_EVENTS));
	if ((row = row_at(ctx, GRV_COMPLAINTS, &ce, &rc, crel)) == NULL ||
	    grv_rules_complaint(&ctx->conf, &ctx->m,
	    (const char *const *)row->f, row->flen, row->raw, row->rawlen, &p,
	    &fl, 1) != 0 || p.n != n || p.loc == GRV_IX_GONE ||
	    p.cat == GRV_IX_GONE)
		goto out;
	grv_cstate_init(&cs, &p);
	if (fc && fc(arg, n, &cs, row) != 0)
		goto out;
	/* Replayed from the complaint row, oldest first. */
	for (i = nevs; i-- > 0;) {
		if ((row = row_at(ctx, GRV_EVENTS, &evs[i], &re, erel)) ==
		    NULL ||
		    grv_rules_event(&ctx->conf, &ctx->m,
		    (const char *const *)row->f, row->flen, row->raw,
		    row->rawlen, &ev, &fl, 1) != 0 || ev.n != n ||
		    grv_event_gone(&ev))
			goto out;	/* (no cache is saved with such) */
		ev.row = row;
		ev.file = erel;
		before = cs;
		grv_state_apply(&cs, &ev);
		if (fe && fe(arg, &ev, &before, &cs) != 0)
			goto out;
	}
	/* It must come to the state the fold keeps. */
	ok = memcmp(&cs, rec, CS_USED) == 0 ? 0 : -1;
out:
	rowrd_close(&rc);
	rowrd_close(&re);
	free(evs);
	return ok;
}

int
grv_cache_complaint_row(const struct grv_state *st,
    const struct grv_ctx *ctx, uint32_t n, grv_complaint_fn fc, void *arg,
    struct grv_csv_reader **rd)
{
	const struct grv_store *sp = st->store;
	struct rowrd r = { *rd, NULL };
	struct grv_csv_row *row;
	struct grv_cstate cs;
	struct grv_crow p;
	struct grv_fault fl;
	struct ixent ce;
	char rel[64];
	int rc;

	if (sp == NULL || sp->build || n == 0 || n > st->n ||
	    ix_get(sp, 0, n, &ce) == -1 || ce.n != n)
		return -1;
	snprintf(rel, sizeof(rel), "ledger/%s.csv",
	    grv_ledger_name(GRV_COMPLAINTS));
	row = row_at(ctx, GRV_COMPLAINTS, &ce, &r, rel);
	*rd = r.live;
	if (row == NULL || grv_rules_complaint(&ctx->conf, &ctx->m,
	    (const char *const *)row->f, row->flen, row->raw, row->rawlen, &p,
	    &fl, 1) != 0 || p.n != n || p.loc == GRV_IX_GONE ||
	    p.cat == GRV_IX_GONE)
		rc = -1;
	else {
		grv_cstate_init(&cs, &p);
		rc = fc(arg, n, &cs, row) != 0 ? -1 : 0;
	}
	if (r.sealed)
		grv_csv_close(r.sealed);
	return rc;
}
