/* grv-route: place new complaints with the responsible officer; transfer an
 * open complaint to another department. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_cmd.h"
#include "grv_intake.h"
#include "grv_msg.h"
#include "grv_role.h"
#include "grv_route.h"
#include "grv_rules.h"
#include "grv_state.h"


static const char usage[] =
"[-] [--quiet]\n"
"--transfer ID --dept D --reason R [--category C]";

static const char help[] =
"Place complaints with the officer responsible for their department and\n"
"place: the category's department at its start level, the officer whose\n"
"jurisdiction is the complaint's location or its nearest ancestor, due\n"
"after the level's time limit.  Without an argument every new complaint is\n"
"placed; with '-' the ids in the first CSV column of standard input (a\n"
"header row 'id' is skipped), so 'grv-add ... | grv-route -' works.  A\n"
"complaint no active officer can take stays new: it is named on standard\n"
"error and the exit status is 1.\n"
"\n"
"  -q, --quiet         print nothing on stdout (not even the header); stderr\n"
"                      still names every complaint left new\n"
"      --transfer ID   move the open complaint ID to another department\n"
"                      (wrong mapping), at its current level, with a fresh\n"
"                      due; at most 3 transfers per complaint\n"
"      --dept D        the department it goes to\n"
"      --reason R      why (required with --transfer)\n"
"      --category C    also correct its category to C, one of D's (an\n"
"                      'amend' row before the transfer); the due follows C\n";

enum { OPT_TRANSFER = GRV_OPT_FIRST, OPT_DEPT, OPT_REASON, OPT_CATEGORY };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "transfer",	required_argument,	NULL, OPT_TRANSFER },
	{ "dept",	required_argument,	NULL, OPT_DEPT },
	{ "reason",	required_argument,	NULL, OPT_REASON },
	{ "category",	required_argument,	NULL, OPT_CATEGORY },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

struct events {
	struct grv_newevent	*v;
	size_t			 n, cap;
};

static void
push(struct events *a, const struct grv_newevent *ne)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = grv_reallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n++] = *ne;
}

/* Place complaint N and keep its event for the output. */
static int
route_one(struct grv_writer *w, uint32_t n, const struct grv_cstate *cs,
    struct events *out)
{
	struct grv_newevent ne;
	int rc;

	if ((rc = grv_route_one(w, n, cs, &ne)) == 0)
		push(out, &ne);
	return rc;
}

