/* grv_limit.c: the per-phone limits of intake (SPEC 7.3). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_complaint.h"
#include "grv_csv.h"
#include "grv_layout.h"
#include "grv_limit.h"
#include "grv_map.h"
#include "grv_msg.h"
#include "grv_phone.h"

/* One complaint from a watched phone: its day, month and id (0: an
   earlier row of the batch, not numbered yet). */
struct seen {
	int64_t		 day, month;
	uint32_t	 id;
};

struct watch {
	struct grv_map	 ix;		/* phone -> list */
	struct {
		struct seen	*v;
		size_t		 n, cap;
	}		*list;
	size_t		 nlist;
};

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

int
grv_limit_check(const struct grv_ctx *ctx, const struct grv_ledger *lg,
    struct grv_intake_batch *b, size_t *nrefused)
{
	struct watch w;
	struct grv_segments sg;
	struct grv_intake_item *it;
	int64_t day, month;
	size_t i;
	int j, rc = 0;

	*nrefused = 0;
	if (!ctx->conf.max_per_phone_day && !ctx->conf.max_per_phone_month)
		return 0;
	memset(&w, 0, sizeof(w));
	for (i = 0; i < b->n; i++) {
		it = &b->v[i];
		if (it->id || it->same || grv_map_get(&w.ix, it->phone) != -1)
			continue;
		w.list = grv_grow(w.list, w.nlist,
		    sizeof(*w.list));
		memset(&w.list[w.nlist], 0, sizeof(*w.list));
		grv_map_put(&w.ix, it->phone, (int)w.nlist++);
	}
	if (w.nlist && lg->fd != -1) {
		grv_ledger_segments(ctx->dir, grv_ledger_name(GRV_COMPLAINTS),
		    &sg);
		for (i = 0; i < sg.n && rc == 0; i++)
			rc = scan(ctx, &w, sg.rel[i]);
		grv_segments_release(&sg);
		if (rc == 0)
			rc = scan(ctx, &w, lg->rel);
	}
	for (i = 0; i < b->n && rc == 0; i++) {
		it = &b->v[i];
		if (it->id || it->same)
			continue;
		j = grv_map_get(&w.ix, it->phone);
		when(ctx, it->registered == GRV_TIME_NONE ? ctx->now :
		    it->registered, &day, &month);
		if (over(ctx, &w, j, it, day, month))
			(*nrefused)++;
		else
			note(&w, j, day, month, 0);
	}
	for (i = 0; i < w.nlist; i++)
		free(w.list[i].v);
	free(w.list);
	grv_map_release(&w.ix);
	if (rc == 0 && *nrefused)
		rc = GRV_EX_DATAERR;
	return rc;
}
