/* grv_tmpl.c: masters/templates.csv: loading, the length check, filling. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_complaint.h"
#include "grv_csv.h"
#include "grv_csvw.h"
#include "grv_msg.h"
#include "grv_rules.h"
#include "grv_time.h"
#include "grv_tmpl.h"
#include "grv_utf8.h"

const char *const grv_rcpt_names[GRV_TO_COUNT] = {
	"citizen", "officer", "previous"
};
const char *const grv_lang_names[GRV_LANG_COUNT] = { "hi", "en" };
const char *const grv_ph_names[GRV_PH_COUNT] = {
	"id", "department", "officer", "category", "due", "reason"
};

static const char *const cols[] = {
	"event", "recipient", "lang", "template", "dlt_template_id", NULL
};
enum { COL_EVENT, COL_RCPT, COL_LANG, COL_TEXT, COL_DLT, NCOLS };

static const char rel[] = "masters/templates.csv";

/* Events of SPEC 7.2 a ledger may hold beyond those grv_event_kind knows
   in this build, then the reminder. */
static const char *const more_events[] = {
	"move", "callback", "rate", GRV_TMPL_REMIND, NULL
};
/* Events that place a complaint (SPEC 7.1): an officer is told. */
static const char *const placements[] = {
	"route", "transfer", "escalate", "reopen", "move", "resume", NULL
};

static int
in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

