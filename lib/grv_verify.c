/* grv_verify.c: checkpoints held to the ledgers they sign.
 *
 * Every check reads the ledger itself, from its first row, and trusts
 * nothing in cache/: the leaf prefixes an earlier grv-checkpoint left
 * there serve only to name the first row that changed.  A receipt is
 * made from cache/ when it can be (the row index finds the complaint's
 * rows, the tree above the blocks of 256 leaves gives the proofs), each
 * proof checked against the signed root before it is printed; else it
 * reads the ledgers as a check does, and leaves that tree in cache/. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_cache.h"
#include "grv_hwm.h"
#include "grv_msg.h"
#include "grv_state.h"
#include "grv_tlog.h"
#include "grv_tsub.h"
#include "grv_verify.h"

/* The logs checkpointed; a receipt is of the first two, the ledgers. */
static const enum grv_ledger_kind *const kinds = grv_cp_kinds;

/* What one scan of a ledger gathers. */
struct vscan {
	struct grv_tlog	 t;
	const struct grv_cp **cp;	/* its checkpoints, by size */
	size_t		 ncp, next;
	grv_hash	*root;		/* the ledger's root at cp[i]'s size */
	int		*have;
	unsigned char	*known;		/* leaf prefixes from cache/ */
	uint64_t	 nknown, diff;	/* the first leaf that differs */
	struct grv_mleaves *all;	/* every leaf, for proofs */
	struct grv_tsub	*sub;		/* the tree above its blocks */
	const char	*id;		/* rows of this complaint */
	uint64_t	*rowi;
	char		**row;
	size_t		 nrow;
};

/* Does ROW (LEN bytes) of ledger K belong to complaint ID? */
static int
row_of(enum grv_ledger_kind k, const char *row, size_t len, const char *id)
{
	size_t il = strlen(id);
	const char *f = row;

	if (k == GRV_EVENTS) {
		const char *c = memchr(row, ',', len);

		f = c ? c + 1 : row + len;
	}
	return (size_t)(row + len - f) > il && memcmp(f, id, il) == 0 &&
	    f[il] == ',';
}

static void
snap(struct vscan *v, uint64_t n)
{
	while (v->next < v->ncp && v->cp[v->next]->size == n) {
		grv_mrange_root(&v->t.r, v->root[v->next]);
		v->have[v->next++] = 1;
	}
}

static void
on_leaf(void *arg, uint64_t index, const grv_hash leaf, const char *row,
    size_t len)
{
	struct vscan *v = arg;

	snap(v, index);
	if (v->diff == UINT64_MAX && index < v->nknown &&
	    memcmp(leaf, v->known + 4 * index, 4) != 0)
		v->diff = index;
	if (v->all)
		grv_mleaves_push(v->all, leaf);
	if (v->sub)
		grv_tsub_leaf(v->sub, index, leaf, v->t.at);
	if (v->id && row_of(v->t.kind, row, len, v->id)) {
		v->rowi = grv_reallocarray(v->rowi, v->nrow + 1,
		    sizeof(*v->rowi));
		v->row = grv_reallocarray(v->row, v->nrow + 1,
		    sizeof(*v->row));
		v->rowi[v->nrow] = index;
		v->row[v->nrow++] = grv_strndup(row, len);
	}
}

static int
by_size(const void *a, const void *b)
{
	const struct grv_cp *x = *(const struct grv_cp *const *)a;
	const struct grv_cp *y = *(const struct grv_cp *const *)b;

	return x->size < y->size ? -1 : x->size > y->size;
}

