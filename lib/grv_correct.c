/* grv_correct.c: the citizen's personal data corrected, and the language
 * they are written to in: ledger/corrections.csv. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_chain.h"
#include "grv_complaint.h"
#include "grv_correct.h"
#include "grv_csv.h"
#include "grv_csvw.h"
#include "grv_fold.h"
#include "grv_hix.h"
#include "grv_hwm.h"
#include "grv_layout.h"
#include "grv_ledger.h"
#include "grv_map.h"
#include "grv_msg.h"
#include "grv_phone.h"
#include "grv_rules.h"

#define REL	"ledger/corrections.csv"

const char *const grv_xfield_names[GRV_XF_COUNT + 1] = { "name", "phone",
	"lang", NULL };

int
grv_xlang_parse(const char *s, size_t len)
{
	int i;

	for (i = 0; i < GRV_LANG_COUNT; i++)
		if (strlen(grv_lang_names[i]) == len &&
		    memcmp(grv_lang_names[i], s, len) == 0)
			return i;
	return -1;
}

static int
field_parse(const char *s)
{
	int i;

	for (i = 0; i < GRV_XF_COUNT; i++)
		if (strcmp(grv_xfield_names[i], s) == 0)
			return i;
	return -1;
}

int
grv_corr_value(int field, const char *value, size_t len, char **out,
    const char **why)
{
	static const char *const text_why[] = { "", "not valid UTF-8",
		"holds a control character", "longer than 4000 bytes",
		"empty" };
	char phone[GRV_PHONE_SIZE];
	int k;

	*out = NULL;
	switch (field) {
	case GRV_XF_NAME:
		if ((k = grv_rule_freetext(value, len, 1)) != GRV_TEXT_OK) {
			*why = text_why[k];
			return -1;
		}
		*out = grv_strndup(value, len);
		return 0;
	case GRV_XF_PHONE:
		if (memchr(value, '\0', len) != NULL ||
		    (k = grv_phone_norm(value, phone)) != 0) {
			*why = grv_phone_why(memchr(value, '\0', len) ?
			    GRV_PHONE_BAD : k);
			return -1;
		}
		*out = grv_strdup(phone);
		return 0;
	case GRV_XF_LANG:
		if (grv_xlang_parse(value, len) == -1) {
			*why = "expected 'hi' or 'en'";
			return -1;
		}
		*out = grv_strndup(value, len);
		return 0;
	}
	*why = "unknown field";
	return -1;
}

int
grv_corr_check_row(const struct grv_ctx *ctx, uint32_t nmax,
    const char *const *f, const size_t *flen, size_t nf, struct grv_xrow *x,
    struct grv_buf *why)
{
	char *v;
	const char *w;
	int k;

	memset(x, 0, sizeof(*x));
	if (nf != GRV_X_NCOLS) {
		grv_buf_printf(why, "%zu fields, expected %d", nf, GRV_X_NCOLS);
		return -1;
	}
	if (grv_time_parse_ts(f[GRV_X_TS], flen[GRV_X_TS], &x->ts) == -1) {
		grv_buf_printf(why, "bad ts '%.40s'", f[GRV_X_TS]);
		return -1;
	}
	if (grv_id_parse(ctx->conf.node, f[GRV_X_ID], flen[GRV_X_ID],
	    &x->n) == -1) {
		grv_buf_printf(why, "bad id '%.40s' (expected '%s-N')",
		    f[GRV_X_ID], ctx->conf.node);
		return -1;
	}
	if (nmax != UINT32_MAX && x->n > nmax) {
		grv_buf_printf(why, "id '%s' names no registered complaint",
		    f[GRV_X_ID]);
		return -1;
	}
	if ((x->field = field_parse(f[GRV_X_FIELD])) == -1) {
		grv_buf_printf(why, "unknown field '%.40s' (expected name, "
		    "phone or lang)", f[GRV_X_FIELD]);
		return -1;
	}
	if ((k = grv_rule_text(f[GRV_X_ACTOR], flen[GRV_X_ACTOR],
	    GRV_ACTOR_MAX, GRV_TEXT_STORED)) != GRV_TEXT_OK ||
	    flen[GRV_X_ACTOR] == 0) {
		grv_buf_printf(why, "field 'actor' %s", flen[GRV_X_ACTOR] ?
		    grv_text_faults[k] : "empty");
		return -1;
	}
	if ((k = grv_rule_text(f[GRV_X_REASON], flen[GRV_X_REASON],
	    GRV_TEXT_MAX, GRV_TEXT_STORED | GRV_TEXT_FREE)) != GRV_TEXT_OK ||
	    flen[GRV_X_REASON] == 0) {
		grv_buf_printf(why, "field 'reason' %s", flen[GRV_X_REASON] ?
		    grv_text_faults[k] : "empty");
		return -1;
	}
	x->value = grv_csv_unescape(f[GRV_X_VALUE]);
	if (grv_corr_value(x->field, x->value, strlen(x->value), &v, &w) == -1 ||
	    strcmp(v, x->value) != 0) {
		if (v == NULL)
			grv_buf_printf(why, "%s '%.40s': %s",
			    grv_xfield_names[x->field], f[GRV_X_VALUE], w);
		else
			grv_buf_printf(why, "%s '%.40s' not as stored (expected "
			    "'%s')", grv_xfield_names[x->field],
			    f[GRV_X_VALUE], v);
		free(v);
		free(x->value);
		x->value = NULL;
		return -1;
	}
	free(v);
	x->actor = grv_csv_unescape(f[GRV_X_ACTOR]);
	x->reason = grv_csv_unescape(f[GRV_X_REASON]);
	return 0;
}

void
grv_xrow_release(struct grv_xrow *x)
{
	free(x->value);
	free(x->actor);
	free(x->reason);
	memset(x, 0, sizeof(*x));
}

/* Shared lock, high-water mark, an append cut short: 0 or an exit code. */
static int
open_held(const struct grv_ctx *ctx, int *fdp, int *trusted)
{
	struct grv_buf path = GRV_BUF_INIT, why = GRV_BUF_INIT;
	struct stat sb;
	uint64_t size, len;
	int fd, rc = 0;

	*fdp = -1;
	grv_buf_printf(&path, "%s/%s", ctx->dir, REL);
	fd = open(path.s, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 && errno != ENOENT) {
		grv_err("%s: %s", REL, strerror(errno));
		rc = GRV_EX_IOERR;
		goto out;
	}
	if (fd != -1 && (rc = grv_ledger_flock(fd, LOCK_SH, ctx->wait, REL,
	    "a writer")) != 0)
		goto out;
	if (fd != -1 && fstat(fd, &sb) == -1) {
		grv_err("%s: %s", REL, strerror(errno));
		rc = GRV_EX_IOERR;
		goto out;
	}
	switch (grv_hwm_vouch(ctx->dir, GRV_CORRECTIONS, fd != -1 ? &sb : NULL,
	    NULL, &why)) {
	case GRV_HWM_DAMAGED:
		grv_err("%s", why.len ? why.s : REL ": damaged");
		rc = GRV_EX_DATAERR;
		goto out;
	case GRV_HWM_TRUSTED:
		*trusted = 1;
		break;
	}
	if (fd != -1 && grv_pending_state(ctx->dir, GRV_CORRECTIONS,
	    (uint64_t)sb.st_size, &size, &len) == GRV_PENDING_CUT) {
		grv_err("%s: an append was cut short at byte %ju; run "
		    "'grv-check --repair'", REL, (uintmax_t)size);
		rc = GRV_EX_DATAERR;
	}
out:
	if (rc && fd != -1) {
		close(fd);
		fd = -1;
	}
	*fdp = fd;
	grv_buf_release(&path);
	grv_buf_release(&why);
	return rc;
}

