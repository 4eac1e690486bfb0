/* test_intake.c: checking complaints handed in and numbering them
 * (lib/grv_intake.c), on a copy of tests/fixtures/state.  Run from the repo
 * root. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_ctx.h"
#include "grv_intake.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_rules.h"
#include "grv_state.h"
#include "ref_intake.h"
#include "unit.h"
#include "unit_fs.h"

#define FIXTURE "tests/fixtures/state"

static struct grv_ctx ctx;
static char datadir[600];

/* A valid complaint's raw fields; tests then spoil one. */
static void
raw_ok(struct grv_intake_raw *r)
{
	static const char *const v[GRV_IN_COUNT] = { "EN-SUPPLY", "D1-T1-B1",
	    "राम शर्मा", "+91 98160-12345", "no power, since \"Monday\"",
	    NULL, NULL, NULL };
	int i;

	for (i = 0; i < GRV_IN_COUNT; i++) {
		r->v[i] = v[i];
		r->len[i] = v[i] ? strlen(v[i]) : 0;
	}
}

static void
set(struct grv_intake_raw *r, int field, const char *s, size_t n)
{
	r->v[field] = s;
	r->len[field] = n;
}

/* Check R, returning the number of bad fields; *MSG gets stderr. */
static int
check(const struct grv_intake_raw *r, const char *where, char **msg,
    struct grv_intake *in)
{
	int bad;

	err_begin();
	bad = grv_intake_check(&ctx, where, r, GRV_CH_PHONE, in);
	*msg = err_end();
	if (bad == 0)
		grv_intake_release(in);
	return bad;
}

static void
test_check(void)
{
	struct grv_intake_raw r;
	struct grv_intake in;
	char text[GRV_TEXT_MAX + 2], *msg;

	raw_ok(&r);
	err_begin();
	IS(grv_intake_check(&ctx, NULL, &r, GRV_CH_PHONE, &in), 0,
	    "a valid complaint passes");
	free(err_end());
	STR(in.phone, "9816012345", "the phone is stored as its ten digits");
	IS(in.channel, GRV_CH_PHONE, "the default channel");
	IS(in.registered, GRV_TIME_NONE, "registered defaults to --now");
	STR(ctx.m.cats[in.cat].code, "EN-SUPPLY", "category");
	STR(ctx.m.locs[in.loc].code, "D1-T1-B1", "location");
	STR(in.text, "no power, since \"Monday\"", "text kept as given");
	STR(in.ref, "", "no ref");
	grv_intake_release(&in);

	raw_ok(&r);
	set(&r, GRV_IN_PHONE, "123", 3);
	IS(check(&r, "b.csv:3", &msg, &in), 1, "a bad phone is one bad field");
	STR(first_line(msg), "test_intake: b.csv:3: field 'phone': bad phone "
	    "'123' (a mobile: ten digits starting 6-9; a landline: 0, the STD "
	    "code and the number, ten digits without the 0)", "the message names place, field "
	    "and value");
	free(msg);

	raw_ok(&r);
	set(&r, GRV_IN_CATEGORY, "EN-SUPLY", 8);
	IS(check(&r, NULL, &msg, &in), 1, "an unknown category");
	STR(first_line(msg), "test_intake: --category: unknown category "
	    "'EN-SUPLY' (did you mean 'EN-SUPPLY'?)", "with a suggestion");
	free(msg);

	raw_ok(&r);
	set(&r, GRV_IN_LOC, "ST", 2);
	set(&r, GRV_IN_NAME, "", 0);
	set(&r, GRV_IN_CHANNEL, "fax", 3);
	IS(check(&r, NULL, &msg, &in), 3, "every bad field is counted");
	OK(strstr(msg, "--loc: 'ST' is the state") != NULL, "the state is no "
	    "place for a complaint");
	OK(strstr(msg, "--name: empty") != NULL, "empty name");
	OK(strstr(msg, "--channel: unknown channel 'fax'") != NULL, "channel");
	free(msg);

	raw_ok(&r);
	set(&r, GRV_IN_LOC, "D2", 2);
	set(&r, GRV_IN_CHANNEL, "", 0);
	IS(check(&r, NULL, &msg, &in), 0, "a district is a place; an empty "
	    "channel is the default");
	free(msg);

	raw_ok(&r);
	memset(text, 'x', sizeof(text));
	text[GRV_TEXT_MAX] = '\0';
	set(&r, GRV_IN_TEXT, text, GRV_TEXT_MAX);
	IS(check(&r, NULL, &msg, &in), 0, "4000 bytes of text pass");
	free(msg);
	text[GRV_TEXT_MAX] = 'x';
	text[GRV_TEXT_MAX + 1] = '\0';
	set(&r, GRV_IN_TEXT, text, GRV_TEXT_MAX + 1);
	IS(check(&r, NULL, &msg, &in), 1, "4001 do not");
	free(msg);

	raw_ok(&r);
	set(&r, GRV_IN_TEXT, "a\0b", 3);
	IS(check(&r, NULL, &msg, &in), 1, "a NUL inside the text");
	free(msg);
	set(&r, GRV_IN_TEXT, "caf\xe9", 4);
	IS(check(&r, NULL, &msg, &in), 1, "Latin-1 is not UTF-8");
	free(msg);
	set(&r, GRV_IN_TEXT, "ok", 2);
	set(&r, GRV_IN_REF, "\xe0\xa4", 2);
	IS(check(&r, NULL, &msg, &in), 1, "a cut UTF-8 sequence in ref");
	free(msg);

	raw_ok(&r);
	set(&r, GRV_IN_REGISTERED, "2026-11-02T10:00", 16);
	err_begin();
	IS(grv_intake_check(&ctx, NULL, &r, GRV_CH_OFFICE, &in), 0,
	    "registered at --now passes");
	free(err_end());
	IS(in.registered, ctx.now, "and is kept");
	IS(in.channel, GRV_CH_OFFICE, "the caller's default channel");
	grv_intake_release(&in);
	set(&r, GRV_IN_REGISTERED, "2026-11-02T10:01", 16);
	IS(check(&r, NULL, &msg, &in), 1, "a minute after --now does not");
	free(msg);

	raw_ok(&r);
	set(&r, GRV_IN_PHONE, NULL, 0);
	set(&r, GRV_IN_TEXT, NULL, 0);
	IS(check(&r, "x:2", &msg, &in), 2, "missing fields are bad fields");
	OK(strstr(msg, "x:2: field 'text': missing") != NULL, "named");
	free(msg);
}