/* Scan ledger K with the checkpoints of CPS whose origin is its own. */
static int
vscan_run(const struct grv_ctx *ctx, enum grv_ledger_kind k,
    const struct grv_cp *const *cps, size_t n, struct vscan *v)
{
	char origin[GRV_NOTE_NAMEMAX];
	size_t i;
	int rc;

	grv_cp_origin(ctx, k, origin);
	v->cp = grv_calloc(n + 1, sizeof(*v->cp));
	for (i = 0; i < n; i++)
		if (strcmp(cps[i]->origin, origin) == 0)
			v->cp[v->ncp++] = cps[i];
	qsort(v->cp, v->ncp, sizeof(*v->cp), by_size);
	v->root = grv_calloc(v->ncp + 1, sizeof(*v->root));
	v->have = grv_calloc(v->ncp + 1, sizeof(*v->have));
	v->diff = UINT64_MAX;
	if (v->ncp > 0) {
		v->nknown = v->cp[v->ncp - 1]->size;
		if ((v->known = grv_tlog_load_leaves(ctx->dir, k, v->nknown)) ==
		    NULL)
			v->nknown = 0;
	}
	rc = grv_tlog_scan(ctx->dir, k, ctx->wait, NULL, &v->t, on_leaf, v);
	if (rc == 0)
		snap(v, v->t.r.n);
	return rc;
}

static void
vscan_release(struct vscan *v)
{
	size_t i;

	grv_tlog_release(&v->t);
	free(v->cp);
	free(v->root);
	free(v->have);
	free(v->known);
	for (i = 0; i < v->nrow; i++)
		free(v->row[i]);
	free(v->row);
	free(v->rowi);
}

/* Does the ledger scanned hold checkpoint CP?  0, or 65 said. */
static int
judge(const struct vscan *v, const struct grv_cp *cp)
{
	struct grv_buf w = GRV_BUF_INIT;
	size_t i;

	for (i = 0; i < v->ncp && v->cp[i] != cp; i++)
		;
	if (i == v->ncp)
		return GRV_EX_DATAERR;
	if (!v->have[i]) {
		grv_err("%s:%lu: %s %llu: %s holds %llu rows, fewer than the "
		    "checkpoint signed", cp->rel, cp->line, cp->origin,
		    (unsigned long long)cp->size, v->t.nf ?
		    v->t.f[v->t.nf - 1].rel : "the ledger",
		    (unsigned long long)v->t.r.n);
		return GRV_EX_DATAERR;
	}
	if (memcmp(v->root[i], cp->root, GRV_HASHLEN) == 0)
		return 0;
	if (v->diff < cp->size) {
		grv_tlog_where(&v->t, v->diff, &w);
		grv_err("%s:%lu: %s %llu: the ledger's rows are not those the "
		    "checkpoint signed: %s differs", cp->rel, cp->line,
		    cp->origin, (unsigned long long)cp->size, w.s);
	} else
		grv_err("%s:%lu: %s %llu: the ledger's first %llu rows are not "
		    "those the checkpoint signed", cp->rel, cp->line,
		    cp->origin, (unsigned long long)cp->size,
		    (unsigned long long)cp->size);
	grv_buf_release(&w);
	return GRV_EX_DATAERR;
}

static void
put_cp(FILE *out, const struct grv_cp *cp, const char *result)
{
	struct grv_buf b = GRV_BUF_INIT;

	grv_buf_printf(&b, "%s:%lu,%s,%llu,", cp->rel, cp->line, cp->origin,
	    (unsigned long long)cp->size);
	grv_cp_b64(&b, cp->root);
	fprintf(out, "%s,%s\n", b.s, result);
	grv_buf_release(&b);
}

/* The log (index in kinds) of CP's origin, or -1 after saying it is
   none of this directory's (65). */
static int
kind_of(const struct grv_ctx *ctx, const struct grv_cp *cp)
{
	char o[GRV_CP_NLOGS][GRV_NOTE_NAMEMAX];
	int k;

	for (k = 0; k < GRV_CP_NLOGS; k++) {
		grv_cp_origin(ctx, kinds[k], o[k]);
		if (strcmp(cp->origin, o[k]) == 0)
			return k;
	}
	grv_err("%s:%lu: origin '%s' is not a ledger of this data directory "
	    "('%s', '%s', '%s')", cp->rel, cp->line, cp->origin, o[0], o[1],
	    o[2]);
	return -1;
}

