/* grv_limit.c: the per-phone limits of intake (SPEC 7.3) and the
 * repeat-caller warning: both look at the earlier complaints of each new
 * complaint's phone as registered, found through cache/phone.bin
 * (grv_hix.h), or, without it, by reading the ledger. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_complaint.h"
#include "grv_csv.h"
#include "grv_fold.h"
#include "grv_hix.h"
#include "grv_layout.h"
#include "grv_limit.h"
#include "grv_map.h"
#include "grv_msg.h"
#include "grv_phone.h"
#include "grv_state.h"

/* One complaint from a watched phone: its day, month and id (0: an
   earlier row of the batch, not numbered yet). */
struct seen {
	int64_t		 day, month;
	uint32_t	 id;
};

struct grv_phones {
	struct grv_map	 ix;		/* phone -> list */
	struct {
		struct seen	*v;
		size_t		 n, cap;
		size_t		 nledger;	/* the first, from the ledger */
	}		*list;
	size_t		 nlist;
};
#define watch grv_phones

static void
note(struct watch *w, int i, int64_t day, int64_t month, uint32_t id)
{
	if (w->list[i].n == w->list[i].cap) {
		w->list[i].cap = w->list[i].cap ? w->list[i].cap * 2 : 8;
		w->list[i].v = grv_reallocarray(w->list[i].v, w->list[i].cap,
		    sizeof(struct seen));
	}
	w->list[i].v[w->list[i].n].day = day;
	w->list[i].v[w->list[i].n].month = month;
	w->list[i].v[w->list[i].n++].id = id;
}

static void
when(const struct grv_ctx *ctx, grv_time_t t, int64_t *day, int64_t *month)
{
	int y, m, d;

	*day = grv_local_day(t, ctx->conf.tz);
	grv_civil_from_days(*day, &y, &m, &d);
	*month = (int64_t)y * 12 + m - 1;
}

/* Every row of one ledger file from a watched phone. */
static int
scan(const struct grv_ctx *ctx, struct watch *w, const char *rel)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	grv_time_t reg;
	int64_t day, month;
	uint32_t id;
	int k, i, rc = 0;

	if ((r = grv_csv_open(ctx->dir, rel, GRV_CSV_LEDGER)) == NULL)
		return errno == ENOENT ? 0 : GRV_EX_IOERR;
	while ((k = grv_csv_next(r, &row)) == 1) {
		if (row->line == 1 || row->nf != GRV_C_NCOLS ||
		    (i = grv_map_getn(&w->ix, row->f[GRV_C_PHONE],
		    row->flen[GRV_C_PHONE])) == -1 ||
		    grv_id_parse(ctx->conf.node, row->f[GRV_C_ID],
		    row->flen[GRV_C_ID], &id) == -1 ||
		    grv_time_parse_ts(row->f[GRV_C_REGISTERED],
		    row->flen[GRV_C_REGISTERED], &reg) == -1)
			continue;
		when(ctx, reg, &day, &month);
		note(w, i, day, month, id);
	}
	if (k == -1)
		rc = grv_csv_ioerror(r) ? GRV_EX_IOERR : GRV_EX_DATAERR;
	if (grv_csv_close(r) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	return rc;
}

/* Is item IT over a limit?  Say so, naming the earlier ones. */
static int
over(const struct grv_ctx *ctx, const struct watch *w, int i,
    const struct grv_intake_item *it, int64_t day, int64_t month)
{
	const struct grv_conf *c = &ctx->conf;
	struct grv_buf ids = GRV_BUF_INIT, at = GRV_BUF_INIT;
	char mask[GRV_PHONE_SIZE], id[48];
	size_t j, nday = 0, nmonth = 0, batch = 0;
	int by_day, y, m, d;

	for (j = 0; j < w->list[i].n; j++) {
		nmonth += w->list[i].v[j].month == month;
		nday += w->list[i].v[j].day == day;
	}
	by_day = c->max_per_phone_day && nday >= (size_t)c->max_per_phone_day;
	if (!by_day && !(c->max_per_phone_month &&
	    nmonth >= (size_t)c->max_per_phone_month))
		return 0;
	for (j = 0; j < w->list[i].n; j++) {
		if (by_day ? w->list[i].v[j].day != day :
		    w->list[i].v[j].month != month)
			continue;
		if (w->list[i].v[j].id == 0) {
			batch++;
			continue;
		}
		grv_id_format(c->node, w->list[i].v[j].id, id, sizeof(id));
		grv_buf_printf(&ids, " %s", id);
	}
	if (batch)
		grv_buf_printf(&ids, "%s %zu earlier in this batch",
		    ids.len ? " and" : "", batch);
	grv_phone_mask(it->phone, mask);
	if (*it->where)
		grv_buf_printf(&at, "%s: field 'phone'", it->where);
	else
		grv_buf_adds(&at, "--phone");
	grv_civil_from_days(day, &y, &m, &d);
	if (by_day)
		grv_err("%s: %s has %zu complaint%s on "
		    "%04d-%02d-%02d already (max_per_phone_day = %d):%s",
		    at.s, mask, nday, nday == 1 ? "" : "s", y, m, d,
		    c->max_per_phone_day, ids.s);
	else
		grv_err("%s: %s has %zu complaint%s in "
		    "%04d-%02d already (max_per_phone_month = %d):%s",
		    at.s, mask, nmonth, nmonth == 1 ? "" : "s", y, m,
		    c->max_per_phone_month, ids.s);
	grv_buf_release(&ids);
	grv_buf_release(&at);
	return 1;
}

