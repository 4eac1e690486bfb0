/* grv_fold.c: the fold: the ledgers' rows, checked by the row rules, into
 * each complaint's state, from the start or from where a state left off. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_cache.h"
#include "grv_file.h"
#include "grv_fold.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_rules.h"

struct grv_cstate *
grv_state_get(const struct grv_state *st, uint32_t n)
{
	if (n == 0 || n > st->n ||
	    (st->store && grv_cache_check(st, n) == -1) ||
	    st->c[n - 1].status == GRV_ST_NONE)
		return NULL;
	return &st->c[n - 1];
}

/* ---- the fold ---- */

struct fold {
	struct grv_state		*st;
	const struct grv_ctx		*ctx;
	const struct grv_fold_opts	*o;
	const char			*rel;	/* file being read */
	uint16_t			 file;	/* 0 live, k the k-th segment */
	int				 stop;	/* past UPTO: read no more */
	int				 evdone; /* an event past UPTO seen */
	int				 resume; /* from a state cache/ kept */
	struct grv_owed			 owed;	/* a disputed call's reopen */
};

static int
ferr(struct fold *f, unsigned long line, const char *what, const char *val)
{
	if (val)
		grv_err("%s:%lu: %s '%s'", f->rel, line, what, val);
	else
		grv_err("%s:%lu: %s", f->rel, line, what);
	return GRV_EX_DATAERR;
}

/* The message of a row's fault, "ledger/FILE:LINE: what 'value'". */
static int
fault(struct fold *f, const struct grv_csv_row *r, const struct grv_fault *fl,
    int kind)
{
	struct grv_buf b = GRV_BUF_INIT;

	grv_fault_msg(&b, fl, &f->ctx->conf, kind, (const char *const *)r->f);
	grv_err("%s:%lu: %s", f->rel, r->line, b.s);
	grv_buf_release(&b);
	return GRV_EX_DATAERR;
}

/* SPEC 7.2's pairing of a disputed call and its reopen (grv_rules_owed):
   0, or the fault said at the line it is about. */
static int
owed(struct fold *f, const struct grv_cstate *cs, const struct grv_event *ev,
    const struct grv_csv_row *r)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct grv_fault fl;
	unsigned long at;

	if (grv_rules_owed(&f->ctx->conf, &f->owed, cs, ev, r ? r->line : 0,
	    &at, &fl) == 0)
		return 0;
	grv_fault_msg(&b, &fl, &f->ctx->conf, GRV_EVENTS,
	    r ? (const char *const *)r->f : NULL);
	grv_err("%s:%lu: %s", f->rel, at, b.s);
	grv_buf_release(&b);
	return GRV_EX_DATAERR;
}

/*
 * A complaint row's fields are judged by the row rules (grv_rules.c) on
 * the reading threads (complaint_prep) when a big file is read there; the
 * fold's own thread judges only the rows those left to it, and says what
 * is wrong with them, and adds the cross-row rule (the id's sequence).
 */
static int
complaint_prep(const struct grv_csv_row *r, void *out, void *arg)
{
	const struct grv_ctx *ctx = arg;
	struct grv_fault fl;

	if (r->nf != grv_ledger_ncols(GRV_COMPLAINTS))
		return -1;
	return grv_rules_complaint(&ctx->conf, &ctx->m,
	    (const char *const *)r->f, r->flen, r->raw, r->rawlen, out, &fl, 1) == 0 ? 0 : -1;
}

void
grv_cstate_init(struct grv_cstate *cs, const struct grv_crow *p)
{
	memset(cs, 0, sizeof(*cs));
	cs->registered = p->reg;
	cs->placed = cs->due = cs->resolved = cs->closed = GRV_TIME_NONE;
	cs->feedback_at = GRV_TIME_NONE;
	cs->officer = cs->l1_officer = cs->resolver = -1;
	cs->dept = -1;
	cs->category = (int16_t)p->cat;
	cs->loc = p->loc;
	cs->channel = (uint8_t)p->ch;
	cs->status = GRV_ST_NEW;
}

uint32_t
grv_row_crc32(const struct grv_csv_row *r)
{
	const char *h = r->f[r->nf - 1];
	uint32_t v = 0;
	int i, d;

	for (i = 0; i < 8 && h[i]; i++) {
		d = h[i] >= 'a' ? h[i] - 'a' + 10 : h[i] - '0';
		v = v << 4 | (uint32_t)(d & 15);
	}
	return v;
}