/* vscan_run of the complaints on a thread of its own. */
struct vjob {
	const struct grv_ctx *ctx;
	const struct grv_cp *const *cps;
	size_t		 n;
	struct vscan	*v;
	int		 rc;
};

static void *
vjob(void *arg)
{
	struct vjob *j = arg;

	j->rc = vscan_run(j->ctx, GRV_COMPLAINTS, j->cps, j->n, j->v);
	return NULL;
}

/* Both ledgers scanned at once, one core each, then the corrections. */
static int
vscan_all(const struct grv_ctx *ctx, const struct grv_cp *const *cps,
    size_t n, struct vscan v[GRV_CP_NLOGS])
{
	struct vjob j = { ctx, cps, n, &v[0], 0 };
	pthread_t th;
	int threaded, rc;

	threaded = pthread_create(&th, NULL, vjob, &j) == 0;
	if (!threaded)
		vjob(&j);
	rc = vscan_run(ctx, GRV_EVENTS, cps, n, &v[1]);
	if (rc == 0)
		rc = vscan_run(ctx, GRV_CORRECTIONS, cps, n, &v[2]);
	if (threaded)
		pthread_join(th, NULL);
	return j.rc ? j.rc : rc;
}

int
grv_verify_checkpoints(const struct grv_ctx *ctx, const struct grv_cps *cps,
    FILE *out)
{
	const struct grv_cp **all;
	struct vscan v[GRV_CP_NLOGS];
	size_t i;
	int rc = 0, r, k;

	memset(v, 0, sizeof(v));
	all = grv_calloc(cps->n + 1, sizeof(*all));
	for (i = 0; i < cps->n; i++)
		all[i] = &cps->v[i];
	if ((rc = vscan_all(ctx, all, cps->n, v)) == 0) {
		fputs("checkpoint,origin,size,root,result\n", out);
		for (i = 0; i < cps->n; i++) {
			r = (k = kind_of(ctx, &cps->v[i])) == -1 ?
			    GRV_EX_DATAERR : judge(&v[k], &cps->v[i]);
			grv_setrc(&rc, r);
			put_cp(out, &cps->v[i], r ? "contradicted" : "ok");
		}
	}
	for (k = 0; k < GRV_CP_NLOGS; k++)
		vscan_release(&v[k]);
	free(all);
	return rc;
}

int
grv_verify_proof(const struct grv_ctx *ctx, const struct grv_cp *old,
    const struct grv_cp *new_, FILE *out)
{
	const struct grv_cp *two[2] = { old, new_ };
	struct grv_mleaves all = GRV_MLEAVES_INIT;
	grv_hash p[GRV_MERKLE_MAXPROOF];
	struct grv_buf b = GRV_BUF_INIT;
	struct vscan v;
	unsigned np, i;
	int k, rc;

	if ((k = kind_of(ctx, old)) == -1 || kind_of(ctx, new_) != k) {
		if (k != -1)
			grv_err("%s:%lu and %s:%lu: checkpoints of two "
			    "ledgers ('%s', '%s')", old->rel, old->line,
			    new_->rel, new_->line, old->origin, new_->origin);
		return GRV_EX_DATAERR;
	}
	if (old->size > new_->size) {
		grv_err("%s:%lu: the old checkpoint (%llu rows) is larger than "
		    "the new (%llu)", old->rel, old->line,
		    (unsigned long long)old->size,
		    (unsigned long long)new_->size);
		return GRV_EX_DATAERR;
	}
	memset(&v, 0, sizeof(v));
	v.all = &all;
	if ((rc = vscan_run(ctx, kinds[k], two, 2, &v)) == 0 &&
	    (rc = judge(&v, old)) == 0 && (rc = judge(&v, new_)) == 0) {
		np = grv_merkle_consistency(&all, old->size, new_->size, p);
		grv_buf_printf(&b, "consistency %s %llu %llu\n", old->origin,
		    (unsigned long long)old->size,
		    (unsigned long long)new_->size);
		for (i = 0; i < np; i++) {
			grv_cp_b64(&b, p[i]);
			grv_buf_addc(&b, '\n');
		}
		fputs(b.s, out);
	}
	grv_buf_release(&b);
	grv_mleaves_release(&all);
	vscan_release(&v);
	return rc;
}

