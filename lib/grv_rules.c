/* grv_rules.c: the rules of a ledger row, for the fold, grv-check and the
 * writers alike. */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "grv_buf.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_parse.h"
#include "grv_rules.h"
#include "grv_utf8.h"

const char *const grv_text_faults[5] = { "", "not valid UTF-8",
	"holds a control character", "is longer than", "empty" };

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
/* Some byte of W is B?  (Exact: no false positive for "some".) */
#define HASBYTE(w, b)	((((w) ^ (ONES * (b))) - ONES) & ~((w) ^ (ONES * (b))) \
			    & HIGHS)

/* Whether S holds a control character (UTF-8 already checked). */
static int
has_ctrl(const unsigned char *s, size_t n, unsigned flags)
{
	int freetext = flags & GRV_TEXT_FREE, stored = flags &
	    GRV_TEXT_STORED;
	size_t i = 0, end;
	uint64_t w;
	unsigned c;

	while (i < n) {
		/* Eight bytes without one below 0x20, DEL or the lead byte
		   0xc2 of U+0080..U+009F: on.  (An actor or a code is short
		   and also watches for the escapes \n and \r: bytewise.) */
		if (freetext && n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((((w - ONES * 0x20) & ~w & HIGHS) | HASBYTE(w, 0x7f) |
			    HASBYTE(w, 0xc2)) == 0) {
				i += 8;
				continue;
			}
		}
		end = n - i >= 8 ? i + 8 : n;
		for (; i < end; i++) {
			c = s[i];
			if (c < 0x20) {
				if (freetext && (c == '\t' || (!stored &&
				    (c == '\n' || c == '\r'))))
					continue;
				return 1;
			}
			if (c == 0x7f)
				return 1;
			if (c == 0xc2 && i + 1 < n && s[i + 1] < 0xa0)
				return 1;
			if (c == '\\' && stored && !freetext && i + 1 < n &&
			    (s[i + 1] == 'n' || s[i + 1] == 'r'))
				return 1;
		}
	}
	return 0;
}

int
grv_rule_text(const char *s, size_t n, size_t max, unsigned flags)
{
	size_t i, len;

	if (n == 0)
		return GRV_TEXT_OK;
	if (!grv_utf8_valid(s, n))
		return GRV_TEXT_UTF8;
	if (has_ctrl((const unsigned char *)s, n, flags))
		return GRV_TEXT_CTRL;
	if (n > max) {
		/* Stored, an escape pair is the one byte it was. */
		len = n;
		if (flags & GRV_TEXT_STORED)
			for (i = 0; i + 1 < n; i++)
				if (s[i] == '\\') {
					len--;
					i++;
				}
		if (len > max)
			return GRV_TEXT_LONG;
	}
	return GRV_TEXT_OK;
}

int
grv_rule_freetext(const char *s, size_t n, int required)
{
	int k;

	if ((k = grv_rule_text(s, n, GRV_TEXT_MAX, GRV_TEXT_FREE)) !=
	    GRV_TEXT_OK)
		return k;
	if (required && strspn(s, " \t") == n)
		return GRV_TEXT_BLANK;
	return GRV_TEXT_OK;
}

void
grv_freetext_why(struct grv_buf *b, int k, size_t n)
{
	switch (k) {
	case GRV_TEXT_LONG:
		grv_buf_printf(b, "%zu bytes, at most %d allowed", n,
		    GRV_TEXT_MAX);
		break;
	case GRV_TEXT_CTRL:
		grv_buf_adds(b, "holds a control character (only tab and "
		    "line breaks are allowed)");
		break;
	default:
		grv_buf_adds(b, grv_text_faults[k]);
		break;
	}
}

void
grv_rule_value_err(const char *name, int k, size_t max, size_t n)
{
	if (k == GRV_TEXT_LONG)
		grv_err("%s: %s %zu bytes (%zu bytes)", name,
		    grv_text_faults[k], max, n);
	else
		grv_err("%s: %s", name, grv_text_faults[k]);
}

int
grv_rule_value(const char *name, const char *s, size_t max, unsigned flags)
{
	int k;

	if ((k = grv_rule_text(s, strlen(s), max, flags)) == GRV_TEXT_OK)
		return 0;
	grv_rule_value_err(name, k, max, strlen(s));
	return -1;
}

