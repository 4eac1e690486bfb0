/* grv-list: where each complaint stands, filtered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_cmd.h"
#include "grv_csv.h"
#include "grv_ledger.h"
#include "grv_life.h"
#include "grv_msg.h"
#include "grv_parse.h"
#include "grv_state.h"

enum { OPT_STATUS = GRV_OPT_FIRST, OPT_DEPT, OPT_DISTRICT, OPT_OFFICER,
	OPT_LEVEL, OPT_OLDER, OPT_OVERDUE, OPT_PII };

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
	{ NULL, 0, NULL, 0 }
};

static const char *const words[] = { "new", "open", "resolved", "closed",
	NULL };

static const char usage[] =
"[--status S] [--dept D] [--district L] [--officer O] [--level N] "
"[--older DAYS] [--overdue] [--pii]";

static const char help[] =
"List complaints as they stand at --now, one CSV row each, in id order:\n"
"id,status,level,dept,officer,loc,district,registered,due,age_days\n"
"\n"
"      --status S     new, open, resolved or closed (a comma list is fine)\n"
"      --dept D       held by department D\n"
"      --district L   placed in district L\n"
"      --officer O    held by officer O\n"
"      --level N      at level N\n"
"      --older DAYS   registered more than DAYS days before --now\n"
"      --overdue      open and past due at --now\n"
"      --pii          add name,phone,text (personal data: use with care)\n"
"\n"
"age_days counts whole days from registration to --now.  Every filter\n"
"given must hold.  Rows stamped after --now are ignored, so any past day\n"
"can be listed as it was.\n";

/* The filters; -1 / 0 when not given. */
struct filter {
	unsigned	 status;	/* bit per enum grv_status, 0 = any */
	int		 dept, district, officer, level, overdue, pii;
	grv_time_t	 older;		/* seconds, -1 = not given */
};

struct pii_pass {
	const struct grv_cmd	*cmd;
	const struct grv_state	*st;
	const unsigned char	*sel;
	uint32_t		 last;	/* last selected complaint */
	struct grv_buf		 out;
	int			 done;
};

#define LIST_STOP	1000	/* on_complaint: seen every selected one */

static int
selected(const struct grv_cmd *cmd, const struct filter *fl,
    const struct grv_cstate *cs)
{
	const struct grv_masters *m = &cmd->m;

	if (cs->status == GRV_ST_NONE)
		return 0;
	if (fl->status && !(fl->status & (1u << cs->status)))
		return 0;
	if (fl->dept != -1 && cs->dept != fl->dept)
		return 0;
	if (fl->district != -1 && m->locs[cs->loc].district != fl->district)
		return 0;
	if (fl->officer != -1 && cs->officer != fl->officer)
		return 0;
	if (fl->level && cs->level != fl->level)
		return 0;
	if (fl->older >= 0 && !(cmd->now - cs->registered > fl->older))
		return 0;
	if (fl->overdue && !grv_overdue(cs, cmd->now))
		return 0;
	return 1;
}

/* The ten columns of complaint N into B (no newline). */
static void
put_state(struct grv_buf *b, const struct grv_cmd *cmd, uint32_t n,
    const struct grv_cstate *cs)
{
	const struct grv_masters *m = &cmd->m;
	char id[48], level[8], reg[GRV_TSLEN], due[GRV_TSLEN], age[24];
	const char *f[10];
	int d = m->locs[cs->loc].district;
	size_t i;

	grv_id_format(cmd->conf.node, n, id, sizeof(id));
	snprintf(level, sizeof(level), "%d", cs->level);
	grv_cmd_ts(cmd, cs->registered, reg);
	if (cs->due != GRV_TIME_NONE)
		grv_cmd_ts(cmd, cs->due, due);
	snprintf(age, sizeof(age), "%lld", cmd->now >= cs->registered ?
	    (long long)((cmd->now - cs->registered) / 86400) : 0LL);
	f[0] = id;
	f[1] = grv_status_names[cs->status];
	f[2] = cs->level ? level : "";
	f[3] = cs->dept >= 0 ? m->depts[cs->dept].code : "";
	f[4] = cs->officer >= 0 ? m->officers[cs->officer].code : "";
	f[5] = m->locs[cs->loc].code;
	f[6] = d >= 0 ? m->locs[d].code : "";
	f[7] = reg;
	f[8] = cs->due != GRV_TIME_NONE ? due : "";
	f[9] = age;
	for (i = 0; i < 10; i++) {
		if (i)
			grv_buf_addc(b, ',');
		grv_csv_put(b, f[i], strlen(f[i]), GRV_CSV_SAFE);
	}
}

