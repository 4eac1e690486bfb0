/* test_state.c: folding the ledgers into each complaint's state
 * (lib/grv_state.c) over a small ledger written with the ledger API on a
 * copy of tests/fixtures/state.  Run from the repo root. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "grv_cache.h"
#include "grv_ctx.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_state.h"
#include "unit.h"
#include "unit_fs.h"

#define FIXTURE "tests/fixtures/state"

static struct grv_ctx ctx;
static char datadir[600];

static grv_time_t
at(const char *s)
{
	grv_time_t t = GRV_TIME_NONE;

	if (grv_time_parse(s, 330, &t) != 0)
		printf("# bad test time '%s'\n", s);
	return t;
}

static void
complaint(struct grv_ledger *lg, const char *id, const char *reg,
    const char *cat, const char *loc)
{
	const char *f[GRV_C_NCOLS] = { id, reg, "phone", cat, loc,
	    "राम शर्मा", "9816012345", "no power, since \"Monday\"\nplease",
	    "", NULL };

	grv_ledger_add(lg, f);
}

static void
event(struct grv_ledger *lg, const char *ts, const char *id, const char *ev,
    const char *level, const char *dept, const char *officer,
    const char *due, const char *reason)
{
	const char *f[GRV_E_NCOLS] = { ts, id, ev, level, dept, officer, due,
	    "op1", reason, "", "", NULL };

	grv_ledger_add(lg, f);
}

/* Complaints TS-1..TS-2 sealed in complaints-2025.csv.gz, TS-3..TS-4 in
   the live file; events for all of them in events.csv. */
static void
build_ledger(void)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	char path[700], *s;
	size_t n;
	gzFile gz;

	IS(grv_ledger_lock(&lg, datadir, GRV_COMPLAINTS, 0), 0,
	    "lock complaints");
	complaint(&lg, "TS-1", "2026-03-01T09:00:00+05:30", "EN-SUPPLY",
	    "D1-T1-B1");
	complaint(&lg, "TS-2", "2026-03-01T10:00:00+05:30", "REV-MUT",
	    "D1-T1-B2");
	IS(grv_ledger_commit(&lg), 0, "commit complaints 1-2");
	grv_ledger_release(&lg);

	/* Seal them into a segment; the live file starts a new chain. */
	snprintf(path, sizeof(path), "%s/ledger/complaints.csv", datadir);
	s = slurp(path, &n);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ledger/complaints-2025.csv.gz",
	    datadir);
	gz = gzopen(path, "wb");
	if (gz == NULL || gzwrite(gz, s, (unsigned)n) != (int)n ||
	    gzclose(gz) != Z_OK)
		printf("# cannot write %s\n", path);
	free(s);

	IS(grv_ledger_lock(&lg, datadir, GRV_COMPLAINTS, 0), 0,
	    "lock a new live complaints file");
	complaint(&lg, "TS-3", "2026-03-02T10:00:00+05:30", "EN-BILL",
	    "D2-T1-B1");
	complaint(&lg, "TS-4", "2026-03-10T10:00:00+05:30", "PWD-ROAD",
	    "D1");
	IS(grv_ledger_commit(&lg), 0, "commit complaints 3-4");
	grv_ledger_release(&lg);

	IS(grv_ledger_lock(&lg, datadir, GRV_EVENTS, 0), 0, "lock events");
	event(&lg, "2026-03-01T09:05:00+05:30", "TS-1", "route", "1", "EN",
	    "EN-JE-B1", "2026-03-04T09:05:00+05:30", "");
	event(&lg, "2026-03-01T10:05:00+05:30", "TS-2", "route", "1", "REV",
	    "REV-TEH-D1T1", "2026-03-03T10:05:00+05:30", "");
	event(&lg, "2026-03-02T11:00:00+05:30", "TS-1", "resolve", "", "",
	    "EN-JE-B1", "", "line repaired");
	event(&lg, "2026-03-03T11:00:00+05:30", "TS-1", "feedback", "", "",
	    "", "", "satisfied");
	event(&lg, "2026-03-03T11:01:00+05:30", "TS-1", "close", "", "", "",
	    "", "satisfied");
	event(&lg, "2026-03-04T10:00:00+05:30", "TS-2", "escalate", "2",
	    "REV", "REV-SDM-D1", "2026-03-19T10:00:00+05:30", "overdue");
	event(&lg, "2026-03-05T10:00:00+05:30", "TS-3", "route", "1", "EN",
	    "EN-JE-D2", "2026-03-12T10:00:00+05:30", "");
	event(&lg, "2026-03-06T10:00:00+05:30", "TS-3", "resolve", "", "",
	    "EN-JE-D2", "", "bill corrected");
	event(&lg, "2026-03-07T10:00:00+05:30", "TS-3", "feedback", "", "",
	    "", "", "unsatisfied");
	event(&lg, "2026-03-07T10:00:00+05:30", "TS-3", "escalate", "2",
	    "EN", "EN-EE-D2", "2026-03-14T10:00:00+05:30", "unsatisfied");
	/* After the --now of the first fold. */
	event(&lg, "2026-03-12T10:00:00+05:30", "TS-2", "resolve", "", "",
	    "REV-SDM-D1", "", "mutation entered");
	event(&lg, "2026-03-12T11:00:00+05:30", "TS-4", "route", "2", "PWD",
	    "PWD-EE", "2026-03-19T11:00:00+05:30", "");
	IS(grv_ledger_commit(&lg), 0, "commit 12 events");
	grv_ledger_release(&lg);
}

