/* grv-list: where each complaint stands, filtered. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_cmd.h"
#include "grv_list.h"
#include "grv_msg.h"
#include "grv_parse.h"

enum { OPT_STATUS = GRV_OPT_FIRST, OPT_DEPT, OPT_DISTRICT, OPT_OFFICER,
	OPT_LEVEL, OPT_OLDER, OPT_OVERDUE, OPT_PII, OPT_CATEGORY, OPT_CHANNEL };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "status",	required_argument,	NULL, OPT_STATUS },
	{ "dept",	required_argument,	NULL, OPT_DEPT },
	{ "district",	required_argument,	NULL, OPT_DISTRICT },
	{ "officer",	required_argument,	NULL, OPT_OFFICER },
	{ "level",	required_argument,	NULL, OPT_LEVEL },
	{ "older",	required_argument,	NULL, OPT_OLDER },
	{ "overdue",	no_argument,		NULL, OPT_OVERDUE },
	{ "pii",	no_argument,		NULL, OPT_PII },
	{ "category",	required_argument,	NULL, OPT_CATEGORY },
	{ "channel",	required_argument,	NULL, OPT_CHANNEL },
	{ NULL, 0, NULL, 0 }
};

static const char *const words[] = { "new", "open", "resolved", "closed",
	NULL };

static const char usage[] =
"[--status S] [--dept D] [--district L] [--officer O] [--level N] "
"[--older DAYS] [--overdue] [--category C] [--channel CH] [--pii]";

static const char help[] =
"List complaints as they stand at --now, one CSV row each, in id order:\n"
"id,status,level,dept,officer,loc,district,registered,due,age_days,\n"
"category,channel\n"
"\n"
"      --status S     new, open, hold, resolved or closed (a comma list is fine)\n"
"      --dept D       held by department D\n"
"      --district L   placed in district L\n"
"      --officer O    held by officer O\n"
"      --level N      at level N\n"
"      --older DAYS   registered more than DAYS days before --now\n"
"      --overdue      open and past due at --now\n"
"      --category C   of category C (as corrected by an amend)\n"
"      --channel CH   registered through CH: phone, web, office, janmanch,\n"
"                     cmo, email or app\n"
"      --pii          add name,phone,text (personal data: use with care)\n"
"\n"
"age_days counts whole days from registration to --now.  Every filter\n"
"given must hold.  Rows stamped after --now are ignored, so any past day\n"
"can be listed as it was.\n";

static void
parse_status(const struct grv_cmd *cmd, const char *arg, unsigned *mask)
{
	char *s = grv_strdup(arg), *p, *save = NULL;
	int i;

	for (p = strtok_r(s, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		for (i = GRV_ST_NEW; i < GRV_ST_COUNT; i++)
			if (strcmp(p, grv_status_names[i]) == 0)
				break;
		if (i == GRV_ST_COUNT)
			grv_usage_error(cmd, "--status: unknown status '%s' "
			    "(new, open, resolved or closed)", p);
		*mask |= 1u << i;
	}
	free(s);
	if (*mask == 0)
		grv_usage_error(cmd, "--status: empty");
}

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	struct grv_list_filter fl = GRV_LIST_FILTER_INIT;
	const char *dept = NULL, *district = NULL, *officer = NULL;
	const char *level = NULL, *category = NULL;
	const struct grv_masters *m = &cmd.ctx.m;
	long v;
	int c, rc;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	cmd.words = words;
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_STATUS:
			parse_status(&cmd, optarg, &fl.status);
			break;
		case OPT_DEPT:
			dept = optarg;
			break;
		case OPT_DISTRICT:
			district = optarg;
			break;
		case OPT_OFFICER:
			officer = optarg;
			break;
		case OPT_LEVEL:
			level = optarg;
			break;
		case OPT_OLDER:
			if (grv_parse_int(optarg, 0, 36500, &v) == -1)
				grv_usage_error(&cmd, "--older: bad number of "
				    "days '%s'", optarg);
			fl.older = (grv_time_t)v * 86400;
			break;
		case OPT_OVERDUE:
			fl.overdue = 1;
			break;
		case OPT_PII:
			fl.pii = 1;
			break;
		case OPT_CATEGORY:
			category = optarg;
			break;
		case OPT_CHANNEL:
			for (fl.channel = 0; fl.channel < GRV_CH_COUNT &&
			    strcmp(optarg, grv_channel_names[fl.channel]) != 0;
			    fl.channel++)
				;
			if (fl.channel == GRV_CH_COUNT)
				grv_usage_error(&cmd, "--channel: unknown channel "
				    "'%s' (phone, web, office, janmanch, cmo, "
				    "email or app)", optarg);
			break;
		}
	}
	if (optind != argc && cmd.complete == NULL)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	if (level) {
		if (grv_parse_int(level, 1, cmd.ctx.conf.levels, &v) == -1)
			grv_usage_error(&cmd, "--level: '%s' is not a level "
			    "from 1 to %d", level, cmd.ctx.conf.levels);
		fl.level = (int)v;
	}
	/* A code the masters no longer list may still be named by old rows:
	   the fold tells (grv_list_print). */
	if (dept && grv_dept_find(m, dept) == -1 &&
	    grv_code_okn(dept, strlen(dept)))
		fl.dept_gone = dept, dept = NULL;
	if (category && grv_cat_find(m, category) == -1 &&
	    grv_code_okn(category, strlen(category)))
		fl.category_gone = category, category = NULL;
	if ((dept && (fl.dept = grv_find_or_suggest_in(m, &m->dept_ix,
	    "department", dept)) == -1) ||
	    (district && (fl.district = grv_find_or_suggest_in(m, &m->loc_ix,
	    "district", district)) == -1) ||
	    (officer && (fl.officer = grv_find_or_suggest_in(m,
	    &m->officer_ix, "officer", officer)) == -1) ||
	    (category && (fl.category = grv_find_or_suggest_in(m, &m->cat_ix,
	    "category", category)) == -1)) {
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if (fl.district != -1 &&
	    cmd.ctx.m.locs[fl.district].kind != GRV_LOC_DISTRICT) {
		grv_err("--district: '%s' is a %s, not a district", district,
		    cmd.ctx.m.locs[fl.district].kind == GRV_LOC_STATE ?
		    "state" : cmd.ctx.m.locs[fl.district].kind ==
		    GRV_LOC_TEHSIL ? "tehsil" : "block");
		rc = GRV_EX_DATAERR;
		goto out;
	}

	if ((rc = grv_list_print(stdout, &cmd.ctx, &fl)) == 0)
		rc = grv_close_stdout();
out:
	grv_cmd_release(&cmd);
	return rc;
}
