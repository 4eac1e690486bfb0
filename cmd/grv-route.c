/* grv-route: place new complaints with the responsible officer; transfer an
 * open complaint to another department. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_cmd.h"
#include "grv_intake.h"
#include "grv_msg.h"
#include "grv_state.h"
#include "grv_rules.h"
#include "grv_write.h"


static const char usage[] =
"[-]\n"
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

static void
say_unplaceable(const struct grv_cmd *cmd, const char *id, int dept,
    int level, int loc, const char *outcome)
{
	grv_err("%s: no active officer of %s at level %d for %s or above; %s",
	    id, cmd->m.depts[dept].code, level, cmd->m.locs[loc].code,
	    outcome);
}

/* Place complaint N at its category's department and start level. */
static int
route_one(struct grv_writer *w, uint32_t n, const struct grv_cstate *cs,
    struct events *out)
{
	const struct grv_cmd *cmd = w->cmd;
	const struct grv_category *cat = &cmd->m.cats[cs->category];
	struct grv_newevent ne;
	char id[48];
	int k;

	memset(&ne, 0, sizeof(ne));
	if ((k = grv_writer_place(w, cs, cat->dept, cat->start_level,
	    cmd->now, &ne.officer, &ne.due)) == -2)
		return grv_due_refused(cmd, n, ne.due);
	if (k == -1) {
		grv_id_format(cmd->conf.node, n, id, sizeof(id));
		say_unplaceable(cmd, id, cat->dept, cat->start_level, cs->loc,
		    "left new");
		return GRV_EX_SOME;
	}
	ne.n = n;
	ne.kind = GRV_EV_ROUTE;
	ne.level = cat->start_level;
	ne.dept = cat->dept;
	grv_writer_add(w, &ne);
	push(out, &ne);
	return 0;
}

static int
route(struct grv_cmd *cmd, int from_stdin)
{
	struct grv_writer w;
	struct events out = { NULL, 0, 0 };
	struct grv_cstate *cs;
	const char *why;
	char **ids = NULL;
	size_t nids = 0, i;
	uint32_t n;
	int rc = 0, wrc;

	if (from_stdin && (rc = grv_read_ids("-", cmd->conf.node, &ids,
	    &nids)) != 0)
		goto done;
	if ((rc = grv_writer_begin(&w, cmd)) != 0)
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
	grv_print_event_header(stdout);
	grv_print_events(stdout, cmd, out.v, out.n);
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

/* The category C names for a transfer to DEPT, or -1 after saying why. */
static int
transfer_category(const struct grv_cmd *cmd, const char *c, int dept)
{
	const struct grv_masters *m = &cmd->m;
	const char *sug;
	int cat;

	if ((cat = grv_cat_find(m, c)) == -1) {
		if ((sug = grv_suggest(&m->cat_ix, c)) != NULL)
			grv_err("--category: unknown category '%s' (did you "
			    "mean '%s'?)", c, sug);
		else
			grv_err("--category: unknown category '%s'", c);
		return -1;
	}
	if (m->cats[cat].dept != dept) {
		grv_err("--category: '%s' is a category of %s, not of %s", c,
		    m->depts[m->cats[cat].dept].code, m->depts[dept].code);
		return -1;
	}
	return cat;
}

/*
 * Transfer complaint ID to department DCODE; with CCODE, first an amend of
 * its category to CCODE (one of DCODE's), in the same append, so that the
 * transfer's due follows that category (SPEC 7.1, 7.2).
 */
static int
transfer(struct grv_cmd *cmd, const char *id, const char *dcode,
    const char *reason, const char *ccode)
{
	struct grv_writer w;
	struct grv_newevent ne[2];
	struct grv_cstate *cs, placed;
	const char *why, *sug;
	uint32_t n;
	int dept, cat = -1, rc, fault;
	size_t k = 0;

	if ((dept = grv_dept_find(&cmd->m, dcode)) == -1) {
		if ((sug = grv_suggest(&cmd->m.dept_ix, dcode)) != NULL)
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
	if (ccode && (cat = transfer_category(cmd, ccode, dept)) == -1)
		return GRV_EX_DATAERR;
	if ((rc = grv_writer_begin(&w, cmd)) != 0)
		goto out;
	if ((cs = grv_writer_find(&w, id, &n)) == NULL) {
		rc = GRV_EX_DATAERR;
		goto out;
	}
	why = grv_event_refused(cs, GRV_EV_TRANSFER, 0);	/* limit too */
	if (why == NULL && cs->dept == dept)
		why = "already with that department";
	if (why) {
		grv_err("%s: %s; it is %s with %s", id, why,
		    grv_status_names[cs->status], cs->dept >= 0 ?
		    cmd->m.depts[cs->dept].code : "no department");
		rc = GRV_EX_DATAERR;
		goto out;
	}
	memset(ne, 0, sizeof(ne));
	/* Placed as it will be once amended: the due follows CAT. */
	placed = *cs;
	if (cat >= 0)
		placed.category = (int16_t)cat;
	if ((rc = grv_place(cmd, &placed, dept, cs->level, cmd->now,
	    &ne[1].officer, &ne[1].due)) == -2) {
		rc = grv_due_refused(cmd, n, ne[1].due);
		goto out;
	}
	if (rc == -1) {
		say_unplaceable(cmd, id, dept, cs->level, cs->loc,
		    "not transferred");
		rc = GRV_EX_SOME;
		goto out;
	}
	if (cat >= 0 && cat != cs->category) {
		ne[0].n = n;
		ne[0].kind = GRV_EV_AMEND;
		ne[0].dept = ne[0].officer = -1;
		ne[0].due = GRV_TIME_NONE;
		ne[0].reason = grv_reason_names[GRV_R_CATEGORY];
		ne[0].note = cmd->m.cats[cat].code;
		grv_writer_add(&w, &ne[0]);
		k = 1;
	}
	ne[1].n = n;
	ne[1].kind = GRV_EV_TRANSFER;
	ne[1].level = cs->level;
	ne[1].dept = dept;
	ne[1].reason = reason;
	grv_writer_add(&w, &ne[1]);
	if ((rc = grv_writer_commit(&w)) != 0)
		goto out;
	grv_print_event_header(stdout);
	grv_print_events(stdout, cmd, ne + 1 - k, 1 + k);
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
	int c, rc, from_stdin = 0;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS, longopts,
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
	} else if (dept || reason || cat)
		grv_usage_error(&cmd, "--dept, --reason and --category go "
		    "with --transfer");
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	rc = xfer ? transfer(&cmd, xfer, dept, reason, cat) :
	    route(&cmd, from_stdin);
	grv_cmd_release(&cmd);
	return rc;
}