static int nev, ncomp;

static int
count_event(void *arg, const struct grv_event *ev,
    const struct grv_cstate *before, const struct grv_cstate *after)
{
	(void)arg;
	(void)before;
	(void)after;
	if (ev->row == NULL || ev->file == NULL)
		return -1;
	nev++;
	return 0;
}

static int
count_complaint(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	(void)arg;
	(void)cs;
	if (row == NULL || n == 0)
		return -1;
	ncomp++;
	return 0;
}

static const char *
code_of(int officer)
{
	return officer >= 0 ? ctx.m.officers[officer].code : "(none)";
}

static void
test_fold(void)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts o = { 0, NULL, NULL, NULL, 1, 0, 0 };
	struct grv_cstate *cs;

	o.now = at("2026-03-08T00:00:00+05:30");
	IS(grv_state_load(&st, &ctx, &o), 0, "fold at 2026-03-08");
	IS(st.n, 4, "four complaint rows, the segment's and the live file's");
	OK(st.cut, "rows after --now were seen and cut");

	cs = grv_state_get(&st, 1);
	OK(cs != NULL, "TS-1 exists");
	if (cs) {
		IS(cs->status, GRV_ST_CLOSED, "TS-1 closed");
		IS(cs->close_reason, GRV_R_SATISFIED, "TS-1 closed satisfied");
		IS(cs->feedback, GRV_R_SATISFIED, "TS-1 feedback satisfied");
		IS(cs->level, 1, "TS-1 at level 1");
		STR(code_of(cs->resolver), "EN-JE-B1", "TS-1 resolved by "
		    "EN-JE-B1");
		IS(cs->closed, at("2026-03-03T11:01:00+05:30"), "TS-1 closed at");
		IS(cs->registered, at("2026-03-01T09:00:00+05:30"),
		    "TS-1 registered at");
		IS(cs->category, grv_cat_find(&ctx.m, "EN-SUPPLY"),
		    "TS-1 category");
		IS(cs->loc, grv_loc_find(&ctx.m, "D1-T1-B1"), "TS-1 location");
		IS(cs->channel, GRV_CH_PHONE, "TS-1 channel");
	}
	cs = grv_state_get(&st, 2);
	OK(cs != NULL, "TS-2 exists");
	if (cs) {
		IS(cs->status, GRV_ST_OPEN, "TS-2 open: its resolve is after "
		    "--now");
		IS(cs->level, 2, "TS-2 escalated to level 2");
		STR(code_of(cs->officer), "REV-SDM-D1", "TS-2 with the SDM");
		STR(code_of(cs->l1_officer), "REV-TEH-D1T1", "TS-2's L1 officer");
		IS(cs->escalations, 1, "TS-2 one escalation");
		IS(cs->dept, grv_dept_find(&ctx.m, "REV"), "TS-2 in REV");
		IS(cs->due, at("2026-03-19T10:00:00+05:30"), "TS-2 due");
		IS(cs->placed, at("2026-03-04T10:00:00+05:30"), "TS-2 placed");
		IS(grv_overdue(cs, o.now), 0, "TS-2 not overdue at --now");
		IS(grv_overdue(cs, at("2026-03-20")), 1, "TS-2 overdue on "
		    "03-20");
	}
	cs = grv_state_get(&st, 3);
	OK(cs != NULL, "TS-3 exists");
	if (cs) {
		IS(cs->status, GRV_ST_OPEN, "TS-3 open again after an "
		    "unsatisfied callback");
		IS(cs->level, 2, "TS-3 at level 2");
		STR(code_of(cs->officer), "EN-EE-D2", "TS-3 with EN-EE-D2");
		IS(cs->feedback, GRV_R_UNSATISFIED, "TS-3 feedback unsatisfied");
		IS(cs->attended, 0, "TS-3 not attended since placed");
	}
	OK(grv_state_get(&st, 4) == NULL, "TS-4, registered after --now, "
	    "does not exist yet");
	OK(grv_state_get(&st, 5) == NULL, "TS-5 does not exist");
	OK(grv_state_get(&st, 0) == NULL, "TS-0 does not exist");

	/* Where the fold stopped: the end of the last event up to --now
	   (row 10, line 11). */
	{
		char path[700], *s, *p;
		size_t n;
		int line;

		snprintf(path, sizeof(path), "%s/ledger/events.csv", datadir);
		s = slurp(path, &n);
		for (p = s, line = 0; line < 11; p++)
			if (*p == '\n')
				line++;
		IS(st.pos[GRV_EVENTS].size, (uint64_t)(p - s), "events "
		    "folded up to the end of line 11");
		IS(st.pos[GRV_EVENTS].line, 11, "events: 11 lines folded");
		OK(memcmp(st.pos[GRV_EVENTS].crc, p - 9, 8) == 0,
		    "events: the chain's crc there");
		free(s);
	}
	grv_state_release(&st);

	/* Later: everything counts. */
	o.now = at("2026-03-20T00:00:00+05:30");
	IS(grv_state_load(&st, &ctx, &o), 0, "fold at 2026-03-20");
	OK(!st.cut, "nothing cut");
	{
		char path[700], *s;
		size_t n;

		snprintf(path, sizeof(path), "%s/ledger/events.csv", datadir);
		s = slurp(path, &n);
		IS(st.pos[GRV_EVENTS].size, n, "events folded to the end");
		IS(st.pos[GRV_EVENTS].line, 13, "events: 13 lines");
		OK(memcmp(st.pos[GRV_EVENTS].crc, s + n - 9, 8) == 0,
		    "events: the last crc");
		free(s);
		snprintf(path, sizeof(path), "%s/ledger/complaints.csv",
		    datadir);
		s = slurp(path, &n);
		IS(st.pos[GRV_COMPLAINTS].size, n, "complaints folded to the "
		    "end of the live file");
		IS(st.pos[GRV_COMPLAINTS].line, 3, "complaints: 3 lines in "
		    "the live file");
		free(s);
		OK(st.pos[GRV_COMPLAINTS].segsig != 0, "a segments signature");
	}
	cs = grv_state_get(&st, 2);
	OK(cs && cs->status == GRV_ST_RESOLVED, "TS-2 resolved by then");
	cs = grv_state_get(&st, 4);
	OK(cs && cs->status == GRV_ST_OPEN && cs->level == 2,
	    "TS-4 open at level 2");
	grv_state_release(&st);

	/* Before anything happened. */
	o.now = at("2026-03-01T09:30:00+05:30");
	IS(grv_state_load(&st, &ctx, &o), 0, "fold at 09:30 on day one");
	cs = grv_state_get(&st, 1);
	OK(cs && cs->status == GRV_ST_OPEN && cs->level == 1,
	    "TS-1 just routed");
	cs = grv_state_get(&st, 2);
	OK(cs == NULL, "TS-2 not registered yet");
	grv_state_release(&st);

	/* Callbacks see each row once. */
	o.now = at("2026-03-08T00:00:00+05:30");
	o.on_event = count_event;
	o.on_complaint = count_complaint;
	nev = ncomp = 0;
	IS(grv_state_load(&st, &ctx, &o), 0, "fold with callbacks");
	IS(nev, 10, "ten events up to --now");
	IS(ncomp, 3, "three complaints up to --now");
	grv_state_release(&st);
}

