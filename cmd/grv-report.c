/* grv-report: grade departments, districts and officers; pending, sla,
 * trend, mapping and feedback figures over a period (SPEC sections 5-6);
 * the closures to call back, what the calls found, the signs of gamed
 * grades, and a district's review pack (SPEC 7.3). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_buf.h"
#include "grv_cmd.h"
#include "grv_format.h"
#include "grv_map.h"
#include "grv_msg.h"
#include "grv_report.h"
#include "grv_parse.h"
#include "grv_report_checkpoint.h"
#include "grv_report_head.h"
#include "grv_report_review.h"
#include "grv_report_union.h"
#include "grv_time.h"
#include "grv_xlsx.h"

enum { OPT_FROM = GRV_OPT_FIRST, OPT_TO, OPT_FORMAT, OPT_DEPT,
	OPT_DISTRICT, OPT_BOM, OPT_LANG, OPT_COMMENT, OPT_SAMPLE, OPT_SEED,
	OPT_PII, OPT_BY, OPT_DETAIL };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "from",	required_argument,	NULL, OPT_FROM },
	{ "to",		required_argument,	NULL, OPT_TO },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "dept",	required_argument,	NULL, OPT_DEPT },
	{ "district",	required_argument,	NULL, OPT_DISTRICT },
	{ "bom",	no_argument,		NULL, OPT_BOM },
	{ "lang",	required_argument,	NULL, OPT_LANG },
	{ "header-comment", no_argument,	NULL, OPT_COMMENT },
	{ "sample",	required_argument,	NULL, OPT_SAMPLE },
	{ "seed",	required_argument,	NULL, OPT_SEED },
	{ "pii",	no_argument,		NULL, OPT_PII },
	{ "by",		required_argument,	NULL, OPT_BY },
	{ "detail",	no_argument,		NULL, OPT_DETAIL },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] =
"KIND [--from T] [--to T] [--format F] [--dept D] [--district L]\n"
"review --district L [--format html|xlsx|csv|json|table] [...]\n"
"callbacks --sample N [--seed S] [--pii] [...]\n"
"verification [--by K] [...] | gaming [--detail] [...]";

#define MAXDIRS		64

/* Formats beside enum grv_fmt: review's page, and the workbook. */
#define FMT_HTML	16
#define FMT_XLSX	17

static const char help[] =
"Aggregate the ledger over the period [--from, --to).  KIND is one of:\n"
"  grading    departments by masters/grading.conf's formula, ranked in groups\n"
"  districts  the same formula per district of the complaint\n"
"  officers   L1 officers: placed, resolved, disposal %, the formula, pending\n"
"  pending    open complaints per department by age (days) and level\n"
"  sla        per department and level: placed, resolved, in time,\n"
"             escalated overdue, median and 90th percentile days, holds\n"
"  trend      per month and department: registered, closed, open at its end\n"
"  mapping    per category: complaints, transfers, where they went most\n"
"  feedback   per department: callbacks by answer, unverified, reopen rate\n"
"  callbacks  satisfied closures to call back, a seeded stratified sample\n"
"  verification  what the calls found, with a 95% Wilson interval\n"
"  gaming     signs of gamed grades past masters/grading.conf's thresholds\n"
"  review     district L's pack for the monthly review (html: an A4 page)\n"
"\n"
"      --from T       start of the period (default: the month of --now)\n"
"      --to T         end of the period, excluded (default: the month's end)\n"
"      --format F     csv (default), tsv, json, table, xlsx; html for review\n"
"      --dept D       only department D\n"
"      --district L   only complaints in district L (districts: only row L)\n"
"      --bom          begin csv or tsv with a UTF-8 byte-order mark (Excel)\n"
"      --lang hi      Hindi names from the masters\n"
"      --header-comment  csv/tsv: a '# ' line first: report, period, as-of\n"
"      --sample N     callbacks: how many; --seed S the draw's (default: time)\n"
"      --pii          callbacks: phones unmasked, and names\n"
"      --by K         verification: dept, district, officer; --detail: ids\n"
"\n"
"Rows stamped after --now or at or after --to are ignored.  table begins\n"
"with a title line; json is one object (report, from, to, now, rows).\n";

