/* test_intake_batch.c: a batch checked and queued by grv_intake_batch_check
 * and grv_intake_batch_add (rows written as they are checked, finished in
 * place under the lock) against the plain path: grv_intake_check and the
 * reference row of ref_intake.h, every field through grv_ledger_add
 * (grv_csv_putrow for the output).  Random complaints over tests/fixtures/state: quotes, commas,
 * line breaks, backslashes, guard characters, Devanagari, given times;
 * an empty queue (in place) and one already holding a row (copied); the
 * conf's node and a node that needs quoting.  Run from the repo root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_ctx.h"
#include "grv_csvw.h"
#include "grv_intake.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_state.h"
#include "ref_intake.h"
#include "unit.h"
#include "unit_fs.h"

#define FIXTURE "tests/fixtures/state"

static struct grv_ctx ctx;

static uint64_t rng = 0xda942042e4dd58b5ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const atoms[] = { "Ram", " ", "Lal", ",", "\"", "\n",
	"\r\n", "\\", "\\n", "=", "-", "+", "@", "'", "राम शर्मा", "बिजली",
	"no power since Monday", "x\"y,z", "\t" };
#define NATOMS (sizeof(atoms) / sizeof(atoms[0]))

/* A random text of atoms into B (never empty, never all blanks). */
static const char *
text(struct grv_buf *b, int maybe_empty)
{
	unsigned k;

	grv_buf_reset(b);
	grv_buf_add(b, "", 0);
	if (maybe_empty && rnd(3) == 0)
		return b->s;
	if (rnd(4) == 0)
		grv_buf_adds(b, atoms[9 + rnd(4)]);	/* a guard first */
	grv_buf_adds(b, "a");
	for (k = rnd(8); k > 0; k--)
		grv_buf_adds(b, atoms[rnd(NATOMS)]);
	return b->s;
}

/* A valid complaint's raw fields, from strings kept in BUFS. */
static void
random_raw(struct grv_intake_raw *r, struct grv_buf bufs[4])
{
	static const char *const phones[] = { "9816012345", "+919816012345",
	    "09816012345", "7000000001" };
	static const char *const channels[] = { "phone", "web", "office",
	    "janmanch", "cmo", "email", "app", "" };
	static const char *const regs[] = { "2026-11-01T09:30",
	    "2026-10-28", "2026-11-02T04:30:00Z", "2026-11-02T04:29:59Z",
	    "2026-01-01T00:00:00-04:00" };
	const struct grv_masters *m = &ctx.m;
	size_t loc;
	int i;

	memset(r, 0, sizeof(*r));
	r->v[GRV_IN_CATEGORY] = m->cats[rnd((unsigned)m->ncats)].code;
	do
		loc = rnd((unsigned)m->nlocs);
	while (m->locs[loc].kind == GRV_LOC_STATE);
	r->v[GRV_IN_LOC] = m->locs[loc].code;
	r->v[GRV_IN_NAME] = text(&bufs[0], 0);
	r->v[GRV_IN_PHONE] = phones[rnd(4)];
	r->v[GRV_IN_TEXT] = text(&bufs[1], 0);
	if (rnd(2))
		r->v[GRV_IN_CHANNEL] = channels[rnd(8)];
	if (rnd(2))
		r->v[GRV_IN_REF] = text(&bufs[2], 1);
	if (rnd(3) == 0)
		r->v[GRV_IN_REGISTERED] = regs[rnd(5)];
	for (i = 0; i < GRV_IN_COUNT; i++)
		r->len[i] = r->v[i] ? strlen(r->v[i]) : 0;
}

/* The output of grv-add as it was written: grv_csv_putrow per row. */
static void
ref_print(struct grv_buf *out, const struct grv_intake *v, size_t n,
    uint32_t first)
{
	const char *f[4];
	char id[48], ts[GRV_TSLEN];
	size_t i;

	grv_buf_adds(out, "id,registered,category,loc\n");
	for (i = 0; i < n; i++) {
		grv_id_format(ctx.conf.node, first + (uint32_t)i, id,
		    sizeof(id));
		grv_ctx_ts(&ctx, v[i].registered != GRV_TIME_NONE ?
		    v[i].registered : ctx.now, ts);
		f[0] = id;
		f[1] = ts;
		f[2] = ctx.m.cats[v[i].cat].code;
		f[3] = ctx.m.locs[v[i].loc].code;
		grv_csv_putrow(out, f, 4, GRV_CSV_SAFE);
	}
}

static int
same_queue(const struct grv_ledger *a, const struct grv_ledger *b)
{
	return a->pending.len == b->pending.len &&
	    memcmp(a->pending.s, b->pending.s, a->pending.len) == 0 &&
	    a->npending == b->npending && strcmp(a->pcrc, b->pcrc) == 0;
}

/* N random complaints both ways into queues chained from CRC ("" = the
   header), PRE rows already queued; 1 when all agree. */
