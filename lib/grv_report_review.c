/* grv_report_review.c: a district's review pack (grv-report review).
 *
 * The monthly review goes through one district: where it stands in the
 * state, its departments' grading, what is pending and for how long (the
 * complaints over 100 and over 300 days by id), which L1 officers dispose
 * of most and least, which categories were transferred (a mapping to fix),
 * forced closures and holds.  Every part but the list of old complaints
 * and the closures is a grv_report_run of another kind limited to the
 * district, so the pack's figures are the reports' figures; names carry
 * their Hindi form beside the English one.
 *
 * Parts:
 *   district   the district's row of `districts` (ranked among all), and
 *              how many districts were ranked
 *   grading    `grading --district D`
 *   pending    `pending --district D`
 *   old        complaints open at the end of the period, registered more
 *              than 100 days before it: id, dept, officer, level, age,
 *              oldest first; no personal data
 *   best, worst  the L1 officers of `officers --district D` with a
 *              disposal: the highest (the top half, at most
 *              GRV_REVIEW_OFFICERS) and the lowest of the others (at most
 *              as many, lowest first); ties by code
 *   transfers  `mapping --district D`, the categories transferred at
 *              least once
 *   closures   per department: closed forced in the period, on hold at
 *              its end, and of those held longer than hold_days
 *   verification  `verification --by dept --district D`: the callbacks'
 *              confirmed share of the satisfied closures beside the
 *              satisfaction the grading saw
 */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_report_review.h"
#include "grv_state.h"

const char *const grv_review_names[GRV_RV_COUNT] = { "district", "grading",
	"pending", "old", "best", "worst", "transfers", "closures",
	"verification" };
const char *const grv_review_titles[GRV_RV_COUNT] = {
	"Where the district stands", "Department grading",
	"Pending by age (days since registration)",
	"Pending over 100 days", "L1 officers: best disposal",
	"L1 officers: lowest disposal", "Transfers by category",
	"Forced closures and holds", "Callback verification" };
const char *const grv_review_titles_hi[GRV_RV_COUNT] = {
	"राज्य में जिले का स्थान", "विभागों की ग्रेडिंग",
	"लंबित शिकायतें आयु अनुसार", "100 दिन से अधिक लंबित",
	"एल1 अधिकारी: सर्वाधिक निराकरण", "एल1 अधिकारी: न्यूनतम निराकरण",
	"श्रेणीवार स्थानांतरण", "विशेष निराकरण और होल्ड",
	"कॉलबैक द्वारा सत्यापन" };

#define OLD_DAYS	100

/* Column I of table T named NAME, or -1. */
static int
col(const struct grv_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return (int)i;
	return -1;
}

static void
copy_cell(struct grv_table *t, const struct grv_cell *c)
{
	if (c->type == GRV_CELL_STR)
		grv_table_str(t, c->s);
	else if (c->type == GRV_CELL_INT)
		grv_table_int(t, c->v);
	else if (c->type == GRV_CELL_FIX2)
		grv_table_fix2(t, c->v);
	else
		grv_table_null(t);
}

enum { HI_NONE, HI_DEPT, HI_LOC, HI_CAT };

/* The Hindi name of the master row whose code is CODE, or NULL. */
static const char *
hindi(const struct grv_masters *m, int kind, const char *code)
{
	int i;

	if (kind == HI_DEPT && (i = grv_dept_find(m, code)) >= 0)
		return m->depts[i].name_hi;
	if (kind == HI_LOC && (i = grv_loc_find(m, code)) >= 0)
		return m->locs[i].name_hi;
	if (kind == HI_CAT && (i = grv_cat_find(m, code)) >= 0)
		return m->cats[i].name_hi;
	return NULL;
}

/*
 * Into OUT, the columns COLS of SRC's rows ROWS (NROWS of them), in that
 * order; a column "name_hi" is the Hindi name of the row's first cell, a
 * master code of kind HI.
 */
static void
pick(const struct grv_masters *m, const struct grv_table *src,
    const size_t *rows, size_t nrows, const char *const *cols, int hi,
    struct grv_table *out)
{
	int ix[32];
	size_t nc = 0, r, c;
	const struct grv_cell *row;
	const char *s;

	grv_table_init(out, cols);
	for (nc = 0; cols[nc]; nc++)
		ix[nc] = col(src, cols[nc]);
	for (r = 0; r < nrows; r++) {
		row = &src->cells[rows[r] * src->ncols];
		for (c = 0; c < nc; c++)
			if (ix[c] >= 0)
				copy_cell(out, &row[ix[c]]);
			else {
				s = row[0].type == GRV_CELL_STR ?
				    hindi(m, hi, row[0].s) : NULL;
				grv_table_str(out, s && *s ? s : NULL);
			}
	}
}