static const char *const words[] = { "grading", "districts", "officers",
	"pending", "sla", "trend", "mapping", "feedback", "callbacks",
	"verification", "gaming", "review", NULL };

/* A master code from an option, or exit 65 with a suggestion. */
static int
lookup(const struct grv_masters *m, const struct grv_map *map,
    const char *what, const char *code)
{
	int i;

	if ((i = grv_find_or_suggest_in(m, map, what, code)) == -1)
		exit(GRV_EX_DATAERR);
	return i;
}

/* After the fold: a --dept code the masters no longer list must be one a
   row read names (grv_report_dept), else it is unknown as any code is:
   0, or 65 after saying so. */
static int
dept_met(const struct grv_ctx *ctx, const struct grv_report_opts *o)
{
	if (o->dept_gone == NULL ||
	    grv_report_dept(&ctx->m, o) != GRV_DEPT_UNMET)
		return 0;
	(void)grv_find_or_suggest_in(&ctx->m, &ctx->m.dept_ix, "department",
	    o->dept_gone);
	return GRV_EX_DATAERR;
}

/* The options of one kind only, into O; a usage error otherwise. */
static void
kind_options(struct grv_cmd *cmd, struct grv_report_opts *o,
    const char *sample, const char *seed, int pii, const char *by,
    int detail)
{
	unsigned long long u;
	char *end;
	long v;

	if ((sample || seed || pii) && o->kind != GRV_REP_CALLBACKS)
		grv_usage_error(cmd, "--sample, --seed and --pii are for "
		    "callbacks only");
	if (by && o->kind != GRV_REP_VERIFICATION)
		grv_usage_error(cmd, "--by is for verification only");
	if (detail && o->kind != GRV_REP_GAMING)
		grv_usage_error(cmd, "--detail is for gaming only");
	if (o->kind == GRV_REP_CALLBACKS) {
		if (sample == NULL)
			grv_usage_error(cmd, "callbacks: missing --sample N");
		if (grv_parse_int(sample, 1, 1000000000, &v) == -1)
			grv_usage_error(cmd, "--sample: expected a whole number "
			    "from 1 to 1000000000, not '%s'", sample);
		o->sample = v;
		if (seed) {
			errno = 0;
			u = strtoull(seed, &end, 10);
			if (!*seed || *end || *seed == '-' || errno)
				grv_usage_error(cmd, "--seed: expected a whole "
				    "number from 0 to 18446744073709551615, "
				    "not '%s'", seed);
			o->seed = u;
		}
		o->pii = pii;
	}
	if (by) {
		if (strcmp(by, "dept") == 0)
			o->by = GRV_BY_DEPT;
		else if (strcmp(by, "district") == 0)
			o->by = GRV_BY_DISTRICT;
		else if (strcmp(by, "officer") == 0)
			o->by = GRV_BY_OFFICER;
		else
			grv_usage_error(cmd, "--by: expected dept, district or "
			    "officer, not '%s'", by);
	}
	o->detail = detail;
}