static void
test_damage(void)
{
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts o = { 0, NULL, NULL, NULL, 1, 0, 0 };
	const char *saved = ctx.dir;
	char path[1200], *s, *err, *p;
	size_t n;
	int rc, line;

	o.now = at("2026-03-20T00:00:00+05:30");

	/* A changed byte in the middle of events.csv. */
	unit_sh("rm -rf '%s' && cp -r '%s' '%s'", tmp_path("mid"), datadir,
	    tmp_path("mid"));
	snprintf(path, sizeof(path), "%s/ledger/events.csv", tmp_path("mid"));
	s = slurp(path, &n);
	for (p = s, line = 1; line < 7; p++)	/* to the start of line 7 */
		if (*p == '\n')
			line++;
	p[9] = p[9] == '4' ? '5' : '4';		/* 2026-03-04 -> 05 */
	put_path(path, s, n);
	free(s);
	ctx.dir = tmp_path("mid");
	err_begin();
	rc = grv_state_load(&st, &ctx, &o);
	err = err_end();
	IS(rc, GRV_EX_DATAERR, "a changed byte mid-ledger: 65");
	OK(strstr(err, "ledger/events.csv:7:") != NULL, "the message names "
	    "ledger/events.csv:7 (%s)", first_line(err));
	free(err);
	grv_state_release(&st);

	/* A torn live file: the last line without its newline. */
	unit_sh("rm -rf '%s' && cp -r '%s' '%s'", tmp_path("torn"), datadir,
	    tmp_path("torn"));
	snprintf(path, sizeof(path), "%s/ledger/events.csv", tmp_path("torn"));
	s = slurp(path, &n);
	put_path(path, s, n - 1);
	free(s);
	ctx.dir = tmp_path("torn");
	err_begin();
	rc = grv_state_load(&st, &ctx, &o);
	err = err_end();
	OK(rc == GRV_EX_DATAERR || rc == GRV_EX_IOERR, "a torn tail is "
	    "refused (%d)", rc);
	OK(strstr(err, "ledger/events.csv") != NULL, "naming the file (%s)",
	    first_line(err));
	free(err);
	grv_state_release(&st);

	/* A truncated segment. */
	unit_sh("rm -rf '%s' && cp -r '%s' '%s'", tmp_path("cutseg"), datadir,
	    tmp_path("cutseg"));
	snprintf(path, sizeof(path), "%s/ledger/complaints-2025.csv.gz",
	    tmp_path("cutseg"));
	s = slurp(path, &n);
	put_path(path, s, n - 6);
	free(s);
	ctx.dir = tmp_path("cutseg");
	err_begin();
	rc = grv_state_load(&st, &ctx, &o);
	err = err_end();
	OK(rc == GRV_EX_DATAERR || rc == GRV_EX_IOERR, "a truncated gzip "
	    "segment is refused (%d)", rc);
	OK(strstr(err, "complaints-2025.csv.gz") != NULL, "naming the "
	    "segment (%s)", first_line(err));
	free(err);
	grv_state_release(&st);

	/* Live complaints whose chain was spliced from the segment's. */
	unit_sh("rm -rf '%s' && cp -r '%s' '%s'", tmp_path("nochain"), datadir,
	    tmp_path("nochain"));
	snprintf(path, sizeof(path), "%s/ledger/complaints.csv",
	    tmp_path("nochain"));
	s = slurp(path, &n);
	p = strchr(s, '\n') + 1;		/* first row */
	p = strchr(p, '\n') + 1;		/* second row */
	p[n - (size_t)(p - s) - 2] ^= 0x01;	/* its crc's last digit */
	put_path(path, s, n);
	free(s);
	ctx.dir = tmp_path("nochain");
	err_begin();
	rc = grv_state_load(&st, &ctx, &o);
	err = err_end();
	IS(rc, GRV_EX_DATAERR, "a bad crc in the live complaints: 65");
	OK(strstr(err, "ledger/complaints.csv:3:") != NULL, "naming "
	    "ledger/complaints.csv:3 (%s)", first_line(err));
	free(err);
	grv_state_release(&st);

	/* An event for a complaint that was never registered. */
	unit_sh("rm -rf '%s' && cp -r '%s' '%s'", tmp_path("ghost"), datadir,
	    tmp_path("ghost"));
	{
		struct grv_ledger lg = GRV_LEDGER_INIT;

		IS(grv_ledger_lock(&lg, tmp_path("ghost"), GRV_EVENTS, 0), 0,
		    "ghost: lock");
		event(&lg, "2026-03-13T10:00:00+05:30", "TS-9", "note", "", "",
		    "", "", "");
		IS(grv_ledger_commit(&lg), 0, "ghost: an event for TS-9");
		grv_ledger_release(&lg);
	}
	ctx.dir = tmp_path("ghost");
	err_begin();
	rc = grv_state_load(&st, &ctx, &o);
	err = err_end();
	IS(rc, GRV_EX_DATAERR, "an event for an unknown complaint: 65");
	OK(strstr(err, "ledger/events.csv:14:") && strstr(err, "TS-9"),
	    "naming the line and the id (%s)", first_line(err));
	free(err);
	grv_state_release(&st);

	/* A data directory without any ledger yet. */
	unit_sh("mkdir -p '%s' && cp -r '%s/masters' '%s/grv.conf' '%s'",
	    tmp_path("fresh"), datadir, datadir, tmp_path("fresh"));
	ctx.dir = tmp_path("fresh");
	err_begin();
	rc = grv_state_load(&st, &ctx, &o);
	err = err_end();
	IS(rc, 0, "no ledger yet: an empty state (%s)", first_line(err));
	IS(st.n, 0, "no complaints");
	free(err);
	grv_state_release(&st);

	ctx.dir = saved;
}