int
grv_rule_row_clean(const char *row, size_t n)
{
	const unsigned char *s = (const unsigned char *)row;
	size_t i = 0, first = n;

#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f),
	    c2 = _mm_set1_epi8((char)0xc2), neg = _mm_set1_epi8(-1);
	__m128i v, bad;

	if (n >= 16) {
		/* Sixteen bytes at a time, the last sixteen overlapping. */
		for (;; i += 16) {
			if (n - i < 16)
				i = n - 16;
			v = _mm_loadu_si128((const __m128i *)(s + i));
			/* Below 0x20 and not >= 0x80, DEL, or 0xc2. */
			bad = _mm_or_si128(_mm_and_si128(_mm_cmplt_epi8(v, sp),
			    _mm_cmpgt_epi8(v, neg)), _mm_or_si128(
			    _mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(v, c2)));
			if (_mm_movemask_epi8(bad))
				return 0;
			if (first == n && _mm_movemask_epi8(v))
				first = i + (size_t)__builtin_ctz(
				    (unsigned)_mm_movemask_epi8(v));
			if (i + 16 == n)
				break;
		}
		i = n;
	}
#endif
	for (; i < n; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f || s[i] == 0xc2)
			return 0;
		if (s[i] >= 0x80 && first == n)
			first = i;
	}
	/* Before FIRST, ASCII. */
	return first == n || grv_utf8_valid(row + first, n - first);
}

/* Store a fault; stop (return K) once MAX are stored. */
#define FAULT(c, column) do {						\
	if (k < max) {							\
		memset(&fl[k], 0, sizeof(fl[k]));			\
		fl[k].code = (c);					\
		fl[k].col = (column);					\
	}								\
	if (++k >= max)							\
		return k;						\
} while (0)

/* A free-text column: FAULT when it breaks grv_rule_text.  In a CLEAN
   row (grv_rule_row_clean) only its length and, outside free text, the
   escapes of a line break can. */
#define TEXT(column, mx, flg) do {					\
	int t_ = GRV_TEXT_OK;						\
	if (!clean || flen[column] > (mx) || (!((flg) & GRV_TEXT_FREE) &&	\
	    memchr(f[column], '\\', flen[column])))			\
		t_ = grv_rule_text(f[column], flen[column], (mx),	\
		    (flg) | GRV_TEXT_STORED);				\
	if (t_ != GRV_TEXT_OK)						\
		FAULT(GRV_F_TEXT + t_, column);				\
} while (0)

int
grv_rules_complaint(const struct grv_conf *conf, const struct grv_masters *m,
    const char *const *f, const size_t *flen, const char *raw, size_t rawlen,
    struct grv_crow *out, struct grv_fault *fl, int max)
{
	int k = 0, clean = raw && grv_rule_row_clean(raw, rawlen);
	size_t i;