/* Every row of SRC. */
static void
pick_all(const struct grv_masters *m, const struct grv_table *src,
    const char *const *cols, int hi, struct grv_table *out)
{
	size_t n = grv_table_rows(src), i;
	size_t *rows = grv_calloc(n ? n : 1, sizeof(*rows));

	for (i = 0; i < n; i++)
		rows[i] = i;
	pick(m, src, rows, n, cols, hi, out);
	free(rows);
}

static int
sub(const struct grv_ctx *ctx, const struct grv_grading *g,
    const struct grv_report_opts *o, int kind, int district,
    struct grv_table *t)
{
	struct grv_report_opts so = *o;

	so.kind = kind;
	so.district = district;
	so.hindi = 0;
	return grv_report_run(ctx, g, &so, t);
}

/* The district's row of `districts` over every district, with how many
   were ranked ("rank 3 of 12"). */
static void
district_part(const struct grv_masters *m, int d, const struct grv_table *all,
    struct grv_table *out)
{
	static const char *const cols[] = { "district", "name", "name_hi",
	    "group", "rank", "rank_state", "districts", "n", "sat", "forced",
	    "unattended", "score", "grade", NULL };
	size_t n = grv_table_rows(all), i, k;
	const struct grv_cell *row;

	grv_table_init(out, cols);
	for (i = 0; i < n; i++) {
		row = &all->cells[i * all->ncols];
		if (strcmp(row[0].s, m->locs[d].code) != 0)
			continue;
		for (k = 0; cols[k]; k++)
			if (strcmp(cols[k], "name_hi") == 0)
				grv_table_str(out, *m->locs[d].name_hi ?
				    m->locs[d].name_hi : NULL);
			else if (strcmp(cols[k], "districts") == 0)
				grv_table_int(out, (int64_t)n);
			else
				copy_cell(out, &row[col(all, cols[k])]);
	}
}

/* Officers with a disposal, by it (highest first), ties by code. */
static const struct grv_table *sort_t;
static int sort_disp, sort_code;

static int
cmp_disposal(const void *a, const void *b)
{
	const struct grv_cell *x = &sort_t->cells[*(const size_t *)a *
	    sort_t->ncols], *y = &sort_t->cells[*(const size_t *)b *
	    sort_t->ncols];

	if (x[sort_disp].v != y[sort_disp].v)
		return x[sort_disp].v > y[sort_disp].v ? -1 : 1;
	return strcmp(x[sort_code].s, y[sort_code].s);
}

static void
officer_parts(const struct grv_masters *m, const struct grv_table *off,
    struct grv_table *best, struct grv_table *worst)
{
	static const char *const cols[] = { "officer", "name", "dept", "loc",
	    "placed", "resolved", "escalated", "pending", "overdue",
	    "disposal", "score", "grade", NULL };
	size_t n = grv_table_rows(off), i, nv = 0, k;
	size_t *v = grv_calloc(n ? n : 1, sizeof(*v));
	size_t *w = grv_calloc(n ? n : 1, sizeof(*w));

	sort_t = off;
	sort_disp = col(off, "disposal");
	sort_code = col(off, "officer");
	for (i = 0; i < n; i++)
		if (off->cells[i * off->ncols + (size_t)sort_disp].type !=
		    GRV_CELL_NULL)
			v[nv++] = i;
	qsort(v, nv, sizeof(*v), cmp_disposal);
	/* The top half (up to GRV_REVIEW_OFFICERS) is "best", the rest of
	   the bottom "lowest", so that a small district shows both. */
	k = (nv + 1) / 2 < GRV_REVIEW_OFFICERS ? (nv + 1) / 2 :
	    GRV_REVIEW_OFFICERS;
	pick(m, off, v, k, cols, HI_NONE, best);
	/* The lowest, lowest first; an officer in the best list is not
	   repeated. */
	for (i = 0; i < nv - k && i < GRV_REVIEW_OFFICERS; i++)
		w[i] = v[nv - 1 - i];
	pick(m, off, w, i, cols, HI_NONE, worst);
	free(w);
	free(v);
}

struct oldc {
	uint32_t	 n;
	int64_t		 age;
};

