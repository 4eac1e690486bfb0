/* test_write.c: the event rows grv_writer_add lays out by hand and the
 * output rows of grv_print_events, against the way they were written
 * before (grv_ctx_ts, grv_id_format and snprintf into the fields, then
 * grv_ledger_add and grv_csv_putrow).  Random events over a copy of
 * tests/fixtures/state: every kind, empty and odd levels, no department or
 * officer, due times repeating and not, years outside 0000-9999, reasons
 * and notes with quotes, line breaks, backslashes and guards, an actor
 * that needs quoting.  Run from the repo root. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_ctx.h"
#include "grv_csvw.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_state.h"
#include "grv_write.h"
#include "unit.h"
#include "unit_fs.h"

#define FIXTURE "tests/fixtures/state"

static struct grv_ctx ctx;
static char datadir[600];

static uint64_t rng = 0x6a09e667f3bcc909ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const texts[] = { "overdue", "unsatisfied", "satisfied",
	"done, see \"letter\"", "line1\nline2", "back\\slash", "=1+2", "-x",
	"@home", "राम, \"शर्मा\"", "a\r\nb", "" };
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

static void
random_event(struct grv_newevent *ne, const grv_time_t dues[6])
{
	static const int levels[] = { 0, 1, 2, 3, 4, 9, 12345678, -5,
	    INT_MIN, INT_MAX };

	memset(ne, 0, sizeof(*ne));
	ne->n = rnd(4) ? 1 + rnd(100000) : UINT32_MAX - rnd(3);
	ne->kind = (int)rnd(GRV_EV_COUNT);
	ne->level = levels[rnd(10)];
	ne->dept = rnd(5) ? (int)rnd((unsigned)ctx.m.ndepts) : -1;
	ne->officer = rnd(5) ? (int)rnd((unsigned)ctx.m.nofficers) : -1;
	ne->due = rnd(5) ? dues[rnd(6)] : GRV_TIME_NONE;
	ne->reason = rnd(2) ? texts[rnd(NTEXTS)] : NULL;
	ne->ref = rnd(3) == 0 ? texts[rnd(NTEXTS)] : NULL;
	ne->note = rnd(3) == 0 ? texts[rnd(NTEXTS)] : NULL;
}

/* The event row as grv_writer_add wrote it before, into REF's queue. */
static void
ref_add(struct grv_ledger *ref, const struct grv_newevent *ne)
{
	const struct grv_masters *m = &ctx.m;
	char ts[GRV_TSLEN], due[GRV_TSLEN], id[48], level[8];
	const char *f[GRV_E_NCOLS];

	grv_ctx_ts(&ctx, ctx.now, ts);
	grv_id_format(ctx.conf.node, ne->n, id, sizeof(id));
	snprintf(level, sizeof(level), "%d", ne->level);
	if (ne->due != GRV_TIME_NONE)
		grv_ctx_ts(&ctx, ne->due, due);
	f[GRV_E_TS] = ts;
	f[GRV_E_ID] = id;
	f[GRV_E_EVENT] = grv_event_names[ne->kind];
	f[GRV_E_LEVEL] = ne->level ? level : "";
	f[GRV_E_DEPT] = ne->dept >= 0 ? m->depts[ne->dept].code : "";
	f[GRV_E_OFFICER] = ne->officer >= 0 ? m->officers[ne->officer].code :
	    "";
	f[GRV_E_DUE] = ne->due != GRV_TIME_NONE ? due : "";
	f[GRV_E_ACTOR] = ctx.actor;
	f[GRV_E_REASON] = ne->reason ? ne->reason : "";
	f[GRV_E_REF] = ne->ref ? ne->ref : "";
	f[GRV_E_NOTE] = ne->note ? ne->note : "";
	grv_ledger_add(ref, f);
}

/* The output row as grv_print_event wrote it before. */
static void
ref_print(struct grv_buf *b, const struct grv_newevent *ne)
{
	const struct grv_masters *m = &ctx.m;
	char id[48], level[8], due[GRV_TSLEN];
	const char *f[6];

	grv_id_format(ctx.conf.node, ne->n, id, sizeof(id));
	snprintf(level, sizeof(level), "%d", ne->level);
	if (ne->due != GRV_TIME_NONE)
		grv_ctx_ts(&ctx, ne->due, due);
	f[0] = id;
	f[1] = grv_event_names[ne->kind];
	f[2] = ne->level ? level : "";
	f[3] = ne->dept >= 0 ? m->depts[ne->dept].code : "";
	f[4] = ne->officer >= 0 ? m->officers[ne->officer].code : "";
	f[5] = ne->due != GRV_TIME_NONE ? due : "";
	grv_csv_putrow(b, f, 6, GRV_CSV_SAFE);
}

