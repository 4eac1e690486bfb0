/* grv_report_calls.c: the period's closures and the calls about them. */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_csvrow.h"
#include "grv_layout.h"
#include "grv_report_calls.h"
#include "grv_state.h"

struct fold {
	struct grv_calls		*c;
	const struct grv_ctx		*ctx;
	const struct grv_report_opts	*o;
	int				 phones, names;
	size_t				 cap;		/* of last, phone, name */
};

void *
grv_calls_grow(void *p, size_t nold, size_t nnew, size_t size)
{
	p = grv_reallocarray(p, nnew, size);
	memset((char *)p + nold * size, 0, (nnew - nold) * size);
	return p;
}

void
grv_calls_phone(const struct grv_csv_row *row, char *out)
{
	size_t len = row->flen[GRV_C_PHONE];

	if (len >= 12)
		len = 11;
	memcpy(out, row->f[GRV_C_PHONE], len);
	out[len] = '\0';
}

static void
fit(struct fold *f, uint32_t n)
{
	struct grv_calls *c = f->c;
	size_t want = f->cap ? f->cap : 1024;

	if (n <= f->cap)
		return;
	while (want < n)
		want *= 2;
	c->last = grv_calls_grow(c->last, f->cap, want, sizeof(*c->last));
	if (f->phones)
		c->phone = grv_calls_grow(c->phone, f->cap, want,
		    sizeof(*c->phone));
	if (f->names)
		c->name = grv_calls_grow(c->name, f->cap, want,
		    sizeof(*c->name));
	f->cap = want;
}

static int
on_complaint(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct fold *f = arg;

	(void)cs;
	fit(f, n);
	if (f->phones)
		grv_calls_phone(row, f->c->phone[n - 1]);
	if (f->names)
		f->c->name[n - 1] = grv_strdup(row->f[GRV_C_NAME]);
	return 0;
}

static int
on_event(void *arg, const struct grv_event *ev,
    const struct grv_cstate *before, const struct grv_cstate *after)
{
	struct fold *f = arg;
	struct grv_calls *c = f->c;
	const struct grv_report_opts *o = f->o;
	struct grv_closure *cl;
	uint32_t k;
	int dept;

	(void)before;
	fit(f, ev->n);
	if (ev->kind == GRV_EV_CALLBACK && (k = c->last[ev->n - 1]) != 0) {
		cl = &c->cl[k - 1];
		if (cl->calls < 255)
			cl->calls++;
		if (ev->reason != GRV_R_UNREACHABLE)
			cl->answer = (uint8_t)ev->reason;
		return 0;
	}
	if (ev->kind == GRV_EV_REOPEN) {
		c->last[ev->n - 1] = 0;
		return 0;
	}
	if (ev->kind != GRV_EV_CLOSE || ev->reason == GRV_R_DUPLICATE ||
	    ev->ts < o->from || ev->ts >= o->to)
		return 0;
	if ((dept = grv_report_dept(&f->ctx->m, o)) >= 0 && after->dept != dept)
		return 0;
	if (o->district >= 0 && !grv_loc_within(&f->ctx->m, after->loc,
	    o->district))
		return 0;
	if (c->ncl == c->capcl) {
		c->capcl = c->capcl ? 2 * c->capcl : 256;
		c->cl = grv_reallocarray(c->cl, c->capcl, sizeof(*c->cl));
	}
	cl = &c->cl[c->ncl++];
	memset(cl, 0, sizeof(*cl));
	cl->n = ev->n;
	cl->ts = ev->ts;
	cl->loc = after->loc;
	cl->officer = after->resolver;
	cl->dept = after->dept;
	cl->reason = (uint8_t)ev->reason;
	c->last[ev->n - 1] = (uint32_t)c->ncl;
	return 0;
}

int
grv_calls_load(struct grv_calls *c, const struct grv_ctx *ctx,
    const struct grv_report_opts *o, int phones, int names)
{
	struct grv_fold_opts fo;
	struct fold f;

	memset(c, 0, sizeof(*c));
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.ctx = ctx;
	f.o = o;
	f.phones = phones;
	f.names = names;
	memset(&fo, 0, sizeof(fo));
	fo.now = ctx->now;
	fo.on_event = on_event;
	if (phones || names)
		fo.on_complaint = on_complaint;
	fo.arg = &f;
	return grv_state_load(&c->st, ctx, &fo);
}

void
grv_calls_release(struct grv_calls *c)
{
	uint32_t i;

	if (c->name)
		for (i = 0; i < c->st.n; i++)
			free(c->name[i]);
	grv_state_release(&c->st);
	free(c->cl);
	free(c->last);
	free(c->phone);
	free(c->name);
	memset(c, 0, sizeof(*c));
}
