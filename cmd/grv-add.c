/* grv-add: register complaints, one from options or many from a CSV batch. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_cmd.h"
#include "grv_correct.h"
#include "grv_csv.h"
#include "grv_fast.h"
#include "grv_file.h"
#include "grv_intake.h"
#include "grv_ledger.h"
#include "grv_hix.h"
#include "grv_limit.h"
#include "grv_msg.h"
#include "grv_role.h"
#include "grv_state.h"

static const char usage[] =
"--category C --loc L --name N --phone P --text T [--channel CH] [--ref R]"
" [--registered TIME] [--key K] [--lang hi|en]\n"
"--batch FILE|-";

static const char help[] =
"Register complaints in ledger/complaints.csv: one from the options, or\n"
"every row of a CSV batch whose header names the columns (category, loc,\n"
"name, phone, text; optional channel, ref, registered, key, lang; others\n"
"ignored).\n"
"Everything is checked before anything is written; one bad row and nothing\n"
"is added.  Prints id,registered,category,loc of what was added, so\n"
"'grv-add ... | grv-route -' routes exactly those complaints.\n"
"\n"
"  -b, --batch FILE    read complaints from FILE ('-': standard input)\n"
"      --category C    complaint category (masters/categories.csv)\n"
"      --loc L         district, tehsil or block of the grievance\n"
"      --name N        the citizen's name\n"
"      --phone P       Indian mobile (ten digits, +91 or 0 dropped) or\n"
"                      landline (0, STD code, number: 0141-2222222)\n"
"      --text T        the grievance, at most 4000 bytes\n"
"      --channel CH    phone (default), web, office, janmanch, cmo, email, app\n"
"      --ref R         a linked reference (PSG application, Jan Manch no.)\n"
"      --registered T  when it was received (paper complaints), not after --now\n"
"      --key K         the intake's own ticket id, stored as the ref: a key\n"
"                      already registered prints its complaint, adds nothing\n"
"      --lang hi|en    the citizen's language for messages (default hi),\n"
"                      kept in ledger/corrections.csv when not hi\n";

enum { OPT_CATEGORY = GRV_OPT_FIRST, OPT_LOC, OPT_NAME, OPT_PHONE, OPT_TEXT,
	OPT_CHANNEL, OPT_REF, OPT_REGISTERED, OPT_KEY, OPT_LANG };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "batch",	required_argument,	NULL, 'b' },
	{ "category",	required_argument,	NULL, OPT_CATEGORY },
	{ "loc",	required_argument,	NULL, OPT_LOC },
	{ "name",	required_argument,	NULL, OPT_NAME },
	{ "phone",	required_argument,	NULL, OPT_PHONE },
	{ "text",	required_argument,	NULL, OPT_TEXT },
	{ "channel",	required_argument,	NULL, OPT_CHANNEL },
	{ "ref",	required_argument,	NULL, OPT_REF },
	{ "registered",	required_argument,	NULL, OPT_REGISTERED },
	{ "key",	required_argument,	NULL, OPT_KEY },
	{ "lang",	required_argument,	NULL, OPT_LANG },
	{ NULL, 0, NULL, 0 }
};

/* Check every row of the batch FILE into A: 0 or an exit code. */
static int
read_batch(const struct grv_ctx *ctx, const char *file,
    struct grv_intake_batch *a)
{
	struct grv_intake_raw raw;
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	struct grv_buf where = GRV_BUF_INIT;
	int idx[GRV_IN_COUNT], k, i, dup, rc = 0;
	size_t hnf = 0, nbad = 0, plen, j, d;
	char *path, num[GRV_U64LEN];

