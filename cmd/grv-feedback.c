/* grv-feedback: the citizen's answer on the callback after a resolve; the
 * citizen's word that reopens a closed complaint or ends a hold; the
 * verification call about a closed one. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_cmd.h"
#include "grv_life.h"
#include "grv_msg.h"
#include "grv_role.h"
#include "grv_place.h"
#include "grv_write.h"

enum { OPT_SATISFIED = GRV_OPT_FIRST, OPT_UNSATISFIED, OPT_UNREACHABLE,
	OPT_REOPEN, OPT_SUPPLIED, OPT_CALLBACK, OPT_RATING, OPT_CALLED };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "satisfied",	 no_argument,		NULL, OPT_SATISFIED },
	{ "unsatisfied", no_argument,		NULL, OPT_UNSATISFIED },
	{ "unreachable", no_argument,		NULL, OPT_UNREACHABLE },
	{ "reopen",	 no_argument,		NULL, OPT_REOPEN },
	{ "supplied",	 no_argument,		NULL, OPT_SUPPLIED },
	{ "callback",	 required_argument,	NULL, OPT_CALLBACK },
	{ "note",	 required_argument,	NULL, 'n' },
	{ "rating",	 required_argument,	NULL, OPT_RATING },
	{ "called",	 required_argument,	NULL, OPT_CALLED },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] =
"ID (--satisfied | --unsatisfied) [--rating 1..5] [--called TIME] [--note N]\n"
"ID --unreachable [--called TIME] [--note N]\n"
"ID (--reopen | --supplied) [--note N]\n"
"ID --callback confirmed|disputed|unreachable [--note N]";

static const char help[] =
"Record the citizen's answer about a resolved complaint.\n"
"\n"
"      --satisfied    the complaint closes as satisfied\n"
"      --unsatisfied  it climbs one level at once to the officer there, with a\n"
"                     fresh due (at the top level it goes back to the top\n"
"                     level's officer with a fresh due)\n"
"      --unreachable  recorded; if no answer comes within feedback_days the\n"
"                     sweep (grv-escalate) closes it as unverified\n"
"      --reopen       a closed complaint, on the citizen's word, within\n"
"                     reopen_days of its close and at most reopen_max times:\n"
"                     one level up (the top stays the top), fresh due\n"
"      --supplied     the citizen supplied what a hold asked for: it resumes\n"
"                     with the time that was left of its limit\n"
"      --callback R   a verification call about a closed complaint, by the\n"
"                     cmo or admin role (the actor is who called): R is\n"
"                     confirmed, disputed or unreachable.  A disputed call\n"
"                     on a complaint closed satisfied reopens it one level\n"
"                     up (reason callback) under the rules of --reopen;\n"
"                     when they refuse, the call alone is recorded, with a\n"
"                     warning and exit 1\n"
"  -n, --note N       a remark from the call, kept with the answer\n"
"      --rating R     with --satisfied or --unsatisfied: the citizen's\n"
"                     rating of the service, 1 to 5 (5 best), a 'rate' row\n"
"      --called TIME  when the call was made (not before the resolve, nor\n"
"                     the ledger's last row, nor after now): the rows'\n"
"                     time\n"
"\n"
"Output: id,event,level,dept,officer,due of the rows added.  An answer the\n"
"complaint's state does not allow is refused (exit 65, ledger unchanged).\n";

/* A row of KIND with REASON about complaint N in state CS, placing
   nothing, into NE. */
static void
plain_row(struct grv_newevent *ne, uint32_t n, int kind,
    const struct grv_cstate *cs, int reason, const char *note)
{
	memset(ne, 0, sizeof(*ne));
	ne->n = n;
	ne->kind = kind;
	ne->level = cs->level;
	ne->dept = cs->dept;
	ne->officer = -1;
	ne->due = GRV_TIME_NONE;
	ne->reason = grv_reason_names[reason];
	ne->note = note;
}

/* The rows of a satisfied, unsatisfied or unreachable answer into NE,
   with RATING (NULL: none) a rate row just after the feedback: how many,
   *RC set to an exit code when none can be written. */
static int
answer_rows(const struct grv_ctx *ctx, const struct grv_cstate *cs,
    uint32_t n, int reason, const char *note, const char *rating,
    struct grv_newevent ne[3], struct grv_buf *vacant, int *rc)
{
	char id[48];
	int from, level, officer, k, r = rating != NULL;
	grv_time_t due;