int
grv_verify_check_proof(const char *rel, const struct grv_cp *old,
    const struct grv_cp *new_, FILE *out)
{
	grv_hash p[GRV_MERKLE_MAXPROOF];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned np = 0;
	unsigned long long m, n;
	char origin[GRV_NOTE_NAMEMAX];
	FILE *f;
	int rc = 0;

	if ((f = fopen(rel, "r")) == NULL) {
		grv_err("%s: %m", rel);
		return GRV_EX_NOINPUT;
	}
	if ((len = getline(&line, &cap, f)) <= 0 ||
	    sscanf(line, "consistency %127s %llu %llu", origin, &m, &n) != 3) {
		grv_err("%s:1: not a consistency proof ('consistency ORIGIN "
		    "OLD NEW')", rel);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if (strcmp(origin, old->origin) != 0 ||
	    strcmp(origin, new_->origin) != 0 || m != old->size ||
	    n != new_->size) {
		grv_err("%s:1: a proof of %s %llu to %llu, not of these "
		    "checkpoints (%s %llu, %s %llu)", rel, origin, m, n,
		    old->origin, (unsigned long long)old->size, new_->origin,
		    (unsigned long long)new_->size);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (np == GRV_MERKLE_MAXPROOF ||
		    grv_b64_decode(line, (size_t)len, p[np], GRV_HASHLEN) !=
		    GRV_HASHLEN) {
			grv_err("%s:%u: not a base64 hash", rel, np + 2);
			rc = GRV_EX_DATAERR;
			goto out;
		}
		np++;
	}
	if (grv_merkle_check_consistency(old->size, old->root, new_->size,
	    new_->root, (const grv_hash *)p, np) != 0) {
		grv_err("%s: %s %llu and %llu: the proof does not hold: the "
		    "new checkpoint does not extend the old", rel, old->origin,
		    (unsigned long long)old->size,
		    (unsigned long long)new_->size);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	fprintf(out, "consistent,%s,%llu,%llu\n", old->origin,
	    (unsigned long long)old->size, (unsigned long long)new_->size);
out:
	free(line);
	fclose(f);
	return rc;
}

/* The crc that ends ROW, or -1 when it ends in none. */
static int64_t
row_crc(const char *row, size_t len)
{
	char hex[9], *end;
	unsigned long v;

	if (len < 9 || row[len - 9] != ',')
		return -1;
	memcpy(hex, row + len - 8, 8);
	hex[8] = '\0';
	v = strtoul(hex, &end, 16);
	return *end == '\0' ? (int64_t)v : -1;
}

/* One ledger's files, for a receipt from cache/. */
struct fastk {
	int		 fd;
	struct stat	 sb;
	struct grv_hwm	 h;
	struct grv_tsub_view *v;
};

/*
 * The receipt of complaint ID from cache/, in time that does not grow
 * with the ledger: the files as grv left them (their high-water marks),
 * the complaint's rows where the row index says, each proof made from
 * the tree above the blocks and checked against the signed root.  What
 * grv_verify_inclusion prints and returns, or -1 having printed nothing
 * when cache/ cannot say all of it.
 */
static int
receipt_fast(const struct grv_ctx *ctx, const struct grv_cps *cps,
    const char *id, FILE *out)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts o;
	struct grv_rowloc *locs = NULL;
	struct fastk f[2];
	const struct grv_cp *last[2];
	struct grv_buf b = GRV_BUF_INIT, late = GRV_BUF_INIT,
	    row = GRV_BUF_INIT, why = GRV_BUF_INIT, p = GRV_BUF_INIT;
	char origin[GRV_NOTE_NAMEMAX];
	grv_hash proof[GRV_MERKLE_MAXPROOF], leaf;
	size_t nlocs = 0, i;
	uint64_t index, segrows[2];
	uint32_t n;
	unsigned np, j;
	int k, head[2] = { 0, 0 }, rc = -1;

	memset(f, 0, sizeof(f));
	f[0].fd = f[1].fd = -1;
	if (!ctx->loaded ||
	    grv_id_parse(ctx->conf.node, id, strlen(id), &n) != 0)
		return -1;
	for (k = 0; k < 2; k++) {
		grv_cp_origin(ctx, kinds[k], origin);
		if ((last[k] = grv_cps_last(cps, origin)) == NULL)
			goto out;
		grv_buf_reset(&p);
		grv_buf_printf(&p, "%s/ledger/%s.csv", ctx->dir,
		    grv_ledger_name(kinds[k]));
		if ((f[k].fd = open(p.s, O_RDONLY | O_CLOEXEC)) == -1 ||
		    fstat(f[k].fd, &f[k].sb) == -1 ||
		    grv_hwm_vouch(ctx->dir, kinds[k], &f[k].sb, &f[k].h,
		    &why) != GRV_HWM_TRUSTED || !f[k].h.present)
			goto out;
		segrows[k] = f[k].h.total - f[k].h.live.rows;
		if ((f[k].v = grv_tsub_open(ctx->dir, kinds[k], f[k].fd,
		    &f[k].sb, f[k].h.nseg, segrows[k], last[k]->size)) == NULL)
			goto out;
	}
	memset(&o, 0, sizeof(o));
	o.now = ctx->now;
	o.point = 1;
	if (grv_state_load_cached(&st, ctx, &o) != 0 ||
	    grv_cache_locs(&st, n, &locs, &nlocs) != 0)
		goto out;
	grv_buf_printf(&b, "grv-receipt %s\n", id);
	for (i = 0; i < nlocs; i++) {
		k = i == 0 ? 0 : 1;
		if (locs[i].loc >> 48 != 0 ||
		    grv_tsub_row(f[k].v, locs[i].loc, &index, &row) != 0 ||
		    row_crc(row.s, row.len) != (int64_t)locs[i].crc ||
		    !row_of(kinds[k], row.s, row.len, id))
			goto out;
		if (index >= last[k]->size) {
			/* Said once the receipt is sure: its line. */
			index = index - segrows[k] + 2;
			grv_buf_add(&late, &k, sizeof(k));
			grv_buf_add(&late, &index, sizeof(index));
			continue;
		}
		grv_tlog_leaf(row.s, row.len, leaf);
		np = grv_tsub_inclusion(f[k].v, index, proof);
		if (grv_merkle_check_inclusion(leaf, index, last[k]->size,
		    (const grv_hash *)proof, np, last[k]->root) != 0)
			goto out;	/* cache/ is wrong: the ledger says */
		if (!head[k]) {
			grv_buf_adds(&b, "checkpoint\n");
			grv_buf_add(&b, last[k]->note, last[k]->notelen);
			head[k] = 1;
		}
		grv_buf_printf(&b, "row %llu\n", (unsigned long long)index);
		grv_buf_add(&b, row.s, row.len);
		grv_buf_addc(&b, '\n');
		for (j = 0; j < np; j++) {
			grv_buf_adds(&b, "path ");
			grv_cp_b64(&b, proof[j]);
			grv_buf_addc(&b, '\n');
		}
	}
	for (i = 0; i < late.len; i += sizeof(k) + sizeof(index)) {
		memcpy(&k, late.s + i, sizeof(k));
		memcpy(&index, late.s + i + sizeof(k), sizeof(index));
		grv_err("ledger/%s.csv:%llu: after the last checkpoint of %s "
		    "(run grv-checkpoint)", grv_ledger_name(kinds[k]),
		    (unsigned long long)index, grv_ledger_name(kinds[k]));
	}
	fputs(b.s, out);
	rc = late.len ? GRV_EX_SOME : 0;
out:
	for (k = 0; k < 2; k++) {
		if (f[k].fd != -1)
			close(f[k].fd);
		grv_hwm_release(&f[k].h);
		grv_tsub_close(f[k].v);
	}
	free(locs);
	grv_state_release(&st);
	grv_buf_release(&b);
	grv_buf_release(&late);
	grv_buf_release(&row);
	grv_buf_release(&why);
	grv_buf_release(&p);
	return rc;
}

int
grv_verify_inclusion(const struct grv_ctx *ctx, const struct grv_cps *cps,
    const char *id, FILE *out)
{
	struct grv_mleaves all[2] = { GRV_MLEAVES_INIT, GRV_MLEAVES_INIT };
	struct grv_mrange none = GRV_MRANGE_INIT;
	struct grv_tsub sub[2];
	grv_hash p[GRV_MERKLE_MAXPROOF];
	struct grv_buf b = GRV_BUF_INIT, w = GRV_BUF_INIT;
	char origin[GRV_NOTE_NAMEMAX];
	const struct grv_cp *last[2];
	struct vscan v[2];
	size_t k, i;
	unsigned np, j;
	int rc;

	if ((rc = receipt_fast(ctx, cps, id, out)) != -1)
		return rc;
	rc = 0;
	memset(v, 0, sizeof(v));
	for (k = 0; k < 2; k++)
		grv_tsub_begin(&sub[k], &none);
	for (k = 0; k < 2 && rc == 0; k++) {
		grv_cp_origin(ctx, kinds[k], origin);
		last[k] = grv_cps_last(cps, origin);
		v[k].all = &all[k];
		v[k].sub = &sub[k];
		v[k].id = id;
		rc = vscan_run(ctx, kinds[k], &last[k], last[k] ? 1 : 0, &v[k]);
		if (rc == 0 && last[k])
			rc = judge(&v[k], last[k]);
	}
	if (rc == 0 && v[0].nrow == 0) {
		grv_err("ledger/complaints.csv: no complaint '%s'", id);
		rc = GRV_EX_DATAERR;
	}
	if (rc)
		goto out;
	grv_buf_printf(&b, "grv-receipt %s\n", id);
	for (k = 0; k < 2; k++) {
		int head = 0;

		for (i = 0; i < v[k].nrow; i++) {
			if (!last[k] || v[k].rowi[i] >= last[k]->size) {
				grv_buf_reset(&w);
				grv_tlog_where(&v[k].t, v[k].rowi[i], &w);
				grv_err("%s: after the last checkpoint of %s "
				    "(run grv-checkpoint)", w.s,
				    grv_ledger_name(kinds[k]));
				grv_setrc(&rc, GRV_EX_SOME);
				continue;
			}
			if (!head) {
				grv_buf_adds(&b, "checkpoint\n");
				grv_buf_add(&b, last[k]->note, last[k]->notelen);
				head = 1;
			}
			np = grv_merkle_inclusion(&all[k], v[k].rowi[i],
			    last[k]->size, p);
			grv_buf_printf(&b, "row %llu\n%s\n",
			    (unsigned long long)v[k].rowi[i], v[k].row[i]);
			for (j = 0; j < np; j++) {
				grv_buf_adds(&b, "path ");
				grv_cp_b64(&b, p[j]);
				grv_buf_addc(&b, '\n');
			}
		}
	}
	fputs(b.s, out);
	/* The next receipt from cache/: the tree above the blocks, of the
	   ledgers as this scan read them. */
	for (k = 0; k < 2; k++)
		grv_tsub_save(ctx->dir, kinds[k], &v[k].t, &sub[k]);
out:
	for (k = 0; k < 2; k++) {
		vscan_release(&v[k]);
		grv_mleaves_release(&all[k]);
		grv_tsub_release(&sub[k]);
	}
	grv_buf_release(&b);
	grv_buf_release(&w);
	return rc;
}