static int
route(struct grv_ctx *ctx, int from_stdin, int quiet)
{
	struct grv_writer w;
	struct events out = { NULL, 0, 0 };
	struct grv_cstate *cs;
	const char *why;
	char **ids = NULL;
	size_t nids = 0, i;
	uint32_t n;
	int rc = 0, wrc;

	if (from_stdin && (rc = grv_read_ids("-", ctx->conf.node, &ids,
	    &nids)) != 0)
		goto done;
	if ((rc = grv_writer_begin(&w, ctx, 1)) != 0)
		goto out;
	if (from_stdin) {
		for (i = 0; i < nids; i++) {
			if ((cs = grv_writer_find(&w, ids[i], &n)) == NULL) {
				grv_setrc(&rc, GRV_EX_SOME);
				continue;
			}
			if ((why = grv_event_refused(cs, GRV_EV_ROUTE, 0))) {
				grv_err("%s: %s", ids[i], why);
				grv_setrc(&rc, GRV_EX_SOME);
				continue;
			}
			grv_setrc(&rc, route_one(&w, n, cs, &out));
		}
	} else {
		for (n = 1; n <= w.st.n; n++)
			if ((cs = grv_state_get(&w.st, n)) != NULL &&
			    cs->status == GRV_ST_NEW)
				grv_setrc(&rc, route_one(&w, n, cs, &out));
	}
	if (rc == GRV_EX_DATAERR)	/* a due past 9999: none written */
		goto out;
	if ((wrc = grv_writer_commit(&w)) != 0) {
		rc = wrc;
		goto out;
	}
	grv_writer_unlock(&w);
	if (!quiet) {
		grv_print_event_header(stdout);
		grv_print_events(stdout, ctx, out.v, out.n);
	}
	if ((wrc = grv_close_stdout()) != 0)
		rc = wrc;
out:
	grv_writer_release(&w);
done:
	for (i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	free(out.v);
	return rc;
}

/*
 * Transfer complaint ID to department DCODE; with CCODE, first an amend of
 * its category to CCODE (one of DCODE's), in the same append, so that the
 * transfer's due follows that category (SPEC 7.1, 7.2).
 */
static int
transfer(struct grv_ctx *ctx, const char *id, const char *dcode,
    const char *reason, const char *ccode)
{
	struct grv_writer w;
	struct grv_newevent ne[2];
	const char *sug;
	int dept, cat = -1, rc, fault;
	size_t k = 0;

	if ((dept = grv_dept_find(&ctx->m, dcode)) == -1) {
		if ((sug = grv_suggest_in(&ctx->m, &ctx->m.dept_ix, dcode)) != NULL)
			grv_err("--dept: unknown department '%s' (did you mean "
			    "'%s'?)", dcode, sug);
		else
			grv_err("--dept: unknown department '%s'", dcode);
		return GRV_EX_DATAERR;
	}
	if ((fault = grv_rule_freetext(reason, strlen(reason), 1)) !=
	    GRV_TEXT_OK) {
		grv_rule_value_err("--reason", fault, GRV_TEXT_MAX,
		    strlen(reason));
		return GRV_EX_DATAERR;
	}
	if (ccode && (cat = grv_transfer_category(ctx, ccode, dept)) == -1)
		return GRV_EX_DATAERR;
	if ((rc = grv_writer_begin(&w, ctx, 1)) != 0)
		goto out;
	if ((rc = grv_transfer(&w, id, dept, cat, reason, ne, &k)) != 0)
		goto out;
	if ((rc = grv_writer_commit(&w)) != 0)
		goto out;
	grv_writer_unlock(&w);
	grv_print_event_header(stdout);
	grv_print_events(stdout, ctx, ne + 1 - k, 1 + k);
	rc = grv_close_stdout();
out:
	grv_writer_release(&w);
	return rc;
}

int
main(int argc, char **argv)
{
	struct grv_cmd cmd;
	const char *xfer = NULL, *dept = NULL, *reason = NULL, *cat = NULL;
	int c, rc, from_stdin = 0, quiet = 0;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "q", longopts,
	    NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_TRANSFER:
			xfer = optarg;
			break;
		case OPT_DEPT:
			dept = optarg;
			break;
		case OPT_REASON:
			reason = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_CATEGORY:
			cat = optarg;
			break;
		}
	}
	if (optind < argc && strcmp(argv[optind], "-") == 0) {
		from_stdin = 1;
		optind++;
	}
	if (optind < argc)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	if (xfer) {
		if (from_stdin)
			grv_usage_error(&cmd, "--transfer moves one complaint; "
			    "it reads no ids from '-'");
		if (dept == NULL || reason == NULL)
			grv_usage_error(&cmd, "--transfer needs --dept and "
			    "--reason");
		if (quiet)
			grv_usage_error(&cmd, "--quiet goes with placing new "
			    "complaints, not with --transfer");
	} else if (dept || reason || cat)
		grv_usage_error(&cmd, "--dept, --reason and --category go "
		    "with --transfer");
	cmd.ctx.who.writer = 1;
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	if ((rc = grv_role_permit(&cmd.ctx, xfer ? GRV_OP_TRANSFER :
	    GRV_OP_ROUTE, -1)) != 0) {
		grv_cmd_release(&cmd);
		return rc;
	}
	rc = xfer ? transfer(&cmd.ctx, xfer, dept, reason, cat) :
	    route(&cmd.ctx, from_stdin, quiet);
	grv_cmd_release(&cmd);
	return rc;
}
