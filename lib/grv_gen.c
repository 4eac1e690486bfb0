/* grv_gen.c: a synthetic but realistic helpline on real masters.
 *
 * Registrations fall in working hours, more on weekdays and in the monsoon;
 * a few departments and districts carry most of them (Zipf-like weights).
 * Each complaint lives the life the real programs would give it: routed by
 * the placement rule (grv_place) minutes after it is keyed in, resolved in
 * time or climbing the ladder at the daily sweep after its due time,
 * called back and closed satisfied, escalated as unsatisfied, closed
 * unverified when the citizen cannot be reached, now and then transferred
 * or closed by special (forced) closure.  Complaint rows are written as
 * they are made; events are collected, sorted by time and then written, so
 * events.csv never goes back in time.  Rows go through grv_ledger_add: the
 * same escaping and crc chain as every other writer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_fast.h"
#include "grv_file.h"
#include "grv_gen.h"
#include "grv_rng.h"
#include "grv_hwm.h"
#include "grv_ledger.h"
#include "grv_life.h"
#include "grv_msg.h"
#include "grv_place.h"
#include "grv_state.h"
#include "grv_write.h"

#define FLUSH_AT	(4u << 20)	/* bytes queued before a write */
#define SWEEP_HOUR	7		/* the cron sweep runs daily at 07:00 */
#define MAX_PLACEMENTS	8		/* then the top officer closes it */
#define NAGENTS		40		/* call-centre agents */
#define DUP_P		0.02		/* complaints that repeat an open one */
#define NRECENT		256		/* complaints a repeat may repeat */

/* ---- random numbers: grv_rng.h ---- */

#define rng	grv_rng
#define rnext	grv_rng_next
#define rseed	grv_rng_seed
#define unif	grv_rng_unif
#define below	grv_rng_below

/* Uniform in [a, b). */
static double
between(struct rng *r, double a, double b)
{
	return a + (b - a) * unif(r);
}

