/* grv_intake.c: checking complaints handed in, allocating their ids. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_cache.h"
#include "grv_correct.h"
#include "grv_csv.h"
#include "grv_csvw.h"
#include "grv_fast.h"
#include "grv_hix.h"
#include "grv_intake.h"
#include "grv_ledger.h"
#include "grv_map.h"
#include "grv_msg.h"
#include "grv_phone.h"
#include "grv_rules.h"
#include "grv_state.h"
#include "grv_utf8.h"

const char *const grv_intake_names[GRV_IN_COUNT + 1] = { "category", "loc",
	"name", "phone", "text", "channel", "ref", "registered", "key", "lang",
	NULL };

/* A value fit to quote in a message: at most 40 bytes, no control bytes. */
static const char *
shown(const char *s, size_t n, char buf[64])
{
	size_t i, k = 0;

	for (i = 0; i < n && k < 40; i++)
		buf[k++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	if (i < n) {
		/* Do not cut a UTF-8 sequence in half. */
		while (k > 0 && ((unsigned char)buf[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && (unsigned char)buf[k - 1] >= 0xc0)
			k--;
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

static void
bad(const char *where, int field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(const char *where, int field, const char *fmt, ...)
{
	struct grv_buf b = GRV_BUF_INIT;
	va_list ap;

	if (where)
		grv_buf_printf(&b, "%s: field '%s': ", where,
		    grv_intake_names[field]);
	else
		grv_buf_printf(&b, "--%s: ", grv_intake_names[field]);
	va_start(ap, fmt);
	grv_buf_grow(&b, 256);
	vsnprintf(b.s + b.len, b.cap - b.len, fmt, ap);
	va_end(ap);
	grv_err("%s", b.s);
	grv_buf_release(&b);
}

/* Free text by grv_rule_freetext; 0 or 1. */
static int
check_text(const char *where, int field, const char *s, size_t n,
    int required)
{
	struct grv_buf why = GRV_BUF_INIT;
	int k;

	if ((k = grv_rule_freetext(s, n, required)) == GRV_TEXT_OK)
		return 0;
	/* A field of a batch may hold a NUL, an option cannot. */
	if (k == GRV_TEXT_UTF8)
		grv_buf_adds(&why, "not valid UTF-8 text (or holds a NUL)");
	else
		grv_freetext_why(&why, k, n);
	bad(where, field, "%s", why.s);
	grv_buf_release(&why);
	return 1;
}

static int
check_code(const char *where, int field, const struct grv_masters *m,
    const struct grv_map *map, const char *what, const char *s, size_t n,
    int *ix)
{
	const char *sug;
	char buf[64];

	if ((*ix = grv_map_getn(map, s, n)) != -1 && strlen(s) == n)
		return 0;
	*ix = -1;
	if (n == 0) {
		bad(where, field, "empty");
		return 1;
	}
	if ((sug = grv_suggest_in(m, map, s)) != NULL)
		bad(where, field, "unknown %s '%s' (did you mean '%s'?)", what,
		    shown(s, n, buf), sug);
	else
		bad(where, field, "unknown %s '%s'", what, shown(s, n, buf));
	return 1;
}

/* grv_intake_check but for the strings (left NULL). */
static int
check_fields(const struct grv_ctx *ctx, const char *where,
    const struct grv_intake_raw *raw, int defchannel, struct grv_intake *out)
{
	const struct grv_masters *m = &ctx->m;
	const char *s;
	char buf[64], ts[GRV_TSLEN];
	size_t n;
	int nbad = 0, i, k;

	memset(out, 0, sizeof(*out));
	out->registered = GRV_TIME_NONE;
	for (i = 0; i < GRV_IN_REQUIRED; i++)
		if (raw->v[i] == NULL) {
			bad(where, i, "missing");
			nbad++;
		}
	if (nbad)
		return nbad;

	nbad += check_code(where, GRV_IN_CATEGORY, m, &m->cat_ix, "category",
	    raw->v[GRV_IN_CATEGORY], raw->len[GRV_IN_CATEGORY], &out->cat);
	s = raw->v[GRV_IN_LOC];
	n = raw->len[GRV_IN_LOC];
	if (check_code(where, GRV_IN_LOC, m, &m->loc_ix, "location", s, n,
	    &out->loc))
		nbad++;
	else if (m->locs[out->loc].kind == GRV_LOC_STATE) {
		bad(where, GRV_IN_LOC, "'%s' is the state; a complaint needs "
		    "a district, tehsil or block", shown(s, n, buf));
		nbad++;
	}

	s = raw->v[GRV_IN_PHONE];
	n = raw->len[GRV_IN_PHONE];
	if (strlen(s) != n)
		k = GRV_PHONE_BAD;
	else
		k = grv_phone_norm(s, out->phone);
	if (k == GRV_PHONE_AMBIGUOUS) {
		bad(where, GRV_IN_PHONE, "phone '%s' %s", shown(s, n, buf),
		    grv_phone_why(k));
		nbad++;
	} else if (k != 0) {
		bad(where, GRV_IN_PHONE, "bad phone '%s' (%s)", shown(s, n,
		    buf), grv_phone_why(k));
		nbad++;
	}

	out->channel = defchannel;
	if ((s = raw->v[GRV_IN_CHANNEL]) != NULL && raw->len[GRV_IN_CHANNEL]) {
		if (strlen(s) != raw->len[GRV_IN_CHANNEL] ||
		    (out->channel = grv_channel_code(s)) == -1) {
			bad(where, GRV_IN_CHANNEL, "unknown channel '%s' (phone,"
			    " web, office, janmanch, cmo, email or app)",
			    shown(s, raw->len[GRV_IN_CHANNEL], buf));
			nbad++;
		}
	}

	nbad += check_text(where, GRV_IN_NAME, raw->v[GRV_IN_NAME],
	    raw->len[GRV_IN_NAME], 1);
	nbad += check_text(where, GRV_IN_TEXT, raw->v[GRV_IN_TEXT],
	    raw->len[GRV_IN_TEXT], 1);
	if (raw->v[GRV_IN_REF])
		nbad += check_text(where, GRV_IN_REF, raw->v[GRV_IN_REF],
		    raw->len[GRV_IN_REF], 0);

	if ((s = raw->v[GRV_IN_REGISTERED]) != NULL &&
	    raw->len[GRV_IN_REGISTERED]) {
		n = raw->len[GRV_IN_REGISTERED];
		if (strlen(s) != n ||
		    grv_ctx_parse_time(ctx, s, &out->registered) == -1) {
			bad(where, GRV_IN_REGISTERED, "bad time '%s' (YYYY-MM-DD"
			    "[THH:MM[:SS]][+HH:MM|Z])", shown(s, n, buf));
			nbad++;
		} else if (!grv_time_writable(out->registered,
		    ctx->conf.tz)) {
			bad(where, GRV_IN_REGISTERED, "'%s' is outside the years "
			    "1970-9999", shown(s, n, buf));
			nbad++;
		} else if (out->registered > ctx->now) {
			grv_ctx_ts(ctx, ctx->now, ts);
			bad(where, GRV_IN_REGISTERED, "'%s' is later than --now"
			    " %s", shown(s, n, buf), ts);
			nbad++;
		}
	}

	out->lang = GRV_LANG_HI;
	if ((s = raw->v[GRV_IN_LANG]) != NULL && raw->len[GRV_IN_LANG] &&
	    (out->lang = grv_xlang_parse(s, raw->len[GRV_IN_LANG])) == -1) {
		bad(where, GRV_IN_LANG, "unknown language '%s' (hi or en)",
		    shown(s, raw->len[GRV_IN_LANG], buf));
		nbad++;
	}
	return nbad;
}

int
grv_intake_check(const struct grv_ctx *ctx, const char *where,
    const struct grv_intake_raw *raw, int defchannel, struct grv_intake *out)
{
	size_t ln, lt, lr;
	char *p;
	int nbad;

	if ((nbad = check_fields(ctx, where, raw, defchannel, out)) != 0)
		return nbad;
	/* The three strings in one block. */
	ln = strlen(raw->v[GRV_IN_NAME]);
	lt = strlen(raw->v[GRV_IN_TEXT]);
	lr = raw->v[GRV_IN_REF] ? strlen(raw->v[GRV_IN_REF]) : 0;
	p = grv_malloc(ln + lt + lr + 3);
	out->name = p;
	memcpy(p, raw->v[GRV_IN_NAME], ln);
	p[ln] = '\0';
	out->text = p += ln + 1;
	memcpy(p, raw->v[GRV_IN_TEXT], lt);
	p[lt] = '\0';
	out->ref = p += lt + 1;
	if (lr)
		memcpy(p, raw->v[GRV_IN_REF], lr);
	p[lr] = '\0';
	return 0;
}

void
grv_intake_release(struct grv_intake *in)
{
	free(in->name);		/* text and ref live in the same block */
	in->name = in->text = in->ref = NULL;
}

/* Id and registered time of a raw complaints row (or its parsed fields). */
static int
row_last(const struct grv_ctx *ctx, const char *rel, const char *id,
    size_t idlen, const char *reg, size_t reglen, uint32_t *n,
    grv_time_t *registered)
{
	if (grv_id_parse(ctx->conf.node, id, idlen, n) == -1) {
		grv_err("%s: last id '%.*s' is not a %s-<number> id", rel,
		    (int)(idlen > 40 ? 40 : idlen), id, ctx->conf.node);
		return GRV_EX_DATAERR;
	}
	if (grv_time_parse_ts(reg, reglen, registered) == -1) {
		grv_err("%s: last row's registered time '%.*s' is bad", rel,
		    (int)(reglen > 40 ? 40 : reglen), reg);
		return GRV_EX_DATAERR;
	}
	return 0;
}

/* The last row of the newest sealed segment, for a fresh live file. */
static int
segment_last(const struct grv_ctx *ctx, uint32_t *n, grv_time_t *registered)
{
	struct grv_segments sg;
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	char *id = NULL, *reg = NULL, *rel;
	int k, rc = 0;

	grv_ledger_segments(ctx->dir, grv_ledger_name(GRV_COMPLAINTS), &sg);
	if (sg.n == 0)
		return 0;		/* no segments */
	rel = grv_strdup(sg.rel[sg.n - 1]);
	grv_segments_release(&sg);
	if ((r = grv_csv_open(ctx->dir, rel, GRV_CSV_LEDGER)) == NULL) {
		free(rel);
		return GRV_EX_IOERR;
	}
	while ((k = grv_csv_next(r, &row)) == 1) {
		if (row->line == 1 || row->nf != GRV_C_NCOLS)
			continue;
		free(id);
		free(reg);
		id = grv_strdup(row->f[GRV_C_ID]);
		reg = grv_strdup(row->f[GRV_C_REGISTERED]);
	}
	if (k == -1)
		rc = grv_csv_ioerror(r) ? GRV_EX_IOERR : GRV_EX_DATAERR;
	if (grv_csv_close(r) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	if (rc == 0 && id)
		rc = row_last(ctx, rel, id, strlen(id), reg, strlen(reg), n,
		    registered);
	free(id);
	free(reg);
	free(rel);
	return rc;
}

int
grv_intake_last(const struct grv_ctx *ctx, const struct grv_ledger *lg,
    uint32_t *n, grv_time_t *registered)
{
	const char *p, *c1, *c2, *end;

	*n = 0;
	*registered = GRV_TIME_NONE;
	if (lg->last == NULL)
		return segment_last(ctx, n, registered);
	/* id and registered never need quoting: the first two fields. */
	p = lg->last;
	end = p + lg->lastlen;
	if ((c1 = memchr(p, ',', (size_t)(end - p))) == NULL ||
	    (c2 = memchr(c1 + 1, ',', (size_t)(end - c1 - 1))) == NULL) {
		grv_err("%s: last row is damaged; run 'grv-check'", lg->rel);
		return GRV_EX_DATAERR;
	}
	return row_last(ctx, lg->rel, p, (size_t)(c1 - p), c1 + 1,
	    (size_t)(c2 - c1 - 1), n, registered);
}

/* The written forms of what a complaints row takes from the masters. */
struct grv_intake_codes {
	struct grv_csv_codes	 channels, cats, locs;
};

static struct grv_intake_codes *
codes_new(const struct grv_ctx *ctx)
{
	struct grv_intake_codes *c = grv_malloc(sizeof(*c));

	grv_csv_codes_init(&c->channels, GRV_CH_COUNT, GRV_CSV_ESCAPE);
	grv_csv_codes_init(&c->cats, ctx->m.ncats, GRV_CSV_ESCAPE);
	grv_csv_codes_init(&c->locs, ctx->m.nlocs, GRV_CSV_ESCAPE);
	return c;
}

static void
codes_free(struct grv_intake_codes *c)
{
	if (c == NULL)
		return;
	grv_csv_codes_release(&c->channels);
	grv_csv_codes_release(&c->cats);
	grv_csv_codes_release(&c->locs);
	free(c);
}

static char *
copy(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

/*
 * The part of a complaints row after its id and registered time, as
 * grv_ledger_add writes it: ",channel,category,loc,name,phone,text,ref".
 * Written at the end of B after SKIP bytes left free; returns its end.
 */
static size_t
put_tail(struct grv_buf *b, size_t skip, struct grv_intake_codes *c,
    const struct grv_ctx *ctx, int channel, int cat, int loc,
    const char *name, const char *phone, const char *text, const char *ref)
{
	const struct grv_masters *m = &ctx->m;
	const char *chs, *cats, *locs;
	size_t chl, catl, locl, namel, phonel, textl, refl;
	char *o;

	chs = grv_csv_code(&c->channels, (size_t)channel,
	    grv_channel_names[channel], &chl);
	cats = grv_csv_code(&c->cats, (size_t)cat, m->cats[cat].code, &catl);
	locs = grv_csv_code(&c->locs, (size_t)loc, m->locs[loc].code, &locl);
	namel = strlen(name);
	phonel = strlen(phone);
	textl = strlen(text);
	refl = strlen(ref);
	grv_buf_grow(b, skip + 2 * (namel + phonel + textl + refl) + 4 * 3 +
	    chl + catl + locl + 7);
	o = b->s + b->len + skip;
	*o++ = ',';
	o = copy(o, chs, chl);
	*o++ = ',';
	o = copy(o, cats, catl);
	*o++ = ',';
	o = copy(o, locs, locl);
	*o++ = ',';
	o = grv_csv_emit(o, name, namel, GRV_CSV_ESCAPE);
	*o++ = ',';
	o = grv_csv_emit(o, phone, phonel, GRV_CSV_ESCAPE);
	*o++ = ',';
	o = grv_csv_emit(o, text, textl, GRV_CSV_ESCAPE);
	*o++ = ',';
	o = grv_csv_emit(o, ref, refl, GRV_CSV_ESCAPE);
	b->len = (size_t)(o - b->s);
	b->s[b->len] = '\0';
	return b->len;
}

/* Bytes an id of NODE and a time can take written (GRV_CSV_ESCAPE), with
   the comma between them. */
static size_t
prefix_room(const char *node)
{
	char id[48], out[2 * 48 + 3];
	size_t n = grv_fmt_id(node, UINT32_MAX, id, sizeof(id));

	/* The digits need nothing; a node that does may double. */
	if ((size_t)(grv_csv_emit(out, id, n, GRV_CSV_ESCAPE) - out) != n)
		n = 2 * n + 3;
	return n + 1 + 2 * (GRV_TSLEN - 1) + 3;
}

/* Write complaint N's id and registered time at O; returns the end. */
static char *
put_prefix(char *o, const struct grv_ctx *ctx, uint32_t n, grv_time_t reg,
    struct grv_tsmemo *memo)
{
	char id[48], ts[GRV_TSLEN];
	size_t idl, tsl;

	idl = grv_fmt_id(ctx->conf.node, n, id, sizeof(id));
	tsl = grv_tsmemo_fmt(memo, reg != GRV_TIME_NONE ? reg : ctx->now,
	    ctx->conf.tz, ts);
	o = grv_csv_emit(o, id, idl, GRV_CSV_ESCAPE);
	*o++ = ',';
	return grv_csv_emit(o, ts, tsl, GRV_CSV_ESCAPE);
}

int
grv_intake_batch_check(const struct grv_ctx *ctx, const char *where,
    const struct grv_intake_raw *raw, int defchannel,
    struct grv_intake_batch *b)
{
	struct grv_intake in;
	struct grv_intake_item *it;
	struct grv_intake_raw kraw;
	const char *key = raw->v[GRV_IN_KEY];
	size_t klen = raw->len[GRV_IN_KEY], i;
	int nbad;

	if (key && klen == 0)
		key = NULL;		/* an empty column: no key */
	if (key) {
		/* Stored as the ref, compared byte for byte: printable,
		   nothing the ledger would escape. */
		for (i = 0; i < klen; i++)
			if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f ||
			    key[i] == '\\')
				break;
		if (klen > GRV_KEY_MAX || i < klen ||
		    grv_utf8_valid(key, klen) == 0) {
			bad(where, GRV_IN_KEY, "at most %d bytes of UTF-8 text "
			    "without control characters or backslash",
			    GRV_KEY_MAX);
			return 1;
		}
		if (raw->v[GRV_IN_REF] && raw->len[GRV_IN_REF] &&
		    (raw->len[GRV_IN_REF] != klen ||
		    memcmp(raw->v[GRV_IN_REF], key, klen) != 0)) {
			bad(where, GRV_IN_KEY, "is stored as the ref, and the "
			    "ref given differs");
			return 1;
		}
		kraw = *raw;
		kraw.v[GRV_IN_REF] = key;
		kraw.len[GRV_IN_REF] = klen;
		raw = &kraw;
	}
	if ((nbad = check_fields(ctx, where, raw, defchannel, &in)) != 0)
		return nbad;
	if (b->codes == NULL) {
		b->codes = codes_new(ctx);
		b->gap = prefix_room(ctx->conf.node) + 10;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = grv_reallocarray(b->v, b->cap, sizeof(*b->v));
	}
	it = &b->v[b->n++];
	it->cat = in.cat;
	it->loc = in.loc;
	it->registered = in.registered;
	it->key = key ? grv_strndup(key, klen) : NULL;
	it->id = 0;
	it->same = 0;
	it->lang = in.lang;
	memcpy(it->phone, in.phone, sizeof(it->phone));
	it->where = grv_strdup(where ? where : "");
	it->end = put_tail(&b->rows, b->gap, b->codes, ctx, in.channel,
	    in.cat, in.loc, raw->v[GRV_IN_NAME], in.phone,
	    raw->v[GRV_IN_TEXT], raw->v[GRV_IN_REF] ? raw->v[GRV_IN_REF] : "");
	return 0;
}

/*
 * Each complaint's tail sits GAP bytes after the end of the one before;
 * its id and time and the crc after it take less than GAP, so with the
 * queue empty the rows are finished in place, front to back, each moved
 * down over the room left before it: no second copy of the batch.
 */
void
grv_intake_batch_add(const struct grv_ctx *ctx, struct grv_ledger *lg,
    uint32_t first, struct grv_intake_batch *b)
{
	struct grv_tsmemo memo = GRV_TSMEMO_INIT;
	size_t i, start = 0, tail;
	int inplace = lg->pending.len == 0;
	const char *src;
	char *o;

	if (inplace) {
		grv_buf_release(&lg->pending);
		lg->pending = b->rows;
		lg->pending.len = 0;
		b->rows = (struct grv_buf)GRV_BUF_INIT;
	}
	for (i = 0; i < b->n; i++) {
		if (b->v[i].id || b->v[i].same) {
			start = b->v[i].end;	/* registered already */
			continue;
		}
		tail = start + b->gap;
		if (inplace) {
			o = lg->pending.s + lg->pending.len;
			src = lg->pending.s + tail;
		} else {
			o = grv_ledger_row(lg, b->gap + b->v[i].end - tail);
			src = b->rows.s + tail;
		}
		o = put_prefix(o, ctx, first++, b->v[i].registered, &memo);
		memmove(o, src, b->v[i].end - tail);
		o += b->v[i].end - tail;
		grv_ledger_row_done(lg, o);
		start = b->v[i].end;
	}
}

void
grv_intake_batch_release(struct grv_intake_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].key);
		free(b->v[i].where);
	}
	free(b->v);
	grv_buf_release(&b->rows);
	codes_free(b->codes);
	memset(b, 0, sizeof(*b));
}

void
grv_intake_print(FILE *fp, const struct grv_ctx *ctx,
    const struct grv_intake_batch *b, uint32_t first)
{
	struct grv_tsmemo memo = GRV_TSMEMO_INIT;
	struct grv_buf out = GRV_BUF_INIT;
	struct grv_csv_codes cats, locs;
	const struct grv_intake_item *it;
	const char *cat, *loc;
	char id[48], ts[GRV_TSLEN], *o;
	size_t i, idl, tsl, catl, locl;

	/* id,registered,category,loc as grv_csv_putrow would write them
	   with GRV_CSV_SAFE, the codes from their sets. */
	grv_csv_codes_init(&cats, ctx->m.ncats, GRV_CSV_SAFE);
	grv_csv_codes_init(&locs, ctx->m.nlocs, GRV_CSV_SAFE);
	uint32_t *ids = grv_calloc(b->n + 1, sizeof(*ids));

	for (i = 0; i < b->n; i++)
		ids[i] = b->v[i].id ? b->v[i].id : b->v[i].same ?
		    ids[b->v[i].same - 1] : first++;
	fputs("id,registered,category,loc\n", fp);
	for (i = 0; i < b->n; i++) {
		it = &b->v[i];
		idl = grv_fmt_id(ctx->conf.node, ids[i], id, sizeof(id));
		tsl = grv_tsmemo_fmt(&memo, it->registered != GRV_TIME_NONE ?
		    it->registered : ctx->now, ctx->conf.tz, ts);
		cat = grv_csv_code(&cats, (size_t)it->cat,
		    ctx->m.cats[it->cat].code, &catl);
		loc = grv_csv_code(&locs, (size_t)it->loc,
		    ctx->m.locs[it->loc].code, &locl);
		grv_buf_grow(&out, 2 * (idl + tsl) + 6 + catl + locl + 4);
		o = out.s + out.len;
		o = grv_csv_emit(o, id, idl, GRV_CSV_SAFE);
		*o++ = ',';
		o = grv_csv_emit(o, ts, tsl, GRV_CSV_SAFE);
		*o++ = ',';
		o = copy(o, cat, catl);
		*o++ = ',';
		o = copy(o, loc, locl);
		*o++ = '\n';
		out.len = (size_t)(o - out.s);
		if (out.len >= 64 * 1024) {
			fwrite(out.s, 1, out.len, fp);
			out.len = 0;
		}
	}
	if (out.len)
		fwrite(out.s, 1, out.len, fp);
	free(ids);
	grv_buf_release(&out);
	grv_csv_codes_release(&cats);
	grv_csv_codes_release(&locs);
}

int
grv_read_ids(const char *file, const char *node, char ***ids, size_t *nids)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	size_t cap = 0, nbad = 0;
	uint32_t n;
	int k, rc = 0, first = 1;
	char buf[64];

	*ids = NULL;
	*nids = 0;
	if ((r = grv_csv_open(NULL, file, GRV_CSV_INPUT)) == NULL)
		return GRV_EX_NOINPUT;
	while ((k = grv_csv_next(r, &row)) == 1) {
		/* A blank line (or a lone CR) holds no id: skipped. */
		if (row->nf == 0 || (row->nf == 1 && row->flen[0] == 0))
			continue;
		if (first && strcmp(row->f[0], "id") == 0) {
			first = 0;
			continue;
		}
		first = 0;
		if (grv_id_parse(node, row->f[0], row->flen[0], &n) == -1) {
			grv_err("%s:%lu: not a complaint id '%s' (expected "
			    "%s-<number>)", file, row->line,
			    shown(row->f[0], row->flen[0], buf), node);
			nbad++;
			continue;
		}
		if (*nids == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = grv_reallocarray(*ids, cap, sizeof(**ids));
		}
		(*ids)[(*nids)++] = grv_strdup(row->f[0]);
	}
	if (nbad)
		rc = GRV_EX_DATAERR;
	if (k == -1)
		rc = grv_csv_ioerror(r) ? GRV_EX_IOERR : GRV_EX_DATAERR;
	if (grv_csv_close(r) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	return rc;
}

/* ---- keys ---- */

struct keyscan {
	const struct grv_ctx	*ctx;
	struct grv_intake_batch	*b;
	struct grv_map		 want;	/* key -> item index */
	size_t			 found;
};

/* A complaint row whose ref is the key of item I: the item is that
   complaint, unless an earlier row was (the first with that ref counts). */
static void
key_row(struct keyscan *ks, int i, const struct grv_csv_row *row)
{
	const struct grv_ctx *ctx = ks->ctx;
	struct grv_intake_item *it = &ks->b->v[i];
	uint32_t n;
	int k;

	if (it->id || grv_id_parse(ctx->conf.node, row->f[GRV_C_ID],
	    row->flen[GRV_C_ID], &n) == -1)
		return;
	it->id = n;
	(void)grv_time_parse_ts(row->f[GRV_C_REGISTERED],
	    row->flen[GRV_C_REGISTERED], &it->registered);
	if ((k = grv_cat_find(&ctx->m, row->f[GRV_C_CATEGORY])) >= 0)
		it->cat = k;
	if ((k = grv_loc_find(&ctx->m, row->f[GRV_C_LOC])) >= 0)
		it->loc = k;
	ks->found++;
}

/* One ledger file: every row whose ref is a key wanted. */
static int
key_file(struct keyscan *ks, const char *rel)
{
	const struct grv_ctx *ctx = ks->ctx;
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	int k, i, rc = 0;

	if ((r = grv_csv_open(ctx->dir, rel, GRV_CSV_LEDGER)) == NULL)
		return errno == ENOENT ? 0 : GRV_EX_IOERR;
	while ((k = grv_csv_next(r, &row)) == 1) {
		if (row->line == 1 || row->nf != GRV_C_NCOLS ||
		    row->flen[GRV_C_REF] == 0 ||
		    (i = grv_map_getn(&ks->want, row->f[GRV_C_REF],
		    row->flen[GRV_C_REF])) == -1)
			continue;
		key_row(ks, i, row);
	}
	if (k == -1)
		rc = grv_csv_ioerror(r) ? GRV_EX_IOERR : GRV_EX_DATAERR;
	if (grv_csv_close(r) == -1 && rc == 0)
		rc = GRV_EX_IOERR;
	return rc;
}

/* One key looked up in cache/key.bin: each row its entries name read
   (oldest first) until one carries the key itself. */
struct keyhit {
	struct keyscan	*ks;
	int		 i;		/* the item */
	int		 bad;		/* an entry's row is not there */
};

static int
key_match(void *arg, const struct grv_csv_row *row)
{
	struct keyhit *h = arg;
	const char *key = h->ks->b->v[h->i].key;

	if (row->nf == GRV_C_NCOLS && row->flen[GRV_C_REF] == strlen(key) &&
	    memcmp(row->f[GRV_C_REF], key, row->flen[GRV_C_REF]) == 0)
		key_row(h->ks, h->i, row);
	return 0;
}

static int
key_entry(void *arg, const struct grv_hix_ent *e)
{
	struct keyhit *h = arg;

	if (grv_cache_row_at(h->ks->ctx, GRV_COMPLAINTS, (uint64_t)e->val,
	    e->crc, key_match, h) == -1) {
		h->bad = 1;
		return 1;
	}
	return h->ks->b->v[h->i].id != 0;	/* found: the first counts */
}

/* Every key wanted through the index HX: 0, or -1 when it cannot say
   (damaged, a row not where it says), every item as it was. */
static int
key_index(struct keyscan *ks, struct grv_hix *hx)
{
	struct grv_intake_batch *b = ks->b;
	struct keyhit h;
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->v[i].key == NULL || b->v[i].same)
			continue;
		h.ks = ks;
		h.i = (int)i;
		h.bad = 0;
		if (grv_hix_find(hx, grv_hix_ref_key(b->v[i].key,
		    strlen(b->v[i].key)), key_entry, &h) == -1 || h.bad)
			break;
	}
	if (i == b->n)
		return 0;
	for (i = 0; i < b->n; i++)
		b->v[i].id = 0;		/* the ledger says instead */
	ks->found = 0;
	return -1;
}

int
grv_intake_keys(const struct grv_ctx *ctx, const struct grv_ledger *lg,
    struct grv_hix *hx, struct grv_intake_batch *b, size_t *nnew)
{
	struct keyscan ks = { ctx, b, GRV_MAP_INIT, 0 };
	struct grv_segments sg;
	size_t i, nkeys = 0;
	int j, rc = 0;

	for (i = 0; i < b->n; i++) {
		if (b->v[i].key == NULL)
			continue;
		if ((j = grv_map_get(&ks.want, b->v[i].key)) != -1)
			b->v[i].same = (size_t)j + 1;	/* repeated */
		else {
			grv_map_put(&ks.want, b->v[i].key, (int)i);
			nkeys++;
		}
	}
	if (nkeys && lg->fd != -1 && (hx == NULL ||
	    key_index(&ks, hx) == -1)) {
		grv_ledger_segments(ctx->dir, grv_ledger_name(GRV_COMPLAINTS),
		    &sg);
		for (i = 0; i < sg.n && rc == 0; i++)
			rc = key_file(&ks, sg.rel[i]);
		grv_segments_release(&sg);
		if (rc == 0)
			rc = key_file(&ks, lg->rel);
	}
	/* A repeat is the complaint its first stands for, as printed. */
	for (i = 0; i < b->n; i++)
		if (b->v[i].same) {
			const struct grv_intake_item *f = &b->v[b->v[i].same - 1];

			b->v[i].id = f->id;
			b->v[i].cat = f->cat;
			b->v[i].loc = f->loc;
			b->v[i].registered = f->registered;
		}
	*nnew = 0;
	for (i = 0; i < b->n; i++)
		*nnew += !b->v[i].id && !b->v[i].same;
	grv_map_release(&ks.want);
	return rc;
}
