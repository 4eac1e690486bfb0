/* grv-resolve: an officer reports a complaint redressed, replies in the
 * interim, asks the citizen for information (a hold), or (level 3 and
 * above) closes it specially. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_buf.h"
#include "grv_cmd.h"
#include "grv_life.h"
#include "grv_msg.h"
#include "grv_role.h"
#include "grv_write.h"

enum { OPT_REF = GRV_OPT_FIRST, OPT_INTERIM, OPT_FORCE, OPT_HOLD, OPT_DUP };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "officer",	required_argument,	NULL, 'o' },
	{ "reason",	required_argument,	NULL, 'r' },
	{ "ref",	required_argument,	NULL, OPT_REF },
	{ "interim",	no_argument,		NULL, OPT_INTERIM },
	{ "force",	no_argument,		NULL, OPT_FORCE },
	{ "hold",	no_argument,		NULL, OPT_HOLD },
	{ "duplicate-of", required_argument,	NULL, OPT_DUP },
	{ "note",	required_argument,	NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] =
"ID --officer O --reason R [--ref REF]\n"
"ID --officer O --interim --reason R [--ref REF]\n"
"ID --officer O --force --reason R [--ref REF]\n"
"ID --officer O --hold --note TEXT\n"
"ID --officer O --duplicate-of ID2";

static const char help[] =
"Report what an officer did about complaint ID.\n"
"\n"
"  -o, --officer O   the officer acting: the one holding the complaint, or one\n"
"                    above them in the same department over the same place\n"
"  -r, --reason R    what was done, and under which rule (two words at least)\n"
"      --ref REF     the letter number and date of the reply\n"
"      --interim     an interim reply (a note): acted, but needs time; the\n"
"                    complaint stays open and its clock keeps running\n"
"      --force       special closure (closed as forced, the reason in note),\n"
"                    by an officer of level 3 or above of that department\n"
"      --hold        ask the citizen for information or a document (status\n"
"                    hold): the clock stops until grv-feedback --supplied, or\n"
"                    until the sweep resumes it after hold_days\n"
"  -n, --note TEXT   with --hold: what is asked of the citizen\n"
"      --duplicate-of ID2  close ID as a repeat of ID2, not closed, filed\n"
"                    from the same phone (counts in no grading figure)\n"
"\n"
"A plain resolve makes the complaint resolved, awaiting the citizen's answer\n"
"(grv-feedback).  Output: id,event,level,dept,officer,due of the rows added.\n"
"A refusal (wrong officer, wrong state, a one-word reason) exits 65 and\n"
"leaves the ledger unchanged.\n";

/* May N (named ID) be closed as a duplicate of DUP (SPEC 7.2)?  DUP
   exists, is another complaint, is not closed, and shares N's phone.
   0, or an exit code after saying why not. */