/* grv_csv_split's fields, copied out one after the other. */
struct split {
	struct grv_buf	 b;
	size_t		 off[GRV_X_NCOLS + 1], len[GRV_X_NCOLS + 1];
	size_t		 nf;
};

static void
split_field(void *bytes, size_t n, void *arg)
{
	struct split *sp = arg;

	if (sp->nf <= GRV_X_NCOLS) {
		sp->off[sp->nf] = sp->b.len;
		sp->len[sp->nf] = n;
	}
	sp->nf++;
	grv_buf_add(&sp->b, bytes, n);
	grv_buf_addc(&sp->b, '\0');
}

/* Keep X, a row that passed the rules, in C. */
static void
keep(const struct grv_ctx *ctx, struct grv_corr *c, struct grv_xrow *x)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->v = grv_reallocarray(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n] = *x;
	if (x->ts <= ctx->now)
		grv_imap_put(&c->latest, (uint64_t)x->n << 2 |
		    (unsigned)x->field, (int)c->n);
	c->n++;
}

/*
 * The rows of complaint ONLY in a file its high-water mark vouches for
 * (every row in it was checked when written, the chain ends where grv
 * left it): each line's id compared where it stands, after its ts, and
 * only those rows split and checked.  0, -1 when a line
 * needs the whole parse (quoted fields: libcsv decides), or an exit code.
 */