	memset(ne, 0, 3 * sizeof(*ne));
	plain_row(&ne[0], n, GRV_EV_FEEDBACK, cs, reason, note);
	ne[1] = ne[0];
	ne[1].note = NULL;
	if (r) {
		ne[1].kind = GRV_EV_RATE;
		ne[1].reason = rating;
		ne[2] = ne[0];
		ne[2].note = NULL;
	}
	if (reason == GRV_R_SATISFIED) {
		ne[1 + r].kind = GRV_EV_CLOSE;
		return 2 + r;
	}
	if (reason != GRV_R_UNSATISFIED)
		return 1;
	/* Its post vacant: placed as a route or a climb is. */
	from = grv_unsatisfied_level(&ctx->conf, cs);
	if ((k = grv_place_up(ctx, NULL, cs, cs->dept, from, ctx->now,
	    &level, &officer, &due, vacant)) == -2) {
		*rc = grv_due_refused(ctx, n, due);
		return 0;
	}
	if (k == -1) {
		grv_id_format(ctx->conf.node, n, id, sizeof(id));
		grv_err("%s: no active officer of %s at level %d or any level "
		    "above for %s or above; not escalated", id,
		    ctx->m.depts[cs->dept].code, from,
		    ctx->m.locs[cs->loc].code);
		*rc = GRV_EX_DATAERR;
		return 0;
	}
	ne[1 + r].kind = GRV_EV_ESCALATE;
	ne[1 + r].note = vacant->s;
	ne[1 + r].level = level;
	ne[1 + r].officer = officer;
	ne[1 + r].due = due;
	return 2 + r;
}

/* A verification call with REASON (GRV_R_CONFIRMED, GRV_R_DISPUTED or
   GRV_R_UNREACHABLE) about closed complaint N into NE: how many rows, 0
   after saying why none can be written (*RC an exit code).  A disputed
   call on a satisfied closure brings its reopen (SPEC 7.2) when the rules
   of reopen allow; when they do not, the call alone, its ref
   GRV_CB_ALONE, *RC 1 (said). */
static int
callback_rows(const struct grv_ctx *ctx, const struct grv_cstate *cs,
    uint32_t n, int reason, const char *note, struct grv_newevent ne[2],
    struct grv_buf *vacant, int *rc)
{
	const char *why;
	char id[48];

	grv_id_format(ctx->conf.node, n, id, sizeof(id));
	if ((why = grv_event_refused(cs, GRV_EV_CALLBACK, reason))) {
		grv_err("%s: %s (it is %s)", id, why,
		    grv_status_names[cs->status]);
		*rc = GRV_EX_DATAERR;
		return 0;
	}
	plain_row(&ne[0], n, GRV_EV_CALLBACK, cs, reason, note);
	if (reason != GRV_R_DISPUTED || cs->close_reason != GRV_R_SATISFIED)
		return 1;
	if ((why = grv_reopen_refused(&ctx->conf, cs, ctx->now)) != NULL) {
		grv_err("%s: warning: the disputed call is recorded but the complaint "
		    "is not reopened: %s", id, why);
		/* Marked so: the call owes no reopen whatever the conf says
		   later (grv_rules_owed). */
		ne[0].ref = GRV_CB_ALONE;
		*rc = GRV_EX_SOME;
		return 1;
	}
	if ((*rc = grv_reopen_event(ctx, cs, n, GRV_R_CALLBACK, NULL, &ne[1],
	    vacant)) != 0)
		return 0;
	return 2;
}

/* The citizen's word that reopens a closed complaint (GRV_R_CITIZEN) or
   ends a hold (GRV_R_SUPPLIED): its row into NE[0]; 0 or an exit code. */
static int
word(const struct grv_ctx *ctx, const struct grv_cstate *cs, uint32_t n,
    int reason, const char *note, struct grv_newevent *ne,
    struct grv_buf *said)
{
	const char *why;
	char id[48];
	int rc;

