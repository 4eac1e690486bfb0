/* grv_state.c: fold the ledgers into each complaint's current state. */
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
#include "grv_file.h"
#include "grv_hwm.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_rules.h"
#include "grv_state.h"

const char *const grv_status_names[GRV_ST_COUNT] = { "none", "new", "open",
	"resolved", "closed" };
const char *const grv_event_names[GRV_EV_COUNT] = { "route", "transfer",
	"escalate", "resolve", "feedback", "close", "note", "amend" };
const char *const grv_reason_names[GRV_R_COUNT] = { "", "overdue",
	"unsatisfied", "satisfied", "unreachable", "forced", "unverified",
	"loc", "category" };
const char *const grv_channel_names[GRV_CH_COUNT] = { "phone", "web",
	"office", "janmanch", "cmo", "email", "app" };

int
grv_event_kind(const char *s)
{
	int i;

	/* (The first byte first: this runs for every event row.) */
	for (i = 0; i < GRV_EV_COUNT; i++)
		if (s[0] == grv_event_names[i][0] &&
		    strcmp(s, grv_event_names[i]) == 0)
			return i;
	return -1;
}

int
grv_reason_code(const char *s)
{
	int i;

	for (i = 1; i < GRV_R_COUNT; i++)
		if (s[0] == grv_reason_names[i][0] &&
		    strcmp(s, grv_reason_names[i]) == 0)
			return i;
	return GRV_R_NONE;
}

int
grv_channel_code(const char *s)
{
	int i;

	for (i = 0; i < GRV_CH_COUNT; i++)
		if (s[0] == grv_channel_names[i][0] &&
		    strcmp(s, grv_channel_names[i]) == 0)
			return i;
	return -1;
}

