/* grv_list.c: grv-list's rows: selection, columns, the --pii pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_cache.h"
#include "grv_correct.h"
#include "grv_csv.h"
#include "grv_csvw.h"
#include "grv_ledger.h"
#include "grv_list.h"
#include "grv_msg.h"

struct pii_pass {
	FILE			*fp;
	const struct grv_ctx	*ctx;
	const struct grv_state	*st;
	const unsigned char	*sel;
	uint32_t		 last;	/* last selected complaint */
	struct grv_buf		 out;
	int			 done;
	struct grv_corr		 corr;	/* names and phones corrected */
};

#define LIST_STOP	1000	/* on_complaint: seen every selected one */

/* Whether complaint CS passes every filter of FL at the context's now. */
static int
selected(const struct grv_ctx *ctx, const struct grv_list_filter *fl,
    const struct grv_cstate *cs)
{
	const struct grv_masters *m = &ctx->m;

	if (cs->status == GRV_ST_NONE)
		return 0;
	if (fl->status && !(fl->status & (1u << cs->status)))
		return 0;
	if (fl->dept != -1 && cs->dept != fl->dept)
		return 0;
	if (fl->district != -1 && m->locs[cs->loc].district != fl->district)
		return 0;
	if (fl->officer != -1 && cs->officer != fl->officer)
		return 0;
	if (fl->level && cs->level != fl->level)
		return 0;
	if (fl->older >= 0 && !(ctx->now - cs->registered > fl->older))
		return 0;
	if (fl->overdue && !grv_overdue(cs, ctx->now))
		return 0;
	if (fl->category != -1 && cs->category != fl->category)
		return 0;
	if (fl->channel != -1 && GRV_CS_CHANNEL(cs) != fl->channel)
		return 0;
	return 1;
}

/* The twelve columns of complaint N into B (no newline). */
static void
put_state(struct grv_buf *b, const struct grv_ctx *ctx, uint32_t n,
    const struct grv_cstate *cs)
{
	const struct grv_masters *m = &ctx->m;
	char id[48], level[8], reg[GRV_TSLEN], due[GRV_TSLEN], age[24];
	const char *f[12];
	int d = m->locs[cs->loc].district;
	size_t i;

	grv_id_format(ctx->conf.node, n, id, sizeof(id));
	snprintf(level, sizeof(level), "%d", cs->level);
	grv_ctx_ts(ctx, cs->registered, reg);
	if (cs->due != GRV_TIME_NONE)
		grv_ctx_ts(ctx, cs->due, due);
	snprintf(age, sizeof(age), "%lld", ctx->now >= cs->registered ?
	    (long long)((ctx->now - cs->registered) / 86400) : 0LL);
	f[0] = id;
	f[1] = grv_status_names[cs->status];
	f[2] = cs->level ? level : "";
	f[3] = cs->dept >= 0 ? m->depts[cs->dept].code : "";
	f[4] = cs->officer >= 0 ? m->officers[cs->officer].code : "";
	f[5] = m->locs[cs->loc].code;
	f[6] = d >= 0 ? m->locs[d].code : "";
	f[7] = reg;
	f[8] = cs->due != GRV_TIME_NONE ? due : "";
	f[9] = age;
	f[10] = m->cats[cs->category].code;
	f[11] = grv_channel_names[GRV_CS_CHANNEL(cs)];
	for (i = 0; i < 12; i++) {
		if (i)
			grv_buf_addc(b, ',');
		grv_csv_put(b, f[i], strlen(f[i]), GRV_CSV_SAFE);
	}
}

/* Second pass with --pii: print the selected rows with their personal
 * data as the complaints ledger streams by, holding none of it. */
static int
pii_row(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct pii_pass *p = arg;
	static const int cols[] = { GRV_C_NAME, GRV_C_PHONE, GRV_C_TEXT };
	const struct grv_xrow *x;
	size_t i;

	(void)cs;
	if (n > p->st->n || !p->sel[n - 1])
		return 0;
	grv_buf_reset(&p->out);
	put_state(&p->out, p->ctx, n, &p->st->c[n - 1]);
	for (i = 0; i < 3; i++) {
		grv_buf_addc(&p->out, ',');
		/* The latest correction, escaped as the ledger stores it. */
		if (i < 2 && (x = grv_corr_latest(&p->corr, n, i == 0 ?
		    GRV_XF_NAME : GRV_XF_PHONE)) != NULL) {
			grv_csv_put(&p->out, x->value, strlen(x->value),
			    GRV_CSV_ESCAPE | GRV_CSV_SAFE);
			continue;
		}
		/* Kept as stored (escaped): one record stays one line. */
		grv_csv_put(&p->out, row->f[cols[i]], row->flen[cols[i]],
		    GRV_CSV_SAFE);
	}
	grv_buf_addc(&p->out, '\n');
	fwrite(p->out.s, 1, p->out.len, p->fp);
	if (n == p->last) {
		p->done = 1;
		return LIST_STOP;
	}
	return 0;
}