static int
lookup(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* The longest value a placeholder may take, in each encoding. */
struct phmax {
	size_t	 gsm, ucs;
	int	 allgsm;
};

static void
phmax_add(struct phmax *p, const char *s)
{
	size_t g, u;

	if (s == NULL)
		return;
	if (!grv_sms_len(s, strlen(s), &g, &u))
		p->allgsm = 0;
	if (g > p->gsm)
		p->gsm = g;
	if (u > p->ucs)
		p->ucs = u;
}

static void
phmax_compute(const struct grv_ctx *ctx, struct phmax mx[GRV_LANG_COUNT]
    [GRV_PH_COUNT])
{
	const struct grv_masters *m = &ctx->m;
	size_t i, idlen = strlen(ctx->conf.node) + 11;
	int l, p;

	for (l = 0; l < GRV_LANG_COUNT; l++) {
		for (p = 0; p < GRV_PH_COUNT; p++)
			mx[l][p] = (struct phmax){ 0, 0, 1 };
		mx[l][GRV_PH_ID] = (struct phmax){ idlen, idlen, 1 };
		mx[l][GRV_PH_DUE] = (struct phmax){ GRV_TMPL_DUE_LEN,
		    GRV_TMPL_DUE_LEN, 1 };
		/* Free text: anything, Devanagari included. */
		mx[l][GRV_PH_REASON] = (struct phmax){ GRV_TMPL_VAR_MAX,
		    GRV_TMPL_VAR_MAX, 0 };
		for (i = 0; i < m->ndepts; i++) {
			phmax_add(&mx[l][GRV_PH_DEPARTMENT], m->depts[i].name);
			if (l == GRV_LANG_HI)
				phmax_add(&mx[l][GRV_PH_DEPARTMENT],
				    m->depts[i].name_hi);
		}
		for (i = 0; i < m->ncats; i++) {
			phmax_add(&mx[l][GRV_PH_CATEGORY], m->cats[i].name);
			if (l == GRV_LANG_HI)
				phmax_add(&mx[l][GRV_PH_CATEGORY],
				    m->cats[i].name_hi);
		}
		for (i = 0; i < m->nofficers + m->nretired; i++)
			phmax_add(&mx[l][GRV_PH_OFFICER], m->officers[i].name);
		for (p = 0; p < GRV_PH_COUNT; p++) {
			if (p == GRV_PH_ID || p == GRV_PH_DUE)
				continue;
			if (mx[l][p].gsm > GRV_TMPL_VAR_MAX)
				mx[l][p].gsm = GRV_TMPL_VAR_MAX;
			if (mx[l][p].ucs > GRV_TMPL_VAR_MAX)
				mx[l][p].ucs = GRV_TMPL_VAR_MAX;
		}
	}
}

/*
 * Walk TEXT: literal pieces to LIT, placeholders to PH (a bit each), the
 * first fault into WHY.  0, or -1 with WHY set.
 */
static int
parse_text(const char *text, struct grv_buf *lit, unsigned *ph,
    struct grv_buf *why)
{
	const char *p = text, *q;
	int k;

	*ph = 0;
	while (*p) {
		if (*p == '}') {
			grv_buf_printf(why, "'}' closes no placeholder");
			return -1;
		}
		if (*p != '{') {
			grv_buf_addc(lit, *p++);
			continue;
		}
		for (q = p + 1; *q && *q != '}' && *q != '{'; q++)
			;
		if (*q != '}') {
			grv_buf_printf(why, "'{' opens no placeholder");
			return -1;
		}
		for (k = 0; k < GRV_PH_COUNT; k++)
			if ((size_t)(q - p - 1) == strlen(grv_ph_names[k]) &&
			    memcmp(p + 1, grv_ph_names[k], (size_t)(q - p - 1))
			    == 0)
				break;
		if (k == GRV_PH_COUNT) {
			grv_buf_printf(why, "unknown placeholder '%.*s' (known: "
			    "{id} {department} {officer} {category} {due} "
			    "{reason})", (int)(q - p + 1), p);
			return -1;
		}
		*ph |= 1u << k;
		p = q + 1;
	}
	return 0;
}

/* "masters/templates.csv:LINE: field 'F': WHY", the status to 65. */
static void
fault(int *rc, unsigned long line, const char *field, const char *why)
{
	grv_err("%s:%lu: field '%s': %s", rel, line, field, why);
	*rc = GRV_EX_DATAERR;
}

/* Size T up (its encoding, longest length and parts); the fault's text
   into WHY when it takes more than MAXPARTS parts. */
static int
size_up(struct grv_tmpl *t, const struct phmax mx[GRV_PH_COUNT],
    int maxparts, struct grv_buf *why)
{
	struct grv_buf lit = GRV_BUF_INIT;
	size_t g, u, len;
	unsigned ph;
	int gsm, k;

	if (parse_text(t->text, &lit, &ph, why) == -1) {
		grv_buf_release(&lit);
		return -1;
	}
	gsm = grv_sms_len(lit.s ? lit.s : "", lit.len, &g, &u);
	for (k = 0; k < GRV_PH_COUNT; k++)
		if (ph & (1u << k) && !mx[k].allgsm)
			gsm = 0;
	len = gsm ? g : u;
	for (k = 0; k < GRV_PH_COUNT; k++)
		if (ph & (1u << k))
			len += gsm ? mx[k].gsm : mx[k].ucs;
	grv_buf_release(&lit);
	t->enc = gsm ? GRV_SMS_GSM : GRV_SMS_UCS2;
	t->maxlen = len;
	t->parts = grv_sms_parts(t->enc, len);
	if (t->parts > (size_t)maxparts) {
		grv_buf_printf(why, "up to %zu %s characters, %zu SMS parts, "
		    "more than sms_max_parts (%d)", len, gsm ? "GSM-7" :
		    "UCS-2", t->parts, maxparts);
		return -1;
	}
	return 0;
}

/* Check one row F (its LINE) and add it to TS; faults make *RC 65. */
static void
add_row(struct grv_tmpls *ts, const struct grv_ctx *ctx,
    const struct phmax mx[GRV_LANG_COUNT][GRV_PH_COUNT], int maxparts,
    unsigned long line, char **f, const size_t *flen, int *rc)
{
	struct grv_buf why = GRV_BUF_INIT;
	struct grv_tmpl t = { 0 };
	size_t i;
	int placement;

	(void)ctx;
	if (grv_event_kind(f[COL_EVENT]) < 0 &&
	    !in_list(more_events, f[COL_EVENT])) {
		grv_buf_printf(&why, "unknown event '%s'", f[COL_EVENT]);
		fault(rc, line, cols[COL_EVENT], why.s);
		goto out;
	}
	placement = in_list(placements, f[COL_EVENT]);
	if ((t.rcpt = lookup(grv_rcpt_names, GRV_TO_COUNT, f[COL_RCPT])) ==
	    -1) {
		grv_buf_printf(&why, "unknown recipient '%s' (citizen, "
		    "officer or previous)", f[COL_RCPT]);
		fault(rc, line, cols[COL_RCPT], why.s);
		goto out;
	}
	if ((strcmp(f[COL_EVENT], GRV_TMPL_REMIND) == 0 &&
	    t.rcpt != GRV_TO_OFFICER) ||
	    (t.rcpt == GRV_TO_PREVIOUS && !placement) ||
	    (t.rcpt == GRV_TO_OFFICER && !placement &&
	    strcmp(f[COL_EVENT], GRV_TMPL_REMIND) != 0 &&
	    strcmp(f[COL_EVENT], "resolve") != 0 &&
	    strcmp(f[COL_EVENT], "hold") != 0)) {
		grv_buf_printf(&why, "a '%s' event has no %s to tell",
		    f[COL_EVENT], f[COL_RCPT]);
		fault(rc, line, cols[COL_RCPT], why.s);
		goto out;
	}
	if ((t.lang = lookup(grv_lang_names, GRV_LANG_COUNT, f[COL_LANG])) ==
	    -1) {
		grv_buf_printf(&why, "unknown language '%s' (hi or en)",
		    f[COL_LANG]);
		fault(rc, line, cols[COL_LANG], why.s);
		goto out;
	}
	for (i = 0; i < ts->n; i++)
		if (strcmp(ts->v[i].event, f[COL_EVENT]) == 0 &&
		    ts->v[i].rcpt == t.rcpt && ts->v[i].lang == t.lang) {
			grv_buf_printf(&why, "%s,%s,%s given already on line "
			    "%lu", f[COL_EVENT], f[COL_RCPT], f[COL_LANG],
			    ts->v[i].line);
			fault(rc, line, cols[COL_LANG], why.s);
			goto out;
		}
	if (flen[COL_TEXT] == 0 || grv_rule_text(f[COL_TEXT], flen[COL_TEXT],
	    GRV_TEXT_MAX, 0) != GRV_TEXT_OK) {
		fault(rc, line, cols[COL_TEXT], flen[COL_TEXT] == 0 ?
		    "empty" : "holds a control character or is too long");
		goto out;
	}
	for (i = 0; i < flen[COL_DLT]; i++)
		if (f[COL_DLT][i] < '0' || f[COL_DLT][i] > '9')
			break;
	if (flen[COL_DLT] == 0 || flen[COL_DLT] > 30 || i < flen[COL_DLT]) {
		grv_buf_printf(&why, "'%s' is not a DLT template id (1 to 30 "
		    "digits)", f[COL_DLT]);
		fault(rc, line, cols[COL_DLT], why.s);
		goto out;
	}
	t.text = f[COL_TEXT];
	if (size_up(&t, mx[t.lang], maxparts, &why) == -1) {
		fault(rc, line, cols[COL_TEXT], why.s);
		goto out;
	}
	t.event = grv_strdup(f[COL_EVENT]);
	t.text = grv_strdup(f[COL_TEXT]);
	t.dlt = grv_strdup(f[COL_DLT]);
	t.line = line;
	ts->v = grv_reallocarray(ts->v, ts->n + 1, sizeof(*ts->v));
	ts->v[ts->n++] = t;
out:
	grv_buf_release(&why);
}

int
grv_tmpls_load(struct grv_tmpls *ts, const struct grv_ctx *ctx,
    int maxparts)
{
	static struct phmax mx[GRV_LANG_COUNT][GRV_PH_COUNT];
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	struct grv_buf why = GRV_BUF_INIT;
	int idx[NCOLS], k, rc = 0;
	char *f[NCOLS];
	size_t flen[NCOLS], i, j;

	ts->v = NULL;
	ts->n = 0;
	if ((r = grv_csv_open(ctx->dir, rel, GRV_CSV_INPUT)) == NULL)
		return errno == ENOENT ? GRV_EX_NOINPUT : GRV_EX_IOERR;
	phmax_compute(ctx, mx);
	if ((k = grv_csv_next(r, &row)) != 1) {
		if (k == 0)
			grv_err("%s:1: empty file, expected a header row", rel);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if (grv_csv_header_map(row, cols, idx) != NCOLS) {
		for (i = 0; i < NCOLS; i++)
			if (idx[i] == -1)
				grv_err("%s:1: header has no column '%s'", rel,
				    cols[i]);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	while ((k = grv_csv_next(r, &row)) == 1) {
		if (row->nf == 0 || (row->nf == 1 && row->flen[0] == 0))
			continue;
		for (i = 0; i < NCOLS; i++) {
			if ((size_t)idx[i] >= row->nf) {
				grv_err("%s:%lu: %zu fields, expected at least "
				    "%d", rel, row->line, row->nf, idx[i] + 1);
				rc = GRV_EX_DATAERR;
				break;
			}
			f[i] = row->f[idx[i]];
			flen[i] = row->flen[idx[i]];
			if (!grv_utf8_valid(f[i], flen[i])) {
				fault(&rc, row->line, cols[i],
				    "not valid UTF-8");
				break;
			}
		}
		if (i == NCOLS)
			add_row(ts, ctx, (const struct phmax (*)[GRV_PH_COUNT])
			    mx, maxparts, row->line, f, flen, &rc);
	}
	if (k == -1)
		rc = grv_csv_ioerror(r) ? GRV_EX_IOERR : GRV_EX_DATAERR;
	/* Every message in both languages: a pair in one only is refused
	   at its line. */
	for (i = 0; rc == 0 && i < ts->n; i++) {
		for (j = 0; j < ts->n; j++)
			if (j != i && ts->v[j].rcpt == ts->v[i].rcpt &&
			    strcmp(ts->v[j].event, ts->v[i].event) == 0)
				break;
		if (j == ts->n) {
			grv_buf_reset(&why);
			grv_buf_printf(&why, "%s,%s has a template in %s only",
			    ts->v[i].event, grv_rcpt_names[ts->v[i].rcpt],
			    grv_lang_names[ts->v[i].lang]);
			fault(&rc, ts->v[i].line, cols[COL_LANG], why.s);
		}
	}
out:
	if (grv_csv_close(r) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	grv_buf_release(&why);
	if (rc)
		grv_tmpls_release(ts);
	return rc;
}

void
grv_tmpls_release(struct grv_tmpls *ts)
{
	size_t i;

	for (i = 0; i < ts->n; i++) {
		free(ts->v[i].event);
		free(ts->v[i].text);
		free(ts->v[i].dlt);
	}
	free(ts->v);
	ts->v = NULL;
	ts->n = 0;
}

const struct grv_tmpl *
grv_tmpl_find(const struct grv_tmpls *ts, const char *event, size_t evlen,
    int rcpt, int lang)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		if (ts->v[i].rcpt == rcpt && ts->v[i].lang == lang &&
		    strlen(ts->v[i].event) == evlen &&
		    memcmp(ts->v[i].event, event, evlen) == 0)
			return &ts->v[i];
	return NULL;
}

int
grv_tmpl_placement(const char *event)
{
	return in_list(placements, event);
}

int
grv_tmpl_uses(const struct grv_tmpl *t, int ph)
{
	const char *p = t->text, *name = grv_ph_names[ph];
	size_t n = strlen(name);

	while ((p = strchr(p, '{')) != NULL) {
		if (strncmp(p + 1, name, n) == 0 && p[n + 1] == '}')
			return 1;
		p++;
	}
	return 0;
}

/* Append V cut to GRV_TMPL_VAR_MAX characters of encoding ENC. */
static void
put_value(struct grv_buf *out, const char *v, int enc)
{
	size_t n = strlen(v), k, cost, total = 0, cut = 0, i;
	unsigned long cp;

	for (i = 0; i < n; i += k) {
		if ((k = grv_sms_cp(v + i, n - i, &cp)) == 0)
			k = 1, cp = 0xfffd;
		cost = enc == GRV_SMS_GSM ? (size_t)grv_sms_gsm_cost(cp) :
		    cp > 0xffff ? 2 : 1;
		if (total + cost <= GRV_TMPL_VAR_MAX - 3)
			cut = i + k;
		total += cost;
	}
	if (total <= GRV_TMPL_VAR_MAX)
		cut = n;
	/* One line: a line break or tab of free text is a space. */
	for (i = 0; i < cut; i++)
		grv_buf_addc(out, v[i] == '\n' || v[i] == '\r' ||
		    v[i] == '\t' ? ' ' : v[i]);
	if (cut < n)
		grv_buf_adds(out, "...");
}

void
grv_tmpl_fill(struct grv_buf *out, const struct grv_tmpl *t,
    const char *const v[GRV_PH_COUNT])
{
	const char *p = t->text, *q;
	int k;

	while (*p) {
		if (*p != '{') {
			for (q = p; *q && *q != '{'; q++)
				;
			grv_buf_add(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		q = strchr(p, '}');	/* parse_text vouched for it */
		for (k = 0; k < GRV_PH_COUNT; k++)
			if ((size_t)(q - p - 1) == strlen(grv_ph_names[k]) &&
			    memcmp(p + 1, grv_ph_names[k], (size_t)(q - p - 1))
			    == 0)
				break;
		if (k < GRV_PH_COUNT && v[k]) {
			if (k == GRV_PH_ID || k == GRV_PH_DUE)
				grv_buf_adds(out, v[k]);
			else
				put_value(out, v[k], t->enc);
		}
		p = q + 1;
	}
	if (out->s == NULL)
		grv_buf_adds(out, "");
}

void
grv_tmpl_due(char buf[32], long long t, int tz)
{
	int64_t s = (int64_t)t + (int64_t)tz * 60, day, sec;
	int y, mo, d;

	day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	sec = s - day * 86400;
	grv_civil_from_days(day, &y, &mo, &d);
	snprintf(buf, 32, "%02d-%02d-%04d %02d:%02d", d, mo,
	    y, (int)(sec / 3600), (int)(sec / 60 % 60));
}

void
grv_tmpls_print(FILE *fp, const struct grv_tmpls *ts)
{
	size_t i;

	fputs("event,recipient,lang,dlt_template_id,encoding,max_chars,"
	    "max_parts\n", fp);
	for (i = 0; i < ts->n; i++)
		fprintf(fp, "%s,%s,%s,%s,%s,%zu,%zu\n", ts->v[i].event,
		    grv_rcpt_names[ts->v[i].rcpt],
		    grv_lang_names[ts->v[i].lang], ts->v[i].dlt,
		    ts->v[i].enc == GRV_SMS_GSM ? "gsm7" : "ucs2",
		    ts->v[i].maxlen, ts->v[i].parts);
}