/* Index drawn from cumulative weights CUM[0..n-1]. */
static size_t
pick(struct rng *r, const double *cum, size_t n)
{
	double x = unif(r) * cum[n - 1];
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---- texts ---- */

static const char *const first_en[] = { "Ramesh", "Sunita", "Anil", "Kamla",
	"Rajesh", "Neelam", "Vijay", "Pooja", "Suresh", "Anita", "Mohan",
	"Reena", "Sanjay", "Kiran", "Ajay", "Meena", "Deepak", "Savitri",
	"Rakesh", "Usha", "Joginder", "Shanti", "Pawan", "Krishna", "Bhag Singh",
	"Tara Chand", "Leela", "Prem Lal", "Sarla", "Hem Raj" };
static const char *const last_en[] = { "Sharma", "Thakur", "Verma",
	"Chauhan", "Kumar", "Devi", "Negi", "Rana", "Kapoor", "Guleria",
	"Katoch", "Pathania", "Bhardwaj", "Sood", "Singh", "Dhiman", "Kanwar",
	"Mehta", "Jamwal", "Parmar" };
static const char *const first_hi[] = { "रमेश", "सुनीता", "अनिल", "कमला",
	"राजेश", "नीलम", "विजय", "पूजा", "सुरेश", "अनीता", "मोहन", "रीना" };
static const char *const last_hi[] = { "शर्मा", "ठाकुर", "वर्मा", "चौहान",
	"नेगी", "राणा", "देवी", "कुमार", "कटोच", "सूद" };

static const char *const resolve_txt[] = {
	"Supply restored after replacing the burnt fuse, as per Rule 12(3) of "
	    "the Supply Code",
	"Site inspected on the complainant's call; work order issued under "
	    "\"Para 4.2\" of the department manual",
	"शिकायतकर्ता से संपर्क किया, समस्या का समाधान कर दिया गया है, नियम 7(2) "
	    "के अनुसार",
	"Certificate issued, copy sent by post; HP Public Service Guarantee "
	    "Act, 2011, section 5",
	"मौके पर निरीक्षण किया गया, \"मरम्मत\" का कार्य पूर्ण, पत्र संलग्न",
	"Amount refunded to the citizen's account, as per Standing Order "
	    "3/2019",
	"पाइपलाइन की मरम्मत की गई, जल आपूर्ति बहाल; नियम 9, विभागीय नियमावली",
	"Record corrected (mutation entered), as per HP Land Revenue Act, "
	    "1954, section 35",
	"Staff warned, fee returned; action under CCS (Conduct) Rules, 1964, "
	    "rule 3",
	"Road cleared by JCB, drain opened; PWD Manual, \"Maintenance\" "
	    "chapter 8",
};
static const char *const note_txt[] = {
	"Field staff deputed, report awaited",
	"Estimate prepared and sent for sanction; \"budget head\" 4215",
	"जाँच जारी है, रिपोर्ट 3 दिन में",
	"Material indented, work to start after it arrives, approx. 10 days",
	"शिकायतकर्ता से बात हुई, स्थल निरीक्षण, अगले सप्ताह",
};
static const char *const forced_txt[] = {
	"Matter sub judice: case pending in the civil court, cannot be "
	    "resolved administratively",
	"Policy matter, beyond the scope of the helpline; forwarded to the "
	    "Secretariat",
	"शिकायतकर्ता ने \"गलत\" जानकारी दी, जाँच में तथ्य सही नहीं पाए गए",
	"Repeated complaint, the same grievance already disposed of",
	"Private dispute between neighbours, no departmental role, parties "
	    "advised",
};
static const char *const transfer_txt[] = {
	"Not our jurisdiction, belongs to another department",
	"विभाग से संबंधित नहीं, सही विभाग को भेजा गया",
	"Wrong mapping: asset maintained by the other department, \"MoU "
	    "2019\"",
};
static const char *const fb_note_txt[] = {
	"", "", "", "Citizen says \"work done, thanks\"",
	"नागरिक संतुष्ट, धन्यवाद कहा", "Called twice, switched off",
	"फोन नहीं उठाया, 3 बार कॉल किया", "Says the problem is back, wants "
	    "a visit by the SDO, \"urgently\"",
};
static const char *const move_txt[] = {
	"Caller gave the wrong block, corrected on the callback",
	"गलत स्थान दर्ज, सही ब्लॉक में भेजा गया",
};
static const char *const hold_txt[] = {
	"Copy of the khasra and the last bill",
	"आधार कार्ड की प्रति और आवेदन की रसीद",
	"Exact location of the pole, with a landmark",
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the model ---- */

/* Departments that carry most complaints, heaviest first; the rest of
   the file follows in its own order. */
static const char *const heavy_depts[] = { "HPSEBL", "JSV", "REV", "PWD",
	"POL", "HFW", "UD", "FCS", "RD", "PR", "LR", "EDE", "HRTC", "SJE",
	"TRN", "FOR", "AGR" };
/* District populations (2011 census, thousands); others get 300. */
static const struct { const char *code; double pop; } district_pop[] = {
	{ "KGR", 1510 }, { "MND", 999 }, { "SML", 814 }, { "SOL", 580 },
	{ "SRM", 530 }, { "UNA", 521 }, { "CHM", 519 }, { "HMR", 454 },
	{ "KLU", 437 }, { "BLP", 381 }, { "KNR", 84 }, { "LHS", 31 } };
/* Registration weight by local hour, and by weekday (Sunday first). */
static const double hour_w[24] = { .02, .01, .01, .01, .02, .05, .15, .35,
	.6, .85, 1, 1, .95, .9, .95, .9, .85, .75, .6, .5, .4, .25, .1, .05 };
static const double wday_w[7] = { .4, 1, .95, .9, .9, .85, .7 };

/* One event, compact: about 5 per complaint are kept until sorted. */
struct gev {
	int64_t		 ts;
	uint32_t	 n;
	int32_t		 due;		/* due - ts, or INT32_MIN */
	int16_t		 officer;	/* -1: empty */
	uint8_t		 dept;		/* 255: empty */
	uint8_t		 level;		/* 0: empty */
	uint8_t		 kind;
	uint8_t		 reason;	/* enum grv_reason */
	uint8_t		 k;		/* order within the complaint */
	uint8_t		 text;		/* index into the kind's texts */
};

struct gen {
	struct grv_ctx		*ctx;
	const struct grv_masters *m;
	const struct grv_gen_opts *o;
	struct grv_gen_stats	*st;
	struct rng		 r;
	double			*catcum;
	double			*distcum;
	int			*dist;		/* district loc indices */
	size_t			 ndist;
	int			**below;	/* per district: locs under it */
	size_t			*nbelow;
	double			*intime;	/* per dept: resolved in time */
	double			*satisfied;	/* per dept: callback satisfied */
	struct gev		*ev;
	size_t			 nev, evcap;
	/* the complaint being simulated */
	uint32_t		 n;
	uint8_t			 k;
	int			 loyal;		/* --plant: a loyal caller's */
	uint32_t		 dup_of;	/* it repeats complaint dup_of */
	grv_time_t		 closed_at;	/* its first close, or NONE */
	struct grv_cstate	 cs;
	/* the last NRECENT complaints, for a repeat (ring) */
	struct recent {
		uint32_t	 n;
		grv_time_t	 closed;	/* first close, or NONE */
		int		 cat, loc;
		int		 repeated;	/* once at most */
		char		 phone[11];
	}			 recent[NRECENT];
	size_t			 nrecent;
};

static int
dept_rank(const struct grv_masters *m, size_t d)
{
	size_t i;

	for (i = 0; i < NELEM(heavy_depts); i++)
		if (strcmp(m->depts[d].code, heavy_depts[i]) == 0)
			return (int)i;
	return (int)(NELEM(heavy_depts) + d);
}

static int
setup(struct gen *g)
{
	const struct grv_masters *m = g->m;
	size_t c, d, i, *seen;
	double acc = 0, w;
	int r;

	/* Categories: department weight (Zipf over its rank) spread over
	   its categories (Zipf again; bribe complaints are rare). */
	g->catcum = grv_calloc(m->ncats, sizeof(double));
	seen = grv_calloc(m->ndepts, sizeof(size_t));
	for (c = 0; c < m->ncats; c++) {
		d = (size_t)m->cats[c].dept;
		/* About 1/rank^1.1 and 1/i^0.9, without libm. */
		r = dept_rank(m, d);
		w = 1 / ((r + 1) * (1 + 0.04 * r)) / (0.3 + 0.7 *
		    (double)++seen[d]);
		if (strstr(m->cats[c].code, "BRIBE"))
			w *= 0.1;
		acc += w;
		g->catcum[c] = acc;
	}
	free(seen);
	if (m->ncats == 0 || acc <= 0) {
		grv_err("masters/categories.csv: no categories to complain "
		    "about");
		return GRV_EX_DATAERR;
	}
	/* Districts by population, sharpened a little. */
	g->dist = grv_calloc(m->nlocs, sizeof(int));
	g->distcum = grv_calloc(m->nlocs, sizeof(double));
	acc = 0;
	for (i = 0; i < m->nlocs; i++) {
		if (m->locs[i].kind != GRV_LOC_DISTRICT)
			continue;
		w = 300;
		for (c = 0; c < NELEM(district_pop); c++)
			if (strcmp(m->locs[i].code, district_pop[c].code) == 0)
				w = district_pop[c].pop;
		acc += w * (w + 1000);	/* about pop^1.3 */
		g->dist[g->ndist] = (int)i;
		g->distcum[g->ndist++] = acc;
	}
	if (g->ndist == 0) {
		/* A state without districts: everything at the top. */
		g->dist[0] = 0;
		g->distcum[0] = 1;
		g->ndist = 1;
	}
	g->below = grv_calloc(g->ndist, sizeof(int *));
	g->nbelow = grv_calloc(g->ndist, sizeof(size_t));
	for (d = 0; d < g->ndist; d++) {
		g->below[d] = grv_calloc(m->nlocs, sizeof(int));
		for (i = 0; i < m->nlocs; i++)
			if ((int)i != g->dist[d] &&
			    grv_loc_within(m, (int)i, g->dist[d]))
				g->below[d][g->nbelow[d]++] = (int)i;
	}
	/* Each department's habits: how often it acts in time, and how
	   often its answers satisfy. */
	g->intime = grv_calloc(m->ndepts, sizeof(double));
	g->satisfied = grv_calloc(m->ndepts, sizeof(double));
	for (d = 0; d < m->ndepts; d++) {
		g->intime[d] = between(&g->r, 0.55, 0.97);
		g->satisfied[d] = between(&g->r, 0.55, 0.92);
	}
	return 0;
}

/*
 * The big arrays (the events, 24 bytes each, 45 million of them at 10
 * million complaints) are mappings of their own: grown by mremap, which
 * moves page tables instead of copying, and with huge pages asked for.
 * Growing them by realloc's copies into 4 KiB pages first touched one at
 * a time was a tenth of grv-gen's time, in page faults.
 */
static void *
big_grow(void *p, size_t oldlen, size_t len)
{
	void *q = p ? mremap(p, oldlen, len, MREMAP_MAYMOVE) : mmap(NULL, len,
	    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (q == MAP_FAILED) {
		fputs("grv: out of memory\n", stderr);	/* as grv_alloc */
		exit(GRV_EX_IOERR);
	}
	(void)madvise(q, len, MADV_HUGEPAGE);	/* advice only */
	return q;
}

static void
big_free(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}

static void
emit(struct gen *g, grv_time_t ts, int kind, int level, int dept,
    int officer, grv_time_t due, int reason, int text)
{
	struct gev *e;

	if (g->nev == g->evcap) {
		size_t cap = g->evcap ? g->evcap * 2 : 1 << 16;

		g->ev = big_grow(g->ev, g->evcap * sizeof(*g->ev),
		    cap * sizeof(*g->ev));
		g->evcap = cap;
	}
	e = &g->ev[g->nev++];
	e->ts = ts;
	e->n = g->n;
	e->due = due == GRV_TIME_NONE ? INT32_MIN : (int32_t)(due - ts);
	e->officer = (int16_t)officer;
	e->dept = dept < 0 ? 255 : (uint8_t)dept;
	e->level = (uint8_t)level;
	e->kind = (uint8_t)kind;
	e->reason = (uint8_t)reason;
	e->k = g->k++;
	e->text = (uint8_t)text;
	g->st->events++;
}

/* The first daily sweep strictly after T. */
static grv_time_t
sweep_after(const struct gen *g, grv_time_t t)
{
	int tz = g->ctx->conf.tz;
	grv_time_t s = grv_local_day(t, tz) * 86400 + SWEEP_HOUR * 3600 -
	    (grv_time_t)tz * 60;

	return s > t ? s : s + 86400;
}

/* T moved into office hours (10:00 to 18:00), unless that reaches LIMIT. */
static grv_time_t
office(struct gen *g, grv_time_t t, grv_time_t limit)
{
	int tz = g->ctx->conf.tz;
	grv_time_t day = grv_local_day(t, tz), sec, u;

	sec = t + (grv_time_t)tz * 60 - day * 86400;
	if (sec >= 10 * 3600 && sec < 18 * 3600)
		return t;
	if (sec >= 18 * 3600)
		day++;
	u = day * 86400 - (grv_time_t)tz * 60 + 10 * 3600 +
	    (grv_time_t)below(&g->r, 8 * 3600);
	return u < limit && u > t ? u : t;
}

/* Record a placement (or a resume) and apply it to the complaint. */
static void
put(struct gen *g, grv_time_t t, int kind, int level, int dept, int officer,
    grv_time_t due, int reason, int text)
{
	struct grv_event ev;

	emit(g, t, kind, level, dept, officer, due, reason, text);
	memset(&ev, 0, sizeof(ev));
	ev.ts = t;
	ev.kind = kind;
	ev.level = level;
	ev.dept = dept;
	ev.officer = officer;
	ev.due = due;
	ev.reason = reason;
	grv_state_apply(&g->cs, &ev);
}

/*
 * Place the complaint with DEPT at LEVEL at T and record the event (route,
 * transfer, escalate or reopen).  Returns 0, or -1 when nobody sits there.
 */
static int
placement(struct gen *g, grv_time_t t, int kind, int dept, int level,
    int reason, int text)
{
	int officer;
	grv_time_t due;

	if (grv_place(g->ctx, &g->cs, dept, level, t, &officer, &due) != 0)
		return -1;
	put(g, t, kind, level, dept, officer, due, reason, text);
	return 0;
}

/* Simple events that change the state too. */
static void
act(struct gen *g, grv_time_t t, int kind, int officer, int reason, int text)
{
	struct grv_event ev;

	if (kind == GRV_EV_CLOSE && g->closed_at == GRV_TIME_NONE)
		g->closed_at = t;
	emit(g, t, kind, kind == GRV_EV_FEEDBACK || kind == GRV_EV_CLOSE ||
	    kind == GRV_EV_RESOLVE || kind == GRV_EV_NOTE ||
	    kind == GRV_EV_HOLD || kind == GRV_EV_RATE ? g->cs.level : 0,
	    g->cs.dept, officer, GRV_TIME_NONE, reason, text);
	memset(&ev, 0, sizeof(ev));
	ev.ts = t;
	ev.kind = kind;
	ev.officer = officer;
	ev.reason = reason;
	ev.due = GRV_TIME_NONE;
	grv_state_apply(&g->cs, &ev);
}

/*
 * The detours of SPEC 7.2 from an open complaint placed at *T, to leave by
 * OUT: a location corrected (2 in 100: an amend, then the move to the
 * officer there), or a hold (3 in 100, when OUT is two days away or more)
 * that resumes when the citizen supplies (4 in 5) or when it runs out.
 * 1 with *T the new placement's time, 0 when none happened, -1 when the
 * next step falls past the end.
 */
static int
detour(struct gen *g, grv_time_t *t, grv_time_t out)
{
	const struct grv_conf *c = &g->ctx->conf;
	struct grv_cstate fixed;
	struct grv_event ev;
	grv_time_t at, due;
	double u = unif(&g->r);
	size_t d;
	int loc, officer, reason;

	if (u < 0.02) {
		d = pick(&g->r, g->distcum, g->ndist);
		loc = g->nbelow[d] ? g->below[d][below(&g->r,
		    (uint32_t)g->nbelow[d])] : g->dist[d];
		at = *t + (out - *t) / 5;
		fixed = g->cs;
		fixed.loc = loc;
		if (loc == g->cs.loc || grv_place(g->ctx, &fixed, fixed.dept,
		    fixed.level, at, &officer, &due) != 0)
			return 0;
		if (at > g->o->end)
			return -1;
		/* The new location's index rides in the due column, which
		   an amend leaves empty (write_events). */
		emit(g, at, GRV_EV_AMEND, 0, -1, -1, at + loc, GRV_R_LOC, 0);
		memset(&ev, 0, sizeof(ev));
		ev.ts = at;
		ev.kind = GRV_EV_AMEND;
		ev.reason = GRV_R_LOC;
		ev.code = loc;
		grv_state_apply(&g->cs, &ev);
		put(g, at, GRV_EV_MOVE, fixed.level, fixed.dept, officer, due, 0,
		    (int)below(&g->r, NELEM(move_txt)));
		*t = at;
		return 1;
	}
	if (u >= 0.05 || out - *t < 2 * 86400 || c->hold_days < 2)
		return 0;
	at = *t + (out - *t) / 4;
	if (at > g->o->end)
		return -1;
	act(g, at, GRV_EV_HOLD, g->cs.officer, 0,
	    (int)below(&g->r, NELEM(hold_txt)));
	if (unif(&g->r) < 0.8) {
		reason = GRV_R_SUPPLIED;
		at += (grv_time_t)between(&g->r, 43200.0,
		    ((double)c->hold_days - 1) * 86400);
	} else {
		reason = GRV_R_EXPIRED;
		at = sweep_after(g, at + (grv_time_t)c->hold_days * 86400);
	}
	if (at > g->o->end)
		return -1;
	put(g, at, GRV_EV_RESUME, g->cs.level, g->cs.dept, g->cs.officer,
	    grv_cal_resume(&g->ctx->cal, g->cs.held, g->cs.due, at), reason,
	    0);
	*t = at;
	return 1;
}

/* A satisfied complaint closed at *T reopened on the citizen's word (3 in
   100, within reopen_days and reopen_max), one level up: 1 with *T the
   reopen's time, else 0. */
static int
reopen(struct gen *g, grv_time_t *t)
{
	const struct grv_conf *c = &g->ctx->conf;
	grv_time_t at;

	if (unif(&g->r) >= 0.03 || GRV_CS_REOPENS(&g->cs) >= c->reopen_max ||
	    c->reopen_days < 2)
		return 0;
	at = *t + (grv_time_t)between(&g->r, 86400.0,
	    ((double)c->reopen_days - 1) * 86400);
	if (at > g->o->end || placement(g, at, GRV_EV_REOPEN, g->cs.dept,
	    grv_unsatisfied_level(c, &g->cs), GRV_R_CITIZEN, 0) != 0)
		return 0;
	*t = at;
	return 1;
}

/* The citizen's rating with an answer at T (3 in 10 rate): 3 to 5 when
   satisfied, 1 to 3 when not. */
static void
rate(struct gen *g, grv_time_t t, int satisfied)
{
	if (unif(&g->r) < 0.3)
		act(g, t, GRV_EV_RATE, -1, 0, (satisfied ? 3 : 1) +
		    (int)below(&g->r, 3));
}

/* A department other than D for a transfer, drawn like complaints are. */
static int
other_dept(struct gen *g, int d)
{
	int i, o;

	for (i = 0; i < 8; i++) {
		o = g->m->cats[pick(&g->r, g->catcum, g->m->ncats)].dept;
		if (o != d)
			return o;
	}
	return -1;
}

/*
 * The life of complaint N registered at REG.  Everything past the end is
 * cut: what the complaint was then is what the ledger shows.
 */
static void
life(struct gen *g, grv_time_t reg)
{
	const struct grv_masters *m = g->m;
	const struct grv_category *cat = &m->cats[g->cs.category];
	grv_time_t end = g->o->end, t, out, fb, at;
	int top = g->ctx->conf.levels, dept = cat->dept, level, d, o;
	int stuck, placements = 1, forcelvl, k, bribe = cat->start_level > 1;
	struct grv_plant *pl = g->o->plant;
	double u, p;

	level = cat->start_level > top ? top : cat->start_level;
	t = reg + 60 * (1 + (grv_time_t)below(&g->r, 90));
	if (t > end || placement(g, t, GRV_EV_ROUTE, dept, level, 0, 0)) {
		g->st->fresh++;
		return;
	}
	if (g->dup_of) {
		/* A repeat: its officer closes it as a duplicate of the
		   open one within two days (SPEC 7.2), which stays open
		   three days at least (repeat_of).  The id rides in the
		   due column, which a close leaves empty (write_events). */
		t += (grv_time_t)between(&g->r, 7200.0, 2 * 86400.0);
		if (t > end) {
			g->st->open++;
			return;
		}
		act(g, t, GRV_EV_CLOSE, g->cs.officer, GRV_R_DUPLICATE, 0);
		g->ev[g->nev - 1].due = (int32_t)g->dup_of;
		g->st->closed[3]++;
		return;
	}
	stuck = unif(&g->r) < 0.05;
	for (;;) {
		/* At a placement: t is when, g->cs holds it. */
		dept = g->cs.dept;
		level = g->cs.level;
		u = unif(&g->r);
		p = g->intime[dept] + 0.06 * (level - 1);
		out = office(g, t + (grv_time_t)((double)(g->cs.due - t) *
		    between(&g->r, 0.05, 0.95)), g->cs.due);
		if (out > end && !stuck && u < p)
			break;	/* still with the officer at the end */
		/* --plant: a bouncing pair or a late one, then a department
		   closing its bribe complaints, then the forcers (before the
		   generator's own draws, which stay as they were without;
		   the loyal callers' complaints stay where they land) */
		d = -1;
		if (pl && !stuck && !g->loyal && (d = grv_plant_bounce(pl, m,
		    g->n, dept, level, g->cs.loc, placements)) >= 0)
			at = t + (out - t) / 4;
		else if (pl && !stuck && !g->loyal)
			d = grv_plant_late(pl, m, dept, level, g->cs.loc,
			    placements, t, g->cs.due, &at);
		if (d >= 0) {
			if (at > end)
				break;
			if (placement(g, at, GRV_EV_TRANSFER, d, level, 0, 0)
			    == 0) {
				t = at;
				placements++;
				g->st->transfers++;
				continue;
			}
		}
		if (pl && !stuck && (o = grv_plant_bribe(pl, m, dept, level,
		    g->cs.loc, placements, bribe, t, &at)) >= 0) {
			if (at > end)
				break;
			act(g, at, GRV_EV_CLOSE, o, GRV_R_FORCED, 0);
			g->st->closed[1]++;
			return;
		}
		if (pl && !stuck && (o = grv_plant_force(pl, m, g->n, dept,
		    level, g->cs.loc, placements, bribe)) >= 0) {
			if (out > end)
				break;
			act(g, out, GRV_EV_CLOSE, o, GRV_R_FORCED, 0);
			g->st->closed[1]++;
			return;
		}
		if (!stuck && !g->loyal && g->cs.transfers < 3 &&
		    u < (placements == 1 ?
		    0.03 : 0.005) && (d = other_dept(g, dept)) >= 0) {
			grv_time_t tt = t + (out - t) / 4;

			if (tt > end)
				break;
			if (placement(g, tt, GRV_EV_TRANSFER, d, level, 0,
			    (int)below(&g->r, NELEM(transfer_txt))) == 0) {
				t = tt;
				placements++;
				g->st->transfers++;
				continue;
			}
		}
		if (!stuck && !g->loyal && placements < MAX_PLACEMENTS &&
		    (k = detour(g, &t, out)) != 0) {
			if (k < 0)
				break;
			placements++;
			continue;
		}
		/* An interim reply on the way. */
		if (out - t > 86400 && unif(&g->r) < 0.10) {
			grv_time_t nt = t + (out - t) / 3;

			if (nt > end)
				break;
			act(g, nt, GRV_EV_NOTE, g->cs.officer, 0,
			    (int)below(&g->r, NELEM(note_txt)));
		}
		forcelvl = level > GRV_FORCE_LEVEL ? level : GRV_FORCE_LEVEL;
		if (!stuck && unif(&g->r) < (level >= 3 ? 0.06 : 0.01) &&
		    (o = grv_responsible(m, dept, forcelvl, g->cs.loc)) >= 0) {
			if (out > end)
				break;
			act(g, out, GRV_EV_CLOSE, o, GRV_R_FORCED,
			    (int)below(&g->r, NELEM(forced_txt)));
			g->st->closed[1]++;
			return;
		}
		if (stuck || u >= p || placements >= MAX_PLACEMENTS) {
			/* Nobody acts: the sweep after the due time. */
			t = sweep_after(g, g->cs.due);
			if (t > end)
				break;
			if (level < top && placements < MAX_PLACEMENTS &&
			    placement(g, t, GRV_EV_ESCALATE, dept, level + 1,
			    GRV_R_OVERDUE, 0) == 0) {
				g->st->escalations++;
				placements++;
				continue;
			}
			/* Defaulted at the top: resolved late, or never. */
			if (stuck || unif(&g->r) < 0.5)
				break;
			out = g->cs.due + (grv_time_t)between(&g->r, 86400,
			    40 * 86400.0);
			if (out > end)
				break;
		}
		if (pl && (out = grv_plant_fast(pl, g->cs.officer, level,
		    out, g->ctx->conf.tz)) > end)
			break;	/* --plant: a fast officer's burst */
		act(g, out, GRV_EV_RESOLVE, g->cs.officer, 0,
		    (int)below(&g->r, NELEM(resolve_txt)));
		t = out;
		/* The callback, within the feedback window. */
		fb = t + (grv_time_t)between(&g->r, 3 * 3600.0,
		    ((double)g->ctx->conf.feedback_days - 1.5) * 86400);
		u = unif(&g->r);
		p = g->satisfied[dept];
		if (pl && grv_plant_paper(pl, g->cs.officer, level))
			u = p + (1 - p) * 0.3;	/* --plant: unsatisfied */
		if (u < 0.04 || fb > end) {
			/* Never called back, or not yet. */
			if (fb > end)
				break;
			fb = sweep_after(g, t + (grv_time_t)
			    g->ctx->conf.feedback_days * 86400);
			if (fb > end)
				break;
			act(g, fb, GRV_EV_CLOSE, -1, GRV_R_UNVERIFIED, 0);
			g->st->closed[2]++;
			return;
		}
		if (u < p) {
			act(g, fb, GRV_EV_FEEDBACK, -1, GRV_R_SATISFIED,
			    (int)below(&g->r, 5));
			rate(g, fb, 1);
			act(g, fb, GRV_EV_CLOSE, -1, GRV_R_SATISFIED, 0);
			t = fb;
			if (placements < MAX_PLACEMENTS && reopen(g, &t)) {
				placements++;
				continue;
			}
			g->st->closed[0]++;
			return;
		}
		if (u < p + (1 - p) * 0.65) {
			/* Unsatisfied: one level up at once (at the top, the
			   top again), as grv-feedback does. */
			act(g, fb, GRV_EV_FEEDBACK, -1, GRV_R_UNSATISFIED,
			    (int)(5 + below(&g->r, 3)) % (int)NELEM(fb_note_txt));
			rate(g, fb, 0);
			if (placement(g, fb, GRV_EV_ESCALATE, dept, level < top ?
			    level + 1 : top, GRV_R_UNSATISFIED, 0) == 0) {
				g->st->escalations++;
				t = fb;
				placements++;
				continue;
			}
			break;	/* nobody above: left resolved */
		} else
			act(g, fb, GRV_EV_FEEDBACK, -1, GRV_R_UNREACHABLE,
			    (int)(5 + below(&g->r, 2)));
		fb = sweep_after(g, t + (grv_time_t)g->ctx->conf.feedback_days *
		    86400);
		if (fb > end)
			break;
		act(g, fb, GRV_EV_CLOSE, -1, GRV_R_UNVERIFIED, 0);
		g->st->closed[2]++;
		return;
	}
	g->st->open++;
}

/* ---- writing ---- */

/* Write what is queued, without the fsync a commit does (one at the end). */
static int
flush(struct grv_ledger *lg, int force)
{
	if (lg->pending.len < (force ? 1 : FLUSH_AT))
		return 0;
	if (grv_write_all(lg->fd, lg->pending.s, lg->pending.len) == -1) {
		grv_err("%s: write: %s", lg->rel, strerror(errno));
		return GRV_EX_IOERR;
	}
	lg->size += (off_t)lg->pending.len;
	memcpy(lg->crc, lg->pcrc, 9);
	grv_buf_reset(&lg->pending);
	lg->npending = 0;
	return 0;
}

static int
finish(struct grv_ledger *lg)
{
	int rc;

	if ((rc = flush(lg, 1)) != 0)
		return rc;
	if (fsync(lg->fd) == -1) {
		grv_err("%s: fsync: %s", lg->rel, strerror(errno));
		return GRV_EX_IOERR;
	}
	/* What a commit would have recorded: the mark of what we wrote. */
	return grv_hwm_adopt(lg->dir, lg->kind, lg->fd) == 0 ? 0 :
	    GRV_EX_IOERR;
}

static int
lock_empty(struct grv_ledger *lg, const char *dir, enum grv_ledger_kind k)
{
	int rc;

	if ((rc = grv_ledger_lock(lg, dir, k, 0)) != 0)
		return rc;
	if (lg->last) {
		grv_err("%s: already holds rows; grv-gen writes only into an "
		    "empty ledger", lg->rel);
		return GRV_EX_CANTCREAT;
	}
	return grv_ledger_materialize(lg);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_ev(const void *a, const void *b)
{
	const struct gev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

/*
 * Sort N elements of SIZE bytes at *BASE, each led by an int64_t, by that
 * number, keeping the order of equal ones: an LSD radix sort on the
 * distance from the least, in two or three passes (the sorted array may
 * be the other buffer: *BASE is set to it; CAP is the capacity of both in
 * elements, *BASE a big_grow mapping).  A span too wide for it (never,
 * for the 20 years grv-gen allows) falls back to qsort with CMP.
 *
 * The events were emitted complaint by complaint (n rising) and within
 * one in order (k rising), so sorted so by time alone they are in
 * cmp_ev's order; qsort's merge sort compared the 45 million events of
 * 10 million complaints some 25 times each.
 */
static void
sort_by_time(void **base, size_t n, size_t size, size_t cap,
    int (*cmp)(const void *, const void *))
{
	char *a = *base, *b, *t;
	size_t i, *cnt, sum, c, *h;
	int64_t lo, hi, v;
	unsigned bits, pass, npass, width;
	uint64_t span, mask;

	if (n < 2)
		return;
	memcpy(&lo, a, sizeof(lo));
	hi = lo;
	for (i = 1; i < n; i++) {
		memcpy(&v, a + i * size, sizeof(v));
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	span = (uint64_t)hi - (uint64_t)lo;
	for (bits = 1; bits < 64 && span >> bits; bits++)
		;
	if (bits > 48) {
		qsort(a, n, size, cmp);
		return;
	}
	npass = (bits + 15) / 16;
	width = (bits + npass - 1) / npass;
	mask = ((uint64_t)1 << width) - 1;
	cnt = grv_calloc((size_t)npass << width, sizeof(*cnt));
	for (i = 0; i < n; i++) {
		memcpy(&v, a + i * size, sizeof(v));
		span = (uint64_t)v - (uint64_t)lo;
		for (pass = 0; pass < npass; pass++)
			cnt[((size_t)pass << width) + (span >> (pass * width) &
			    mask)]++;
	}
	b = big_grow(NULL, 0, cap * size);
	for (pass = 0; pass < npass; pass++) {
		h = cnt + ((size_t)pass << width);
		for (sum = 0, c = 0; c <= mask; c++) {
			i = h[c];
			h[c] = sum;
			sum += i;
		}
		for (i = 0; i < n; i++) {
			memcpy(&v, a + i * size, sizeof(v));
			c = ((uint64_t)v - (uint64_t)lo) >> (pass * width) &
			    mask;
			memcpy(b + h[c]++ * size, a + i * size, size);
		}
		t = a, a = b, b = t;
	}
	big_free(b, cap * size);
	free(cnt);
	*base = a;
}

/* "%0*d" of V >= 0 at the end of B: the hot rows without printf. */
static void
digits(struct grv_buf *b, int v, int width)
{
	char s[12];
	size_t n = grv_fmt_int(s, v);

	for (; (int)n < width; width--)
		grv_buf_addc(b, '0');
	grv_buf_add(b, s, n);
}

/* "cc-agent%02u" of the agent who took complaint N's calls. */
static void
agent(char actor[16], uint32_t n)
{
	unsigned a = (unsigned)(n * 2654435761u >> 16) % NAGENTS;

	memcpy(actor, "cc-agent", 8);
	actor[8] = (char)('0' + a / 10 % 10);
	actor[9] = (char)('0' + a % 10);
	actor[10] = '\0';
}

/* N registration times in [start, end), sorted; a big_grow mapping. */
static int64_t *
registrations(struct gen *g)
{
	grv_time_t a = g->o->start, span = g->o->end - g->o->start, t;
	int tz = g->ctx->conf.tz, y, mo, d;
	int64_t *v = big_grow(NULL, 0, (g->o->n ? g->o->n : 1) * sizeof(*v)),
	    lt, day;
	uint64_t i;
	double w;

	for (i = 0; i < g->o->n; ) {
		t = a + (grv_time_t)(unif(&g->r) * (double)span);
		lt = t + (int64_t)tz * 60;
		day = lt / 86400;
		grv_civil_from_days(day, &y, &mo, &d);
		w = hour_w[lt % 86400 / 3600] * wday_w[grv_weekday(day)] *
		    (mo == 7 || mo == 8 ? 1.0 : 0.8);
		if (unif(&g->r) < w)
			v[i++] = t;
	}
	sort_by_time((void **)&v, g->o->n, sizeof(*v), g->o->n ? g->o->n : 1,
	    cmp_i64);
	return v;
}

/* A complaint row's personal and free-text fields. */
static void
complaint_text(struct gen *g, int cat, int loc, struct grv_buf *name,
    char phone[11], struct grv_buf *text)
{
	const struct grv_masters *m = g->m;
	const struct grv_category *c = &m->cats[cat];
	const struct grv_loc *l = &m->locs[loc];
	struct rng *r = &g->r;
	int i, days = 1 + (int)below(r, 40);
	const char *w1, *w2, *sep;

	/* Pieces added one by one: the same bytes as the printf formats
	   in the comments, in a fraction of the time.  The names are
	   drawn last one first, the order in which the calls that were
	   here (gcc's) evaluated their arguments: the same seed makes the
	   same ledger as before. */
	grv_buf_reset(name);
	grv_buf_reset(text);
	if (unif(r) < 0.2) {
		/* "%s %s" */
		w2 = last_hi[below(r, NELEM(last_hi))];
		w1 = first_hi[below(r, NELEM(first_hi))];
		sep = " ";
	} else if (unif(r) < 0.03) {
		/* "%s, %s" */
		w2 = first_en[below(r, NELEM(first_en))];
		w1 = last_en[below(r, NELEM(last_en))];
		sep = ", ";
	} else {
		w2 = last_en[below(r, NELEM(last_en))];
		w1 = first_en[below(r, NELEM(first_en))];
		sep = " ";
	}
	grv_buf_adds(name, w1);
	grv_buf_adds(name, sep);
	grv_buf_adds(name, w2);
	phone[0] = (char)('6' + below(r, 4));
	for (i = 1; i < 10; i++)
		phone[i] = (char)('0' + below(r, 10));
	phone[10] = '\0';
	switch (below(r, 6)) {
	case 0:
		/* "%s at %s: the problem has continued for %d days, I went
		   to the office twice, nobody listens" */
		grv_buf_adds(text, c->name);
		grv_buf_adds(text, " at ");
		grv_buf_adds(text, l->name);
		grv_buf_adds(text, ": the problem has continued for ");
		digits(text, days, 1);
		grv_buf_adds(text, " days, I went to the office twice, "
		    "nobody listens");
		break;
	case 1:
		/* "%s. Ward no. %d, %s; the staff said \"come next week\"
		   again and again, please take action" */
		grv_buf_adds(text, c->name);
		grv_buf_adds(text, ". Ward no. ");
		digits(text, 1 + (int)below(r, 12), 1);
		grv_buf_adds(text, ", ");
		grv_buf_adds(text, l->name);
		grv_buf_adds(text, "; the staff said \"come next week\" again "
		    "and again, please take action");
		break;
	case 2:
		/* "%s, %s: पिछले %d दिनों से परेशानी है, कई बार कार्यालय गए,
		   कोई सुनवाई नहीं" */
		grv_buf_adds(text, c->name_hi);
		grv_buf_adds(text, ", ");
		grv_buf_adds(text, l->name_hi);
		grv_buf_adds(text, ": पिछले ");
		digits(text, days, 1);
		grv_buf_adds(text, " दिनों से परेशानी है, कई बार कार्यालय गए, "
		    "कोई सुनवाई नहीं");
		break;
	case 3:
		/* "गाँव %s, वार्ड %d: %s; कर्मचारी कहते हैं \"अगले हफ्ते
		   आना\", कृपया कार्रवाई करें" */
		grv_buf_adds(text, "गाँव ");
		grv_buf_adds(text, l->name_hi);
		grv_buf_adds(text, ", वार्ड ");
		digits(text, 1 + (int)below(r, 12), 1);
		grv_buf_adds(text, ": ");
		grv_buf_adds(text, c->name_hi);
		grv_buf_adds(text, "; कर्मचारी कहते हैं \"अगले हफ्ते आना\", "
		    "कृपया कार्रवाई करें");
		break;
	case 4:
		/* "%s - %s में समस्या, please solve urgently, \"CM
		   Helpline\" पर %d बार कॉल किया" */
		grv_buf_adds(text, c->name);
		grv_buf_adds(text, " - ");
		grv_buf_adds(text, l->name_hi);
		grv_buf_adds(text, " में समस्या, please solve urgently, "
		    "\"CM Helpline\" पर ");
		digits(text, 1 + (int)below(r, 6), 1);
		grv_buf_adds(text, " बार कॉल किया");
		break;
	default:
		/* "%s (%s)" */
		grv_buf_adds(text, c->name);
		grv_buf_adds(text, " (");
		grv_buf_adds(text, l->name);
		grv_buf_addc(text, ')');
	}
	if (unif(r) < 0.01)
		grv_buf_adds(text, "\nCall after 5 pm, shaam 5 baje ke baad");
	if (unif(r) < 0.003) {
		/* "; file no. %s\\%d\\2025" */
		grv_buf_adds(text, "; file no. ");
		grv_buf_adds(text, m->depts[c->dept].code);
		grv_buf_addc(text, '\\');
		digits(text, 100 + (int)below(r, 900), 1);
		grv_buf_adds(text, "\\2025");
	}
}

/* The complaint a repeat registered at REG repeats: the latest of the
   recent ones still open three days after REG, and repeated by no other
   (so that a repeat makes two complaints from a phone, not more). */
static struct recent *
repeat_of(struct gen *g, grv_time_t reg)
{
	struct recent *r;
	size_t i;

	for (i = 1; i <= g->nrecent && i <= NRECENT; i++) {
		r = &g->recent[(g->nrecent - i) % NRECENT];
		if (!r->repeated && (r->closed == GRV_TIME_NONE ||
		    r->closed > reg + 3 * 86400))
			return r;
	}
	return NULL;
}

static int
write_complaints(struct gen *g, struct grv_ledger *lg)
{
	static const double chan_cum[] = { .55, .7, .78, .82, .86, .9, 1 };
	const struct grv_masters *m = g->m;
	struct grv_buf name = GRV_BUF_INIT, text = GRV_BUF_INIT,
	    ref = GRV_BUF_INIT;
	const char *f[GRV_C_NCOLS - 1];
	char id[48], ts[GRV_TSLEN], phone[11], lphone[11], drawn[11];
	int64_t *reg = registrations(g);
	struct recent *orig, *r;
	int cat, loc, ch, rc = 0, planted;
	size_t d;
	uint64_t i;

	for (i = 0; i < g->o->n && rc == 0; i++) {
		g->n = (uint32_t)(i + 1);
		g->k = 0;
		cat = (int)pick(&g->r, g->catcum, m->ncats);
		d = pick(&g->r, g->distcum, g->ndist);
		loc = g->nbelow[d] == 0 || unif(&g->r) < 0.3 ? g->dist[d] :
		    g->below[d][below(&g->r, (uint32_t)g->nbelow[d])];
		ch = (int)pick(&g->r, chan_cum, NELEM(chan_cum));
		/* The same caller again about the same thing, while the first
		   is open: a duplicate. */
		orig = unif(&g->r) < DUP_P ? repeat_of(g, reg[i]) : NULL;
		if (orig) {
			cat = orig->cat;
			loc = orig->loc;
		}
		g->loyal = g->o->plant && grv_plant_loyal(g->o->plant, m,
		    g->n, &cat, &loc, lphone);
		complaint_text(g, cat, loc, &name, phone, &text);
		memcpy(drawn, phone, sizeof(drawn));
		if (g->o->plant)
			grv_plant_phone(g->o->plant, g->n, phone);
		if (g->loyal)
			memcpy(phone, lphone, sizeof(phone));
		/* a planted caller's complaint repeats nothing */
		g->dup_of = 0;
		planted = strcmp(drawn, phone) != 0;
		if (orig && !planted && !g->loyal) {
			memcpy(phone, orig->phone, sizeof(phone));
			g->dup_of = orig->n;
			orig->repeated = 1;
		}
		grv_buf_reset(&ref);
		if (ch == GRV_CH_JANMANCH) {
			/* "JM/%s/%u" */
			grv_buf_adds(&ref, "JM/");
			grv_buf_adds(&ref, m->locs[loc].code);
			grv_buf_addc(&ref, '/');
			digits(&ref, 1000 + (int)below(&g->r, 9000), 1);
		} else if (unif(&g->r) < 0.05) {
			/* "PSG-%u" */
			grv_buf_adds(&ref, "PSG-");
			digits(&ref, 100000 + (int)below(&g->r, 900000), 1);
		}
		grv_id_format(g->ctx->conf.node, g->n, id, sizeof(id));
		grv_ctx_ts(g->ctx, reg[i], ts);
		f[GRV_C_ID] = id;
		f[GRV_C_REGISTERED] = ts;
		f[GRV_C_CHANNEL] = grv_channel_names[ch];
		f[GRV_C_CATEGORY] = m->cats[cat].code;
		f[GRV_C_LOC] = m->locs[loc].code;
		f[GRV_C_NAME] = name.s;
		f[GRV_C_PHONE] = phone;
		f[GRV_C_TEXT] = text.s;
		f[GRV_C_REF] = ref.len ? ref.s : "";
		grv_ledger_add(lg, f);
		rc = flush(lg, 0);

		memset(&g->cs, 0, sizeof(g->cs));
		g->cs.registered = reg[i];
		g->cs.placed = g->cs.due = g->cs.resolved = GRV_TIME_NONE;
		g->cs.closed = g->cs.feedback_at = GRV_TIME_NONE;
		g->cs.officer = g->cs.l1_officer = g->cs.resolver = -1;
		g->cs.dept = -1;
		g->cs.category = (int16_t)cat;
		g->cs.loc = loc;
		g->cs.status = GRV_ST_NEW;
		g->closed_at = GRV_TIME_NONE;
		life(g, reg[i]);
		g->st->complaints++;
		if (planted || g->loyal || g->dup_of)
			continue;	/* repeated by none */
		r = &g->recent[g->nrecent++ % NRECENT];
		r->repeated = 0;
		r->n = g->n;
		r->closed = g->closed_at;
		r->cat = cat;
		r->loc = loc;
		memcpy(r->phone, phone, sizeof(r->phone));
	}
	big_free(reg, (g->o->n ? g->o->n : 1) * sizeof(*reg));
	grv_buf_release(&name);
	grv_buf_release(&text);
	grv_buf_release(&ref);
	return rc;
}

static int
write_events(struct gen *g, struct grv_ledger *lg)
{
	const struct grv_masters *m = g->m;
	const char *f[GRV_E_NCOLS - 1];
	char ts[GRV_TSLEN], due[GRV_TSLEN], id[48], level[8], actor[16];
	char dupid[48];
	char rating[2] = "";
	struct grv_buf ref = GRV_BUF_INIT;
	grv_time_t lastts = GRV_TIME_NONE;
	size_t i;
	int rc = 0, y, mo, d;

	sort_by_time((void **)&g->ev, g->nev, sizeof(*g->ev), g->evcap,
	    cmp_ev);
	for (i = 0; i < g->nev && rc == 0; i++) {
		const struct gev *e = &g->ev[i];

		if (e->ts != lastts)
			grv_ctx_ts(g->ctx, e->ts, ts);
		lastts = e->ts;
		grv_id_format(g->ctx->conf.node, e->n, id, sizeof(id));
		grv_fmt_int(level, e->level);
		f[GRV_E_TS] = ts;
		f[GRV_E_ID] = id;
		f[GRV_E_EVENT] = grv_event_names[e->kind];
		f[GRV_E_LEVEL] = e->level ? level : "";
		f[GRV_E_DEPT] = e->dept != 255 ? m->depts[e->dept].code : "";
		f[GRV_E_OFFICER] = e->officer >= 0 ?
		    m->officers[e->officer].code : "";
		if (e->due != INT32_MIN)
			grv_ctx_ts(g->ctx, e->ts + e->due, due);
		f[GRV_E_DUE] = e->due != INT32_MIN ? due : "";
		f[GRV_E_REASON] = grv_reason_names[e->reason];
		f[GRV_E_REF] = "";
		f[GRV_E_NOTE] = "";
		switch (e->kind) {
		case GRV_EV_ROUTE:
			f[GRV_E_ACTOR] = "intake";
			break;
		case GRV_EV_ESCALATE:
			if (e->reason == GRV_R_OVERDUE) {
				f[GRV_E_ACTOR] = "cron";
				break;
			}
			/* FALLTHROUGH */
		case GRV_EV_FEEDBACK:
		case GRV_EV_CLOSE:
			agent(actor, e->n);
			f[GRV_E_ACTOR] = e->reason == GRV_R_UNVERIFIED ? "cron" :
			    e->reason == GRV_R_FORCED ?
			    m->officers[e->officer].code : actor;
			if (e->kind == GRV_EV_FEEDBACK)
				f[GRV_E_NOTE] = fb_note_txt[e->text];
			if (e->reason == GRV_R_FORCED)
				f[GRV_E_NOTE] = forced_txt[e->text];
			if (e->reason == GRV_R_DUPLICATE) {
				/* the id it repeats, in the due (life) */
				grv_id_format(g->ctx->conf.node, (uint32_t)e->due,
				    dupid, sizeof(dupid));
				f[GRV_E_ACTOR] = m->officers[e->officer].code;
				f[GRV_E_DUE] = "";
				f[GRV_E_NOTE] = dupid;
			}
			break;
		case GRV_EV_TRANSFER:
			f[GRV_E_ACTOR] = "intake";
			f[GRV_E_REASON] = transfer_txt[e->text];
			break;
		case GRV_EV_RESOLVE:
			f[GRV_E_ACTOR] = m->officers[e->officer].code;
			f[GRV_E_REASON] = resolve_txt[e->text];
			grv_civil_from_days(grv_local_day(e->ts,
			    g->ctx->conf.tz), &y, &mo, &d);
			/* "%s/%04d/%u dated %02d.%02d.%04d" */
			grv_buf_reset(&ref);
			grv_buf_adds(&ref, m->depts[e->dept].code);
			grv_buf_addc(&ref, '/');
			digits(&ref, y, 4);
			grv_buf_addc(&ref, '/');
			digits(&ref, (int)(e->n % 99991), 1);
			grv_buf_adds(&ref, " dated ");
			digits(&ref, d, 2);
			grv_buf_addc(&ref, '.');
			digits(&ref, mo, 2);
			grv_buf_addc(&ref, '.');
			digits(&ref, y, 4);
			f[GRV_E_REF] = ref.s;
			break;
		case GRV_EV_NOTE:
			f[GRV_E_ACTOR] = m->officers[e->officer].code;
			f[GRV_E_NOTE] = note_txt[e->text];
			break;
		case GRV_EV_AMEND:	/* its location in the due (detour) */
			f[GRV_E_ACTOR] = "intake";
			f[GRV_E_DUE] = "";
			f[GRV_E_NOTE] = m->locs[e->due].code;
			break;
		case GRV_EV_MOVE:
			f[GRV_E_ACTOR] = "intake";
			f[GRV_E_REASON] = move_txt[e->text];
			break;
		case GRV_EV_HOLD:
			f[GRV_E_ACTOR] = m->officers[e->officer].code;
			f[GRV_E_NOTE] = hold_txt[e->text];
			break;
		case GRV_EV_RESUME:
		case GRV_EV_REOPEN:
		case GRV_EV_RATE:
			agent(actor, e->n);
			f[GRV_E_ACTOR] = e->reason == GRV_R_EXPIRED ? "cron" :
			    actor;
			if (e->kind == GRV_EV_RATE) {
				rating[0] = (char)('0' + e->text);
				f[GRV_E_REASON] = rating;
			}
			break;
		}
		grv_ledger_add(lg, f);
		rc = flush(lg, 0);
	}
	grv_buf_release(&ref);
	return rc;
}

int
grv_gen_run(struct grv_ctx *ctx, const struct grv_gen_opts *o,
    struct grv_gen_stats *st)
{
	struct grv_ledger cl = GRV_LEDGER_INIT, el = GRV_LEDGER_INIT;
	struct gen g;
	size_t d;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&g, 0, sizeof(g));
	g.ctx = ctx;
	g.m = &ctx->m;
	g.o = o;
	g.st = st;
	rseed(&g.r, o->seed);
	if (o->n > UINT32_MAX - 1 || o->end <= o->start ||
	    o->end - o->start > (grv_time_t)20 * 366 * 86400) {
		grv_err("cannot generate %llu complaints over that span",
		    (unsigned long long)o->n);
		return GRV_EX_USAGE;
	}
	if ((rc = setup(&g)) != 0)
		goto out;
	if ((rc = lock_empty(&cl, ctx->dir, GRV_COMPLAINTS)) != 0 ||
	    (rc = lock_empty(&el, ctx->dir, GRV_EVENTS)) != 0)
		goto out;
	if ((rc = write_complaints(&g, &cl)) != 0 || (rc = finish(&cl)) != 0)
		goto out;
	if ((rc = write_events(&g, &el)) != 0 || (rc = finish(&el)) != 0)
		goto out;
out:
	grv_ledger_release(&cl);
	grv_ledger_release(&el);
	free(g.catcum);
	free(g.distcum);
	free(g.dist);
	for (d = 0; d < g.ndist && g.below; d++)
		free(g.below[d]);
	free(g.below);
	free(g.nbelow);
	free(g.intime);
	free(g.satisfied);
	big_free(g.ev, g.evcap * sizeof(*g.ev));
	return rc;
}

/* ---- masters ---- */

static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = 0;

	if ((in = open(from, O_RDONLY)) == -1) {
		grv_err("%s: %s", from, strerror(errno));
		return errno == ENOENT ? GRV_EX_NOINPUT : GRV_EX_IOERR;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1) {
		grv_err("%s: %s", to, strerror(errno));
		close(in);
		return GRV_EX_CANTCREAT;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (grv_write_all(out, buf, (size_t)n) == -1) {
			rc = GRV_EX_IOERR;
			break;
		}
	if (n < 0)
		rc = GRV_EX_IOERR;
	if (close(out) == -1)
		rc = GRV_EX_IOERR;
	close(in);
	if (rc)
		grv_err("%s: %s", to, strerror(errno));
	return rc;
}

/* mkdir -p */
static int
mkdirs(const char *path)
{
	char *p = grv_strdup(path), *s;
	int rc = 0, last;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		last = *s == '\0';
		*s = '\0';
		if (mkdir(p, 0777) == -1 && errno != EEXIST)
			rc = -1;
		if (last)
			break;
		*s = '/';
	}
	free(p);
	return rc;
}

int
grv_gen_copy_masters(const char *src, const char *dir)
{
	struct grv_buf a = GRV_BUF_INIT, b = GRV_BUF_INIT;
	struct dirent *de;
	struct stat sb;
	DIR *dp;
	int rc = 0;

	grv_buf_printf(&b, "%s/masters", dir);
	if (mkdirs(b.s) == -1) {
		grv_err("%s: %s", b.s, strerror(errno));
		grv_buf_release(&b);
		return GRV_EX_CANTCREAT;
	}
	grv_buf_printf(&a, "%s/grv.conf", src);
	grv_buf_reset(&b);
	grv_buf_printf(&b, "%s/grv.conf", dir);
	if (access(a.s, F_OK) == 0)
		rc = copy_file(a.s, b.s);
	grv_buf_reset(&a);
	grv_buf_printf(&a, "%s/masters", src);
	if (rc == 0 && (dp = opendir(a.s)) == NULL) {
		grv_err("%s: %s", a.s, strerror(errno));
		rc = GRV_EX_NOINPUT;
	} else if (rc == 0) {
		while (rc == 0 && (de = readdir(dp)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			grv_buf_reset(&a);
			grv_buf_printf(&a, "%s/masters/%s", src, de->d_name);
			if (stat(a.s, &sb) == -1 || !S_ISREG(sb.st_mode))
				continue;
			grv_buf_reset(&b);
			grv_buf_printf(&b, "%s/masters/%s", dir, de->d_name);
			rc = copy_file(a.s, b.s);
		}
		closedir(dp);
	}
	grv_buf_release(&a);
	grv_buf_release(&b);
	return rc;
}