/* An entry of the phone index: one earlier complaint of a phone. */
struct found {
	const struct grv_ctx	*ctx;
	struct watch		*w;
	int			 i;
};

static int
on_found(void *arg, const struct grv_hix_ent *e)
{
	struct found *f = arg;
	int64_t day, month;

	when(f->ctx, e->val, &day, &month);
	note(f->w, f->i, day, month, e->n);
	return 0;
}

int
grv_phones_gather(const struct grv_ctx *ctx, const struct grv_ledger *lg,
    struct grv_hix *hx, const struct grv_intake_batch *b,
    struct grv_phones **out)
{
	struct watch *w;
	struct grv_segments sg;
	const struct grv_intake_item *it;
	struct found f;
	unsigned char *looked;
	size_t i;
	int rc = 0;

	w = grv_calloc(1, sizeof(*w));
	*out = w;
	for (i = 0; i < b->n; i++) {
		it = &b->v[i];
		if (it->id || it->same || grv_map_get(&w->ix, it->phone) != -1)
			continue;
		w->list = grv_grow(w->list, w->nlist,
		    sizeof(*w->list));
		memset(&w->list[w->nlist], 0, sizeof(*w->list));
		grv_map_put(&w->ix, it->phone, (int)w->nlist++);
	}
	if (w->nlist == 0 || lg->fd == -1)
		return 0;		/* no phone, or no ledger yet */
	/* Through the index: what the phones touch, not the ledger. */
	f.ctx = ctx;
	f.w = w;
	looked = grv_calloc(w->nlist, 1);
	for (i = 0; hx && i < b->n; i++) {
		it = &b->v[i];
		if (it->id || it->same ||
		    (f.i = grv_map_get(&w->ix, it->phone)) == -1 ||
		    looked[f.i]++)
			continue;
		if (grv_hix_find(hx, grv_hix_phone_key(it->phone,
		    strlen(it->phone)), on_found, &f) == -1)
			break;		/* damaged past building: read */
	}
	free(looked);
	if (hx && i == b->n)
		goto done;
	for (i = 0; i < w->nlist; i++)
		w->list[i].n = 0;
	grv_ledger_segments(ctx->dir, grv_ledger_name(GRV_COMPLAINTS), &sg);
	for (i = 0; i < sg.n && rc == 0; i++)
		rc = scan(ctx, w, sg.rel[i]);
	grv_segments_release(&sg);
	if (rc == 0)
		rc = scan(ctx, w, lg->rel);
done:
	for (i = 0; i < w->nlist; i++)
		w->list[i].nledger = w->list[i].n;
	return rc;
}

int
grv_limit_check(const struct grv_ctx *ctx, struct grv_phones *w,
    struct grv_intake_batch *b, size_t *nrefused)
{
	struct grv_intake_item *it;
	int64_t day, month;
	size_t i;
	int j;

	*nrefused = 0;
	if (!ctx->conf.max_per_phone_day && !ctx->conf.max_per_phone_month)
		return 0;
	for (i = 0; i < b->n; i++) {
		it = &b->v[i];
		if (it->id || it->same)
			continue;
		j = grv_map_get(&w->ix, it->phone);
		when(ctx, it->registered == GRV_TIME_NONE ? ctx->now :
		    it->registered, &day, &month);
		if (over(ctx, w, j, it, day, month))
			(*nrefused)++;
		else
			note(w, j, day, month, 0);
	}
	return *nrefused ? GRV_EX_DATAERR : 0;
}