	if ((r = grv_csv_open(NULL, file, GRV_CSV_INPUT)) == NULL)
		return GRV_EX_NOINPUT;
	path = grv_strdup(grv_csv_path(r));
	/* "PATH:LINE", the line number put in by hand for every row. */
	grv_buf_adds(&where, path);
	grv_buf_addc(&where, ':');
	plen = where.len;
	while ((k = grv_csv_next(r, &row)) == 1) {
		where.len = plen;
		grv_buf_add(&where, num, grv_fmt_u64(num, row->line));
		if (hnf == 0) {
			hnf = row->nf;
			grv_csv_header_map(row, grv_intake_names, idx);
			/* A column named twice: which one holds the data?
			   Said once, at its second name. */
			for (j = 1; j < hnf; j++) {
				for (d = 0, dup = 0; d < j; d++)
					dup += strcmp(row->f[j], row->f[d]) == 0;
				if (*row->f[j] && dup == 1) {
					grv_err("%s: header names column '%s' "
					    "twice", where.s, row->f[j]);
					rc = GRV_EX_DATAERR;
				}
			}
			for (i = 0; i < GRV_IN_REQUIRED; i++)
				if (idx[i] == -1) {
					grv_err("%s: header has no column '%s'",
					    where.s, grv_intake_names[i]);
					rc = GRV_EX_DATAERR;
				}
			if (rc)
				break;
			continue;
		}
		if (row->nf != hnf) {
			grv_err("%s: %zu fields, the header has %zu", where.s,
			    row->nf, hnf);
			rc = GRV_EX_DATAERR;
			nbad++;
			continue;
		}
		for (i = 0; i < GRV_IN_COUNT; i++) {
			raw.v[i] = idx[i] == -1 ? NULL : row->f[idx[i]];
			raw.len[i] = idx[i] == -1 ? 0 : row->flen[idx[i]];
		}
		if (grv_intake_batch_check(ctx, where.s, &raw, GRV_CH_PHONE,
		    a)) {
			rc = GRV_EX_DATAERR;
			nbad++;
		}
	}
	if (k == -1)
		rc = grv_csv_ioerror(r) ? GRV_EX_IOERR : GRV_EX_DATAERR;
	if (grv_csv_close(r) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	if (nbad)
		grv_err("%s: %zu bad row%s; nothing added", path, nbad,
		    nbad == 1 ? "" : "s");
	if (rc == 0 && hnf == 0) {
		grv_err("%s: empty, expected a header row", path);
		rc = GRV_EX_DATAERR;
	}
	grv_buf_release(&where);
	free(path);
	return rc;
}

/*
 * The language of each new complaint A holds that is not the default, as
 * rows of ledger/corrections.csv queued in XL (locked, its clock checked,
 * before complaints.csv is written), numbered from FIRST as
 * grv_intake_print numbers them.  0 or an exit code.
 */
static int
queue_langs(const struct grv_ctx *ctx, const struct grv_intake_batch *a,
    uint32_t first, struct grv_ledger *xl)
{
	struct grv_xnew *x = NULL;
	size_t i, k = 0;
	int rc = 0;

	for (i = 0; i < a->n; i++) {
		if (a->v[i].id || a->v[i].same)
			continue;		/* registered before */
		if (a->v[i].lang != GRV_LANG_HI) {
			if (x == NULL)
				x = grv_calloc(a->n, sizeof(*x));
			x[k].n = first;
			x[k].field = GRV_XF_LANG;
			x[k].value = grv_lang_names[a->v[i].lang];
			x[k].reason = "registered";
			k++;
		}
		first++;
	}
	if (k && (rc = grv_corr_lock(ctx, xl)) == 0)
		grv_corr_add(ctx, xl, x, k);
	free(x);
	return rc;
}

/*
 * Lock the ledger, number the complaints, write them: 0 or an exit code.
 * *PH gets the earlier complaints of their phones, for the warning.
 */
static int
append(struct grv_ctx *ctx, struct grv_intake_batch *a, uint32_t *first,
    struct grv_phones **ph)
{
	struct grv_ledger lg = GRV_LEDGER_INIT, xl = GRV_LEDGER_INIT;
	struct grv_hix *hx = NULL, *kx = NULL;
	grv_time_t lastreg;
	uint32_t n;
	size_t nnew, nover;
	int rc, isnew;