int
grv_id_parse(const char *node, const char *id, size_t len, uint32_t *n)
{
	size_t nl = strlen(node), i;
	uint64_t v = 0;

	if (len <= nl + 1 || memcmp(id, node, nl) != 0 || id[nl] != '-' ||
	    id[nl + 1] == '0')
		return -1;
	for (i = nl + 1; i < len; i++) {
		if (id[i] < '0' || id[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(id[i] - '0');
		if (v > UINT32_MAX - 1)
			return -1;
	}
	*n = (uint32_t)v;
	return 0;
}

void
grv_id_format(const char *node, uint32_t n, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s-%u", node, n);
}

struct grv_cstate *
grv_state_get(const struct grv_state *st, uint32_t n)
{
	if (n == 0 || n > st->n || st->c[n - 1].status == GRV_ST_NONE)
		return NULL;
	return &st->c[n - 1];
}

int
grv_overdue(const struct grv_cstate *cs, grv_time_t now)
{
	return cs->status == GRV_ST_OPEN && cs->due != GRV_TIME_NONE &&
	    cs->due < now;
}

const char *
grv_event_refused(const struct grv_cstate *cs, int kind, int reason)
{
	if (cs == NULL || cs->status == GRV_ST_NONE)
		return "no such complaint";
	switch (kind) {
	case GRV_EV_ROUTE:
		return cs->status == GRV_ST_NEW ? NULL : "already routed";
	case GRV_EV_TRANSFER:
		if (cs->status != GRV_ST_OPEN)
			return "only an open complaint can be transferred";
		return cs->transfers >= 3 ? "transferred 3 times already "
		    "(the limit)" : NULL;
	case GRV_EV_ESCALATE:
		if (reason == GRV_R_UNSATISFIED)
			return cs->status == GRV_ST_RESOLVED ? NULL :
			    "only a resolved complaint can be found "
			    "unsatisfactory";
		return cs->status == GRV_ST_OPEN ? NULL :
		    "only an open complaint can climb when overdue";
	case GRV_EV_RESOLVE:
		return cs->status == GRV_ST_OPEN ? NULL :
		    "only an open complaint can be resolved";
	case GRV_EV_FEEDBACK:
		return cs->status == GRV_ST_RESOLVED ? NULL :
		    "feedback is taken only on a resolved complaint";
	case GRV_EV_CLOSE:
		if (reason == GRV_R_FORCED)
			return cs->status == GRV_ST_OPEN ||
			    cs->status == GRV_ST_RESOLVED ? NULL :
			    "only an open or resolved complaint can be closed";
		if (reason == GRV_R_SATISFIED || reason == GRV_R_UNVERIFIED)
			return cs->status == GRV_ST_RESOLVED ? NULL :
			    "only a resolved complaint can be closed this way";
		return "a closure needs reason satisfied, forced or "
		    "unverified";
	case GRV_EV_NOTE:
	case GRV_EV_AMEND:
		return cs->status == GRV_ST_CLOSED ? "the complaint is closed"
		    : NULL;
	}
	return "unknown event";
}

void
grv_state_apply(struct grv_cstate *cs, const struct grv_event *ev)
{
	switch (ev->kind) {
	case GRV_EV_ROUTE:
	case GRV_EV_ESCALATE:
		cs->status = GRV_ST_OPEN;
		cs->level = (uint8_t)ev->level;
		cs->dept = (int16_t)ev->dept;
		cs->officer = ev->officer;
		cs->due = ev->due;
		cs->placed = ev->ts;
		cs->attended = 0;
		if (ev->kind == GRV_EV_ESCALATE && cs->escalations < 255)
			cs->escalations++;
		if (ev->level == 1)
			cs->l1_officer = ev->officer;
		break;
	case GRV_EV_TRANSFER:
		cs->level = (uint8_t)ev->level;
		cs->dept = (int16_t)ev->dept;
		cs->officer = ev->officer;
		cs->due = ev->due;
		/* A new placement for the department that receives it (SPEC
		   7.1): the sender attended to it, the receiver has yet to. */
		cs->placed = ev->ts;
		cs->attended = 0;
		if (cs->transfers < 255)
			cs->transfers++;
		if (ev->level == 1)
			cs->l1_officer = ev->officer;
		break;
	case GRV_EV_RESOLVE:
		cs->status = GRV_ST_RESOLVED;
		cs->resolved = ev->ts;
		cs->resolver = ev->officer;
		cs->attended = 1;
		cs->feedback = GRV_R_NONE;
		cs->feedback_at = GRV_TIME_NONE;
		break;
	case GRV_EV_FEEDBACK:
		cs->feedback = (uint8_t)ev->reason;
		cs->feedback_at = ev->ts;
		break;
	case GRV_EV_CLOSE:
		cs->status = GRV_ST_CLOSED;
		cs->closed = ev->ts;
		cs->close_reason = (uint8_t)ev->reason;
		break;
	case GRV_EV_NOTE:
		if (ev->officer != -1)
			cs->attended = 1;
		break;
	case GRV_EV_AMEND:
		/* The routing field only: the transfer (or move) written
		   with it places the complaint (SPEC 7.2). */
		if (ev->code < 0)
			break;
		if (ev->reason == GRV_R_CATEGORY)
			cs->category = (int16_t)ev->code;
		else if (ev->reason == GRV_R_LOC)
			cs->loc = ev->code;
		break;
	}
}

/* ---- the fold ---- */

struct fold {
	struct grv_state		*st;
	const struct grv_ctx		*ctx;
	const struct grv_fold_opts	*o;
	const char			*rel;	/* file being read */
	int				 stop;	/* past UPTO: read no more */
	int				 evdone; /* an event past UPTO seen */
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
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 1024;
		st->c = grv_reallocarray(st->c, st->cap, sizeof(*st->c));
	}
	cs = &st->c[st->n++];
	memset(cs, 0, sizeof(*cs));
	cs->registered = p->reg;
	cs->placed = cs->due = cs->resolved = cs->closed = GRV_TIME_NONE;
	cs->feedback_at = GRV_TIME_NONE;
	cs->officer = cs->l1_officer = cs->resolver = -1;
	cs->dept = -1;
	cs->category = (int16_t)p->cat;
	cs->loc = p->loc;
	cs->channel = (uint8_t)p->ch;
	st->last_reg = p->reg;
	if (p->reg > st->upto) {
		/* Keyed in after UPTO: not there yet. */
		cs->status = GRV_ST_NONE;
		st->cut = 1;
		return 0;
	}
	cs->status = GRV_ST_NEW;
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
		/* Events never go back in time: nothing after this counts. */
		st->cut = 1;
		f->stop = f->evdone = 1;
		return 0;
	}
	/* The state's rules: time, the complaint, the transition. */
	cs = grv_state_get(st, ev.n);
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
	ev.row = r;
	ev.file = f->rel;
	before = *cs;
	grv_state_apply(cs, &ev);
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
	if ((r = grv_csv_open(f->ctx->dir, rel, GRV_CSV_LEDGER)) == NULL) {
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
		for (i = 0; i < sg.n && rc == 0 && !f->evdone; i++)
			rc = fold_file(f, sg.rel[i], kind, NULL, 1);
		grv_segments_release(&sg);
		if (rc)
			return rc;
		memset(pos, 0, sizeof(*pos));
		pos->segsig = grv_segments_sig(f->ctx->dir, stem);
	}
	if (f->evdone)
		return 0;
	grv_buf_printf(&rel, "ledger/%s.csv", stem);
	rc = fold_file(f, rel.s, kind, pos, 0);
	grv_buf_release(&rel);
	return rc;
}