	out->n = 0;
	out->reg = GRV_TIME_NONE;
	out->cat = out->loc = -1;
	out->ch = -1;
	if (grv_id_parse(conf->node, f[GRV_C_ID], flen[GRV_C_ID],
	    &out->n) == -1) {
		out->n = 0;
		FAULT(GRV_F_ID, GRV_C_ID);
	}
	if (grv_time_parse_ts(f[GRV_C_REGISTERED], flen[GRV_C_REGISTERED],
	    &out->reg) == -1) {
		out->reg = GRV_TIME_NONE;
		FAULT(GRV_F_REGISTERED, GRV_C_REGISTERED);
	}
	if ((out->ch = grv_channel_code(f[GRV_C_CHANNEL])) == -1)
		FAULT(GRV_F_CHANNEL, GRV_C_CHANNEL);
	/* A category or location since deleted from the masters: its code
	   stands for it (grv_cat_gone, grv_loc_gone), if the masters could
	   have held it. */
	if (m && (out->cat = grv_cat_find(m, f[GRV_C_CATEGORY])) == -1) {
		if (grv_code_okn(f[GRV_C_CATEGORY], flen[GRV_C_CATEGORY]))
			out->cat = GRV_IX_GONE;
		else
			FAULT(GRV_F_CATEGORY, GRV_C_CATEGORY);
	}
	if (m && (out->loc = grv_loc_find(m, f[GRV_C_LOC])) == -1) {
		if (grv_code_okn(f[GRV_C_LOC], flen[GRV_C_LOC]))
			out->loc = GRV_IX_GONE;
		else
			FAULT(GRV_F_LOC, GRV_C_LOC);
	}
	if (flen[GRV_C_NAME] == 0)
		FAULT(GRV_F_EMPTY, GRV_C_NAME);
	TEXT(GRV_C_NAME, GRV_TEXT_MAX, GRV_TEXT_FREE);
	/* Ten digits (SPEC section 5), or an STD code's 0 and ten (7.3). */
	for (i = 0; i < flen[GRV_C_PHONE]; i++)
		if (f[GRV_C_PHONE][i] < '0' || f[GRV_C_PHONE][i] > '9')
			break;
	if (i != flen[GRV_C_PHONE] || (i != 10 && !(i == 11 &&
	    f[GRV_C_PHONE][0] == '0')))
		FAULT(GRV_F_PHONE, GRV_C_PHONE);
	if (flen[GRV_C_TEXT] == 0)
		FAULT(GRV_F_EMPTY, GRV_C_TEXT);
	TEXT(GRV_C_TEXT, GRV_TEXT_MAX, GRV_TEXT_FREE);
	TEXT(GRV_C_REF, GRV_TEXT_MAX, GRV_TEXT_FREE);
	return k;
}

int
grv_rules_complaint_seq(uint32_t n, uint32_t nprev, struct grv_fault *fl)
{
	if (n == nprev + 1)
		return 0;
	memset(fl, 0, sizeof(*fl));
	fl->code = GRV_F_ID_SEQ;
	fl->col = GRV_C_ID;
	fl->want = nprev + 1;
	return 1;
}

/* The rules of the events of SPEC 7.2 that kind_rules leaves here. */
static int
life_rules(int kind, int level, int dept, int officer, grv_time_t due,
    int reason, int has_note, struct grv_fault *fl, int k, int max)
{
	if (kind == GRV_EV_HOLD) {
		if (officer == -1 || !has_note)
			FAULT(GRV_F_HOLD, -1);
		return k;
	}
	if (level == 0 || dept == -1 || officer == -1 || due == GRV_TIME_NONE)
		FAULT(GRV_F_PLACEMENT, GRV_E_EVENT);
	if (kind == GRV_EV_REOPEN && reason != GRV_R_CITIZEN &&
	    reason != GRV_R_CALLBACK)
		FAULT(GRV_F_REOPEN_REASON, GRV_E_REASON);
	if (kind == GRV_EV_RESUME && reason != GRV_R_SUPPLIED &&
	    reason != GRV_R_EXPIRED)
		FAULT(GRV_F_RESUME_REASON, GRV_E_REASON);
	return k;
}