/* Second pass with --pii: print the selected rows with their personal
 * data as the complaints ledger streams by, holding none of it. */
static int
pii_row(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct pii_pass *p = arg;
	static const int cols[] = { GRV_C_NAME, GRV_C_PHONE, GRV_C_TEXT };
	size_t i;

	(void)cs;
	if (n > p->st->n || !p->sel[n - 1])
		return 0;
	grv_buf_reset(&p->out);
	put_state(&p->out, p->cmd, n, &p->st->c[n - 1]);
	for (i = 0; i < 3; i++) {
		grv_buf_addc(&p->out, ',');
		/* Kept as stored (escaped): one record stays one line. */
		grv_csv_put(&p->out, row->f[cols[i]], row->flen[cols[i]],
		    GRV_CSV_SAFE);
	}
	grv_buf_addc(&p->out, '\n');
	fwrite(p->out.s, 1, p->out.len, stdout);
	if (n == p->last) {
		p->done = 1;
		return LIST_STOP;
	}
	return 0;
}

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
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts o;
	struct filter fl = { 0, -1, -1, -1, 0, 0, 0, -1 };
	const char *dept = NULL, *district = NULL, *officer = NULL;
	const char *level = NULL;
	struct grv_buf b = GRV_BUF_INIT;
	struct pii_pass p;
	unsigned char *sel = NULL;
	uint32_t n, last = 0;
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
		}
	}
	if (optind != argc && cmd.complete == NULL)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	if (level) {
		if (grv_parse_int(level, 1, cmd.conf.levels, &v) == -1)
			grv_usage_error(&cmd, "--level: '%s' is not a level "
			    "from 1 to %d", level, cmd.conf.levels);
		fl.level = (int)v;
	}
	if ((dept && (fl.dept = grv_find_or_suggest(&cmd.m.dept_ix,
	    "department", dept)) == -1) ||
	    (district && (fl.district = grv_find_or_suggest(&cmd.m.loc_ix,
	    "district", district)) == -1) ||
	    (officer && (fl.officer = grv_find_or_suggest(&cmd.m.officer_ix,
	    "officer", officer)) == -1)) {
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if (fl.district != -1 &&
	    cmd.m.locs[fl.district].kind != GRV_LOC_DISTRICT) {
		grv_err("--district: '%s' is a %s, not a district", district,
		    cmd.m.locs[fl.district].kind == GRV_LOC_STATE ? "state" :
		    cmd.m.locs[fl.district].kind == GRV_LOC_TEHSIL ? "tehsil" :
		    "block");
		rc = GRV_EX_DATAERR;
		goto out;
	}

	memset(&o, 0, sizeof(o));
	o.now = cmd.now;
	if ((rc = grv_state_load(&st, &cmd, &o)) != 0)
		goto out;
	fputs("id,status,level,dept,officer,loc,district,registered,due,"
	    "age_days", stdout);
	fputs(fl.pii ? ",name,phone,text\n" : "\n", stdout);
	if (!fl.pii) {
		for (n = 1; n <= st.n; n++) {
			if (!selected(&cmd, &fl, &st.c[n - 1]))
				continue;
			grv_buf_reset(&b);
			put_state(&b, &cmd, n, &st.c[n - 1]);
			grv_buf_addc(&b, '\n');
			fwrite(b.s, 1, b.len, stdout);
		}
	} else {
		sel = grv_calloc(st.n ? st.n : 1, 1);
		for (n = 1; n <= st.n; n++)
			if (selected(&cmd, &fl, &st.c[n - 1])) {
				sel[n - 1] = 1;
				last = n;
			}
		if (last) {
			struct grv_state st2 = GRV_STATE_INIT;

			memset(&p, 0, sizeof(p));
			p.cmd = &cmd;
			p.st = &st;
			p.sel = sel;
			p.last = last;
			o.on_complaint = pii_row;
			o.arg = &p;
			rc = grv_state_load(&st2, &cmd, &o);
			grv_state_release(&st2);
			grv_buf_release(&p.out);
			if (rc == LIST_STOP && p.done)
				rc = 0;
			if (rc)
				goto out;
		}
	}
	rc = grv_close_stdout();
out:
	free(sel);
	grv_buf_release(&b);
	grv_state_release(&st);
	grv_cmd_release(&cmd);
	return rc;
}