/* What a row may name that the masters no longer list, besides an
   officer (retired(), below). */
enum { GONE_LOC, GONE_DEPT, GONE_CAT };
static const struct {
	const char	*what, *file;
	int		(*keep)(struct grv_masters *, const char *, int *);
} gones[] = {
	[GONE_LOC] = { "location", "locations", grv_loc_gone },
	[GONE_DEPT] = { "department", "departments", grv_dept_gone },
	[GONE_CAT] = { "category", "categories", grv_cat_gone },
};

/*
 * A location, department or category (KIND) the row names by CODE that
 * the masters no longer list: kept by its code (grv_loc_gone, ...) and
 * named once on stderr; its index, or GRV_FOLD_STALE as retired() says.
 */
static int
gone(struct fold *f, const struct grv_csv_row *r, int kind, const char *code)
{
	/* The masters the fold was handed, grown by the fold alone. */
	struct grv_masters *m = (struct grv_masters *)&f->ctx->m;
	const struct grv_map *ix = kind == GONE_LOC ? &m->loc_gone_ix :
	    kind == GONE_DEPT ? &m->dept_gone_ix : &m->cat_gone_ix;
	int i, isnew;

	if (f->resume && grv_map_get(ix, code) == -1)
		return GRV_FOLD_STALE;
	i = gones[kind].keep(m, code, &isnew);
	if (isnew)
		grv_err("%s:%lu: %s '%s' is no longer in masters/%s.csv (keep "
		    "its row: the ledger names it)", f->rel, r->line,
		    gones[kind].what, code, gones[kind].file);
	return i;
}

static int
complaint_row(struct fold *f, struct grv_csv_row *r)
{
	struct grv_state *st = f->st;
	const struct grv_crow *p = r->prep;
	struct grv_crow own;
	struct grv_cstate *cs;
	struct grv_fault fl;

	if (p == NULL) {
		if (grv_rules_complaint(&f->ctx->conf, &f->ctx->m,
		    (const char *const *)r->f, r->flen, r->raw, r->rawlen, &own,
		    &fl, 1) != 0)
			return fault(f, r, &fl, GRV_COMPLAINTS);
		p = &own;
	}
	if (grv_rules_complaint_seq(p->n, st->n, &fl) != 0)
		return fault(f, r, &fl, GRV_COMPLAINTS);
	if (p->loc == GRV_IX_GONE || p->cat == GRV_IX_GONE) {
		if (p != &own)
			own = *p;
		p = &own;
		if (own.loc == GRV_IX_GONE && (own.loc = gone(f, r, GONE_LOC,
		    r->f[GRV_C_LOC])) == GRV_FOLD_STALE)
			return GRV_FOLD_STALE;
		if (own.cat == GRV_IX_GONE && (own.cat = gone(f, r, GONE_CAT,
		    r->f[GRV_C_CATEGORY])) == GRV_FOLD_STALE)
			return GRV_FOLD_STALE;
	}
	if (st->n == st->cap && st->store)
		grv_cache_grow(st);
	else if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 1024;
		st->c = grv_reallocarray(st->c, st->cap, sizeof(*st->c));
	}
	cs = &st->c[st->n++];
	grv_cstate_init(cs, p);
	grv_cache_row(st, GRV_COMPLAINTS, p->n, f->file, r->off,
	    grv_row_crc32(r));
	st->last_reg = p->reg;
	if (p->reg > st->upto) {
		/* Keyed in after UPTO: not there yet. */
		cs->status = GRV_ST_NONE;
		st->cut = 1;
		return 0;
	}
	if (f->o && f->o->on_complaint)
		return f->o->on_complaint(f->o->arg, p->n, cs, r);
	return 0;
}

/* An event row's field rules, run on a reading thread: all but the
   state's. */
static int
event_prep(const struct grv_csv_row *r, void *out, void *arg)
{
	const struct grv_ctx *ctx = arg;
	struct grv_fault fl;

	if (r->nf != grv_ledger_ncols(GRV_EVENTS))
		return -1;
	return grv_rules_event(&ctx->conf, &ctx->m, (const char *const *)r->f,
	    r->flen, r->raw, r->rawlen, out, &fl, 1) == 0 ? 0 : -1;
}

/*
 * An officer the row names that the masters no longer list: kept by its
 * code (grv_officer_retired), where the ledger first placed it, and named
 * once on stderr.  A state from cache/ was saved without such officers
 * (grv_state.c): one met while resuming from it sends the caller back to
 * a fold from the start, so the indices are the same as a cold fold's.
 */