/* What kind KIND must set, and its reasons: K faults so far. */
static int
kind_rules(int kind, int level, int dept, int officer, grv_time_t due,
    int reason, int has_reason, int has_note, struct grv_fault *fl, int k,
    int max)
{
	switch (kind) {
	case GRV_EV_ROUTE:
	case GRV_EV_TRANSFER:
	case GRV_EV_ESCALATE:
	case GRV_EV_MOVE:
		if (level == 0 || dept == -1 || officer == -1 ||
		    due == GRV_TIME_NONE)
			FAULT(GRV_F_PLACEMENT, GRV_E_EVENT);
		if (kind == GRV_EV_TRANSFER && !has_reason)
			FAULT(GRV_F_XFER_REASON, -1);
		if (kind == GRV_EV_MOVE && !has_reason)
			FAULT(GRV_F_MOVE_REASON, -1);
		if (kind == GRV_EV_ESCALATE && reason != GRV_R_OVERDUE &&
		    reason != GRV_R_UNSATISFIED)
			FAULT(GRV_F_ESC_REASON, GRV_E_REASON);
		break;
	case GRV_EV_RESOLVE:
		if (officer == -1 || !has_reason)
			FAULT(GRV_F_RESOLVE, -1);
		break;
	case GRV_EV_FEEDBACK:
		if (reason != GRV_R_SATISFIED && reason != GRV_R_UNSATISFIED &&
		    reason != GRV_R_UNREACHABLE)
			FAULT(GRV_F_FB_REASON, GRV_E_REASON);
		break;
	case GRV_EV_CLOSE:
		if (reason != GRV_R_SATISFIED && reason != GRV_R_FORCED &&
		    reason != GRV_R_UNVERIFIED && reason != GRV_R_DUPLICATE)
			FAULT(GRV_F_CLOSE_REASON, GRV_E_REASON);
		if (reason == GRV_R_DUPLICATE && !has_note)
			FAULT(GRV_F_DUP_NOTE, GRV_E_NOTE);
		break;
	case GRV_EV_NOTE:
		if (!has_note)
			FAULT(GRV_F_NOTE, -1);
		break;
	case GRV_EV_CALLBACK:
		if (reason != GRV_R_CONFIRMED && reason != GRV_R_DISPUTED &&
		    reason != GRV_R_UNREACHABLE)
			FAULT(GRV_F_CALLBACK_REASON, GRV_E_REASON);
		break;
	case GRV_EV_REOPEN:
	case GRV_EV_HOLD:
	case GRV_EV_RESUME:
		k = life_rules(kind, level, dept, officer, due, reason,
		    has_note, fl, k, max);
		break;
	}
	return k;
}

/* An amend's new code that the masters no longer list: GRV_IX_GONE (the
   fold keeps it by its code) if the masters could have held it, else
   fault C. */
#define GONE_OR(c) do {							\
	if (grv_code_okn(f[GRV_E_NOTE], flen[GRV_E_NOTE]))		\
		ev->code = GRV_IX_GONE;					\
	else								\
		FAULT((c), GRV_E_NOTE);					\
} while (0)

int
grv_rules_event(const struct grv_conf *conf, const struct grv_masters *m,
    const char *const *f, const size_t *flen, const char *raw, size_t rawlen,
    struct grv_event *ev, struct grv_fault *fl, int max)
{
	const char *lv = f[GRV_E_LEVEL];
	int k = 0, clean = raw && grv_rule_row_clean(raw, rawlen);
	long v;