	/* Before the lock: holding complaints.csv while waiting for a
	   reader's turn at events.csv would turn the writers' lock order. */
	if ((rc = grv_refuse_link(ctx->dir, "ledger")) ||
	    (rc = grv_refuse_link(ctx->dir, "ledger/complaints.csv")) ||
	    (rc = grv_state_verify(ctx, 0)) ||
	    (rc = grv_ledger_lock(&lg, ctx->dir, GRV_COMPLAINTS, ctx->wait)))
		goto out;
	grv_ctx_lock_won(ctx);
	if ((rc = grv_intake_last(ctx, &lg, &n, &lastreg)) ||
	    (rc = grv_ledger_clock(lg.rel, ctx->now, lastreg, NULL,
	    ctx->conf.tz)))
		goto out;
	if (a->n > UINT32_MAX - 1 - n) {
		grv_err("%s: complaint numbers exhausted", lg.rel);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	*first = n + 1;
	/* Under the lock: a retry of a batch that was written sees its
	   keys, whoever wrote them.  The key index, like the phone index,
	   is kept by grv-add alone, under this lock. */
	if (lg.fd != -1)
		kx = grv_hix_open(ctx, GRV_HIX_KEY);
	if ((rc = grv_intake_keys(ctx, &lg, kx, a, &nnew)) != 0)
		goto out;
	/* Under the lock too: two writers cannot both take the last place
	   a per-phone limit leaves.  The phone index is kept by grv-add
	   alone, under this lock. */
	if (nnew && lg.fd != -1)
		hx = grv_hix_open(ctx, GRV_HIX_PHONE);
	if ((rc = grv_phones_gather(ctx, &lg, hx, a, ph)) != 0)
		goto out;
	if ((rc = grv_limit_check(ctx, *ph, a, &nover)) != 0) {
		if (nover)
			grv_err("%zu complaint%s over a per-phone limit; "
			    "nothing added", nover, nover == 1 ? "" : "s");
		goto out;
	}
	if (nnew == 0)
		goto out;
	/* Languages: corrections.csv locked and its clock checked first,
	   written right after complaints.csv.  A new complaints.csv holds
	   the data directory's lock, which a new corrections.csv takes too:
	   then there is no complaint a correction could name, so no row
	   that could stop ours, and corrections.csv is locked after. */
	isnew = lg.dfd != -1;
	if (!isnew && (rc = queue_langs(ctx, a, n + 1, &xl)) != 0)
		goto out;
	grv_intake_batch_add(ctx, &lg, n + 1, a);
	if ((rc = grv_ledger_commit(&lg)) != 0 ||
	    (isnew && (rc = queue_langs(ctx, a, n + 1, &xl)) != 0))
		goto out;
	if (xl.npending)
		rc = grv_ledger_commit(&xl);
	/* Our rows into the index while the lock is ours. */
	if (rc == 0) {
		grv_hix_update(hx);
		grv_hix_update(kx);
	}
out:
	grv_hix_close(kx);
	grv_hix_close(hx);
	grv_ledger_release(&xl);
	grv_ledger_release(&lg);
	return rc;
}

int
main(int argc, char **argv)
{
	struct grv_cmd cmd;
	struct grv_intake_raw raw;
	struct grv_intake_batch a = GRV_INTAKE_BATCH_INIT;
	const char *batch = NULL;
	struct grv_phones *ph = NULL;
	uint32_t first = 0;
	int c, i, rc, given = 0;

	memset(&raw, 0, sizeof(raw));
	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "b:",
	    longopts, NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		if (c == 'b') {
			batch = optarg;
			continue;
		}
		if (c == OPT_LANG && grv_xlang_parse(optarg,
		    strlen(optarg)) == -1)
			grv_usage_error(&cmd, "--lang: unknown language '%s' "
			    "(hi or en)", optarg);
		i = c - OPT_CATEGORY;	/* options follow grv_intake_names */
		raw.v[i] = optarg;
		raw.len[i] = strlen(optarg);
		given++;
	}
	if (optind < argc)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	if (batch && given)
		grv_usage_error(&cmd, "--batch takes the complaints from the "
		    "file, not from options");
	if (!batch && cmd.complete == NULL)
		for (i = 0; i < GRV_IN_REQUIRED; i++)
			if (raw.v[i] == NULL)
				grv_usage_error(&cmd, "--%s is required",
				    grv_intake_names[i]);
	cmd.ctx.who.writer = 1;
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	if ((rc = grv_role_permit(&cmd.ctx, GRV_OP_ADD, -1)) != 0) {
		grv_cmd_release(&cmd);
		return rc;
	}

	if (batch)
		rc = read_batch(&cmd.ctx, batch, &a);
	else if (grv_intake_batch_check(&cmd.ctx, NULL, &raw, GRV_CH_PHONE, &a))
		rc = GRV_EX_DATAERR;
	if (rc == 0 && a.n > 0)
		rc = append(&cmd.ctx, &a, &first, &ph);
	/* Registered all the same: a warning, after the lock is let go
	   (a state that cannot be read says why, and changes nothing). */
	if (rc == 0 && ph)
		(void)grv_repeat_warn(&cmd.ctx, ph, &a, first);
	grv_phones_free(ph);
	if (rc == 0) {
		grv_intake_print(stdout, &cmd.ctx, &a, first);
		rc = grv_close_stdout();
	}
	grv_intake_batch_release(&a);
	grv_cmd_release(&cmd);
	return rc;
}