static int
load_one(const struct grv_ctx *ctx, int fd, uint32_t only,
    struct grv_corr *c)
{
	struct split sp;
	struct grv_buf why = GRV_BUF_INIT;
	struct grv_xrow x;
	struct stat sb;
	const char *f[GRV_X_NCOLS];
	char *map, *p, *q, *e, *nl, id[48];
	size_t idl, i;
	int rc = 0;

	if (fstat(fd, &sb) == -1 || sb.st_size == 0)
		return -1;
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return -1;
	grv_id_format(ctx->conf.node, only, id, sizeof(id));
	idl = strlen(id);
	id[idl++] = ',';
	memset(&sp, 0, sizeof(sp));
	e = map + sb.st_size;
	/* past the header */
	p = memchr(map, '\n', (size_t)sb.st_size);
	for (p = p ? p + 1 : e; p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		/* the ts has no comma, nor quotes: the id follows the first */
		if ((q = memchr(p, ',', (size_t)(nl - p))) == NULL ||
		    (size_t)(nl - q) <= idl || memcmp(q + 1, id, idl) != 0)
			continue;
		grv_buf_reset(&sp.b);
		sp.nf = 0;
		if (grv_csv_split(p, (size_t)(nl - p), &why, split_field,
		    &sp) == -1) {
			rc = -1;
			break;
		}
		for (i = 0; i < GRV_X_NCOLS && i < sp.nf; i++)
			f[i] = sp.b.s + sp.off[i];
		grv_buf_reset(&why);
		if (grv_corr_check_row(ctx, UINT32_MAX, f, sp.len, sp.nf, &x,
		    &why) == -1) {
			grv_err("%s: %s", REL, why.s);
			rc = GRV_EX_DATAERR;
			break;
		}
		keep(ctx, c, &x);
	}
	munmap(map, (size_t)sb.st_size);
	grv_buf_release(&sp.b);
	grv_buf_release(&why);
	return rc;
}

/* What a reader of some complaints keeps open (grv_corr_open): the
   ledger under its shared lock, its index, a reader for its rows, and
   the complaints whose rows are in. */
struct grv_corr_lazy {
	const struct grv_ctx	*ctx;
	uint32_t		 nmax;
	int			 fd;
	struct grv_hix		*hx;
	struct grv_csv_reader	*rd;
	struct grv_imap		 done;
	int			 rc;
};

struct byix {
	struct grv_corr_lazy	*lz;
	struct grv_corr		*c;
	uint32_t		 n;
	int			 rc;
};

/* One row the index names: read where it says, held to the crc it
   recorded, checked by the rules, kept. */
static int
byix_row(void *arg, const struct grv_hix_ent *e)
{
	struct byix *b = arg;
	struct grv_corr_lazy *lz = b->lz;
	struct grv_csv_row *row;
	struct grv_buf why = GRV_BUF_INIT;
	struct grv_xrow x;

	if (lz->rd == NULL && (lz->rd = grv_csv_open(lz->ctx->dir, REL,
	    GRV_CSV_LEDGER | GRV_CSV_POINT)) == NULL)
		return b->rc = -1;
	if (e->val < 0 || grv_csv_seek(lz->rd, (uint64_t)e->val, 1) == -1 ||
	    grv_csv_next(lz->rd, &row) != 1 || row->nf != GRV_X_NCOLS ||
	    grv_row_crc32(row) != e->crc)
		return b->rc = -1;	/* not what the index says */
	if (grv_corr_check_row(lz->ctx, lz->nmax ? lz->nmax : UINT32_MAX,
	    (const char *const *)row->f, row->flen, row->nf, &x, &why) == -1) {
		grv_err("%s: %s", REL, why.s);
		grv_buf_release(&why);
		return b->rc = GRV_EX_DATAERR;
	}
	grv_buf_release(&why);
	if (x.n != b->n) {
		grv_xrow_release(&x);
		return b->rc = -1;
	}
	keep(lz->ctx, b->c, &x);
	return 0;
}

/* Complaint N's rows into C through the index: 0, -1 when the index
   cannot say (the caller reads the file), or an exit code (said). */
static int
by_index(struct grv_corr_lazy *lz, uint32_t n, struct grv_corr *c)
{
	struct byix b = { lz, c, n, 0 };
	size_t before = c->n;

	if (grv_hix_find(lz->hx, n, byix_row, &b) == -1 && b.rc == 0)
		b.rc = -1;
	if (b.rc == -1)
		while (c->n > before)	/* none of it, then */
			grv_xrow_release(&c->v[--c->n]);
	return b.rc;
}