	ev->level = 0;
	ev->dept = ev->officer = -1;
	ev->due = GRV_TIME_NONE;
	ev->reason = GRV_R_NONE;
	if (grv_time_parse_ts(f[GRV_E_TS], flen[GRV_E_TS], &ev->ts) == -1) {
		ev->ts = GRV_TIME_NONE;
		FAULT(GRV_F_TS, GRV_E_TS);
		return k;
	}
	if (grv_id_parse(conf->node, f[GRV_E_ID], flen[GRV_E_ID],
	    &ev->n) == -1) {
		ev->n = 0;
		FAULT(GRV_F_UNKNOWN, GRV_E_ID);
		return k;
	}
	if ((ev->kind = grv_event_kind(f[GRV_E_EVENT])) == -1) {
		FAULT(GRV_F_EVENT, GRV_E_EVENT);
		return k;
	}
	if (*lv) {
		if (grv_parse_int(lv, 1, conf->levels, &v) == -1)
			FAULT(GRV_F_LEVEL, GRV_E_LEVEL);
		else
			ev->level = (int)v;
	}
	if (*f[GRV_E_DEPT] && (m == NULL ||
	    (ev->dept = grv_dept_find(m, f[GRV_E_DEPT])) == -1)) {
		ev->dept = -1;
		/* As an officer, below: a department since deleted from the
		   masters (grv_dept_gone). */
		if (m && grv_code_okn(f[GRV_E_DEPT], flen[GRV_E_DEPT]))
			ev->dept = GRV_IX_GONE;
		else if (m)
			FAULT(GRV_F_DEPT, GRV_E_DEPT);
	}
	if (*f[GRV_E_OFFICER] && (m == NULL ||
	    (ev->officer = grv_officer_find(m, f[GRV_E_OFFICER])) == -1)) {
		ev->officer = -1;
		/* Valid when written, its officer since deleted from the
		   masters: the code stands for it (grv_officer_retired),
		   if it is one the masters could have held. */
		if (m && grv_code_okn(f[GRV_E_OFFICER], flen[GRV_E_OFFICER]))
			ev->officer = GRV_IX_GONE;
		else if (m)
			FAULT(GRV_F_OFFICER, GRV_E_OFFICER);
	}
	if (flen[GRV_E_DUE] && grv_time_parse_ts(f[GRV_E_DUE],
	    flen[GRV_E_DUE], &ev->due) == -1) {
		ev->due = GRV_TIME_NONE;
		FAULT(GRV_F_DUE, GRV_E_DUE);
	}
	ev->reason = grv_reason_code(f[GRV_E_REASON]);
	/* A column set but not understood was named already: judge the
	   kind by what is set. */
	k = kind_rules(ev->kind, *lv ? 1 : 0, *f[GRV_E_DEPT] ? 0 : -1,
	    *f[GRV_E_OFFICER] ? 0 : -1, flen[GRV_E_DUE] ? 0 : GRV_TIME_NONE,
	    ev->reason, flen[GRV_E_REASON] != 0, flen[GRV_E_NOTE] != 0, fl, k,
	    max);
	if (k >= max)
		return k;
	ev->code = -1;
	if (ev->kind == GRV_EV_AMEND) {
		/* reason = the field corrected, note = its new code; an
		   unknown one leaves the field as it was */
		if (ev->reason != GRV_R_LOC && ev->reason != GRV_R_CATEGORY)
			FAULT(GRV_F_AMEND_REASON, GRV_E_REASON);
		else if (m && ev->reason == GRV_R_CATEGORY &&
		    (ev->code = grv_cat_find(m, f[GRV_E_NOTE])) == -1)
			GONE_OR(GRV_F_AMEND_CAT);
		else if (m && ev->reason == GRV_R_LOC &&
		    (ev->code = grv_loc_find(m, f[GRV_E_NOTE])) == -1)
			GONE_OR(GRV_F_AMEND_LOC);
		if (k >= max)
			return k;
	}
	if (ev->kind == GRV_EV_CALLBACK)
		ev->code = flen[GRV_E_REF] == sizeof(GRV_CB_ALONE) - 1 &&
		    memcmp(f[GRV_E_REF], GRV_CB_ALONE, flen[GRV_E_REF]) == 0;
	if (ev->kind == GRV_EV_RATE && (ev->code = grv_rating_parse(
	    f[GRV_E_REASON], flen[GRV_E_REASON])) == -1) {
		FAULT(GRV_F_RATING, GRV_E_REASON);
		if (k >= max)
			return k;
	}
	TEXT(GRV_E_ACTOR, GRV_ACTOR_MAX, 0);
	TEXT(GRV_E_REASON, GRV_TEXT_MAX, GRV_TEXT_FREE);
	TEXT(GRV_E_REF, GRV_TEXT_MAX, GRV_TEXT_FREE);
	TEXT(GRV_E_NOTE, GRV_TEXT_MAX, GRV_TEXT_FREE);
	return k;
}

int
grv_rules_event_state(const struct grv_cstate *cs, const struct grv_event *ev,
    grv_time_t last, struct grv_fault *fl, int max)
{
	const char *why;
	int k = 0;

	if (last != GRV_TIME_NONE && ev->ts < last)
		FAULT(GRV_F_TIME_BACK, GRV_E_TS);
	if (cs == NULL || cs->status == GRV_ST_NONE) {
		FAULT(GRV_F_UNKNOWN, GRV_E_ID);
		return k;
	}
	if (cs->registered != GRV_TIME_NONE && ev->ts < cs->registered)
		FAULT(GRV_F_BEFORE_REG, -1);
	if ((why = grv_event_refused(cs, ev->kind, ev->reason)) != NULL) {
		FAULT(GRV_F_REFUSED, GRV_E_EVENT);
		fl[k - 1].why = why;
		fl[k - 1].status = cs->status;
	}
	return k;
}