static int
cs_equal(const struct grv_cstate *a, const struct grv_cstate *b)
{
	return a->registered == b->registered && a->placed == b->placed &&
	    a->due == b->due && a->resolved == b->resolved &&
	    a->closed == b->closed && a->feedback_at == b->feedback_at &&
	    a->officer == b->officer && a->l1_officer == b->l1_officer &&
	    a->resolver == b->resolver && a->loc == b->loc &&
	    a->dept == b->dept && a->category == b->category &&
	    a->status == b->status && a->level == b->level &&
	    a->transfers == b->transfers &&
	    a->escalations == b->escalations &&
	    a->close_reason == b->close_reason &&
	    a->feedback == b->feedback && a->attended == b->attended &&
	    a->channel == b->channel;
}

/* Fold with the cache and without it at NOW: the same states? */
static void
same_with_cache(const char *now, const char *what)
{
	struct grv_state a = GRV_STATE_INIT, b = GRV_STATE_INIT;
	struct grv_fold_opts oc = { 0, NULL, NULL, NULL, 0, 0, 0 };
	struct grv_fold_opts on = { 0, NULL, NULL, NULL, 1, 0, 0 };
	uint32_t i;
	int ra, rb, same;
	char *err;

	oc.now = on.now = at(now);
	err_begin();
	ra = grv_state_load(&a, &ctx, &oc);
	rb = grv_state_load(&b, &ctx, &on);
	err = err_end();
	same = ra == 0 && rb == 0 && a.n == b.n;
	for (i = 0; same && i < a.n; i++)
		if (!cs_equal(&a.c[i], &b.c[i])) {
			printf("#   TS-%u differs\n", i + 1);
			same = 0;
		}
	OK(same, "%s: the cached fold equals a full one (%d, %d, %u, %u; "
	    "%s)", what, ra, rb, a.n, b.n, first_line(err));
	free(err);
	grv_state_release(&a);
	grv_state_release(&b);
}