static void
lazy_free(struct grv_corr_lazy *lz)
{
	if (lz == NULL)
		return;
	grv_hix_close(lz->hx);
	if (lz->rd)
		grv_csv_close(lz->rd);
	if (lz->fd != -1)
		close(lz->fd);
	grv_imap_release(&lz->done);
	free(lz);
}

int
grv_corr_load(const struct grv_ctx *ctx, uint32_t nmax, int all,
    struct grv_corr *c)
{
	return grv_corr_load_one(ctx, nmax, all, 0, c);
}

int
grv_corr_load_one(const struct grv_ctx *ctx, uint32_t nmax, int all,
    uint32_t only, struct grv_corr *c)
{
	const char *hdr = grv_ledger_header(GRV_CORRECTIONS);
	struct grv_csv_reader *r = NULL;
	struct grv_csv_row *row;
	struct grv_buf why = GRV_BUF_INIT;
	struct grv_xrow x;
	grv_time_t last = GRV_TIME_NONE;
	char prev[9] = "";
	int fd, k, rc, trusted = 0;

	if ((rc = open_held(ctx, &fd, &trusted)) != 0 || fd == -1)
		return rc;
	if (only && trusted) {
		struct grv_corr_lazy lz;

		/* Its rows through cache/corr.bin; else a scan of the bytes. */
		memset(&lz, 0, sizeof(lz));
		lz.ctx = ctx;
		lz.nmax = nmax;
		lz.fd = -1;
		if ((lz.hx = grv_hix_open(ctx, GRV_HIX_CORR)) != NULL) {
			rc = by_index(&lz, only, c);
			grv_hix_close(lz.hx);
			if (lz.rd)
				grv_csv_close(lz.rd);
			if (rc != -1) {
				close(fd);
				return rc;
			}
		}
		if ((rc = load_one(ctx, fd, only, c)) != -1) {
			close(fd);
			return rc;
		}
		grv_corr_release(c);
		rc = 0;
	}
	if ((r = grv_csv_open(ctx->dir, REL, GRV_CSV_LEDGER)) == NULL) {
		close(fd);
		return GRV_EX_IOERR;
	}
	while ((k = grv_csv_next(r, &row)) == 1) {
		grv_buf_reset(&why);
		if (row->line == 1) {
			if (row->rawlen != strlen(hdr) ||
			    memcmp(row->raw, hdr, row->rawlen) != 0) {
				grv_err("%s:1: header is not '%s'", REL, hdr);
				rc = GRV_EX_DATAERR;
				break;		/* nothing else can be read */
			}
			continue;
		}
		/* The chain first: a row that breaks it is not ours. */
		if (grv_chain_verify(*prev ? prev : hdr, *prev ? 8 :
		    strlen(hdr), row->raw, row->rawlen) == -1)
			grv_buf_adds(&why, "crc does not follow from the row "
			    "before (the chain is broken)");
		else if (grv_corr_check_row(ctx, nmax ? nmax : UINT32_MAX,
		    (const char *const *)row->f, row->flen, row->nf, &x,
		    &why) == 0) {
			if (last != GRV_TIME_NONE && x.ts < last) {
				grv_buf_printf(&why, "ts '%s' earlier than the "
				    "row before", row->f[GRV_X_TS]);
				grv_xrow_release(&x);
			} else {
				last = x.ts;
				if (only == 0 || x.n == only)
					keep(ctx, c, &x);
				else
					grv_xrow_release(&x);
			}
		}
		if (row->rawlen >= 8)
			memcpy(prev, row->raw + row->rawlen - 8, 8);
		if (why.len) {
			grv_err("%s:%lu: %s", REL, row->line, why.s);
			rc = GRV_EX_DATAERR;
			if (!all)
				break;
		}
	}
	if (k == -1 && rc == 0)
		rc = grv_csv_ioerror(r) ? GRV_EX_IOERR : GRV_EX_DATAERR;
	if (grv_csv_close(r) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	close(fd);
	grv_buf_release(&why);
	return rc;
}

int
grv_corr_open(const struct grv_ctx *ctx, uint32_t nmax, struct grv_corr *c)
{
	struct grv_corr_lazy *lz;
	int fd, rc, trusted = 0;

	if ((rc = open_held(ctx, &fd, &trusted)) != 0 || fd == -1)
		return rc;
	lz = grv_calloc(1, sizeof(*lz));
	lz->ctx = ctx;
	lz->nmax = nmax;
	lz->fd = fd;
	if (trusted && (lz->hx = grv_hix_open(ctx, GRV_HIX_CORR)) != NULL) {
		c->lazy = lz;		/* the lock held until the release */
		return 0;
	}
	lazy_free(lz);
	return grv_corr_load(ctx, nmax, 0, c);
}

/* Complaint N's rows, the first time they are asked for. */
void
grv_corr_need(const struct grv_corr *cc, uint32_t n)
{
	/* The rows read are a memo of the file: C is const to its users. */
	struct grv_corr *c = (struct grv_corr *)(uintptr_t)cc;
	struct grv_corr_lazy *lz = c->lazy;
	int rc;

	if (lz == NULL || lz->rc || grv_imap_get(&lz->done, n) != -1)
		return;
	grv_imap_put(&lz->done, n, 1);
	if ((rc = by_index(lz, n, c)) == 0)
		return;
	if (rc > 0) {
		lz->rc = rc;
		return;
	}
	/* The index cannot say: the whole file, every row checked. */
	c->lazy = NULL;
	grv_corr_release(c);
	lz->rc = grv_corr_load(lz->ctx, lz->nmax, 0, c);
	c->lazy = lz;
	if (lz->rc == 0) {
		grv_hix_close(lz->hx);	/* all of it is in */
		lz->hx = NULL;
		lz->rc = -1;
	}
}

int
grv_corr_error(const struct grv_corr *c)
{
	return c->lazy && c->lazy->rc > 0 ? c->lazy->rc : 0;
}

void
grv_corr_settle(struct grv_corr *c)
{
	struct grv_corr_lazy *lz = c->lazy;

	if (lz == NULL)
		return;
	grv_hix_close(lz->hx);
	lz->hx = NULL;
	if (lz->rd)
		grv_csv_close(lz->rd);
	lz->rd = NULL;
	if (lz->fd != -1)
		close(lz->fd);
	lz->fd = -1;
	if (lz->rc == 0)
		lz->rc = -1;		/* nothing more is read */
}

void
grv_corr_release(struct grv_corr *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		grv_xrow_release(&c->v[i]);
	free(c->v);
	grv_imap_release(&c->latest);
	lazy_free(c->lazy);
	memset(c, 0, sizeof(*c));
}

const struct grv_xrow *
grv_corr_latest(const struct grv_corr *c, uint32_t n, int field)
{
	int i;

	grv_corr_need(c, n);
	if (c->n == 0 || (i = grv_imap_get(&c->latest, (uint64_t)n << 2 |
	    (unsigned)field)) == -1)
		return NULL;
	return &c->v[i];
}

int
grv_corr_lang(const struct grv_corr *c, uint32_t n)
{
	const struct grv_xrow *x = grv_corr_latest(c, n, GRV_XF_LANG);

	return x ? grv_xlang_parse(x->value, strlen(x->value)) : GRV_LANG_HI;
}

int
grv_corr_lock(const struct grv_ctx *ctx, struct grv_ledger *lg)
{
	grv_time_t last = GRV_TIME_NONE;
	int rc;

	if ((rc = grv_ledger_lock(lg, ctx->dir, GRV_CORRECTIONS,
	    ctx->wait)) != 0)
		return rc;
	if (lg->last && lg->lastlen >= 25)
		(void)grv_time_parse_ts(lg->last, 25, &last);
	return grv_ledger_clock(lg->rel, ctx->now, last, lg->last,
	    ctx->conf.tz);
}

void
grv_corr_add(const struct grv_ctx *ctx, struct grv_ledger *lg,
    const struct grv_xnew *x, size_t k)
{
	const char *f[GRV_X_NCOLS];
	char ts[GRV_TSLEN], id[48];
	size_t i;

	grv_time_format(ctx->now, ctx->conf.tz, ts);
	for (i = 0; i < k; i++) {
		grv_id_format(ctx->conf.node, x[i].n, id, sizeof(id));
		f[GRV_X_TS] = ts;
		f[GRV_X_ID] = id;
		f[GRV_X_FIELD] = grv_xfield_names[x[i].field];
		f[GRV_X_VALUE] = x[i].value;
		f[GRV_X_ACTOR] = ctx->actor;
		f[GRV_X_REASON] = x[i].reason;
		grv_ledger_add(lg, f);
	}
}

int
grv_corr_append(const struct grv_ctx *ctx, const struct grv_xnew *x,
    size_t k)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	int rc;

	if ((rc = grv_corr_lock(ctx, &lg)) == 0) {
		grv_corr_add(ctx, &lg, x, k);
		rc = grv_ledger_commit(&lg);
	}
	grv_ledger_release(&lg);
	return rc;
}