/* Add complaints numbered FIRST.. with the reference row (ref_intake.h) under the lock. */
static void
add(uint32_t first, int count, const char *reg)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	struct grv_intake_raw r;
	struct grv_intake in;
	int i;

	raw_ok(&r);
	set(&r, GRV_IN_REGISTERED, reg, strlen(reg));
	err_begin();
	if (grv_intake_check(&ctx, NULL, &r, GRV_CH_PHONE, &in) != 0 ||
	    grv_ledger_lock(&lg, datadir, GRV_COMPLAINTS, 1) != 0) {
		printf("# %s", err_end());
		exit(2);
	}
	free(err_end());
	for (i = 0; i < count; i++)
		ref_intake_add(&ctx, &lg, first + (uint32_t)i, &in);
	if (grv_ledger_commit(&lg) != 0)
		exit(2);
	grv_ledger_release(&lg);
	grv_intake_release(&in);
}

static int
last(uint32_t *n, grv_time_t *reg)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	int rc;

	if ((rc = grv_ledger_lock(&lg, datadir, GRV_COMPLAINTS, 1)) == 0)
		rc = grv_intake_last(&ctx, &lg, n, reg);
	grv_ledger_release(&lg);
	return rc;
}

static void
test_last(void)
{
	struct grv_state st;
	struct grv_fold_opts o;
	grv_time_t reg, t;
	uint32_t n = 99;

	IS(last(&n, &reg), 0, "a new ledger");
	IS(n, 0, "has no last complaint");
	IS(reg, GRV_TIME_NONE, "nor a last time");

	add(1, 3, "2026-11-01T09:30");
	IS(last(&n, &reg), 0, "after three");
	IS(n, 3, "the last is TS-3");
	grv_time_parse("2026-11-01T09:30", 330, &t);
	IS(reg, t, "registered when the row says");

	/* Seal the live file; the next live file starts with its header. */
	unit_sh("gzip -c '%s/ledger/complaints.csv' > "
	    "'%s/ledger/complaints-2025.csv.gz' && rm '%s/ledger/complaints.csv'",
	    datadir, datadir, datadir);
	IS(last(&n, &reg), 0, "a fresh live file after a sealed segment");
	IS(n, 3, "continues from the segment's last id");
	IS(reg, t, "and its time");
	add(4, 2, "2026-11-02");
	IS(last(&n, &reg), 0, "then the live tail again");
	IS(n, 5, "TS-5");

	memset(&o, 0, sizeof(o));
	o.now = ctx.now;
	o.nocache = 1;
	err_begin();
	IS(grv_state_load(&st, &ctx, &o), 0, "the fold accepts the numbering "
	    "across the segment");
	free(err_end());
	IS(st.n, 5, "five complaints");
	grv_state_release(&st);

	unit_sh("echo 'XX-9,2026-11-02T10:00:00+05:30,phone' >> "
	    "'%s/ledger/complaints.csv'", datadir);
	err_begin();
	OK(last(&n, &reg) != 0, "a damaged tail is refused");
	free(err_end());
}

static void
test_ids(void)
{
	static const char ids1[] = "id,registered\nTS-1,x\nTS-22\n\"TS-3\",y\n";
	char **ids;
	size_t n, i;

	put_file("ids1.csv", ids1, strlen(ids1));
	IS(grv_read_ids(tmp_path("ids1.csv"), "TS", &ids, &n), 0, "ids with a header");
	IS(n, 3, "the header is skipped");
	if (n == 3) {
		STR(ids[0], "TS-1", "first column");
		STR(ids[1], "TS-22", "rows may be short");
		STR(ids[2], "TS-3", "quoted");
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	put_file("ids2.csv", "TS-5\nTS-6\n", strlen("TS-5\nTS-6\n"));
	IS(grv_read_ids(tmp_path("ids2.csv"), "TS", &ids, &n), 0, "bare ids");
	IS(n, 2, "no header to skip");
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	err_begin();
	IS(grv_read_ids(tmp_path("nope.csv"), "TS", &ids, &n), GRV_EX_NOINPUT,
	    "a missing file");
	free(err_end());
}

int
main(void)
{
	int rc;

	grv_setprogname("test_intake");
	tmp_init("test-intake");
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
	grv_time_parse("2026-11-02T10:00", ctx.conf.tz, &ctx.now);
	test_check();
	test_last();
	test_ids();
	grv_ctx_release(&ctx);
	tmp_cleanup();
	return DONE();
}