static int
cmp_old(const void *a, const void *b)
{
	const struct oldc *x = a, *y = b;

	if (x->age != y->age)
		return x->age > y->age ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* The old complaints and the closures, from the state at the period's
   end. */
static int
state_parts(const struct grv_ctx *ctx, const struct grv_report_opts *o,
    struct grv_table *old, struct grv_table *clo)
{
	static const char *const ocols[] = { "id", "dept", "officer",
	    "level", "registered", "age_days", "over_300", NULL };
	static const char *const ccols[] = { "dept", "name", "name_hi",
	    "forced", "on_hold", "held_past_hold_days", NULL };
	const struct grv_masters *m = &ctx->m;
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts fo;
	grv_time_t upto = ctx->now < o->to - 1 ? ctx->now : o->to - 1;
	grv_time_t at = upto + 1;
	int64_t *f = NULL;
	struct oldc *v = NULL;
	const struct grv_cstate *cs;
	size_t nv = 0, i, d, nd;
	char id[64], day[11];
	uint32_t k;
	int rc = 0;

	grv_table_init(old, ocols);
	grv_table_init(clo, ccols);
	memset(&fo, 0, sizeof(fo));
	fo.now = upto;
	if (upto >= o->from && (rc = grv_state_load(&st, ctx, &fo)) != 0)
		goto out;
	/* Sized once the fold is done: it may keep departments the masters
	   no longer list (grv_dept_gone). */
	nd = GRV_NDEPTS_ALL(m);
	f = grv_calloc(nd * 3 + 1, sizeof(*f));
	v = grv_calloc(st.n ? st.n : 1, sizeof(*v));
	for (k = 0; k < st.n; k++) {
		cs = &st.c[k];
		if (cs->status == GRV_ST_NONE || cs->dept < 0 ||
		    !grv_loc_within(m, cs->loc, o->district))
			continue;
		if (cs->status == GRV_ST_CLOSED && cs->close_reason ==
		    GRV_R_FORCED && cs->closed >= o->from)
			f[cs->dept * 3]++;
		if (cs->status == GRV_ST_HOLD) {
			f[cs->dept * 3 + 1]++;
			f[cs->dept * 3 + 2] += at - cs->held >
			    (grv_time_t)ctx->conf.hold_days * 86400;
		}
		if (cs->status == GRV_ST_OPEN && (at - cs->registered) / 86400
		    > OLD_DAYS) {
			v[nv].n = k + 1;
			v[nv++].age = (at - cs->registered) / 86400;
		}
	}
	qsort(v, nv, sizeof(*v), cmp_old);
	for (i = 0; i < nv; i++) {
		cs = &st.c[v[i].n - 1];
		grv_id_format(ctx->conf.node, v[i].n, id, sizeof(id));
		grv_table_str(old, id);
		grv_table_str(old, m->depts[cs->dept].code);
		grv_table_str(old, cs->officer >= 0 ?
		    m->officers[cs->officer].code : NULL);
		grv_table_int(old, cs->level);
		grv_date_format(cs->registered, ctx->conf.tz, day);
		grv_table_str(old, day);
		grv_table_int(old, v[i].age);
		grv_table_int(old, v[i].age > 300);
	}
	for (d = 0; d < nd; d++) {
		if ((f[d * 3] | f[d * 3 + 1]) == 0)
			continue;
		grv_table_str(clo, m->depts[d].code);
		grv_table_str(clo, m->depts[d].name);
		grv_table_str(clo, *m->depts[d].name_hi ? m->depts[d].name_hi :
		    NULL);
		grv_table_int(clo, f[d * 3]);
		grv_table_int(clo, f[d * 3 + 1]);
		grv_table_int(clo, f[d * 3 + 2]);
	}
out:
	grv_state_release(&st);
	free(v);
	free(f);
	return rc;
}

/* `verification --by dept` for the district, name_hi after name. */
static int
verification_part(const struct grv_ctx *ctx, const struct grv_report_opts *o,
    struct grv_table *out)
{
	static const char *const vcols[] = { "dept", "name", "name_hi",
	    "closed", "closed_sat", "called", "confirmed", "disputed",
	    "unreachable", "confirmed_pct", "ci_low", "ci_high",
	    "reported_pct", "verified_pct", NULL };
	struct grv_report_opts so = *o;
	struct grv_table t = GRV_TABLE_INIT;
	int rc;

	so.kind = GRV_REP_VERIFICATION;
	so.by = GRV_BY_DEPT;
	so.hindi = 0;
	if ((rc = grv_report_verification(ctx, &so, &t)) == 0)
		pick_all(&ctx->m, &t, vcols, HI_DEPT, out);
	grv_table_release(&t);
	return rc;
}

int
grv_review_run(const struct grv_ctx *ctx, const struct grv_grading *g,
    const struct grv_report_opts *o, struct grv_review *rv)
{
	static const char *const gcols[] = { "dept", "name", "name_hi",
	    "group", "rank", "n", "sat", "old", "old_sat", "forced",
	    "unattended", "score", "grade", NULL };
	static const char *const tcols[] = { "category", "name", "name_hi",
	    "dept", "complaints", "transfers", "transferred", "share",
	    "moved_to", "moved_to_n", NULL };
	const struct grv_masters *m = &ctx->m;
	struct grv_table t = GRV_TABLE_INIT;
	const char *pcols[24];
	size_t i, n, nt = 0, *rows;
	int rc, d = o->district;

	memset(rv, 0, sizeof(*rv));
	rv->district = d;
	if ((rc = sub(ctx, g, o, GRV_REP_DISTRICTS, -1, &t)) != 0)
		return rc;
	district_part(m, d, &t, &rv->part[GRV_RV_DISTRICT]);
	grv_table_release(&t);
	if ((rc = sub(ctx, g, o, GRV_REP_GRADING, d, &t)) != 0)
		return rc;
	pick_all(m, &t, gcols, HI_DEPT, &rv->part[GRV_RV_GRADING]);
	grv_table_release(&t);
	if ((rc = sub(ctx, g, o, GRV_REP_PENDING, d, &t)) != 0)
		return rc;
	/* pending's columns, its level columns included, name_hi after
	   name */
	for (i = 0, n = 0; i < t.ncols && n < 22; i++) {
		pcols[n++] = t.cols[i];
		if (strcmp(t.cols[i], "name") == 0)
			pcols[n++] = "name_hi";
	}
	pcols[n] = NULL;
	pick_all(m, &t, pcols, HI_DEPT, &rv->part[GRV_RV_PENDING]);
	grv_table_release(&t);
	if ((rc = sub(ctx, g, o, GRV_REP_OFFICERS, d, &t)) != 0)
		return rc;
	officer_parts(m, &t, &rv->part[GRV_RV_BEST], &rv->part[GRV_RV_WORST]);
	grv_table_release(&t);
	if ((rc = sub(ctx, g, o, GRV_REP_MAPPING, d, &t)) != 0)
		return rc;
	n = grv_table_rows(&t);
	rows = grv_calloc(n ? n : 1, sizeof(*rows));
	for (i = 0; i < n; i++)
		if (t.cells[i * t.ncols + (size_t)col(&t, "transfers")].v > 0)
			rows[nt++] = i;
	pick(m, &t, rows, nt, tcols, HI_CAT, &rv->part[GRV_RV_TRANSFERS]);
	free(rows);
	grv_table_release(&t);
	if ((rc = verification_part(ctx, o, &rv->part[GRV_RV_VERIFICATION]))
	    != 0)
		return rc;
	return state_parts(ctx, o, &rv->part[GRV_RV_OLD],
	    &rv->part[GRV_RV_CLOSURES]);
}

void
grv_review_release(struct grv_review *rv)
{
	int i;

	for (i = 0; i < GRV_RV_COUNT; i++)
		grv_table_release(&rv->part[i]);
}

void
grv_review_write(const struct grv_report_head *h, const struct grv_review *rv,
    int fmt, unsigned flags, struct grv_buf *out)
{
	size_t start;
	int i, titled = 0;

	if (fmt == GRV_FMT_JSON) {
		/* The head object, "rows" replaced by "parts". */
		start = out->len;
		grv_report_write(h, &rv->part[0], fmt, 0, out);
		out->len = start + (size_t)(strstr(out->s + start, "\"rows\":") -
		    (out->s + start));
		out->s[out->len] = '\0';
		grv_buf_adds(out, "\"parts\":{");
		for (i = 0; i < GRV_RV_COUNT; i++) {
			grv_buf_printf(out, "%s\"%s\":", i ? ",\n" : "\n",
			    grv_review_names[i]);
			grv_table_write(&rv->part[i], fmt, 0, out);
			if (out->s[out->len - 1] == '\n')
				out->s[--out->len] = '\0';
		}
		grv_buf_adds(out, "\n}}\n");
		return;
	}
	if ((flags & GRV_FMT_BOM) && fmt != GRV_FMT_TABLE)
		grv_buf_adds(out, "\xef\xbb\xbf");
	if (fmt == GRV_FMT_TABLE || (flags & GRV_FMT_COMMENT)) {
		if (fmt != GRV_FMT_TABLE)
			grv_buf_adds(out, "# ");
		grv_report_title(h, out);
		grv_buf_addc(out, '\n');
		titled = 1;
	}
	for (i = 0; i < GRV_RV_COUNT; i++) {
		grv_buf_printf(out, "%s%s%s\n", i || titled ? "\n" : "", fmt == GRV_FMT_TABLE ? "" :
		    "# ", fmt == GRV_FMT_TABLE ? grv_review_titles[i] :
		    grv_review_names[i]);
		grv_table_write(&rv->part[i], fmt, 0, out);
	}
}
