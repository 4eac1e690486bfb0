/* grv-gen: generate a realistic helpline's ledgers, for scale tests and
 * the benchmark. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grv_cmd.h"
#include "grv_gen.h"
#include "grv_msg.h"
#include "grv_role.h"

enum { OPT_MONTHS = GRV_OPT_FIRST, OPT_SEED, OPT_START, OPT_MASTERS,
	OPT_QUIET, OPT_PLANT };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "count",	required_argument,	NULL, 'n' },
	{ "months",	required_argument,	NULL, OPT_MONTHS },
	{ "seed",	required_argument,	NULL, OPT_SEED },
	{ "start",	required_argument,	NULL, OPT_START },
	{ "masters",	required_argument,	NULL, OPT_MASTERS },
	{ "plant",	required_argument,	NULL, OPT_PLANT },
	{ NULL,		0,			NULL, 0 }
};

static const char usage[] =
"[-n N] [--months M] [--seed S] [--start DATE] [--now END] [--masters SRC]\n"
"       [--plant FILE]";

static const char help[] =
"Generate N complaints registered over M months, with the lives the grv\n"
"programs would have given them (routing, resolution, callbacks, the\n"
"sweep's escalations, transfers, special and unverified closures), into\n"
"the empty ledgers of the data directory.  The same seed gives the same\n"
"bytes.  Prints one CSV row of counts.\n"
"\n"
"  -n, --count N      complaints to register (default 1000)\n"
"      --months M     span of registrations in months (default 12)\n"
"      --seed S       seed of the generator (default 1)\n"
"      --start DATE   first day (default: M months before --now, else\n"
"                     2025-01-01)\n"
"      --now END      nothing is stamped after END (default: --start plus\n"
"                     M months)\n"
"      --masters SRC  first copy SRC/grv.conf and SRC/masters into the\n"
"                     directory (created when missing)\n"
"      --plant FILE   plant gamed grades at known rates (officers who\n"
"                     force-close, resolve on paper, a bouncing department\n"
"                     pair, habitual callers); FILE gets signal,subject of\n"
"                     each, as grv-report gaming names them\n";

/* T moved by MONTHS calendar months, day clamped to the month's end. */
static grv_time_t
add_months(grv_time_t t, int tz, int months)
{
	int64_t lt = t + (int64_t)tz * 60, day = grv_local_day(t, tz);
	int y, m, d, mi;
	static const int dm[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	grv_civil_from_days(day, &y, &m, &d);
	mi = y * 12 + (m - 1) + months;
	y = mi / 12;
	m = mi % 12 + 1;
	if (d > dm[m - 1])
		d = dm[m - 1];
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		d = 28;
	return (grv_days_from_civil(y, m, d) * 86400 + (lt - day * 86400)) -
	    (int64_t)tz * 60;
}

static uint64_t
number(struct grv_cmd *cmd, const char *opt, const char *s, uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		grv_usage_error(cmd, "%s: bad number '%s'", opt, s);
	return v;
}

/* What --plant planted, into PATH. */
static int
plant_truth(const struct grv_ctx *ctx, const struct grv_plant *pl,
    const char *path)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		grv_err("%s: %s", path, strerror(errno));
		return GRV_EX_CANTCREAT;
	}
	grv_plant_truth(pl, &ctx->m, fp);
	if (ferror(fp) | fclose(fp)) {
		grv_err("%s: write error", path);
		return GRV_EX_IOERR;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	struct grv_gen_opts o;
	struct grv_gen_stats st;
	const char *start = NULL, *masters = NULL, *plant = NULL;
	struct grv_plant pl;
	char a[GRV_TSLEN], b[GRV_TSLEN];
	int c, rc, months = 12;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	/* Test data: never with the group of a setgid install. */
	if ((rc = grv_role_drop()) != 0)
		return rc;
	memset(&o, 0, sizeof(o));
	o.n = 1000;
	o.seed = 1;
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "n:",
	    longopts, NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case 'n':
			o.n = number(&cmd, "--count", optarg, 100000000);
			break;
		case OPT_MONTHS:
			months = (int)number(&cmd, "--months", optarg, 240);
			if (months == 0)
				grv_usage_error(&cmd, "--months: at least 1");
			break;
		case OPT_SEED:
			o.seed = number(&cmd, "--seed", optarg, UINT64_MAX);
			break;
		case OPT_START:
			start = optarg;
			break;
		case OPT_MASTERS:
			masters = optarg;
			break;
		case OPT_PLANT:
			plant = optarg;
			break;
		}
	}
	if (optind < argc)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	if (masters) {
		if (cmd.ctx.dir == NULL &&
		    (cmd.ctx.dir = getenv("GRV_DIR")) == NULL)
			cmd.ctx.dir = ".";
		if ((rc = grv_gen_copy_masters(masters, cmd.ctx.dir)) != 0)
			return rc;
	}
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	if (start && grv_ctx_parse_time(&cmd.ctx, start, &o.start) == -1)
		grv_usage_error(&cmd, "--start: bad time '%s'", start);
	if (start == NULL && !cmd.ctx.now_given)
		grv_ctx_parse_time(&cmd.ctx, "2025-01-01", &o.start);
	else if (start == NULL)
		o.start = add_months(cmd.ctx.now, cmd.ctx.conf.tz, -months);
	o.end = cmd.ctx.now_given ? cmd.ctx.now :
	    add_months(o.start, cmd.ctx.conf.tz, months) - 1;
	if (o.end <= o.start)
		grv_usage_error(&cmd, "--now must come after --start");
	if (plant) {
		grv_plant_init(&pl, &cmd.ctx.m, o.seed, o.n);
		o.plant = &pl;
	}
	if ((rc = grv_gen_run(&cmd.ctx, &o, &st)) != 0 ||
	    (plant && (rc = plant_truth(&cmd.ctx, &pl, plant)) != 0)) {
		if (plant)
			grv_plant_release(&pl);
		grv_cmd_release(&cmd);
		return rc;
	}
	if (plant)
		grv_plant_release(&pl);
	grv_ctx_ts(&cmd.ctx, o.start, a);
	grv_ctx_ts(&cmd.ctx, o.end, b);
	printf("complaints,events,new,open,closed_satisfied,closed_forced,"
	    "closed_unverified,closed_duplicate,escalations,transfers,start,"
	    "end\n");
	printf("%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%s,%s\n",
	    (unsigned long long)st.complaints, (unsigned long long)st.events,
	    (unsigned long long)st.fresh, (unsigned long long)st.open,
	    (unsigned long long)st.closed[0], (unsigned long long)st.closed[1],
	    (unsigned long long)st.closed[2], (unsigned long long)st.closed[3],
	    (unsigned long long)st.escalations,
	    (unsigned long long)st.transfers, a, b);
	grv_cmd_release(&cmd);
	return grv_close_stdout();
}