static void
test_cache(void)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	const char *saved = ctx.dir;

	unit_sh("rm -rf '%s' && cp -r '%s' '%s'", tmp_path("cache"), datadir,
	    tmp_path("cache"));
	ctx.dir = tmp_path("cache");
	same_with_cache("2026-03-20", "first fold");
	same_with_cache("2026-03-20", "second fold");
	same_with_cache("2026-03-08", "an earlier --now");
	same_with_cache("2026-03-20", "back to the later --now");
	grv_ledger_lock(&lg, ctx.dir, GRV_COMPLAINTS, 0);
	complaint(&lg, "TS-5", "2026-03-21T10:00:00+05:30", "REV-DEMARC",
	    "D2-T1");
	grv_ledger_commit(&lg);
	grv_ledger_release(&lg);
	grv_ledger_lock(&lg, ctx.dir, GRV_EVENTS, 0);
	event(&lg, "2026-03-21T10:00:00+05:30", "TS-2", "feedback", "", "",
	    "", "", "satisfied");
	event(&lg, "2026-03-21T10:05:00+05:30", "TS-2", "close", "", "", "",
	    "", "satisfied");
	event(&lg, "2026-03-21T11:00:00+05:30", "TS-5", "route", "1", "REV",
	    "REV-TEH-D2T1", "2026-04-20T11:00:00+05:30", "");
	grv_ledger_commit(&lg);
	grv_ledger_release(&lg);
	same_with_cache("2026-03-22", "after appending to both ledgers");
	same_with_cache("2026-03-22", "and again");
	same_with_cache("2026-03-21T10:02", "--now between appended rows");
	same_with_cache("2026-03-22", "later again");
	{
		char path[700];

		snprintf(path, sizeof(path), "%s/cache/state.bin", ctx.dir);
		OK(access(path, F_OK) == 0, "a cache was written");
		put_path(path, "garbage", 7);
	}
	same_with_cache("2026-03-22", "a damaged cache file");
	ctx.dir = saved;
}