/* N random events both ways; 1 when the queues and outputs agree. */
static int
compare(size_t n)
{
	struct grv_writer w;
	struct grv_ledger ref = GRV_LEDGER_INIT;
	struct grv_newevent *ev = grv_calloc(n, sizeof(*ev));
	struct grv_buf want = GRV_BUF_INIT;
	grv_time_t dues[6];
	char *got = NULL, *msg;
	size_t i, gotlen = 0;
	FILE *fp;
	int ok = 1, rc;

	err_begin();
	rc = grv_writer_begin(&w, &ctx, 1);
	msg = err_end();
	if (rc != 0) {
		printf("# grv_writer_begin: %d: %s", rc, msg);
		free(msg);
		return 0;
	}
	free(msg);
	/* A few due times that repeat (the memo), some far off. */
	dues[0] = ctx.now + 3 * 86400;
	dues[1] = ctx.now + 7 * 86400;
	dues[2] = ctx.now + 86400 * (grv_time_t)rnd(400);
	dues[3] = -62167219200LL - 86400 * (grv_time_t)(1 + rnd(1000));
	dues[4] = 253402300800LL + 86400 * (grv_time_t)rnd(1000);
	dues[5] = ctx.now - (grv_time_t)rnd(100000000);
	ref.kind = GRV_EVENTS;
	memcpy(ref.crc, w.lg.crc, sizeof(ref.crc));
	for (i = 0; i < n; i++) {
		random_event(&ev[i], dues);
		grv_writer_add(&w, &ev[i]);
		ref_add(&ref, &ev[i]);
		ref_print(&want, &ev[i]);
	}
	if (w.lg.pending.len != ref.pending.len || memcmp(w.lg.pending.s,
	    ref.pending.s, ref.pending.len) != 0 ||
	    w.lg.npending != ref.npending || strcmp(w.lg.pcrc, ref.pcrc)) {
		printf("# queues differ (%zu and %zu bytes)\n", w.lg.pending.len,
		    ref.pending.len);
		ok = 0;
	}
	fp = open_memstream(&got, &gotlen);
	grv_print_events(fp, &ctx, ev, n);
	fclose(fp);
	if (gotlen != want.len || memcmp(got, want.s, gotlen) != 0) {
		printf("# output differs\n");
		ok = 0;
	}
	/* and one at a time */
	free(got);
	got = NULL;
	fp = open_memstream(&got, &gotlen);
	for (i = 0; i < n; i++)
		grv_print_event(fp, &ctx, &ev[i]);
	fclose(fp);
	if (gotlen != want.len || memcmp(got, want.s, gotlen) != 0) {
		printf("# output one at a time differs\n");
		ok = 0;
	}
	grv_writer_release(&w);
	grv_buf_release(&ref.pending);
	grv_buf_release(&want);
	free(got);
	free(ev);
	return ok;
}

int
main(void)
{
	int rc, ok, k;

	grv_setprogname("test_write");
	tmp_init("test-write");
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
	ctx.wait = 1;
	ctx.now_given = 1;
	ctx.actor = "op1";
	IS(grv_conf_load(&ctx.conf, datadir), 0, "conf");
	rc = grv_masters_load(&ctx.m, datadir, &ctx.conf);
	IS(rc, 0, "masters");
	ctx.loaded = rc == 0;
	grv_cal_init(&ctx.cal, &ctx.m, &ctx.conf);
	grv_time_parse("2026-11-02T10:00", ctx.conf.tz, &ctx.now);

	for (k = 0, ok = 1; k < 20 && ok; k++)
		ok = compare(1 + rnd(2000));
	OK(ok, "20 runs of random events: the writer's queued rows and its "
	    "output are those of fields through grv_ledger_add and putrow");
	ctx.actor = "=op,\"x\"\\y";
	ctx.conf.tz = -240;
	for (k = 0, ok = 1; k < 5 && ok; k++)
		ok = compare(1 + rnd(2000));
	OK(ok, "the same with an actor that needs quoting and a western "
	    "offset");
	ctx.conf.tz = 0;
	for (k = 0, ok = 1; k < 5 && ok; k++)
		ok = compare(1 + rnd(2000));
	OK(ok, "and at UTC ('Z')");
	grv_ctx_release(&ctx);
	tmp_cleanup();
	return DONE();
}