/* Is complaint N open (not closed) with category CAT at LOC? */
static int
same_open(const struct grv_state *st, uint32_t n, int cat, int loc)
{
	const struct grv_cstate *cs = grv_state_get(st, n);

	return cs && cs->status != GRV_ST_CLOSED && cs->category == cat &&
	    cs->loc == loc;
}

/* The ids a warning names at most; the rest are counted. */
#define REPEAT_NAMED	10

/* One more earlier complaint M for the warning being built. */
static void
name_id(const struct grv_ctx *ctx, struct grv_buf *ids, size_t *nids,
    uint32_t m)
{
	char id[48];

	if ((*nids)++ >= REPEAT_NAMED)
		return;
	grv_id_format(ctx->conf.node, m, id, sizeof(id));
	grv_buf_printf(ids, " %s", id);
}

int
grv_repeat_warn(const struct grv_ctx *ctx, const struct grv_phones *w,
    const struct grv_intake_batch *b, uint32_t first)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts o;
	struct grv_buf ids = GRV_BUF_INIT, key = GRV_BUF_INIT;
	struct grv_map same = GRV_MAP_INIT;	/* phone/cat/loc -> group */
	struct {
		uint32_t	 v[REPEAT_NAMED];
		size_t		 n;
	}		*grp = NULL;
	const struct grv_intake_item *it;
	char mask[GRV_PHONE_SIZE], nid[48];
	uint32_t n = first, m;
	size_t i, k, nids, ngrp = 0, any = 0;
	int j, g, rc;

	/* Nothing to look at unless a phone has a complaint in the ledger,
	   or two new ones of the batch share one. */
	for (i = 0; i < w->nlist; i++)
		any += w->list[i].nledger;
	for (i = 0, k = 0; i < b->n; i++)
		k += !b->v[i].id && !b->v[i].same;
	if (!any && k <= w->nlist)
		return 0;
	memset(&o, 0, sizeof(o));
	o.now = ctx->now;
	o.point = 1;
	if ((rc = grv_state_load(&st, ctx, &o)) != 0)
		return rc;
	for (i = 0; i < b->n; i++) {
		it = &b->v[i];
		if (it->id || it->same)
			continue;
		grv_buf_reset(&ids);
		nids = 0;
		j = grv_map_get(&w->ix, it->phone);
		for (k = 0; j != -1 && k < w->list[j].nledger; k++) {
			m = w->list[j].v[k].id;
			if (m && m < n && same_open(&st, m, it->cat, it->loc))
				name_id(ctx, &ids, &nids, m);
		}
		/* The batch's earlier new complaints of the same phone,
		   category and place: new, so open, where they were put. */
		grv_buf_reset(&key);
		grv_buf_printf(&key, "%s/%d/%d", it->phone, it->cat, it->loc);
		if ((g = grv_map_get(&same, key.s)) == -1) {
			grp = grv_grow(grp, ngrp, sizeof(*grp));
			grp[ngrp].n = 0;
			grv_map_put(&same, key.s, g = (int)ngrp++);
		}
		for (k = 0; k < grp[g].n && k < REPEAT_NAMED; k++)
			if (same_open(&st, grp[g].v[k], it->cat, it->loc))
				name_id(ctx, &ids, &nids, grp[g].v[k]);
		if (grp[g].n > REPEAT_NAMED)
			nids += grp[g].n - REPEAT_NAMED;
		if (grp[g].n < REPEAT_NAMED)
			grp[g].v[grp[g].n] = n;
		grp[g].n++;
		if (nids > REPEAT_NAMED)
			grv_buf_printf(&ids, " and %zu more", nids - REPEAT_NAMED);
		if (nids) {
			grv_phone_mask(it->phone, mask);
			grv_id_format(ctx->conf.node, n, nid, sizeof(nid));
			grv_err("%s%s: %s already has %zu open complaint%s in "
			    "%s at %s:%s (%s registered all the same)",
			    it->where && *it->where ? it->where : "--phone",
			    it->where && *it->where ? ": field 'phone'" : "",
			    mask, nids, nids == 1 ? "" : "s",
			    ctx->m.cats[it->cat].code,
			    ctx->m.locs[it->loc].code, ids.s, nid);
		}
		n++;
	}
	free(grp);
	grv_map_release(&same);
	grv_buf_release(&key);
	grv_buf_release(&ids);
	grv_state_release(&st);
	return 0;
}

void
grv_phones_free(struct grv_phones *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nlist; i++)
		free(w->list[i].v);
	free(w->list);
	grv_map_release(&w->ix);
	free(w);
}