static int
retired(struct fold *f, const struct grv_csv_row *r, struct grv_event *ev,
    const struct grv_cstate *cs)
{
	/* The masters the fold was handed, grown by the fold alone. */
	struct grv_masters *m = (struct grv_masters *)&f->ctx->m;
	int isnew;

	if (f->resume && grv_map_get(&m->retired_ix,
	    r->f[GRV_E_OFFICER]) == -1)
		return GRV_FOLD_STALE;
	ev->officer = grv_officer_retired(m, r->f[GRV_E_OFFICER],
	    ev->dept >= 0 ? ev->dept : cs->dept, ev->level ? ev->level :
	    cs->level, cs->loc, &isnew);
	if (isnew)
		grv_err("%s:%lu: officer '%s' is no longer in "
		    "masters/officers.csv (retire with active = 0)", f->rel,
		    r->line, r->f[GRV_E_OFFICER]);
	return 0;
}

static int
event_row(struct fold *f, struct grv_csv_reader *rd, struct grv_csv_row *r)
{
	struct grv_state *st = f->st;
	struct grv_cstate *cs, before;
	struct grv_event ev;
	const struct grv_event *ahead;
	struct grv_fault fl;
	int bad = 0;

	/* Events come in time order, their complaints in any: fetch the
	   state a few rows ahead will touch while this one is applied. */
	if ((ahead = grv_csv_peek_prep(rd, 16)) != NULL && ahead->n >= 1 &&
	    ahead->n <= st->n)
		__builtin_prefetch(&st->c[ahead->n - 1], 1);
	if (r->prep)
		ev = *(const struct grv_event *)r->prep;
	else if ((bad = grv_rules_event(&f->ctx->conf, &f->ctx->m,
	    (const char *const *)r->f, r->flen, r->raw, r->rawlen, &ev, &fl,
	    1)) != 0 &&
	    fl.code == GRV_F_TS)
		return fault(f, r, &fl, GRV_EVENTS);
	if (ev.ts > st->upto) {
		/* A call owing its reopen is judged by this row all the
		   same, so that --now never hides a missing one. */
		if (!bad && f->owed.n != 0 && (bad = owed(f, NULL, &ev, r)))
			return bad;
		/* Events never go back in time: nothing after this counts. */
		st->cut = 1;
		f->stop = f->evdone = 1;
		return 0;
	}
	/* The state's rules: time, the complaint, the transition. */
	cs = grv_state_get(st, ev.n);
	if (grv_cache_stale(st))
		return GRV_FOLD_STALE;	/* its record is damaged */
	if (bad) {
		struct grv_fault sf;

		/* Named first, as grv-check names them: the time going
		   back, the complaint unknown. */
		if (fl.code != GRV_F_UNKNOWN && grv_rules_event_state(cs, &ev,
		    st->last_ts, &sf, 1) && (sf.code == GRV_F_TIME_BACK ||
		    sf.code == GRV_F_UNKNOWN))
			return fault(f, r, &sf, GRV_EVENTS);
		return fault(f, r, &fl, GRV_EVENTS);
	}
	if (grv_rules_event_state(cs, &ev, st->last_ts, &fl, 1) != 0)
		return fault(f, r, &fl, GRV_EVENTS);
	if ((bad = owed(f, cs, &ev, r)) != 0)
		return bad;
	if (ev.dept == GRV_IX_GONE && (ev.dept = gone(f, r, GONE_DEPT,
	    r->f[GRV_E_DEPT])) == GRV_FOLD_STALE)
		return GRV_FOLD_STALE;
	if (ev.kind == GRV_EV_AMEND && ev.code == GRV_IX_GONE &&
	    (ev.code = gone(f, r, ev.reason == GRV_R_LOC ? GONE_LOC :
	    GONE_CAT, r->f[GRV_E_NOTE])) == GRV_FOLD_STALE)
		return GRV_FOLD_STALE;
	if (ev.officer == GRV_IX_GONE && (bad = retired(f, r, &ev, cs)) != 0)
		return bad;
	ev.row = r;
	ev.file = f->rel;
	before = *cs;
	grv_cache_touch(st, ev.n);
	grv_state_apply(cs, &ev);
	grv_cache_row(st, GRV_EVENTS, ev.n, f->file, r->off,
	    grv_row_crc32(r));
	st->last_ts = ev.ts;
	if (f->o && f->o->on_event)
		return f->o->on_event(f->o->arg, &ev, &before, cs);
	return 0;
}

