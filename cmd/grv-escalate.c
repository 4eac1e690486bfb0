/* grv-escalate: the cron sweep.  Every open complaint past its due climbs
 * one level; every resolved one left unanswered past feedback_days closes
 * unverified.  Run it as often, as late and as concurrently as cron likes:
 * the decision is made under the ledger lock from the state as of --now, so
 * a second run at the same --now finds nothing left to do. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_buf.h"
#include "grv_cache.h"
#include "grv_cmd.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_role.h"
#include "grv_sweep.h"
#include "grv_write.h"

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "dry-run",	no_argument,		NULL, 'n' },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] = "[--dry-run] [--quiet]";

static const char help[] =
"The hourly sweep.  Every open complaint whose due is before --now climbs one\n"
"level (event escalate, reason overdue) to the responsible officer there, with\n"
"a due counted from --now; at the top level it stays and counts as defaulted.\n"
"Every resolved complaint the citizen has not answered (or was unreachable)\n"
"for more than feedback_days calendar days after the resolve closes, reason\n"
"unverified.  A second run at the same --now adds nothing; after missed runs\n"
"one run moves each overdue complaint one level only.\n"
"\n"
"  -n, --dry-run      print what would be written; write nothing, not even\n"
"                     cache/ (it is read if present)\n"
"  -q, --quiet        print nothing on stdout (not even the header); stderr\n"
"                     and the exit status are unchanged\n"
"\n"
"Output: id,event,from_level,level,dept,officer,due,reason, one row per event\n"
"written (for a close: the level and officer holding it, due empty).  A\n"
"complaint with no officer anywhere up the tree at the next level stays where\n"
"it is, is named on stderr, and the exit status is 1; so too when complaints\n"
"registered over an hour ago were never placed (status new): every run says\n"
"how many on stderr.\n";

/* Plan the sweep over ST: the complaints the wake index names, or every
   one when it cannot say. */
static int
plan(struct grv_sweep *sw, const struct grv_ctx *ctx,
    const struct grv_state *st)
{
	uint32_t *ids = NULL;
	size_t nids = 0;
	int rc;

	if (grv_cache_due(st, ctx->now, &ids, &nids) == -1)
		return grv_sweep_plan(sw, ctx, st, NULL, 0);
	rc = grv_sweep_plan(sw, ctx, st, ids, nids);
	free(ids);
	return rc;
}

/* Print the plan's rows, unless quiet; then check stdout. */
static int
report(const struct grv_ctx *ctx, const struct grv_sweep *sw, int quiet)
{
	size_t i;

	if (quiet)
		return 0;
	grv_sweep_print_header(stdout);
	for (i = 0; i < sw->n; i++)
		grv_sweep_print(stdout, ctx, &sw->items[i]);
	return grv_close_stdout();
}

static int
dry_run(struct grv_ctx *ctx, int quiet)
{
	struct grv_state st;
	struct grv_sweep sw = GRV_SWEEP_INIT;
	struct grv_fold_opts o;
	int rc, src;

	/* What the writer checks under its lock, without one. */
	if ((rc = grv_ledger_clock("ledger/events.csv", ctx->now,
	    grv_ledger_peek_ts(ctx->dir), NULL, ctx->conf.tz)) != 0)
		return rc;
	grv_cache_readonly(1);
	memset(&o, 0, sizeof(o));
	o.now = ctx->now;
	o.point = 1;		/* records checked as the plan fetches them */
	if ((rc = grv_state_load(&st, ctx, &o)) != 0)
		return rc;
	src = plan(&sw, ctx, &st);
	rc = report(ctx, &sw, quiet);
	grv_setrc(&rc, src);
	grv_sweep_release(&sw);
	grv_state_release(&st);
	return rc;
}

static int
sweep(struct grv_ctx *ctx, int quiet)
{
	struct grv_writer w;
	struct grv_sweep sw = GRV_SWEEP_INIT;
	size_t i;
	int rc, src;

	if ((rc = grv_writer_begin(&w, ctx, 1)) != 0)
		goto out;
	src = plan(&sw, ctx, &w.st);
	if (src == GRV_EX_DATAERR) {	/* a due past 9999: none written */
		rc = src;
		goto out;
	}
	for (i = 0; i < sw.n; i++)
		grv_writer_add(&w, &sw.items[i].ev);
	if ((rc = grv_writer_commit(&w)) != 0)
		goto out;
	/* Everything due is written or named: the next sweep's walk starts
	   here. */
	grv_cache_swept(&w.st, ctx->now, sw.stuck, sw.nstuck);
	/* Written: now say so, for whoever notifies the officers. */
	rc = report(ctx, &sw, quiet);
	grv_setrc(&rc, src);
out:
	grv_sweep_release(&sw);
	grv_writer_release(&w);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	int c, rc, dry = 0, quiet = 0;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "nq",
	    longopts, NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		if (c == 'n')
			dry = 1;
		else if (c == 'q')
			quiet = 1;
	}
	if (optind != argc && cmd.complete == NULL)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	cmd.ctx.who.writer = !dry;
	if (dry)	/* nothing written, cache/masters.bin neither */
		grv_cache_readonly(1);
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	/* A dry run writes nothing: anyone who can read may make one. */
	if (!dry && (rc = grv_role_permit(&cmd.ctx, GRV_OP_SWEEP, -1)) != 0) {
		grv_cmd_release(&cmd);
		return rc;
	}
	rc = dry ? dry_run(&cmd.ctx, quiet) : sweep(&cmd.ctx, quiet);
	grv_cmd_release(&cmd);
	return rc;
}