int
grv_state_load(struct grv_state *st, const struct grv_ctx *ctx,
    const struct grv_fold_opts *o)
{
	struct fold f = { st, ctx, o, NULL, 0, 0 };
	int cached = 0, rc, usecache, trusted;

	memset(st, 0, sizeof(*st));
	st->upto = o ? o->now : ctx->now;
	st->last_ts = st->last_reg = GRV_TIME_NONE;
	/* The cache is only as good as the ledger under it: trusted while
	   every file is as grv last left it (grv_hwm.h), else fold cold. */
	if ((rc = grv_hwm_vouch_all(ctx->dir, o ? o->held : 0, ctx->wait,
	    &trusted)) != 0)
		return rc;
	usecache = !(o && (o->nocache || o->on_complaint || o->on_event));
	if (usecache && trusted && grv_cache_load(st, ctx, st->upto) == 0)
		cached = 1;
	if ((rc = fold_ledger(&f, GRV_COMPLAINTS, cached)) != 0 ||
	    (rc = fold_ledger(&f, GRV_EVENTS, cached)) != 0) {
		grv_state_release(st);	/* a refused fold leaves no state */
		return rc;
	}
	if (!trusted && st->cut &&
	    (rc = grv_state_verify(ctx, o ? o->held : 0)) != 0) {
		grv_state_release(st);
		return rc;
	}
	if (usecache && !st->cut && (rc = grv_cache_save(st, ctx)) != 0) {
		grv_state_release(st);	/* the caller keeps no state */
		return rc;
	}
	return 0;
}

int
grv_state_verify(const struct grv_ctx *ctx, unsigned held)
{
	struct grv_state vs;
	struct grv_fold_opts vo;
	int rc, trusted;

	if ((rc = grv_hwm_vouch_all(ctx->dir, held, ctx->wait, &trusted)) != 0 ||
	    trusted)
		return rc;
	/* Every row to the end, rules and all: what grv-check would say. */
	memset(&vo, 0, sizeof(vo));
	vo.now = INT64_MAX;
	vo.nocache = 1;
	vo.held = held;
	rc = grv_state_load(&vs, ctx, &vo);
	grv_state_release(&vs);
	return rc;
}

void
grv_state_release(struct grv_state *st)
{
	free(st->c);
	st->c = NULL;
	st->n = st->cap = 0;
}