int
grv_rules_newevent(int kind, int level, int dept, int officer,
    grv_time_t due, const char *actor, const char *reason, const char *ref,
    const char *note, struct grv_fault *fl)
{
	const char *v[GRV_E_NCOLS];
	int k, max = 1, col, t;

	k = kind_rules(kind, level, dept, officer, due,
	    reason ? grv_reason_code(reason) : GRV_R_NONE, reason && *reason,
	    note && *note, fl, 0, max);
	if (k)
		return k;
	memset(v, 0, sizeof(v));
	v[GRV_E_ACTOR] = actor;
	v[GRV_E_REASON] = reason;
	v[GRV_E_REF] = ref;
	v[GRV_E_NOTE] = note;
	for (col = GRV_E_ACTOR; col <= GRV_E_NOTE; col++) {
		if (v[col] == NULL)
			continue;
		t = grv_rule_text(v[col], strlen(v[col]), col == GRV_E_ACTOR ?
		    GRV_ACTOR_MAX : GRV_TEXT_MAX, col == GRV_E_ACTOR ? 0 :
		    GRV_TEXT_FREE);
		if (t != GRV_TEXT_OK)
			FAULT(GRV_F_TEXT + t, col);
	}
	return k;
}

int
grv_rules_owed(const struct grv_conf *conf, struct grv_owed *ow,
    const struct grv_cstate *cs, const struct grv_event *ev,
    unsigned long line, unsigned long *at, struct grv_fault *fl)
{
	int k = 0, max = 1;
	uint32_t owed = ow->n;

	*at = line;
	if (owed != 0) {
		ow->n = 0;
		if (ev != NULL && ev->n == owed && ev->kind == GRV_EV_REOPEN &&
		    ev->reason == GRV_R_CALLBACK && ev->ts == ow->ts)
			return 0;
		*at = ow->line;
		memset(fl, 0, sizeof(*fl));
		fl->code = GRV_F_CB_OWED;
		fl->col = GRV_E_REASON;
		fl->want = owed;
		return 1;
	}
	if (ev == NULL)
		return 0;
	if (ev->kind == GRV_EV_REOPEN && ev->reason == GRV_R_CALLBACK)
		FAULT(GRV_F_CB_REOPEN, GRV_E_ID);
	else if (ev->kind == GRV_EV_CALLBACK && ev->reason == GRV_R_DISPUTED &&
	    ev->code != 1 && cs != NULL && cs->status == GRV_ST_CLOSED &&
	    cs->close_reason == GRV_R_SATISFIED &&
	    grv_reopen_refused(conf, cs, ev->ts) == NULL) {
		ow->n = ev->n;
		ow->ts = ev->ts;
		ow->line = line;
	}
	return k;
}

static const char *const what[GRV_F_COUNT] = {
	[GRV_F_ID] = "bad id",
	[GRV_F_ID_SEQ] = "id",
	[GRV_F_REGISTERED] = "bad registered time",
	[GRV_F_CHANNEL] = "unknown channel",
	[GRV_F_CATEGORY] = "unknown category",
	[GRV_F_LOC] = "unknown location",
	[GRV_F_EMPTY] = "empty",
	[GRV_F_PHONE] = "bad phone number",
	[GRV_F_TS] = "bad time",
	[GRV_F_TIME_BACK] = "time goes back to",
	[GRV_F_UNKNOWN] = "event for an unknown complaint",
	[GRV_F_EVENT] = "unknown event",
	[GRV_F_BEFORE_REG] = "event before the complaint was registered",
	[GRV_F_LEVEL] = "level",
	[GRV_F_DEPT] = "unknown department",
	[GRV_F_OFFICER] = "unknown officer",
	[GRV_F_DUE] = "bad due time",
	[GRV_F_PLACEMENT] = "without level, dept, officer and due",
	[GRV_F_XFER_REASON] = "transfer without a reason",
	[GRV_F_ESC_REASON] = "bad escalate reason",
	[GRV_F_RESOLVE] = "resolve without officer and reason",
	[GRV_F_FB_REASON] = "bad feedback reason",
	[GRV_F_CLOSE_REASON] = "bad close reason",
	[GRV_F_NOTE] = "note without a note",
	[GRV_F_AMEND_REASON] = "bad amend reason",
	[GRV_F_AMEND_CAT] = "amend to an unknown category",
	[GRV_F_AMEND_LOC] = "amend to an unknown location",
	[GRV_F_REOPEN_REASON] = "bad reopen reason",
	[GRV_F_HOLD] = "hold without officer and note",
	[GRV_F_RESUME_REASON] = "bad resume reason",
	[GRV_F_DUP_NOTE] = "duplicate closure without the id it repeats",
	[GRV_F_CALLBACK_REASON] = "bad callback reason",
	[GRV_F_MOVE_REASON] = "move without a reason",
	[GRV_F_RATING] = "bad rating",
	[GRV_F_CB_REOPEN] = "reopen with reason 'callback' not right after "
	    "a disputed callback at the same time, in the same append, of",
};