static int
compare(size_t n, const char *crc, int pre, uint32_t first)
{
	struct grv_ledger a = GRV_LEDGER_INIT, b = GRV_LEDGER_INIT;
	struct grv_intake_batch batch = GRV_INTAKE_BATCH_INIT;
	struct grv_intake *v = grv_calloc(n + 1, sizeof(*v));
	struct grv_intake_raw r;
	struct grv_buf bufs[4], want = GRV_BUF_INIT;
	char *got = NULL;
	size_t i, gotlen = 0;
	FILE *fp;
	int ok = 1, bad;

	for (i = 0; i < 4; i++)
		bufs[i] = (struct grv_buf)GRV_BUF_INIT;
	a.kind = b.kind = GRV_COMPLAINTS;
	snprintf(a.crc, sizeof(a.crc), "%s", crc);
	snprintf(b.crc, sizeof(b.crc), "%s", crc);
	if (pre) {
		random_raw(&r, bufs);
		if (grv_intake_check(&ctx, NULL, &r, GRV_CH_PHONE, &v[n]))
			return 0;
		ref_intake_add(&ctx, &a, first - 1, &v[n]);
		ref_intake_add(&ctx, &b, first - 1, &v[n]);
		grv_intake_release(&v[n]);
	}
	for (i = 0; i < n; i++) {
		random_raw(&r, bufs);
		err_begin();
		bad = grv_intake_check(&ctx, "x", &r, GRV_CH_PHONE, &v[i]);
		bad += grv_intake_batch_check(&ctx, "x", &r, GRV_CH_PHONE,
		    &batch);
		got = err_end();
		if (bad) {
			printf("# a valid complaint refused: %s", got);
			return 0;
		}
		free(got);
		got = NULL;
	}
	for (i = 0; i < n; i++)
		ref_intake_add(&ctx, &a, first + (uint32_t)i, &v[i]);
	grv_intake_batch_add(&ctx, &b, first, &batch);
	if (!same_queue(&a, &b)) {
		printf("# queues differ (%zu and %zu bytes)\n", a.pending.len,
		    b.pending.len);
		ok = 0;
	}
	ref_print(&want, v, n, first);
	fp = open_memstream(&got, &gotlen);
	grv_intake_print(fp, &ctx, &batch, first);
	fclose(fp);
	if (gotlen != want.len || memcmp(got, want.s, gotlen) != 0) {
		printf("# output differs\n");
		ok = 0;
	}
	for (i = 0; i < n; i++)
		grv_intake_release(&v[i]);
	free(v);
	free(got);
	for (i = 0; i < 4; i++)
		grv_buf_release(&bufs[i]);
	grv_buf_release(&want);
	grv_intake_batch_release(&batch);
	grv_buf_release(&a.pending);
	grv_buf_release(&b.pending);
	return ok;
}

static void
test_batches(void)
{
	int ok = 1, k;

	for (k = 0; k < 40 && ok; k++)
		ok = compare(1 + rnd(300), k % 2 ? "0123abcd" : "", k % 3 == 0,
		    k % 5 == 0 ? 4294967000u : 1 + rnd(100000));
	OK(ok, "40 random batches: the queued rows (in place, or after a row "
	    "already queued) and the output are those of one complaint at a "
	    "time");

	/* A node that must be quoted and escaped makes ids longer written
	   than read: the room left before each row must hold them. */
	/* (31 bytes, the most the conf holds, half of them doubled) */
	strcpy(ctx.conf.node, "N\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\,x");
	for (k = 0, ok = 1; k < 10 && ok; k++)
		ok = compare(1 + rnd(200), "", k % 2, 4294967000u);
	OK(ok, "with a node that needs quoting and escapes: the same");
	strcpy(ctx.conf.node, "TS");
}

static void
test_refused(void)
{
	struct grv_intake_batch batch = GRV_INTAKE_BATCH_INIT;
	struct grv_intake_raw r;
	struct grv_buf bufs[4];
	char *msg;
	int i;

	for (i = 0; i < 4; i++)
		bufs[i] = (struct grv_buf)GRV_BUF_INIT;
	random_raw(&r, bufs);
	r.v[GRV_IN_PHONE] = "123";
	r.len[GRV_IN_PHONE] = 3;
	r.v[GRV_IN_CATEGORY] = "EN-SUPLY";
	r.len[GRV_IN_CATEGORY] = 8;
	err_begin();
	IS(grv_intake_batch_check(&ctx, "b.csv:7", &r, GRV_CH_PHONE, &batch),
	    2, "a bad complaint: its bad fields counted");
	msg = err_end();
	OK(strstr(msg, "b.csv:7: field 'category': unknown category "
	    "'EN-SUPLY' (did you mean 'EN-SUPPLY'?)") != NULL &&
	    strstr(msg, "b.csv:7: field 'phone': bad phone '123'") != NULL,
	    "and reported as grv_intake_check reports them");
	free(msg);
	IS(batch.n, 0, "and not added");
	grv_intake_batch_release(&batch);
	for (i = 0; i < 4; i++)
		grv_buf_release(&bufs[i]);
}

int
main(void)
{
	int rc;

	grv_setprogname("test_intake_batch");
	tmp_init("test-intake-batch");
	if (access(FIXTURE "/masters/officers.csv", R_OK) == -1) {
		printf("not ok 1 - %s not found: run from the repository "
		    "root\n", FIXTURE);
		tmp_cleanup();
		return 1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.dir = FIXTURE;
	IS(grv_conf_load(&ctx.conf, FIXTURE), 0, "conf");
	rc = grv_masters_load(&ctx.m, FIXTURE, &ctx.conf);
	IS(rc, 0, "masters");
	ctx.loaded = rc == 0;
	grv_cal_init(&ctx.cal, &ctx.m, &ctx.conf);
	grv_time_parse("2026-11-02T10:00", ctx.conf.tz, &ctx.now);
	test_batches();
	test_refused();
	grv_ctx_release(&ctx);
	tmp_cleanup();
	return DONE();
}