/* The report of O's kind. */
static int
run(const struct grv_ctx *ctx, const struct grv_grading *g,
    const struct grv_report_opts *o, struct grv_table *t)
{
	switch (o->kind) {
	case GRV_REP_CALLBACKS:
		return grv_report_callbacks(ctx, o, t);
	case GRV_REP_VERIFICATION:
		return grv_report_verification(ctx, o, t);
	case GRV_REP_GAMING:
		return grv_report_gaming(ctx, g, o, t);
	}
	return grv_report_run(ctx, g, o, t);
}

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	struct grv_report_opts o;
	struct grv_grading g;
	struct grv_table t = GRV_TABLE_INIT;
	struct grv_buf out = GRV_BUF_INIT;
	const char *from = NULL, *to = NULL, *dept = NULL, *district = NULL;
	const char *lang = "en", *sample = NULL, *seed = NULL, *by = NULL;
	struct grv_report_head head;
	char scope[96];
	struct grv_review rv;
	struct grv_cmd more[MAXDIRS];
	const struct grv_ctx *ctxs[MAXDIRS];
	const char *dirs[MAXDIRS];
	size_t ndirs = 0, i;
	int c, fmt = GRV_FMT_CSV, rc, loc, review = 0, pii = 0, detail = 0;
	unsigned flags = 0;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	cmd.words = words;
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (c == 'd' && ndirs < MAXDIRS)
			dirs[ndirs++] = optarg;
		else if (c == 'd')
			grv_usage_error(&cmd, "at most %d -d", MAXDIRS);
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_TO:
			to = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "html") == 0)
				fmt = FMT_HTML;
			else if (strcmp(optarg, "xlsx") == 0)
				fmt = FMT_XLSX;
			else if ((fmt = grv_fmt_parse(optarg)) == -1)
				grv_usage_error(&cmd, "--format: expected csv, "
				    "tsv, json, table, xlsx or html, not '%s'",
				    optarg);
			break;
		case OPT_DEPT:
			dept = optarg;
			break;
		case OPT_DISTRICT:
			district = optarg;
			break;
		case OPT_BOM:
			flags |= GRV_FMT_BOM;
			break;
		case OPT_COMMENT:
			flags |= GRV_FMT_COMMENT;
			break;
		case OPT_SAMPLE:
			sample = optarg;
			break;
		case OPT_SEED:
			seed = optarg;
			break;
		case OPT_PII:
			pii = 1;
			break;
		case OPT_BY:
			by = optarg;
			break;
		case OPT_DETAIL:
			detail = 1;
			break;
		case OPT_LANG:
			lang = optarg;
			if (strcmp(lang, "en") != 0 && strcmp(lang, "hi") != 0)
				grv_usage_error(&cmd, "--lang: expected en or "
				    "hi, not '%s'", lang);
			break;
		}
	}
	memset(&o, 0, sizeof(o));
	if (cmd.complete == NULL) {
		if (optind == argc)
			grv_usage_error(&cmd, "missing KIND");
		if (optind + 1 < argc)
			grv_usage_error(&cmd, "one KIND only, not '%s'",
			    argv[optind + 1]);
		review = strcmp(argv[optind], "review") == 0;
		if (!review && (o.kind = grv_report_kind(argv[optind])) == -1)
			grv_usage_error(&cmd, "unknown kind '%s' (grading, "
			    "districts, officers, pending, sla, trend, mapping, "
			    "feedback, callbacks, verification, gaming or "
			    "review)", argv[optind]);
		if (!review)
			kind_options(&cmd, &o, sample, seed, pii, by, detail);
		else if (sample || seed || pii || by || detail)
			grv_usage_error(&cmd, "review takes none of --sample, "
			    "--seed, --pii, --by, --detail");
		if (review && !district)
			grv_usage_error(&cmd, "review: --district L is "
			    "required");
		if (review && dept)
			grv_usage_error(&cmd, "review: --dept does not apply "
			    "(the pack covers every department)");
		if (ndirs > 1 && (review || (o.kind != GRV_REP_GRADING &&
		    o.kind != GRV_REP_DISTRICTS)))
			grv_usage_error(&cmd, "several -d: grading and districts "
			    "only");
		if (!review && fmt == FMT_HTML)
			grv_usage_error(&cmd, "--format html is for review "
			    "only");
		if (fmt == FMT_XLSX && isatty(STDOUT_FILENO))
			grv_usage_error(&cmd, "--format xlsx: a workbook is "
			    "binary, send it to a file");
	}
	if (ndirs > 1)
		cmd.ctx.dir = dirs[0];
	/* No libxlsxwriter: say so before the ledger is read. */
	if (cmd.complete == NULL && fmt == FMT_XLSX &&
	    (rc = grv_xlsx_load()) != 0)
		return rc;
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	/* Several directories: each its own context, on the same clock. */
	ctxs[0] = &cmd.ctx;
	for (i = 1; i < ndirs; i++) {
		grv_cmd_init(&more[i], argv, usage, help, longopts);
		more[i].ctx.dir = dirs[i];
		more[i].now_arg = cmd.now_arg;
		more[i].ctx.now_given = cmd.ctx.now_given;
		if ((rc = grv_cmd_load(&more[i])) != 0)
			return rc;
		more[i].ctx.now = cmd.ctx.now;
		ctxs[i] = &more[i].ctx;
	}
	if (from && grv_ctx_parse_time(&cmd.ctx, from, &o.from) == -1)
		grv_usage_error(&cmd, "--from: bad time '%s'", from);
	if (to && grv_ctx_parse_time(&cmd.ctx, to, &o.to) == -1)
		grv_usage_error(&cmd, "--to: bad time '%s'", to);
	if (!from)
		o.from = grv_month_start(to ? o.to - 1 : cmd.ctx.now,
		    cmd.ctx.conf.tz, 0);
	if (!to)
		o.to = grv_month_start(cmd.ctx.now, cmd.ctx.conf.tz, 1);
	if (o.from >= o.to)
		grv_usage_error(&cmd, "the period is empty: --from must come "
		    "before --to");
	/* A code the masters no longer list may be named by old rows:
	   the fold says (dept_met). */
	o.dept = -1;
	if (dept && (o.dept = grv_map_get(&cmd.ctx.m.dept_ix, dept)) == -1)
		o.dept_gone = dept;
	o.district = -1;
	if (district) {
		loc = lookup(&cmd.ctx.m, &cmd.ctx.m.loc_ix, "district", district);
		if (cmd.ctx.m.locs[loc].kind != GRV_LOC_DISTRICT) {
			grv_err("'%s' is not a district", district);
			grv_cmd_release(&cmd);
			return GRV_EX_DATAERR;
		}
		o.district = loc;
	}
	o.hindi = strcmp(lang, "hi") == 0;
	if (!review && o.kind == GRV_REP_CALLBACKS && seed == NULL) {
		o.seed = (uint64_t)cmd.ctx.now;
		grv_err("callbacks: drawn with --seed %llu (give it to draw "
		    "the same list again)", (unsigned long long)o.seed);
	}
	head.kind = review ? "review" : grv_report_names[o.kind];
	head.scope = NULL;
	if (dept || district) {
		snprintf(scope, sizeof(scope), "%s%s%s%s%s",
		    dept ? "department " : "",
		    dept ? dept : "",
		    dept && district ? ", " : "",
		    district ? "district " : "",
		    district ? cmd.ctx.m.locs[o.district].code : "");
		head.scope = scope;
	}
	head.from = o.from;
	head.to = o.to;
	head.now = cmd.ctx.now;
	head.tz = cmd.ctx.conf.tz;
	if ((rc = grv_grading_load(&g, cmd.ctx.dir)) != 0)
		;
	else if (review) {
		if ((rc = grv_review_run(&cmd.ctx, &g, &o, &rv)) == 0) {
			const struct grv_table *pt[GRV_RV_COUNT];

			for (c = 0; c < GRV_RV_COUNT; c++)
				pt[c] = &rv.part[c];
			if (fmt == FMT_XLSX)
				rc = grv_xlsx_write(&head, grv_review_names,
				    pt, GRV_RV_COUNT, STDOUT_FILENO);
			else if (fmt == FMT_HTML)
				grv_review_html(&cmd.ctx, &head, &rv, &out);
			else
				grv_review_write(&head, &rv, fmt, flags, &out);
		}
		grv_review_release(&rv);
	} else if ((ndirs > 1 ? (rc = grv_union_run(ctxs, ndirs, &g, &o, dept,
	    district, &t)) : (rc = run(&cmd.ctx, &g, &o, &t))) == 0 &&
	    (rc = dept_met(&cmd.ctx, &o)) == 0) {
		const struct grv_table *pt = &t;

		if (fmt == FMT_XLSX)
			rc = grv_xlsx_write(&head, &head.kind, &pt, 1,
			    STDOUT_FILENO);
		else
			grv_report_write(&head, &t, fmt, flags, &out);
	}
	/* The checkpoints of the ledgers read (one directory's only). */
	if (rc == 0 && ndirs <= 1)
		rc = grv_report_checkpoints(&cmd.ctx, fmt, &out);
	if (rc == 0 && out.len)
		fwrite(out.s, 1, out.len, stdout);
	grv_buf_release(&out);
	grv_table_release(&t);
	for (i = 1; i < ndirs; i++)
		grv_cmd_release(&more[i]);
	grv_cmd_release(&cmd);
	if (grv_close_stdout() != 0)
		return GRV_EX_IOERR;
	return rc;
}