/* grv_cache_peek_next against the plain grv_state_get of a full fold,
   over a cache that the fold has moved on from (a row appended since it
   was saved): every complaint in order, then a jump back and one past a
   block's end. */
static void
test_peek(void)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	struct grv_state a = GRV_STATE_INIT, b = GRV_STATE_INIT;
	struct grv_fold_opts oc = { 0, NULL, NULL, NULL, 0, 0, 1 };
	struct grv_fold_opts on = { 0, NULL, NULL, NULL, 1, 0, 0 };
	const struct grv_cstate *p, *q;
	struct grv_peek *pk = calloc(1, sizeof(*pk));
	const char *saved = ctx.dir;
	uint32_t n, order[] = { 1, 2, 3, 4, 5, 2, 1, 5 };
	size_t i;
	int same = 1;

	ctx.dir = tmp_path("cache");
	same_with_cache("2026-03-22", "before the peek");	/* saved */
	grv_ledger_lock(&lg, ctx.dir, GRV_EVENTS, 0);
	event(&lg, "2026-03-22T10:00:00+05:30", "TS-5", "resolve", "", "",
	    "REV-TEH-D2T1", "", "measured");
	grv_ledger_commit(&lg);
	grv_ledger_release(&lg);
	oc.now = on.now = at("2026-03-23");
	IS(grv_state_load_cached(&a, &ctx, &oc), 0, "a cached load to peek");
	IS(grv_state_load(&b, &ctx, &on), 0, "a full fold to hold it to");
	IS(a.n, 5, "five complaints");
	for (i = 0; pk && i < sizeof(order) / sizeof(order[0]); i++) {
		n = order[i];
		p = grv_cache_peek_next(&a, n, pk);
		q = grv_state_get(&b, n);
		if ((p == NULL) != (q == NULL) || (p && !cs_equal(p, q))) {
			printf("#   TS-%u differs\n", n);
			same = 0;
		}
	}
	OK(same && a.n == b.n, "each complaint peeked in blocks is the full "
	    "fold's, the one changed since the save too");
	OK(pk && pk->n > 0, "read from state.bin, %u records at once",
	    pk ? pk->n : 0);
	p = grv_cache_peek_next(&a, 5, pk);
	OK(p && p->status == GRV_ST_RESOLVED, "TS-5 as the appended resolve "
	    "left it");
	free(pk);
	grv_state_release(&a);
	grv_state_release(&b);
	ctx.dir = saved;
}

