/* grv_write.c: placing complaints and appending events. */
#include <stdlib.h>
#include <string.h>

#include "grv_csv.h"
#include "grv_write.h"

/* grv_place without the calendar: the officer and the level's limit. */
static int
place_days(const struct grv_cmd *cmd, const struct grv_cstate *cs, int dept,
    int level, int *officer, int *days)
{
	const struct grv_masters *m = &cmd->m;
	int cat = cs->category;

	*officer = grv_responsible(m, dept, level, cs->loc);
	if (*officer == -1)
		return -1;
	/* A transfer to another department leaves the category's limits
	   behind: they were set for the category's own department. */
	if (cat >= 0 && m->cats[cat].dept != dept)
		cat = -1;
	*days = grv_sla_days(m, &cmd->conf, cat, dept, level);
	return 0;
}

int
grv_place(const struct grv_cmd *cmd, const struct grv_cstate *cs, int dept,
    int level, grv_time_t at, int *officer, grv_time_t *due)
{
	int days;

	if (place_days(cmd, cs, dept, level, officer, &days) == -1)
		return -1;
	*due = grv_cal_add(&cmd->cal, at, days);
	return 0;
}

int
grv_writer_place(struct grv_writer *w, const struct grv_cstate *cs, int dept,
    int level, grv_time_t at, int *officer, grv_time_t *due)
{
	unsigned i;
	int days;

	if (place_days(w->cmd, cs, dept, level, officer, &days) == -1)
		return -1;
	for (i = 0; i < w->nduememo; i++)
		if (w->duememo[i].at == at && w->duememo[i].days == days) {
			*due = w->duememo[i].due;
			return 0;
		}
	*due = grv_cal_add(&w->cmd->cal, at, days);
	i = w->nduememo < GRV_DUEMEMO ? w->nduememo++ :
	    (unsigned)days % GRV_DUEMEMO;
	w->duememo[i].at = at;
	w->duememo[i].days = days;
	w->duememo[i].due = *due;
	return 0;
}

int
grv_writer_begin(struct grv_writer *w, struct grv_cmd *cmd)
{
	struct grv_fold_opts o;
	grv_time_t last;
	char ts[GRV_TSLEN];
	int rc;

	memset(w, 0, sizeof(*w));
	w->cmd = cmd;
	w->lg.fd = w->lg.dfd = -1;
	if ((rc = grv_ledger_lock(&w->lg, cmd->dir, GRV_EVENTS, cmd->wait)))
		return rc;
	/* On the clock, the time is when the lock was won: a writer that
	   waited behind another stamps its rows after the other's. */
	if (!cmd->now_given && grv_time_now() > cmd->now)
		cmd->now = grv_time_now();
	if (w->lg.last && grv_time_parse_ts(w->lg.last, 25, &last) == 0 &&
	    last > cmd->now) {
		grv_cmd_ts(cmd, cmd->now, ts);
		grv_err("--now %s is earlier than the last row of %s (%.25s): "
		    "timestamps never go back", ts, w->lg.rel, w->lg.last);
		return GRV_EX_DATAERR;
	}
	memset(&o, 0, sizeof(o));
	o.now = cmd->now;
	o.held = 1u << GRV_EVENTS;	/* ours: no shared lock on top */
	if ((rc = grv_state_load(&w->st, cmd, &o)) != 0)
		return rc;
	w->folded = 1;
	return 0;
}

struct grv_cstate *
grv_writer_find(struct grv_writer *w, const char *id, uint32_t *n)
{
	struct grv_cstate *cs;

	if (grv_id_parse(w->cmd->conf.node, id, strlen(id), n) == -1) {
		grv_err("'%s': not a complaint id (expected %s-<number>)", id,
		    w->cmd->conf.node);
		return NULL;
	}
	if ((cs = grv_state_get(&w->st, *n)) == NULL) {
		grv_err("%s: no such complaint", id);
		return NULL;
	}
	return cs;
}

