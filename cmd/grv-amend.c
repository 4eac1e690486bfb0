/* grv-amend: correct a complaint's place or category, and place it again
 * with the officer the corrected field makes responsible; or correct the
 * citizen's name or phone (ledger/corrections.csv). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_amend.h"
#include "grv_cmd.h"
#include "grv_correct.h"
#include "grv_life.h"
#include "grv_msg.h"
#include "grv_role.h"
#include "grv_write.h"

enum { OPT_LOC = GRV_OPT_FIRST, OPT_CATEGORY, OPT_REASON, OPT_NAME, OPT_PHONE };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "loc",	required_argument,	NULL, OPT_LOC },
	{ "category",	required_argument,	NULL, OPT_CATEGORY },
	{ "reason",	required_argument,	NULL, OPT_REASON },
	{ "name",	required_argument,	NULL, OPT_NAME },
	{ "phone",	required_argument,	NULL, OPT_PHONE },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] =
"ID (--loc L | --category C | --name N | --phone P) --reason R";

static const char help[] =
"Correct the location or the category a complaint was registered with, and\n"
"place it again with the officer responsible for the corrected field, at\n"
"its current level, with a fresh due: an 'amend' row, then a 'move' (same\n"
"department) or a 'transfer' (a category of another department; at most 3\n"
"transfers per complaint) in the same append.  A new complaint is only\n"
"amended: grv-route places it by the corrected field.\n"
"\n"
"      --loc L         the right district, tehsil or block\n"
"      --category C    the right category\n"
"      --name N        the citizen's name, corrected\n"
"      --phone P       the citizen's phone, corrected (as grv-add takes it)\n"
"      --reason R      why (at least two words), kept with the placement\n"
"                      or the correction\n"
"\n"
"Only a new or open complaint can be amended.  Output: id,event,level,\n"
"dept,officer,due of the rows added.  A name or a phone, of any complaint,\n"
"is corrected in ledger/corrections.csv (complaints.csv is never\n"
"rewritten); output: id,field,value.\n";

/* The index of CODE in MAP (WHAT, for messages), or -1 after saying why. */
static int
lookup(const struct grv_map *map, const char *opt, const char *what,
    const char *code)
{
	const char *sug;
	int ix;

	if ((ix = grv_map_get(map, code)) != -1)
		return ix;
	if ((sug = grv_suggest(map, code)) != NULL)
		grv_err("--%s: unknown %s '%s' (did you mean '%s'?)", opt, what,
		    code, sug);
	else
		grv_err("--%s: unknown %s '%s'", opt, what, code);
	return -1;
}

static int
amend(struct grv_ctx *ctx, const char *id, const char *loc, const char *cat,
    const char *reason)
{
	struct grv_writer w;
	struct grv_newevent ne[2];
	size_t k = 0;
	int field, code, rc;

	if (grv_text_check("reason", reason, 2) == -1)
		return GRV_EX_DATAERR;
	field = loc ? GRV_R_LOC : GRV_R_CATEGORY;
	code = loc ? lookup(&ctx->m.loc_ix, "loc", "location", loc) :
	    lookup(&ctx->m.cat_ix, "category", "category", cat);
	if (code == -1)
		return GRV_EX_DATAERR;
	if (loc && ctx->m.locs[code].kind == GRV_LOC_STATE) {
		grv_err("--loc: '%s' is the state; a complaint needs a "
		    "district, tehsil or block", loc);
		return GRV_EX_DATAERR;
	}
	if ((rc = grv_writer_begin(&w, ctx, 1)) != 0)
		goto out;
	if ((rc = grv_amend(&w, id, field, code, reason, ne, &k)) != 0 ||
	    (rc = grv_writer_commit(&w)) != 0)
		goto out;
	grv_writer_unlock(&w);
	grv_print_event_header(stdout);
	grv_print_events(stdout, ctx, ne, k);
	rc = grv_close_stdout();
out:
	grv_writer_release(&w);
	return rc;
}

/* Correct the citizen's FIELD (GRV_XF_NAME, GRV_XF_PHONE) of complaint ID
   to VALUE: a row of ledger/corrections.csv. */
static int
correct(struct grv_ctx *ctx, const char *id, int field, const char *value,
    const char *reason)
{
	struct grv_writer w;
	struct grv_xnew x;
	const char *why;
	char *v = NULL;
	int rc;

	if (grv_text_check("reason", reason, 2) == -1)
		return GRV_EX_DATAERR;
	if (grv_corr_value(field, value, strlen(value), &v, &why) == -1) {
		grv_err("--%s: bad %s '%s' (%s)", grv_xfield_names[field],
		    grv_xfield_names[field], value, why);
		return GRV_EX_DATAERR;
	}
	/* The events ledger locked and folded: the complaint exists, and
	   a damaged ledger is refused as by every writer. */
	if ((rc = grv_writer_begin(&w, ctx, 1)) != 0)
		goto out;
	if (grv_writer_find(&w, id, &x.n) == NULL) {
		rc = GRV_EX_DATAERR;
		goto out;
	}
	x.field = field;
	x.value = v;
	x.reason = reason;
	if ((rc = grv_corr_append(ctx, &x, 1)) != 0)
		goto out;
	printf("id,field,value\n%s,%s,%s\n", id, grv_xfield_names[field], v);
	rc = grv_close_stdout();
out:
	grv_writer_release(&w);
	free(v);
	return rc;
}

int
main(int argc, char **argv)
{
	struct grv_cmd cmd;
	const char *loc = NULL, *cat = NULL, *reason = NULL, *name = NULL;
	const char *phone = NULL;
	int c, rc;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_LOC:
			loc = optarg;
			break;
		case OPT_CATEGORY:
			cat = optarg;
			break;
		case OPT_REASON:
			reason = optarg;
			break;
		case OPT_NAME:
			name = optarg;
			break;
		case OPT_PHONE:
			phone = optarg;
			break;
		}
	}
	if (cmd.complete == NULL) {
		if (optind + 1 != argc)
			grv_usage_error(&cmd, optind == argc ?
			    "missing complaint ID" : "one complaint ID only");
		if ((loc != NULL) + (cat != NULL) + (name != NULL) +
		    (phone != NULL) != 1)
			grv_usage_error(&cmd, "one field to correct: --loc, "
			    "--category, --name or --phone");
		if (reason == NULL)
			grv_usage_error(&cmd, "missing --reason");
	}
	cmd.ctx.who.writer = 1;
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	if ((rc = grv_role_permit(&cmd.ctx, GRV_OP_AMEND, -1)) != 0)
		;
	else if (name || phone)
		rc = correct(&cmd.ctx, argv[optind], name ? GRV_XF_NAME :
		    GRV_XF_PHONE, name ? name : phone, reason);
	else
		rc = amend(&cmd.ctx, argv[optind], loc, cat, reason);
	grv_cmd_release(&cmd);
	return rc;
}