static int
dup_check(struct grv_writer *w, const char *id, uint32_t n, const char *dup)
{
	const struct grv_cstate *cs2;
	uint32_t n2;
	int k;

	if ((cs2 = grv_writer_find(w, dup, &n2)) == NULL)
		return GRV_EX_DATAERR;
	if (n2 == n) {
		grv_err("%s: --duplicate-of names the complaint itself", id);
		return GRV_EX_DATAERR;
	}
	if (cs2->status == GRV_ST_CLOSED) {
		grv_err("%s: %s is closed: a duplicate repeats an open "
		    "complaint", id, dup);
		return GRV_EX_DATAERR;
	}
	if ((k = grv_same_phone(w->ctx, &w->st, n, n2, 1u << GRV_EVENTS)) == 1) {
		grv_err("%s: %s was filed from another phone: not a "
		    "duplicate", id, dup);
		return GRV_EX_DATAERR;
	}
	return k;
}

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	struct grv_writer w;
	struct grv_newevent ne;
	struct grv_buf why = GRV_BUF_INIT;
	const char *officer_code = NULL, *reason = NULL, *ref = NULL, *id;
	const char *refused;
	struct grv_cstate *cs;
	const char *note = NULL, *dup = NULL;
	int c, interim = 0, force = 0, hold = 0, officer, kind, rc;
	uint32_t n;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "o:r:n:",
	    longopts, NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case 'o':
			officer_code = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		case OPT_REF:
			ref = optarg;
			break;
		case OPT_INTERIM:
			interim = 1;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_HOLD:
			hold = 1;
			break;
		case OPT_DUP:
			dup = optarg;
			break;
		case 'n':
			note = optarg;
			break;
		}
	}
	if (cmd.complete == NULL) {
		if (optind + 1 != argc)
			grv_usage_error(&cmd, optind == argc ?
			    "missing complaint ID" : "one complaint ID only");
		if (officer_code == NULL)
			grv_usage_error(&cmd, "missing --officer");
		if (interim + force + hold + (dup != NULL) > 1)
			grv_usage_error(&cmd, "--interim, --force, --hold and "
			    "--duplicate-of exclude each other");
		if (dup && (reason || ref || note))
			grv_usage_error(&cmd, "--duplicate-of takes no "
			    "--reason, --ref or --note (the row says which)");
		if (hold && note == NULL)
			grv_usage_error(&cmd, "--hold needs --note: what is "
			    "asked of the citizen");
		if (hold && (reason || ref))
			grv_usage_error(&cmd, "--hold takes --note, not "
			    "--reason or --ref");
		if (!hold && note)
			grv_usage_error(&cmd, "--note goes with --hold (an "
			    "interim reply's text is its --reason)");
		if (!hold && !dup && reason == NULL)
			grv_usage_error(&cmd, "missing --reason");
	}
	cmd.ctx.who.writer = 1;
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	id = argv[optind];
	/* Everything the arguments alone decide, before the lock. */
	if ((hold ? grv_text_check("note", note, 2) : dup ? 0 :
	    grv_text_check("reason", reason, 2)) == -1 ||
	    (ref && grv_text_check("ref", ref, 1) == -1) ||
	    (officer = grv_find_or_suggest_in(&cmd.ctx.m, &cmd.ctx.m.officer_ix, "officer",
	    officer_code)) == -1) {
		grv_cmd_release(&cmd);
		return GRV_EX_DATAERR;
	}
	kind = interim ? GRV_EV_NOTE : force || dup ? GRV_EV_CLOSE : hold ?
	    GRV_EV_HOLD : GRV_EV_RESOLVE;
	/* Who may: an officer only as itself (grv_role.h); a hold is a
	   reply to the citizen as an interim one is. */
	if ((rc = grv_role_permit(&cmd.ctx, interim || hold ? GRV_OP_INTERIM :
	    force ?
	    GRV_OP_FORCE : GRV_OP_RESOLVE, officer)) != 0) {
		grv_cmd_release(&cmd);
		return rc;
	}

	if ((rc = grv_writer_begin(&w, &cmd.ctx, 1)) != 0)
		goto out;
	if ((cs = grv_writer_find(&w, id, &n)) == NULL ||
	    (dup && (rc = dup_check(&w, id, n, dup)) != 0)) {
		if (rc == 0)
			rc = GRV_EX_DATAERR;
		goto out;
	}
	/* An interim reply is for a complaint still waiting on an officer. */
	refused = interim ? (cs->status == GRV_ST_OPEN ? NULL :
	    "an interim reply is only for an open complaint") :
	    grv_event_refused(cs, kind, force ? GRV_R_FORCED : dup ?
	    GRV_R_DUPLICATE : GRV_R_NONE);
	if (refused == NULL)
		refused = grv_may_act(&cmd.ctx, cs, officer, force, &why);
	if (refused) {
		grv_err("%s: %s (it is %s)", id, refused,
		    grv_status_names[cs->status]);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	memset(&ne, 0, sizeof(ne));
	ne.n = n;
	ne.kind = kind;
	ne.level = cs->level;
	ne.dept = cs->dept;
	ne.officer = officer;
	ne.due = GRV_TIME_NONE;
	ne.ref = ref;
	if (kind == GRV_EV_RESOLVE)
		ne.reason = reason;
	else if (kind == GRV_EV_CLOSE) {
		ne.reason = grv_reason_names[dup ? GRV_R_DUPLICATE :
		    GRV_R_FORCED];
		ne.note = dup ? dup : reason;
	} else
		ne.note = hold ? note : reason;
	grv_writer_add(&w, &ne);
	if ((rc = grv_writer_commit(&w)) != 0)
		goto out;
	grv_writer_unlock(&w);
	grv_print_event_header(stdout);
	grv_print_event(stdout, &cmd.ctx, &ne);
	rc = grv_close_stdout();
out:
	grv_writer_release(&w);
	grv_buf_release(&why);
	grv_cmd_release(&cmd);
	return rc;
}
