/* grv_report_callbacks.c: grv-report callbacks, the complaints closed
 * satisfied in the period to call back (issue: grades people can believe).
 *
 * The figures, and the rule of the draw:
 *   candidates  complaints closed satisfied in [from, to) (grv_report_calls.h:
 *               the department holding it at its closure, --dept and
 *               --district applied), still closed satisfied at --now and
 *               not yet called back about that closure
 *   c_d         the candidates of department d; C their sum; D the
 *               departments with any
 *   a_d         how many of d's are drawn for --sample N:
 *               N >= C: all of them;
 *               N < D: one each for the N departments with the most
 *               candidates (ties: masters order);
 *               else one each (no department that closed any is left
 *               out), and the other N - D in proportion to the candidates
 *               beyond each department's first: 1 + floor((N - D)(c_d - 1)
 *               / (C - D)), the places still left going one each to the
 *               largest remainders of that division (ties: masters
 *               order), so that a_d never passes c_d and the a_d sum to N
 *   the draw    per department, its candidates in id order, a partial
 *               Fisher-Yates shuffle taking a_d of them with xoshiro256**
 *               (grv_rng.h) seeded by splitmix64 from S + the FNV-1a hash
 *               of the department's code: a department's draw depends
 *               only on the seed, its code, its candidates and a_d
 * Rows: by department in masters order, then id.  The phone is masked
 * and the name empty unless --pii.
 */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_phone.h"
#include "grv_report_calls.h"
#include "grv_rng.h"

/* FNV-1a, 64 bits. */
static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Order of departments for the N < D case and for remainders. */
struct share {
	size_t	 d;
	int64_t	 key;		/* larger first */
};

static int
cmp_share(const void *a, const void *b)
{
	const struct share *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->d < y->d ? -1 : x->d > y->d;
}

/* A_d for each department from its candidates CNT (ND departments). */
static void
allocate(const int64_t *cnt, size_t nd, int64_t n, int64_t *a)
{
	struct share *s = grv_calloc(nd + 1, sizeof(*s));
	int64_t total = 0, with = 0, left, rest;
	size_t d, k = 0;

	for (d = 0; d < nd; d++) {
		total += cnt[d];
		with += cnt[d] > 0;
		a[d] = 0;
	}
	if (n >= total) {
		memcpy(a, cnt, nd * sizeof(*a));
		free(s);
		return;
	}
	if (n < with) {
		for (d = 0; d < nd; d++)
			if (cnt[d] > 0) {
				s[k].d = d;
				s[k++].key = cnt[d];
			}
		qsort(s, k, sizeof(*s), cmp_share);
		for (d = 0; d < (size_t)n; d++)
			a[s[d].d] = 1;
		free(s);
		return;
	}
	rest = n - with;
	left = rest;
	for (d = 0; d < nd; d++) {
		if (cnt[d] == 0)
			continue;
		a[d] = 1 + rest * (cnt[d] - 1) / (total - with);
		left -= a[d] - 1;
		s[k].d = d;
		s[k++].key = rest * (cnt[d] - 1) % (total - with);
	}
	qsort(s, k, sizeof(*s), cmp_share);
	for (d = 0; left > 0 && d < k; d++, left--)
		a[s[d].d]++;
	free(s);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
grv_report_callbacks(const struct grv_ctx *ctx,
    const struct grv_report_opts *o, struct grv_table *t)
{
	static const char *const cols[] = { "id", "dept", "district", "loc",
	    "category", "officer", "closed", "phone", "name", NULL };
	const struct grv_masters *m = &ctx->m;
	struct grv_calls c;
	struct grv_rng r;
	const struct grv_closure *cl;
	const struct grv_cstate *cs;
	int64_t *cnt, *a;
	uint32_t **ids, tmp;
	size_t d, i, j, nd;
	char buf[48], ph[GRV_PHONE_SIZE];
	int rc, dist;

	grv_table_init(t, cols);
	if ((rc = grv_calls_load(&c, ctx, o, 1, o->pii)) != 0)
		return rc;
	nd = GRV_NDEPTS_ALL(m);	/* those the fold kept too */
	cnt = grv_calloc(nd + 1, sizeof(*cnt));
	a = grv_calloc(nd + 1, sizeof(*a));
	ids = grv_calloc(nd + 1, sizeof(*ids));
	for (i = 0; i < c.ncl; i++) {
		cl = &c.cl[i];
		cs = &c.st.c[cl->n - 1];
		if (cl->reason != GRV_R_SATISFIED || cl->calls > 0 ||
		    c.last[cl->n - 1] != i + 1 || cs->status != GRV_ST_CLOSED ||
		    cl->dept < 0)
			continue;
		ids[cl->dept] = grv_reallocarray(ids[cl->dept],
		    (size_t)cnt[cl->dept] + 1, sizeof(**ids));
		ids[cl->dept][cnt[cl->dept]++] = (uint32_t)i;
	}
	allocate(cnt, nd, o->sample, a);
	for (d = 0; d < nd; d++) {
		grv_rng_seed(&r, o->seed + fnv1a(m->depts[d].code));
		for (j = 0; j < (size_t)a[d]; j++) {
			i = j + grv_rng_below(&r, (uint32_t)(cnt[d] - (int64_t)j));
			tmp = ids[d][j];
			ids[d][j] = ids[d][i];
			ids[d][i] = tmp;
		}
		/* the closures drawn, by id (closure order is id order
		   for one complaint's latest closure only: sort) */
		for (j = 0; j < (size_t)a[d]; j++)
			ids[d][j] = c.cl[ids[d][j]].n;
		if (a[d] > 0)
			qsort(ids[d], (size_t)a[d], sizeof(**ids), cmp_u32);
		for (j = 0; j < (size_t)a[d]; j++) {
			cs = &c.st.c[ids[d][j] - 1];
			cl = &c.cl[c.last[ids[d][j] - 1] - 1];
			grv_id_format(ctx->conf.node, ids[d][j], buf,
			    sizeof(buf));
			grv_table_str(t, buf);
			grv_table_str(t, m->depts[d].code);
			dist = cs->loc >= 0 ? m->locs[cs->loc].district : -1;
			grv_table_str(t, dist >= 0 ? m->locs[dist].code : NULL);
			grv_table_str(t, cs->loc >= 0 ? m->locs[cs->loc].code :
			    NULL);
			grv_table_str(t, m->cats[cs->category].code);
			grv_table_str(t, cl->officer >= 0 ?
			    m->officers[cl->officer].code : NULL);
			grv_ctx_ts(ctx, cl->ts, buf);
			grv_table_str(t, buf);
			if (o->pii)
				grv_table_str(t, c.phone[ids[d][j] - 1]);
			else {
				grv_phone_mask(c.phone[ids[d][j] - 1], ph);
				grv_table_str(t, ph);
			}
			grv_table_str(t, o->pii ? c.name[ids[d][j] - 1] : NULL);
		}
		free(ids[d]);
	}
	free(ids);
	free(cnt);
	free(a);
	grv_calls_release(&c);
	return 0;
}