/*
 * A --dept or --category code the masters no longer list (WANT): its index
 * in GONE (the codes the fold kept) into *IX, or -1 after saying it is
 * unknown, as for any code (MAP: the masters' own, for "did you mean").
 */
static int
gone_code(const struct grv_ctx *ctx, const char *want,
    const struct grv_map *gone, const struct grv_map *map, const char *what,
    int *ix)
{
	if (want == NULL || (*ix = grv_map_get(gone, want)) != -1)
		return 0;
	return grv_find_or_suggest_in(&ctx->m, map, what, want);
}

int
grv_list_print(FILE *fp, const struct grv_ctx *ctx,
    const struct grv_list_filter *fl)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts o;
	struct grv_buf b = GRV_BUF_INIT;
	struct grv_list_filter gf;
	struct pii_pass p;
	unsigned char *sel = NULL;
	uint32_t n, last = 0, nsel = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	o.now = ctx->now;
	/* Filtered by officer, department or district: only the complaints
	   the key index names are fetched (and checked). */
	o.point = !fl->pii && (fl->officer != -1 || fl->dept != -1 ||
	    fl->district != -1);
	if ((rc = grv_state_load(&st, ctx, &o)) != 0)
		goto out;
	if (fl->dept_gone || fl->category_gone) {
		/* A code named by old rows only (grv_dept_gone ...). */
		gf = *fl;
		fl = &gf;
		if (gone_code(ctx, gf.dept_gone, &ctx->m.dept_gone_ix,
		    &ctx->m.dept_ix, "department", &gf.dept) == -1 ||
		    gone_code(ctx, gf.category_gone, &ctx->m.cat_gone_ix,
		    &ctx->m.cat_ix, "category", &gf.category) == -1) {
			rc = GRV_EX_DATAERR;
			goto out;
		}
	}
	fputs("id,status,level,dept,officer,loc,district,registered,due,"
	    "age_days,category,channel", fp);
	fputs(fl->pii ? ",name,phone,text\n" : "\n", fp);
	if (!fl->pii) {
		unsigned char *bits = NULL;
		const struct grv_cstate *cs;
		struct grv_cstate one;

		if (o.point && grv_cache_keyed(&st, fl->officer != -1 ?
		    GRV_KEY_OFFICER : fl->dept != -1 ? GRV_KEY_DEPT :
		    GRV_KEY_DISTRICT, fl->officer != -1 ? fl->officer :
		    fl->dept != -1 ? fl->dept : fl->district, &bits) == -1)
			bits = NULL;	/* no index: every complaint */
		for (n = 1; n <= st.n; n++) {
			uint64_t w;

			/* The index's map skipped a word at a time where it
			   is empty: a bit at a time is a pass over every
			   complaint. */
			if (bits && (n - 1) % 64 == 0 && n + 63 <= st.n) {
				memcpy(&w, bits + (n - 1) / 8, sizeof(w));
				if (w == 0) {
					n += 63;
					continue;
				}
			}
			if (bits && !(bits[(n - 1) / 8] & 1u << (n - 1) % 8))
				continue;
			if ((cs = grv_cache_peek(&st, n, &one)) == NULL ||
			    !selected(ctx, fl, cs))
				continue;
			grv_buf_reset(&b);
			put_state(&b, ctx, n, cs);
			grv_buf_addc(&b, '\n');
			fwrite(b.s, 1, b.len, fp);
		}
		free(bits);
	} else {
		sel = grv_calloc(st.n ? st.n : 1, 1);
		for (n = 1; n <= st.n; n++)
			if (selected(ctx, fl, &st.c[n - 1])) {
				sel[n - 1] = 1;
				last = n;
				nsel++;
			}
		if (last) {
			struct grv_state st2 = GRV_STATE_INIT;

			memset(&p, 0, sizeof(p));
			p.fp = fp;
			p.ctx = ctx;
			p.st = &st;
			p.sel = sel;
			p.last = last;
			o.on_complaint = pii_row;
			o.arg = &p;
			/* Corrections: of every complaint in one pass when
			   every one is listed, else only the rows of those
			   printed, through cache/corr.bin. */
			if (nsel == st.n)
				rc = grv_corr_load(ctx, st.n, 0, &p.corr);
			else if ((rc = grv_corr_open(ctx, st.n,
			    &p.corr)) == 0) {
				for (n = 1; n <= last; n++)
					if (sel[n - 1])
						grv_corr_need(&p.corr, n);
				rc = grv_corr_error(&p.corr);
				/* Let it go before the ledgers' locks. */
				grv_corr_settle(&p.corr);
			}
			if (rc == 0)
				rc = grv_state_load(&st2, ctx, &o);
			grv_state_release(&st2);
			grv_corr_release(&p.corr);
			grv_buf_release(&p.out);
			if (rc == LIST_STOP && p.done)
				rc = 0;
		}
	}
out:
	free(sel);
	grv_buf_release(&b);
	grv_state_release(&st);
	return rc;
}