void
grv_writer_add(struct grv_writer *w, const struct grv_newevent *ne)
{
	const struct grv_cmd *cmd = w->cmd;
	const struct grv_masters *m = &cmd->m;
	char ts[GRV_TSLEN], due[GRV_TSLEN], id[48], level[12];
	const char *f[GRV_E_NCOLS];
	struct grv_cstate *cs;
	struct grv_event ev;

	grv_tsmemo_fmt(&w->ts, cmd->now, cmd->conf.tz, ts);
	grv_fmt_id(cmd->conf.node, ne->n, id, sizeof(id));
	grv_fmt_int(level, ne->level);
	level[7] = '\0';		/* as snprintf into 8 bytes cut it */
	if (ne->due != GRV_TIME_NONE)
		grv_tsmemo_fmt(&w->ts, ne->due, cmd->conf.tz, due);
	f[GRV_E_TS] = ts;
	f[GRV_E_ID] = id;
	f[GRV_E_EVENT] = grv_event_names[ne->kind];
	f[GRV_E_LEVEL] = ne->level ? level : "";
	f[GRV_E_DEPT] = ne->dept >= 0 ? m->depts[ne->dept].code : "";
	f[GRV_E_OFFICER] = ne->officer >= 0 ? m->officers[ne->officer].code :
	    "";
	f[GRV_E_DUE] = ne->due != GRV_TIME_NONE ? due : "";
	f[GRV_E_ACTOR] = cmd->actor;
	f[GRV_E_REASON] = ne->reason ? ne->reason : "";
	f[GRV_E_REF] = ne->ref ? ne->ref : "";
	f[GRV_E_NOTE] = ne->note ? ne->note : "";
	grv_ledger_add(&w->lg, f);

	/* Keep the in-memory state in step with what is queued. */
	if ((cs = grv_state_get(&w->st, ne->n)) != NULL) {
		memset(&ev, 0, sizeof(ev));
		ev.ts = cmd->now;
		ev.n = ne->n;
		ev.kind = ne->kind;
		ev.level = ne->level;
		ev.dept = ne->dept;
		ev.officer = ne->officer;
		ev.due = ne->due;
		ev.reason = ne->reason ? grv_reason_code(ne->reason) :
		    GRV_R_NONE;
		grv_state_apply(cs, &ev);
	}
}

int
grv_writer_commit(struct grv_writer *w)
{
	return grv_ledger_commit(&w->lg);
}

void
grv_writer_release(struct grv_writer *w)
{
	grv_ledger_release(&w->lg);
	if (w->folded)
		grv_state_release(&w->st);
	w->folded = 0;
}

void
grv_print_event_header(FILE *fp)
{
	fputs("id,event,level,dept,officer,due\n", fp);
}

/* Append the output row of NE to B. */
static void
event_row(struct grv_buf *b, const struct grv_cmd *cmd,
    const struct grv_newevent *ne, struct grv_tsmemo *memo)
{
	const struct grv_masters *m = &cmd->m;
	char id[48], level[12], due[GRV_TSLEN];
	const char *f[6];

	grv_fmt_id(cmd->conf.node, ne->n, id, sizeof(id));
	grv_fmt_int(level, ne->level);
	level[7] = '\0';		/* as snprintf into 8 bytes cut it */
	if (ne->due != GRV_TIME_NONE)
		grv_tsmemo_fmt(memo, ne->due, cmd->conf.tz, due);
	f[0] = id;
	f[1] = grv_event_names[ne->kind];
	f[2] = ne->level ? level : "";
	f[3] = ne->dept >= 0 ? m->depts[ne->dept].code : "";
	f[4] = ne->officer >= 0 ? m->officers[ne->officer].code : "";
	f[5] = ne->due != GRV_TIME_NONE ? due : "";
	grv_csv_putrow(b, f, 6, GRV_CSV_SAFE);
}

void
grv_print_event(FILE *fp, const struct grv_cmd *cmd,
    const struct grv_newevent *ne)
{
	grv_print_events(fp, cmd, ne, 1);
}

void
grv_print_events(FILE *fp, const struct grv_cmd *cmd,
    const struct grv_newevent *ne, size_t n)
{
	struct grv_tsmemo memo = GRV_TSMEMO_INIT;
	struct grv_buf b = GRV_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		event_row(&b, cmd, &ne[i], &memo);
		if (b.len >= 64 * 1024) {
			fwrite(b.s, 1, b.len, fp);
			grv_buf_reset(&b);
		}
	}
	if (b.len)
		fwrite(b.s, 1, b.len, fp);
	grv_buf_release(&b);
}