	if (reason == GRV_R_CITIZEN)
		return grv_reopen_event(ctx, cs, n, reason, note, ne, said);
	if ((why = grv_event_refused(cs, GRV_EV_RESUME, reason))) {
		grv_id_format(ctx->conf.node, n, id, sizeof(id));
		grv_err("%s: %s (it is %s)", id, why,
		    grv_status_names[cs->status]);
		return GRV_EX_DATAERR;
	}
	rc = grv_resume_event(ctx, cs, n, reason, ne);
	ne->note = note;
	return rc;
}

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	struct grv_writer w;
	struct grv_newevent ne[3];
	struct grv_buf vacant = GRV_BUF_INIT;	/* a row's note, till written */
	const char *note = NULL, *id, *refused, *rating = NULL,
	    *called = NULL;
	struct grv_cstate *cs;
	int c, rc, reason = GRV_R_NONE, nev = 0, i, callback = 0, some = 0;
	grv_time_t at = GRV_TIME_NONE;
	uint32_t n;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "n:",
	    longopts, NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_SATISFIED:
		case OPT_UNSATISFIED:
		case OPT_UNREACHABLE:
		case OPT_REOPEN:
		case OPT_SUPPLIED:
			i = c == OPT_SATISFIED ? GRV_R_SATISFIED :
			    c == OPT_UNSATISFIED ? GRV_R_UNSATISFIED :
			    c == OPT_UNREACHABLE ? GRV_R_UNREACHABLE :
			    c == OPT_REOPEN ? GRV_R_CITIZEN : GRV_R_SUPPLIED;
			if (callback || (reason != GRV_R_NONE && reason != i))
				grv_usage_error(&cmd, "one answer only: "
				    "--satisfied, --unsatisfied, "
				    "--unreachable, --reopen or --supplied");
			reason = i;
			break;
		case OPT_CALLBACK:
			i = strcmp(optarg, "confirmed") == 0 ? GRV_R_CONFIRMED :
			    strcmp(optarg, "disputed") == 0 ? GRV_R_DISPUTED :
			    strcmp(optarg, "unreachable") == 0 ?
			    GRV_R_UNREACHABLE : GRV_R_NONE;
			if (i == GRV_R_NONE)
				grv_usage_error(&cmd, "--callback: expected "
				    "confirmed, disputed or unreachable, not "
				    "'%s'", optarg);
			if (reason != GRV_R_NONE)
				grv_usage_error(&cmd, "one answer only: "
				    "--callback goes with no other");
			reason = i;
			callback = 1;
			break;
		case 'n':
			note = optarg;
			break;
		case OPT_RATING:
			rating = optarg;
			break;
		case OPT_CALLED:
			called = optarg;
			break;
		}
	}
	if (cmd.complete == NULL) {
		if (optind + 1 != argc)
			grv_usage_error(&cmd, optind == argc ?
			    "missing complaint ID" : "one complaint ID only");
		if (reason == GRV_R_NONE)
			grv_usage_error(&cmd, "missing the answer: "
			    "--satisfied, --unsatisfied, --unreachable, "
			    "--reopen, --supplied or --callback");
		if (rating && reason != GRV_R_SATISFIED &&
		    reason != GRV_R_UNSATISFIED)
			grv_usage_error(&cmd, "--rating goes with --satisfied "
			    "or --unsatisfied");
		if (called && (callback || reason == GRV_R_CITIZEN ||
		    reason == GRV_R_SUPPLIED))
			grv_usage_error(&cmd, "--called goes with the answer "
			    "to a call: --satisfied, --unsatisfied or "
			    "--unreachable");
		if (rating && grv_rating_parse(rating, strlen(rating)) == -1)
			grv_usage_error(&cmd, "--rating: '%s' is not a whole "
			    "number from 1 to 5", rating);
	}
	cmd.ctx.who.writer = 1;
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	if ((rc = grv_role_permit(&cmd.ctx, callback ? GRV_OP_CALLBACK :
	    GRV_OP_FEEDBACK, -1)) != 0) {
		grv_cmd_release(&cmd);
		return rc;
	}
	id = argv[optind];
	if (called && grv_ctx_parse_time(&cmd.ctx, called, &at) == -1)
		grv_usage_error(&cmd, "--called: bad time '%s' (YYYY-MM-DD"
		    "[THH:MM[:SS]][+HH:MM|Z])", called);
	if (note && grv_text_check("note", note, 0) == -1) {
		grv_cmd_release(&cmd);
		return GRV_EX_DATAERR;
	}

	if ((rc = grv_writer_begin(&w, &cmd.ctx, 1)) != 0)
		goto out;
	if ((cs = grv_writer_find(&w, id, &n)) == NULL) {
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if (callback) {
		nev = callback_rows(&cmd.ctx, cs, n, reason, note, ne,
		    &vacant, &rc);
		if (rc == GRV_EX_SOME) {
			some = 1;
			rc = 0;
		}
	} else if (reason == GRV_R_CITIZEN || reason == GRV_R_SUPPLIED) {
		rc = word(&cmd.ctx, cs, n, reason, note, ne, &vacant);
		if (rc != 0)
			goto out;
		nev = 1;
	} else if ((refused = grv_event_refused(cs, GRV_EV_FEEDBACK,
	    reason))) {
		grv_err("%s: %s (it is %s)", id, refused,
		    grv_status_names[cs->status]);
		rc = GRV_EX_DATAERR;
		goto out;
	} else if (called && (rc = grv_call_time(&w, cs, id, at)) != 0)
		goto out;
	else
		nev = answer_rows(&cmd.ctx, cs, n, reason, note, rating, ne,
		    &vacant, &rc);
	if (rc != 0)
		goto out;
	for (i = 0; i < nev; i++)
		grv_writer_add(&w, &ne[i]);
	if ((rc = grv_writer_commit(&w)) != 0)
		goto out;
	grv_writer_unlock(&w);
	grv_print_event_header(stdout);
	for (i = 0; i < nev; i++)
		grv_print_event(stdout, &cmd.ctx, &ne[i]);
	rc = grv_close_stdout();
	if (rc == 0 && some)
		rc = GRV_EX_SOME;
out:
	grv_buf_release(&vacant);
	grv_writer_release(&w);
	grv_cmd_release(&cmd);
	return rc;
}