/* A value fit to quote: at most 60 bytes, control bytes as '?'. */
static void
quoted(struct grv_buf *b, const char *s)
{
	size_t i;

	grv_buf_addc(b, '\'');
	for (i = 0; s[i] && i < 60; i++)
		grv_buf_addc(b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ?
		    '?' : s[i]);
	if (s[i])
		grv_buf_adds(b, "...");
	grv_buf_addc(b, '\'');
}

void
grv_fault_msg(struct grv_buf *b, const struct grv_fault *fl,
    const struct grv_conf *conf, int kind, const char *const *f)
{
	const char *const *cols = kind == GRV_COMPLAINTS ? grv_complaints_cols
	    : grv_events_cols;
	char want[48];

	if (fl->code >= GRV_F_TEXT) {
		/* The value may be what is wrong: name the column. */
		grv_buf_printf(b, "field '%s' %s", cols[fl->col],
		    grv_text_faults[fl->code - GRV_F_TEXT]);
		if (fl->code == GRV_F_TEXT + GRV_TEXT_LONG)
			grv_buf_printf(b, " %d bytes", fl->col == GRV_E_ACTOR &&
			    kind == GRV_EVENTS ? GRV_ACTOR_MAX : GRV_TEXT_MAX);
		return;
	}
	switch (fl->code) {
	case GRV_F_EMPTY:
		grv_buf_printf(b, "empty %s", cols[fl->col]);
		return;
	case GRV_F_ID:
		grv_buf_adds(b, "bad id ");
		quoted(b, f[fl->col]);
		grv_buf_printf(b, " (expected '%s-N')", conf->node);
		return;
	case GRV_F_ID_SEQ:
		grv_id_format(conf->node, fl->want, want, sizeof(want));
		grv_buf_adds(b, "id ");
		quoted(b, f[fl->col]);
		grv_buf_printf(b, " out of sequence (expected '%s')", want);
		return;
	case GRV_F_LEVEL:
		grv_buf_adds(b, "level ");
		quoted(b, f[fl->col]);
		grv_buf_printf(b, " does not exist (levels = %d)",
		    conf->levels);
		return;
	case GRV_F_PLACEMENT:
		grv_buf_printf(b, "%s %s", f[GRV_E_EVENT], what[fl->code]);
		return;
	case GRV_F_CB_OWED:
		grv_id_format(conf->node, fl->want, want, sizeof(want));
		grv_buf_printf(b, "callback of '%s' with reason 'disputed' on "
		    "a satisfied closure is not followed, in the same append, "
		    "by its reopen with reason 'callback'", want);
		return;
	case GRV_F_REFUSED:
		grv_buf_printf(b, "%s of '%s' while %s: %s", f[GRV_E_EVENT],
		    f[GRV_E_ID], grv_status_names[fl->status], fl->why);
		return;
	}
	grv_buf_adds(b, what[fl->code]);
	if (fl->col >= 0) {
		grv_buf_addc(b, ' ');
		quoted(b, f[fl->col]);
	}
	if (fl->code == GRV_F_AMEND_REASON)
		grv_buf_adds(b, " (expected 'loc' or 'category')");
	if (fl->code == GRV_F_RATING)
		grv_buf_adds(b, " (expected 1 to 5)");
	if (fl->code == GRV_F_TIME_BACK && fl->why)
		grv_buf_printf(b, " (the row before says '%s')", fl->why);
}