/* SPEC 7.2's move and rate: when they may happen, what they do. */
static void
test_move_rate(void)
{
	struct grv_cstate cs;
	struct grv_event ev;

	memset(&cs, 0, sizeof(cs));
	cs.status = GRV_ST_OPEN;
	cs.level = 2;
	cs.transfers = 3;
	cs.attended = 1;
	OK(grv_event_refused(&cs, GRV_EV_MOVE, 0) == NULL, "move an open one, "
	    "three transfers or not");
	OK(grv_event_refused(&cs, GRV_EV_RATE, 0) != NULL, "no rating "
	    "without an answer");
	memset(&ev, 0, sizeof(ev));
	ev.kind = GRV_EV_MOVE;
	ev.ts = 1000;
	ev.level = 2;
	ev.dept = 1;
	ev.officer = 7;
	ev.due = 5000;
	grv_state_apply(&cs, &ev);
	OK(cs.officer == 7 && cs.due == 5000 && cs.placed == 1000 &&
	    cs.attended == 0 && cs.transfers == 3, "a move places, and is no "
	    "transfer");
	cs.status = GRV_ST_RESOLVED;
	OK(grv_event_refused(&cs, GRV_EV_MOVE, 0) != NULL, "no move of a "
	    "resolved one");
	cs.feedback = GRV_R_UNREACHABLE;
	OK(grv_event_refused(&cs, GRV_EV_RATE, 0) != NULL, "no rating of an "
	    "unreachable citizen");
	cs.feedback = GRV_R_SATISFIED;
	OK(grv_event_refused(&cs, GRV_EV_RATE, 0) == NULL, "a rating after "
	    "a satisfied answer");
	IS(grv_rating_parse("5", 1), 5, "rating 5");
	IS(grv_rating_parse("0", 1), -1, "rating 0 refused");
	IS(grv_rating_parse("45", 2), -1, "rating 45 refused");
	IS(grv_rating_parse("", 0), -1, "an empty rating refused");
}