/*
 * Fold one file.  POS (live files only) says where to start and gets where
 * the fold ended.
 */
static int
fold_file(struct fold *f, const char *rel, enum grv_ledger_kind kind,
    struct grv_ledger_pos *pos, int must_exist)
{
	const char *hdr = grv_ledger_header(kind);
	size_t ncols = grv_ledger_ncols(kind);
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	char prev[9] = "";
	int k, rc = 0, have_prev, lockfd = -1;
	unsigned long lines = 0;
	uint64_t end = 0;

	f->rel = rel;
	f->stop = 0;
	f->owed.n = 0;
	if (!must_exist) {
		struct grv_buf full = GRV_BUF_INIT;
		struct stat sb;
		int missing;

		grv_buf_printf(&full, "%s/%s", f->ctx->dir, rel);
		lockfd = open(full.s, O_RDONLY | O_CLOEXEC);
		grv_buf_release(&full);
		if (lockfd == -1 && errno != ENOENT) {
			grv_err("%s: %s", rel, strerror(errno));
			return GRV_EX_IOERR;
		}
		/* A writer appends under an exclusive lock: wait for it, so
		   what we read ends at a row boundary. */
		if (lockfd != -1 && !(f->o && (f->o->held & (1u << kind))) &&
		    (rc = grv_ledger_flock(lockfd, LOCK_SH, f->ctx->wait, rel,
		    "a writer")) != 0) {
			close(lockfd);
			return rc;
		}
		/* A live file of 0 bytes is a ledger whose creator failed or
		   was killed before its header: the next writer gives it one
		   (grv_ledger_lock), and nothing was ever in it. */
		missing = lockfd == -1 || (fstat(lockfd, &sb) == 0 &&
		    sb.st_size == 0);
		/* A writer that died inside its append left its marker:
		   rows past where the append began are not a whole append. */
		if (lockfd != -1 && !(f->o && (f->o->held & (1u << kind)))) {
			uint64_t at, len;

			if (grv_pending_state(f->ctx->dir, kind,
			    (uint64_t)sb.st_size, &at, &len) ==
			    GRV_PENDING_CUT) {
				grv_err("%s: an append was cut short at byte "
				    "%llu; run 'grv-check --repair'", rel,
				    (unsigned long long)at);
				close(lockfd);
				return GRV_EX_DATAERR;
			}
		}
		if (missing) {
			if (lockfd != -1)
				close(lockfd);
			if (pos)
				memset(pos, 0, sizeof(*pos) -
				    sizeof(pos->segsig));
			return 0;
		}
	}
	if ((r = grv_csv_open(f->ctx->dir, rel, GRV_CSV_LEDGER |
	    (pos && pos->size > 0 ? GRV_CSV_SEEK : 0))) == NULL) {
		if (lockfd != -1)
			close(lockfd);
		return errno == ENOENT ? GRV_EX_NOINPUT : GRV_EX_IOERR;
	}
	if (kind == GRV_COMPLAINTS)
		grv_csv_set_prep(r, complaint_prep, sizeof(struct grv_crow),
		    (void *)f->ctx);
	else
		grv_csv_set_prep(r, event_prep, sizeof(struct grv_event),
		    (void *)f->ctx);
	have_prev = 0;
	if (pos && pos->size > 0) {
		if (grv_csv_seek(r, pos->size, pos->line + 1) == -1) {
			grv_err("%s: cannot seek to %llu", rel,
			    (unsigned long long)pos->size);
			grv_csv_close(r);
			if (lockfd != -1)
				close(lockfd);
			return GRV_EX_IOERR;
		}
		memcpy(prev, pos->crc, 9);
		have_prev = 1;
		lines = pos->line;
		end = pos->size;
	}
	while (!f->stop && (k = grv_csv_next(r, &row)) == 1) {
		if (!have_prev) {
			if (row->rawlen != strlen(hdr) ||
			    memcmp(row->raw, hdr, row->rawlen) != 0) {
				rc = ferr(f, row->line, "header is not", hdr);
				break;
			}
			have_prev = 1;
			lines = row->line;
			end = row->end;
			continue;
		}
		if (row->nf != ncols) {
			grv_err("%s:%lu: %zu fields, expected %zu", rel,
			    row->line, row->nf, ncols);
			rc = GRV_EX_DATAERR;
			break;
		}
		/* A row the reader found chained to the line before was
		   checked on the other core against that line's crc, which
		   is PREV. */
		if (!(row->chained && prev[0]) &&
		    grv_chain_verify(prev[0] ? prev : hdr, prev[0] ? 8 :
		    strlen(hdr), row->raw, row->rawlen) == -1) {
			rc = ferr(f, row->line, "crc does not match the chain "
			    "(damaged or edited); run 'grv-check'", NULL);
			break;
		}
		rc = kind == GRV_COMPLAINTS ? complaint_row(f, row) :
		    event_row(f, r, row);
		if (rc)
			break;
		if (f->stop)
			break;
		memcpy(prev, row->f[ncols - 1], 9);
		lines = row->line;
		end = row->end;
	}
	if (rc == 0 && !f->stop && k == -1)
		rc = grv_csv_ioerror(r) ? GRV_EX_IOERR : GRV_EX_DATAERR;
	if (rc == 0 && !f->stop && kind == GRV_EVENTS)
		rc = owed(f, NULL, NULL, NULL);	/* the file ends owing */
	if (grv_csv_close(r) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	if (lockfd != -1)
		close(lockfd);		/* and with it the shared lock */
	if (rc == 0 && !have_prev) {
		grv_err("%s: empty file, expected a header", rel);
		rc = GRV_EX_DATAERR;
	}
	if (pos && rc == 0) {
		pos->size = end;
		pos->line = lines;
		memcpy(pos->crc, prev, 9);
	}
	return rc;
}

uint64_t
grv_segments_sig(const char *dir, const char *stem)
{
	struct grv_buf full = GRV_BUF_INIT;
	struct grv_segments sg;
	struct stat sb;
	size_t i, j;
	uint64_t h = 1469598103934665603ULL;

	grv_ledger_segments(dir, stem, &sg);
	for (i = 0; i < sg.n; i++) {
		grv_buf_reset(&full);
		grv_buf_printf(&full, "%s/%s", dir, sg.rel[i]);
		if (stat(full.s, &sb) == 0) {
			uint64_t parts[3] = { (uint64_t)sb.st_size,
			    (uint64_t)sb.st_mtime, (uint64_t)sb.st_ino };

			for (j = 0; j < sizeof(parts); j++) {
				h ^= ((unsigned char *)parts)[j];
				h *= 1099511628211ULL;
			}
		}
		for (j = 0; sg.rel[i][j]; j++) {
			h ^= (unsigned char)sg.rel[i][j];
			h *= 1099511628211ULL;
		}
	}
	grv_segments_release(&sg);
	grv_buf_release(&full);
	return h;
}

static int
fold_ledger(struct fold *f, enum grv_ledger_kind kind, int from_cache)
{
	struct grv_buf rel = GRV_BUF_INIT;
	const char *stem = grv_ledger_name(kind);
	struct grv_ledger_pos *pos = &f->st->pos[kind];
	struct grv_segments sg;
	size_t i;
	int rc = 0;

	if (!from_cache) {
		grv_ledger_segments(f->ctx->dir, stem, &sg);
		for (i = 0; i < sg.n && rc == 0 && !f->evdone; i++) {
			f->file = (uint16_t)(i + 1);
			rc = fold_file(f, sg.rel[i], kind, NULL, 1);
		}
		grv_segments_release(&sg);
		if (rc)
			return rc;
		memset(pos, 0, sizeof(*pos));
		pos->segsig = grv_segments_sig(f->ctx->dir, stem);
	}
	if (f->evdone)
		return 0;
	grv_buf_printf(&rel, "ledger/%s.csv", stem);
	f->file = 0;
	rc = fold_file(f, rel.s, kind, pos, 0);
	grv_buf_release(&rel);
	return rc;
}

int
grv_fold(struct grv_state *st, const struct grv_ctx *ctx,
    const struct grv_fold_opts *o, int resume)
{
	struct fold f = { st, ctx, o, NULL, 0, 0, 0, resume, GRV_OWED_INIT };
	int rc;

	grv_cache_folding(st, 1);
	if ((rc = fold_ledger(&f, GRV_COMPLAINTS, resume)) != 0 ||
	    (rc = fold_ledger(&f, GRV_EVENTS, resume)) != 0)
		grv_state_release(st);
	else
		grv_cache_folding(st, 0);	/* a refused fold leaves no state */
	return rc;
}

void
grv_state_release(struct grv_state *st)
{
	if (st->store)
		grv_cache_release(st);
	free(st->c);
	st->c = NULL;
	st->n = st->cap = 0;
}
