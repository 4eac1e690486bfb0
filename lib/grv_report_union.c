/* grv_report_union.c: one grading over several data directories.
 *
 * Grading is a sum of per-complaint terms (n, sat, old, old_sat, forced,
 * unattended) per key, then a score, a group and a rank: the union of
 * several directories is the sum of each one's counts, scored and ranked
 * again.  Each directory is folded by grv_report_run as if alone; a key is
 * its code, so a department of the same code in two states is one row. */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_msg.h"
#include "grv_report_union.h"

/* The count columns, in the order of grv_report's graded tables. */
#define FIRST_COUNT	4	/* n */
#define NCOUNTS		6	/* n .. unattended */

static size_t
find_row(const struct grv_table *t, const char *code)
{
	size_t n = grv_table_rows(t), r;

	for (r = 0; r < n; r++)
		if (strcmp(t->cells[r * t->ncols].s, code) == 0)
			return r;
	return n;
}

void
grv_union_add(struct grv_table *acc, const struct grv_table *t)
{
	size_t n = grv_table_rows(t), r, k, at;
	const struct grv_cell *row;

	if (acc->cols == NULL) {
		/* t->cols has no NULL at its end, which grv_table_init
		   wants. */
		char **cols = grv_calloc(t->ncols + 1, sizeof(*cols));

		for (k = 0; k < t->ncols; k++)
			cols[k] = t->cols[k];
		grv_table_init(acc, (const char *const *)cols);
		free(cols);
	}
	for (r = 0; r < n; r++) {
		row = &t->cells[r * t->ncols];
		at = find_row(acc, row[0].s);
		if (at == grv_table_rows(acc)) {
			for (k = 0; k < t->ncols; k++)
				if (row[k].type == GRV_CELL_STR)
					grv_table_str(acc, row[k].s);
				else if (row[k].type == GRV_CELL_NULL)
					grv_table_null(acc);
				else if (k >= FIRST_COUNT && k < FIRST_COUNT +
				    NCOUNTS)
					grv_table_int(acc, row[k].v);
				else
					grv_table_int(acc, 0);
			continue;
		}
		for (k = FIRST_COUNT; k < FIRST_COUNT + NCOUNTS; k++)
			acc->cells[at * acc->ncols + k].v += row[k].v;
	}
}

struct ranked {
	size_t		 row;
	int64_t		 score, n;
	int		 group, rank, rank_state;
	const char	*code;
};

static int
cmp_group(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->code, y->code);
}

static int
cmp_state(const void *a, const void *b)
{
	const struct ranked *x = *(const struct ranked *const *)a;
	const struct ranked *y = *(const struct ranked *const *)b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->code, y->code);
}

void
grv_union_grade(const struct grv_grading *g, const struct grv_table *acc,
    const char *only, struct grv_table *out)
{
	size_t n = grv_table_rows(acc), i, k;
	struct ranked *v = grv_calloc(n ? n : 1, sizeof(*v));
	struct ranked **p = grv_calloc(n ? n : 1, sizeof(*p));
	const struct grv_cell *row;
	struct grv_gcount c;
	int state = acc->ncols > 12, r = 0;
	char **cols = grv_calloc(acc->ncols + 1, sizeof(*cols));

	for (i = 0; i < n; i++) {
		row = &acc->cells[i * acc->ncols];
		c.n = row[4].v;
		c.sat = row[5].v;
		c.old = row[6].v;
		c.old_sat = row[7].v;
		c.forced = row[8].v;
		c.unattended = row[9].v;
		v[i].row = i;
		v[i].n = c.n;
		v[i].code = row[0].s;
		v[i].score = grv_grading_score(g, &c);
		v[i].group = grv_grading_group(g, c.n);
	}
	qsort(v, n, sizeof(*v), cmp_group);
	for (i = 0; i < n; i++) {
		r = i > 0 && v[i].group == v[i - 1].group ? r + 1 : 1;
		v[i].rank = r;
		p[i] = &v[i];
	}
	qsort(p, n, sizeof(*p), cmp_state);
	for (i = 0; i < n; i++)
		p[i]->rank_state = (int)i + 1;
	for (k = 0; k < acc->ncols; k++)
		cols[k] = acc->cols[k];
	grv_table_init(out, (const char *const *)cols);
	for (i = 0; i < n; i++) {
		if (only && strcmp(v[i].code, only) != 0)
			continue;
		row = &acc->cells[v[i].row * acc->ncols];
		grv_table_str(out, row[0].s);
		grv_table_str(out, row[1].type == GRV_CELL_STR ? row[1].s :
		    NULL);
		grv_table_int(out, v[i].group);
		grv_table_int(out, v[i].rank);
		for (k = FIRST_COUNT; k < FIRST_COUNT + NCOUNTS; k++)
			grv_table_int(out, row[k].v);
		grv_table_fix2(out, v[i].score);
		grv_table_str(out, grv_grading_grade(g, v[i].score));
		if (state)
			grv_table_int(out, v[i].rank_state);
	}
	free(cols);
	free(p);
	free(v);
}

int
grv_union_run(const struct grv_ctx *const *ctx, size_t nctx,
    const struct grv_grading *g, const struct grv_report_opts *o,
    const char *dept, const char *district, struct grv_table *out)
{
	struct grv_table acc = GRV_TABLE_INIT, t = GRV_TABLE_INIT;
	struct grv_report_opts oi;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < nctx && rc == 0; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(ctx[i]->conf.node, ctx[j]->conf.node) == 0) {
				grv_err("%s and %s: both have node '%s' (one "
				    "directory twice?): their complaints "
				    "cannot be told apart", ctx[j]->dir,
				    ctx[i]->dir, ctx[i]->conf.node);
				rc = GRV_EX_DATAERR;
				goto out;
			}
		oi = *o;
		oi.dept = oi.district = -1;
		oi.dept_gone = NULL;
		/* The complaint filters in each directory's own masters;
		   the row filter (--dept for grading, --district for
		   districts) once the union is ranked. */
		if (dept && o->kind != GRV_REP_GRADING && (oi.dept =
		    grv_find_or_suggest_in(&ctx[i]->m, &ctx[i]->m.dept_ix, "department",
		    dept)) == -1)
			rc = GRV_EX_DATAERR;
		if (district && o->kind != GRV_REP_DISTRICTS && (oi.district =
		    grv_find_or_suggest_in(&ctx[i]->m, &ctx[i]->m.loc_ix, "district",
		    district)) == -1)
			rc = GRV_EX_DATAERR;
		if (rc == 0 && (rc = grv_report_run(ctx[i], g, &oi, &t)) == 0)
			grv_union_add(&acc, &t);
		grv_table_release(&t);
	}
	if (rc == 0)
		grv_union_grade(g, &acc, o->kind == GRV_REP_GRADING ? dept :
		    district, out);
out:
	grv_table_release(&acc);
	return rc;
}