static void
test_rules(void)
{
	struct grv_cstate cs;
	uint32_t n;
	char buf[32];

	IS(grv_id_parse("TS", "TS-42", 5, &n), 0, "id TS-42");
	IS(n, 42, "id TS-42 is 42");
	IS(grv_id_parse("TS", "TS-042", 6, &n), -1, "id TS-042 refused");
	IS(grv_id_parse("TS", "TS-0", 4, &n), -1, "id TS-0 refused");
	IS(grv_id_parse("TS", "XX-1", 4, &n), -1, "another node refused");
	IS(grv_id_parse("TS", "TS-", 3, &n), -1, "id without number");
	IS(grv_id_parse("TS", "TS-1x", 5, &n), -1, "id with junk");
	IS(grv_id_parse("TS", "TS-99999999999", 14, &n), -1, "id too big");
	IS(grv_id_parse("TS", "TS-12,x", 5, &n), 0, "id parses LEN bytes");
	IS(n, 12, "id TS-12 from a longer buffer");
	grv_id_format("TS", 7, buf, sizeof(buf));
	STR(buf, "TS-7", "id format");

	memset(&cs, 0, sizeof(cs));
	cs.status = GRV_ST_NEW;
	OK(grv_event_refused(&cs, GRV_EV_ROUTE, 0) == NULL, "route a new one");
	OK(grv_event_refused(&cs, GRV_EV_RESOLVE, 0) != NULL, "no resolve "
	    "before routing");
	cs.status = GRV_ST_OPEN;
	OK(grv_event_refused(&cs, GRV_EV_ROUTE, 0) != NULL, "no second "
	    "route");
	OK(grv_event_refused(&cs, GRV_EV_RESOLVE, 0) == NULL, "resolve an "
	    "open one");
	OK(grv_event_refused(&cs, GRV_EV_ESCALATE, GRV_R_OVERDUE) == NULL,
	    "escalate an open one when overdue");
	OK(grv_event_refused(&cs, GRV_EV_FEEDBACK, GRV_R_SATISFIED) != NULL,
	    "no feedback on an open one");
	OK(grv_event_refused(&cs, GRV_EV_CLOSE, GRV_R_FORCED) == NULL,
	    "force-close an open one");
	OK(grv_event_refused(&cs, GRV_EV_CLOSE, GRV_R_SATISFIED) != NULL,
	    "no satisfied close of an open one");
	cs.status = GRV_ST_RESOLVED;
	OK(grv_event_refused(&cs, GRV_EV_FEEDBACK, GRV_R_SATISFIED) == NULL,
	    "feedback on a resolved one");
	OK(grv_event_refused(&cs, GRV_EV_ESCALATE, GRV_R_UNSATISFIED) == NULL,
	    "escalate a resolved one found unsatisfactory");
	OK(grv_event_refused(&cs, GRV_EV_ESCALATE, GRV_R_OVERDUE) != NULL,
	    "a resolved one does not climb when overdue");
	cs.status = GRV_ST_CLOSED;
	OK(grv_event_refused(&cs, GRV_EV_NOTE, 0) != NULL, "no note on a "
	    "closed one");
	OK(grv_event_refused(&cs, GRV_EV_CLOSE, GRV_R_FORCED) != NULL,
	    "no second close");
	OK(grv_event_refused(NULL, GRV_EV_NOTE, 0) != NULL, "nothing happens "
	    "to a complaint that does not exist");
	test_move_rate();
}

int
main(void)
{
	int rc;

	tmp_init("test-state");
	if (access(FIXTURE "/masters/officers.csv", R_OK) == -1) {
		printf("not ok 1 - %s not found: run from the repository "
		    "root\n", FIXTURE);
		tmp_cleanup();
		return 1;
	}
	snprintf(datadir, sizeof(datadir), "%s/st", unit_tmp);
	unit_sh("cp -r '%s' '%s'", FIXTURE, datadir);
	memset(&ctx, 0, sizeof(ctx));
	ctx.dir = datadir;
	IS(grv_conf_load(&ctx.conf, datadir), 0, "conf");
	rc = grv_masters_load(&ctx.m, datadir, &ctx.conf);
	IS(rc, 0, "masters");
	ctx.loaded = rc == 0;
	grv_cal_init(&ctx.cal, &ctx.m, &ctx.conf);
	build_ledger();
	test_fold();
	test_damage();
	test_cache();
	test_peek();
	test_rules();
	grv_ctx_release(&ctx);
	tmp_cleanup();
	return DONE();
}
