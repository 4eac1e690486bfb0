/* grv_check.c: verify the masters and every ledger and segment, and move a
 * torn tail aside (grv-check). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_check.h"
#include "grv_correct.h"
#include "grv_file.h"
#include "grv_hwm.h"
#include "grv_csv.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_report.h"
#include "grv_rules.h"
#include "grv_state.h"
#include "grv_tmpl.h"
#include "grv_utf8.h"

/* A line reader over gzip or plain bytes that never parses CSV: a ledger
 * row is one line (SPEC section 3), so lines are what the chain covers. */
struct lines {
	gzFile		 gz;
	char		*buf;
	size_t		 pos, len;
	int		 eof;
	const char	*bad;		/* zlib's word for a damaged stream */
};

#define LBUF	(128 * 1024)

/* One file's scan. */
struct scan {
	const char	*rel;
	enum grv_ledger_kind kind;
	int		 live;
	unsigned long	 nfind;		/* findings in this file */
	unsigned long	 before_last;	/* findings before the last line */
	int		 hdr_ok;
	struct grv_buf	 prev;		/* chain text of the row before */
	struct grv_buf	 line;
	unsigned long	 lineno;	/* last line read */
	uint64_t	 off;		/* offset of the line being read */
	uint64_t	 last_off;	/* offset of the last line */
	int		 last_torn;	/* last line damaged at the byte level */
	int		 row_utf8;	/* this row is not UTF-8 (named) */
	uint64_t	 size;
	/* an append cut short (ledger/.NAME.pending): where it began */
	int		 mark_set, mark_seen;
	uint64_t	 mark_off;
	unsigned long	 before_mark;	/* findings before it */
	unsigned long	 mark_line;	/* its first line */
	/* libcsv, for splitting one line into fields */
	struct csv_parser p;
	struct grv_buf	 fld;
	size_t		 foff[GRV_E_NCOLS + 1];
	size_t		 flen[GRV_E_NCOLS + 1];
	size_t		 nf;
};

struct chk {
	struct grv_ctx	*ctx;
	const struct grv_masters *m;	/* NULL: the masters are unusable */
	FILE		*out;
	struct grv_check_result *res;
	int		 rc;
	struct scan	*s;
	struct grv_cstate *c;		/* c[n - 1]: complaint n */
	uint32_t	 n, cap;
	grv_time_t	 last_ts;
	grv_time_t	 xlast_ts;	/* corrections.csv's last row */
	char		 last_tstxt[GRV_TSLEN];
	struct grv_map	 gone;		/* officers named as no longer listed */
	struct grv_map	 gone_locs;	/* and locations, departments and
					   categories ("what code") */
	struct grv_owed	 owed;		/* a disputed call's reopen */
};

static void
finding(struct chk *ch, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
finding(struct chk *ch, unsigned long line, const char *fmt, ...)
{
	struct scan *s = ch->s;
	va_list ap;

	ch->res->findings++;
	grv_setrc(&ch->rc, GRV_EX_DATAERR);
	if (++s->nfind > GRV_CHECK_MAXSHOWN) {
		if (s->nfind == GRV_CHECK_MAXSHOWN + 1)
			fprintf(ch->out, "%s: more findings, not shown\n",
			    s->rel);
		return;
	}
	if (line)
		fprintf(ch->out, "%s:%lu: ", s->rel, line);
	else
		fprintf(ch->out, "%s: ", s->rel);
	va_start(ap, fmt);
	vfprintf(ch->out, fmt, ap);
	va_end(ap);
	fputc('\n', ch->out);
}

/* ---- lines ---- */

/* Next line into B without its newline; *NL tells whether one ended it,
 * *LONG whether it was cut at GRV_CSV_MAXREC.  1, 0 at the end, -1 on a
 * read error (printed), -2 on a compressed stream that is not one (its
 * gzip header, data or trailer damaged: zlib's word in L->bad). */
static int
lines_next(struct lines *l, struct grv_buf *b, uint64_t *raw, int *nl,
    int *lng)
{
	const char *p;
	size_t n, keep;
	int got = 0, errnum;

	grv_buf_reset(b);
	grv_buf_add(b, "", 0);
	*nl = *lng = 0;
	*raw = 0;
	for (;;) {
		if (l->pos == l->len) {
			int k;

			if (l->eof)
				return got ? 1 : 0;
			k = gzread(l->gz, l->buf, LBUF);
			if (k < 0) {
				const char *msg = gzerror(l->gz, &errnum);

				if (errnum != Z_ERRNO) {
					l->bad = msg;
					return -2;
				}
				grv_err("read: %s", strerror(errno));
				return -1;
			}
			l->pos = 0;
			l->len = (size_t)k;
			if (k == 0) {
				l->eof = 1;
				continue;
			}
		}
		got = 1;
		p = memchr(l->buf + l->pos, '\n', l->len - l->pos);
		n = p ? (size_t)(p - (l->buf + l->pos)) : l->len - l->pos;
		*raw += n;
		keep = n;
		if (b->len + keep > GRV_CSV_MAXREC) {
			*lng = 1;
			keep = b->len < GRV_CSV_MAXREC ?
			    GRV_CSV_MAXREC - b->len : 0;
		}
		grv_buf_add(b, l->buf + l->pos, keep);
		if (p) {
			l->pos += n + 1;
			*nl = 1;
			*raw += 1;
			return 1;
		}
		l->pos = l->len;
	}
}

/* ---- fields ---- */

static void
cb_field(void *f, size_t n, void *data)
{
	struct scan *s = data;

	if (s->nf <= GRV_E_NCOLS) {
		s->foff[s->nf] = s->fld.len;
		s->flen[s->nf] = n;
	}
	s->nf++;
	grv_buf_add(&s->fld, f ? f : "", f ? n : 0);
	grv_buf_addc(&s->fld, '\0');
}

/* libcsv trims blanks unless told no blank is a space (a NULL space
 * function means its default, space and tab): a field's bytes are its
 * bytes. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Split LINE into fields with libcsv: 0, or -1 when it is not CSV. */
static int
split(struct scan *s, const char *line, size_t len)
{
	s->nf = 0;
	grv_buf_reset(&s->fld);
	if (csv_parse(&s->p, line, len, cb_field, NULL, s) != len ||
	    csv_fini(&s->p, cb_field, NULL, s) != 0) {
		csv_free(&s->p);
		csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
		csv_set_space_func(&s->p, no_space);
		return -1;
	}
	if (len == 0)
		s->nf = 0;
	return 0;
}

static const char *
fv(const struct scan *s, int i)
{
	return s->fld.s + s->foff[i];
}

/* ---- meaning ---- */

/* The row's fields, as the rules take them. */
static void
fields(const struct scan *s, const char **f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		f[i] = fv(s, (int)i);
}

/* One fault of the row rules as a finding; a UTF-8 fault the row's own
   check named already is not named again. */
static void
fault(struct chk *ch, unsigned long line, const struct grv_fault *fl,
    const char *const *f)
{
	struct grv_buf b = GRV_BUF_INIT;

	if (fl->code == GRV_F_TEXT + GRV_TEXT_UTF8 && ch->s->row_utf8)
		return;
	grv_fault_msg(&b, fl, &ch->ctx->conf, ch->s->kind, f);
	finding(ch, line, "%s", b.s);
	grv_buf_release(&b);
}

#define MAXFAULTS	32

/* A row of corrections.csv: its own rules (grv_correct.h), the
   complaints read before it. */
static void
correction_row(struct chk *ch, unsigned long line)
{
	struct scan *s = ch->s;
	const char *f[GRV_X_NCOLS];
	struct grv_buf why = GRV_BUF_INIT;
	struct grv_xrow x;

	fields(s, f, GRV_X_NCOLS);
	if (grv_corr_check_row(ch->ctx, ch->n, f, s->flen, s->nf, &x,
	    &why) == -1)
		finding(ch, line, "%s", why.s);
	else {
		if (ch->xlast_ts != GRV_TIME_NONE && x.ts < ch->xlast_ts)
			finding(ch, line, "ts '%s' earlier than the row before",
			    f[GRV_X_TS]);
		ch->xlast_ts = x.ts;
		grv_xrow_release(&x);
	}
	grv_buf_release(&why);
}

/* Valid when written, a location, department or category (WHAT, of
   masters/FILE.csv) since deleted from the masters: a warning, once a
   code, not damage (the fold reads on by its code). */
static void
gone(struct chk *ch, unsigned long line, const char *what, const char *file,
    const char *code)
{
	struct grv_buf key = GRV_BUF_INIT;

	grv_buf_printf(&key, "%s %s", what, code);
	if (grv_map_get(&ch->gone_locs, key.s) == -1) {
		grv_map_put(&ch->gone_locs, key.s, 1);
		ch->res->warnings++;
		fprintf(ch->out, "%s:%lu: warning: %s '%s' is no longer in "
		    "masters/%s.csv (keep its row: the ledger names it)\n",
		    ch->s->rel, line, what, code, file);
	}
	grv_buf_release(&key);
}

static void
complaint_row(struct chk *ch, unsigned long line)
{
	struct scan *s = ch->s;
	const char *f[GRV_C_NCOLS];
	struct grv_fault fl[MAXFAULTS], seq;
	struct grv_cstate *cs;
	struct grv_crow p;
	int nf, i;

	fields(s, f, GRV_C_NCOLS);
	nf = grv_rules_complaint(&ch->ctx->conf, ch->m, f, s->flen, NULL, 0,
	    &p, fl, MAXFAULTS);
	if (nf > 0 && fl[0].code == GRV_F_ID) {
		fault(ch, line, &fl[0], f);
		return;
	}
	if (grv_rules_complaint_seq(p.n, ch->n, &seq) != 0) {
		fault(ch, line, &seq, f);
		if (p.n <= ch->n)
			return;		/* used twice: keep the first */
		if (p.n - ch->n > 4096)
			return;		/* no table for a wild number */
	}
	for (i = 0; i < nf && i < MAXFAULTS; i++)
		fault(ch, line, &fl[i], f);
	if (p.cat == GRV_IX_GONE)
		gone(ch, line, "category", "categories", f[GRV_C_CATEGORY]);
	if (p.loc == GRV_IX_GONE)
		gone(ch, line, "location", "locations", f[GRV_C_LOC]);
	while (ch->cap < p.n) {
		ch->cap = ch->cap ? ch->cap * 2 : 1024;
		ch->c = grv_reallocarray(ch->c, ch->cap, sizeof(*ch->c));
	}
	for (; ch->n < p.n; ch->n++)
		memset(&ch->c[ch->n], 0, sizeof(*ch->c));	/* NONE */
	cs = &ch->c[p.n - 1];
	cs->registered = p.reg;
	cs->placed = cs->due = cs->resolved = cs->closed = GRV_TIME_NONE;
	cs->feedback_at = GRV_TIME_NONE;
	cs->officer = cs->l1_officer = cs->resolver = -1;
	cs->dept = -1;
	cs->status = GRV_ST_NEW;
}

/* Whether one of the N faults of FL has CODE. */
static int
has(const struct grv_fault *fl, int n, int code)
{
	int i;

	for (i = 0; i < n && i < MAXFAULTS; i++)
		if (fl[i].code == code)
			return 1;
	return 0;
}

/* SPEC 7.2's pairing of a disputed call and its reopen (grv_rules_owed);
   EV NULL at the end of the file. */
static void
owed(struct chk *ch, const struct grv_cstate *cs, const struct grv_event *ev,
    unsigned long line, const char *const *f)
{
	struct grv_fault fl;
	unsigned long at;

	if (grv_rules_owed(&ch->ctx->conf, &ch->owed, cs, ev, line, &at,
	    &fl) != 0)
		fault(ch, at, &fl, f);
}

static void
event_row(struct chk *ch, unsigned long line)
{
	struct scan *s = ch->s;
	const char *f[GRV_E_NCOLS];
	struct grv_fault fl[MAXFAULTS], sf[8];
	struct grv_cstate *cs;
	struct grv_event ev;
	int nf, ns, i;

	memset(&ev, 0, sizeof(ev));
	fields(s, f, GRV_E_NCOLS);
	nf = grv_rules_event(&ch->ctx->conf, ch->m, f, s->flen, NULL, 0, &ev,
	    fl, MAXFAULTS);
	if (nf > 0 && fl[0].code == GRV_F_TS) {
		fault(ch, line, &fl[0], f);
		return;
	}
	cs = ev.n >= 1 && ev.n <= ch->n ? &ch->c[ev.n - 1] : NULL;
	ns = grv_rules_event_state(cs, &ev, ch->last_ts, sf, 8);
	/* In the order a person reads them: the time, the complaint, the
	   event, then the fields and the transition. */
	for (i = 0; i < ns; i++)
		if (sf[i].code == GRV_F_TIME_BACK) {
			sf[i].why = ch->last_tstxt;
			fault(ch, line, &sf[i], f);
		}
	ch->last_ts = ev.ts;
	snprintf(ch->last_tstxt, sizeof(ch->last_tstxt), "%s",
	    fv(s, GRV_E_TS));
	if (has(fl, nf, GRV_F_UNKNOWN) || has(sf, ns, GRV_F_UNKNOWN)) {
		finding(ch, line, "event for an unknown complaint '%s'",
		    fv(s, GRV_E_ID));
		return;
	}
	if (has(fl, nf, GRV_F_EVENT)) {
		fault(ch, line, &fl[nf - 1], f);
		return;
	}
	for (i = 0; i < ns; i++)
		if (sf[i].code == GRV_F_BEFORE_REG)
			fault(ch, line, &sf[i], f);
	for (i = 0; i < nf && i < MAXFAULTS; i++)
		fault(ch, line, &fl[i], f);
	for (i = 0; i < ns; i++)
		if (sf[i].code == GRV_F_REFUSED)
			fault(ch, line, &sf[i], f);
	/* Valid when written, its officer since deleted from the masters:
	   a warning, once a code, not damage (the fold reads on). */
	if (ev.officer == GRV_IX_GONE) {
		if (grv_map_get(&ch->gone, f[GRV_E_OFFICER]) == -1) {
			grv_map_put(&ch->gone, f[GRV_E_OFFICER], 1);
			ch->res->warnings++;
			fprintf(ch->out, "%s:%lu: warning: officer '%s' is no "
			    "longer in masters/officers.csv (retire with "
			    "active = 0)\n", s->rel, line, f[GRV_E_OFFICER]);
		}
		ev.officer = -1;
	}
	if (ev.dept == GRV_IX_GONE) {
		gone(ch, line, "department", "departments", f[GRV_E_DEPT]);
		ev.dept = -1;
	}
	if (ev.kind == GRV_EV_AMEND && ev.code == GRV_IX_GONE) {
		if (ev.reason == GRV_R_LOC)
			gone(ch, line, "location", "locations", f[GRV_E_NOTE]);
		else
			gone(ch, line, "category", "categories",
			    f[GRV_E_NOTE]);
		ev.code = -1;
	}
	owed(ch, cs, &ev, line, f);
	/* Apply it anyway, as the fold would: one bad row, one finding. */
	grv_state_apply(cs, &ev);
}

/* ---- one file ---- */

static void
row(struct chk *ch, int nl, int lng, uint64_t raw, const char *p,
    size_t len)
{
	struct scan *s = ch->s;
	size_t ncols = grv_ledger_ncols(s->kind);
	const char *crc;
	int torn = 0;

	if (s->mark_set && !s->mark_seen && s->off >= s->mark_off) {
		s->mark_seen = 1;
		s->before_mark = s->nfind;
		s->mark_line = s->lineno;
	}
	s->before_last = s->nfind;
	if (!nl) {
		finding(ch, s->lineno, "last line has no newline: a torn "
		    "write (%llu bytes at offset %llu); 'grv-check --repair' "
		    "moves it aside", (unsigned long long)raw,
		    (unsigned long long)s->off);
		s->last_torn = 1;
		return;
	}
	if (lng) {
		finding(ch, s->lineno, "line longer than %d bytes",
		    GRV_CSV_MAXREC);
		s->last_torn = 0;
		return;
	}
	if (s->lineno == 1) {
		const char *hdr = grv_ledger_header(s->kind);

		grv_buf_add(&s->prev, p, len);
		s->hdr_ok = len == strlen(hdr) && memcmp(p, hdr, len) == 0;
		if (!s->hdr_ok)
			finding(ch, 1, "header is not '%s'", hdr);
		return;
	}
	ch->res->rows++;
	if (memchr(p, '\r', len))
		finding(ch, s->lineno, "carriage return in a row (saved by "
		    "a spreadsheet?)");
	s->row_utf8 = 1;
	if (memchr(p, '\0', len))
		finding(ch, s->lineno, "NUL byte in a row");
	else if (!grv_utf8_valid(p, len))
		finding(ch, s->lineno, "not valid UTF-8");
	else
		s->row_utf8 = 0;
	if (grv_chain_verify(s->prev.s, s->prev.len, p, len) == -1) {
		finding(ch, s->lineno, "crc does not match the chain: this "
		    "row was changed, or one before it deleted or moved");
		torn = 1;
	}
	grv_buf_reset(&s->prev);
	if ((crc = grv_row_crc(p, len)) != NULL)
		grv_buf_add(&s->prev, crc, 8);
	else
		grv_buf_add(&s->prev, "", 0);
	if (split(s, p, len) == -1) {
		finding(ch, s->lineno, "malformed CSV (a quote inside an "
		    "unquoted field, or an unterminated quote)");
		torn = 1;
	} else if (s->nf != ncols) {
		finding(ch, s->lineno, "%zu fields, expected %zu", s->nf,
		    ncols);
		torn = 1;
	} else if (s->hdr_ok) {
		if (s->kind == GRV_COMPLAINTS)
			complaint_row(ch, s->lineno);
		else if (s->kind == GRV_EVENTS)
			event_row(ch, s->lineno);
		else
			correction_row(ch, s->lineno);
	}
	s->last_torn = torn;
}

/*
 * Scan one file: FD >= 0 is an open live file (read through a dup), else
 * DIR/REL is opened.  Leaves the scan's tail diagnosis in S.
 */
static int
scan_file(struct chk *ch, struct scan *s, int fd)
{
	struct lines l = { NULL, NULL, 0, 0, 0, NULL };
	struct grv_buf full = GRV_BUF_INIT;
	uint64_t raw;
	int nl, lng, k, e, rc = 0;

	ch->s = s;
	ch->res->files++;
	if (fd >= 0) {
		int d = dup(fd);

		l.gz = d == -1 ? NULL : gzdopen(d, "rb");
		if (l.gz == NULL && d != -1)
			close(d);
	} else {
		grv_buf_printf(&full, "%s/%s", ch->ctx->dir, s->rel);
		l.gz = gzopen(full.s, "rb");
		grv_buf_release(&full);
	}
	if (l.gz == NULL) {
		grv_err("%s: %s", s->rel, errno ? strerror(errno) :
		    "cannot open");
		return GRV_EX_IOERR;
	}
	l.buf = grv_malloc(LBUF);
	ch->owed.n = 0;
	csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_space_func(&s->p, no_space);
	while ((k = lines_next(&l, &s->line, &raw, &nl, &lng)) == 1) {
		s->lineno++;
		s->last_off = s->off;
		row(ch, nl, lng, raw, s->line.s, s->line.len);
		s->off += raw;
	}
	if (k == -1) {
		grv_err("%s:%lu: %s", s->rel, s->lineno + 1, strerror(errno));
		rc = GRV_EX_IOERR;
	}
	if (k == -2) {
		finding(ch, s->lineno + 1, "damaged gzip stream (%s)", l.bad);
		gzclose(l.gz);
	} else if ((e = gzclose(l.gz)) != Z_OK && rc == 0) {
		if (e == Z_BUF_ERROR)
			finding(ch, 0, "truncated gzip stream");
		else {
			grv_err("%s: read error", s->rel);
			rc = GRV_EX_IOERR;
		}
	}
	/* A live file of 0 bytes is a ledger whose creator failed before its
	   header: nothing was in it, and the next writer gives it one. */
	if (rc == 0 && k != -2 && s->lineno == 0 && !s->live)
		finding(ch, 0, "empty file, no header");
	if (rc == 0 && s->kind == GRV_EVENTS)
		owed(ch, NULL, NULL, 0, NULL);	/* the file ends owing */
	free(l.buf);
	csv_free(&s->p);
	return rc;
}

static void
scan_release(struct scan *s)
{
	grv_buf_release(&s->prev);
	grv_buf_release(&s->line);
	grv_buf_release(&s->fld);
}

/* ---- repair ---- */

/* Move bytes [S->last_off, S->size) of FD to ledger/NAME.torn, then
 * truncate FD there (and give a torn header back its header). */
static int
repair_tail(struct chk *ch, struct scan *s, int fd, const char *head,
    const char *what)
{
	const char *name = grv_ledger_name(s->kind);
	struct grv_buf b = GRV_BUF_INIT, path = GRV_BUF_INIT;
	uint64_t at = s->last_off, n = s->size - at;
	char ts[GRV_TSLEN];
	ssize_t r;
	int tfd = -1, rc = GRV_EX_IOERR;

	grv_ctx_ts(ch->ctx, ch->ctx->now, ts);
	grv_buf_printf(&b, "# %s of %s: %llu bytes at offset %llu "
	    "(line %lu), moved by grv-check --repair at %s\n", head, s->rel,
	    (unsigned long long)n, (unsigned long long)at, s->lineno, ts);
	grv_buf_grow(&b, (size_t)n + 1);
	r = n ? pread(fd, b.s + b.len, (size_t)n, (off_t)at) : 0;
	if (r < 0 || (uint64_t)r != n) {
		grv_err("%s: read: %s", s->rel, r < 0 ? strerror(errno) :
		    "file shrank");
		goto out;
	}
	b.len += (size_t)n;
	if (n && b.s[b.len - 1] != '\n')
		grv_buf_addc(&b, '\n');
	grv_buf_printf(&path, "%s/ledger/%s.torn", ch->ctx->dir, name);
	/* It holds rows of personal data: nothing for "other" (SPEC 7.1),
	   and never written through a symbolic link. */
	if ((tfd = open(path.s, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0660)) == -1 || grv_write_all(tfd, b.s, b.len) == -1 ||
	    fsync(tfd) == -1) {
		if (errno == ELOOP)
			rc = GRV_EX_CANTCREAT;
		grv_err("ledger/%s.torn: %s; the ledger is left as it was",
		    name, errno == ELOOP ? "a symbolic link; grv writes "
		    "nothing through it" : strerror(errno));
		goto out;
	}
	if (close(tfd) == -1) {
		tfd = -1;
		grv_err("ledger/%s.torn: %s; the ledger is left as it was",
		    name, strerror(errno));
		goto out;
	}
	tfd = -1;
	grv_buf_reset(&b);
	if (at == 0)
		grv_buf_printf(&b, "%s\n", grv_ledger_header(s->kind));
	if (ftruncate(fd, (off_t)at) == -1 ||
	    (b.len && pwrite(fd, b.s, b.len, 0) != (ssize_t)b.len) ||
	    fsync(fd) == -1) {
		grv_err("%s: truncate: %s", s->rel, strerror(errno));
		goto out;
	}
	fprintf(ch->out, "%s:%lu: repaired: %s (%llu bytes at offset %llu) "
	    "moved to ledger/%s.torn; the ledger now ends at its last good "
	    "row\n", s->rel, s->lineno, what, (unsigned long long)n,
	    (unsigned long long)at, name);
	ch->res->repaired++;
	rc = 0;
out:
	if (tfd != -1)
		close(tfd);
	grv_buf_release(&b);
	grv_buf_release(&path);
	return rc;
}

/* ---- the directory ---- */

/* Open and lock the live ledger/NAME.csv: 0 (FD -1 when it is missing) or
 * an exit code. */
static int
open_live(struct chk *ch, enum grv_ledger_kind k, int repair, int *fd)
{
	struct grv_buf path = GRV_BUF_INIT;
	const char *name = grv_ledger_name(k);
	int rc;

	grv_buf_printf(&path, "%s/ledger/%s.csv", ch->ctx->dir, name);
	if (repair && (rc = grv_refuse_link(ch->ctx->dir, "ledger")) != 0) {
		grv_buf_release(&path);
		return rc;
	}
	*fd = open(path.s, (repair ? O_RDWR | O_NOFOLLOW : O_RDONLY) |
	    O_CLOEXEC);
	grv_buf_release(&path);
	if (*fd == -1) {
		if (errno == ENOENT)
			return 0;
		if (errno == ELOOP) {
			grv_err("ledger/%s.csv: a symbolic link; grv writes "
			    "nothing through it", name);
			return GRV_EX_CANTCREAT;
		}
		grv_err("ledger/%s.csv: %s", name, strerror(errno));
		return GRV_EX_IOERR;
	}
	grv_buf_printf(&path, "ledger/%s.csv", name);
	rc = grv_ledger_flock(*fd, repair ? LOCK_EX : LOCK_SH, ch->ctx->wait,
	    path.s, "another process");
	grv_buf_release(&path);
	if (rc != 0) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* The sealed segments, then the live file, of one ledger. */
static int
check_ledger(struct chk *ch, enum grv_ledger_kind k, int fd, int repair)
{
	const char *name = grv_ledger_name(k);
	struct grv_buf rel = GRV_BUF_INIT;
	struct grv_segments sg;
	size_t i;
	int rc = 0, pst = GRV_PENDING_NONE, hwmbad = 0;
	uint64_t at = 0, len = 0, floor = 0;
	struct grv_hwm h = GRV_HWM_INIT;
	struct grv_buf why = GRV_BUF_INIT;
	struct stat lsb;

	/* Shorter, missing or replaced: damage no repair may touch. */
	if (grv_hwm_vouch(ch->ctx->dir, k, fd != -1 && fstat(fd, &lsb) == 0 ?
	    &lsb : NULL, &h, &why) == GRV_HWM_DAMAGED) {
		hwmbad = 1;
		ch->res->findings++;
		grv_setrc(&ch->rc, GRV_EX_DATAERR);
		if (why.len)
			fprintf(ch->out, "%s\n", why.s);
	}
	if (h.present && h.live.name)
		floor = h.live.size;
	grv_hwm_release(&h);
	grv_buf_release(&why);

	grv_ledger_segments(ch->ctx->dir, name, &sg);
	for (i = 0; i < sg.n && rc == 0; i++) {
		struct scan s = { 0 };

		s.rel = sg.rel[i];
		s.kind = k;
		rc = scan_file(ch, &s, -1);
		scan_release(&s);
	}
	grv_segments_release(&sg);
	if (rc == 0 && fd != -1) {
		struct scan s = { 0 };
		struct stat sb;

		grv_buf_printf(&rel, "ledger/%s.csv", name);
		s.rel = rel.s;
		s.kind = k;
		s.live = 1;
		if (fstat(fd, &sb) == -1) {
			grv_err("%s: %s", s.rel, strerror(errno));
			rc = GRV_EX_IOERR;
		} else {
			s.size = (uint64_t)sb.st_size;
			pst = grv_pending_state(ch->ctx->dir, k, s.size, &at,
			    &len);
			if (pst == GRV_PENDING_CUT && at < s.size) {
				s.mark_set = 1;
				s.mark_off = at;
			}
			rc = scan_file(ch, &s, fd);
		}
		ch->s = &s;
		if (rc == 0 && pst == GRV_PENDING_BAD)
			finding(ch, 0, "ledger/.%s.pending: the marker of an "
			    "append is unreadable", name);
		if (rc == 0 && pst == GRV_PENDING_CUT) {
			if (!s.mark_seen) {
				s.before_mark = s.nfind;
				s.mark_line = s.lineno;
			}
			finding(ch, s.mark_line, "an append was cut short (a "
			    "writer killed mid-write): %llu of its %llu bytes "
			    "at offset %llu reached the file; 'grv-check "
			    "--repair' moves them aside",
			    (unsigned long long)(s.size - at),
			    (unsigned long long)len, (unsigned long long)at);
		}
		if (rc == 0 && repair && (hwmbad || (pst == GRV_PENDING_CUT ?
		    at : s.last_off) < floor) && (s.last_torn ||
		    pst == GRV_PENDING_CUT)) {
			/* The rows there are ones grv wrote and synced. */
			finding(ch, 0, "--repair cuts nothing that grv "
			    "wrote (the high-water mark is at byte %llu)",
			    (unsigned long long)floor);
		} else if (rc == 0 && repair && pst == GRV_PENDING_CUT &&
		    s.mark_seen && s.before_mark == 0) {
			/* Everything wrong is the cut append: take it back
			   whole, as if it had never begun. */
			s.last_off = at;
			s.lineno = s.mark_line;
			rc = repair_tail(ch, &s, fd, "cut append",
			    "the part of an append cut short");
			if (rc == 0) {
				ch->res->repaired += s.nfind - s.before_mark - 1;
				grv_pending_clear(ch->ctx->dir, k);
			}
		} else if (rc == 0 && repair && pst != GRV_PENDING_CUT &&
		    s.last_torn && s.before_last == 0)
			/* The only damage is the last line: the safe repair. */
			rc = repair_tail(ch, &s, fd, "torn tail",
			    "the torn last line");
		if (rc == 0 && repair && pst == GRV_PENDING_DONE)
			grv_pending_clear(ch->ctx->dir, k);	/* stale */
		scan_release(&s);
	}
	grv_buf_release(&rel);
	return rc;
}

/* The masters' cross-checks, their messages moved from stderr to OUT. */
static int
check_masters(struct chk *ch)
{
	const char *pfx = grv_progname;
	size_t plen = strlen(pfx), cap = 0;
	char *line = NULL;
	ssize_t n;
	struct grv_grading g;
	struct grv_tmpls ts = GRV_TMPLS_INIT;
	struct grv_buf tpath = GRV_BUF_INIT;
	struct stat sb;
	FILE *tmp;
	int saved = -1, rc, trc;

	fflush(stderr);
	if ((tmp = tmpfile()) != NULL && (saved = dup(STDERR_FILENO)) != -1)
		dup2(fileno(tmp), STDERR_FILENO);
	rc = grv_masters_load(&ch->ctx->m, ch->ctx->dir, &ch->ctx->conf);
	/* The grading formula, by the parser grv-report uses. */
	if (grv_grading_load(&g, ch->ctx->dir) != 0)
		grv_setrc(&ch->rc, GRV_EX_DATAERR);
	/* The messages, by grv-notify's own load (against the masters: a
	   placeholder's longest value is a name they hold); none is fine. */
	grv_buf_printf(&tpath, "%s/masters/templates.csv", ch->ctx->dir);
	if (rc == 0 && (stat(tpath.s, &sb) == 0 || errno != ENOENT)) {
		if ((trc = grv_tmpls_load(&ts, ch->ctx,
		    ch->ctx->conf.sms_max_parts)) != 0)
			grv_setrc(&ch->rc, trc);
		grv_tmpls_release(&ts);
	}
	grv_buf_release(&tpath);
	fflush(stderr);
	if (saved != -1) {
		dup2(saved, STDERR_FILENO);
		close(saved);
		rewind(tmp);
		while ((n = getline(&line, &cap, tmp)) > 0) {
			const char *p = line;

			if ((size_t)n > plen + 2 && memcmp(p, pfx, plen) == 0 &&
			    p[plen] == ':' && p[plen + 1] == ' ')
				p += plen + 2;
			fputs(p, ch->out);
			ch->res->findings++;
		}
		free(line);
	}
	if (tmp)
		fclose(tmp);
	ch->ctx->loaded = 1;
	return rc;
}

int
grv_check(struct grv_ctx *ctx, FILE *out, int repair,
    struct grv_check_result *res)
{
	struct chk ch;
	int fd[3] = { -1, -1, -1 }, rc, mrc, k;

	memset(&ch, 0, sizeof(ch));
	memset(res, 0, sizeof(*res));
	ch.ctx = ctx;
	ch.out = out;
	ch.res = res;
	ch.last_ts = ch.xlast_ts = GRV_TIME_NONE;
	mrc = check_masters(&ch);
	if (mrc == 0)
		ch.m = &ctx->m;
	else
		grv_setrc(&ch.rc, mrc == GRV_EX_NOINPUT ? GRV_EX_DATAERR : mrc);
	/* Both live files locked at once (complaints first, the order the
	   writers use), so events never name a complaint we have not read. */
	if ((rc = open_live(&ch, GRV_COMPLAINTS, repair, &fd[0])) != 0 ||
	    (rc = open_live(&ch, GRV_EVENTS, repair, &fd[1])) != 0 ||
	    (rc = open_live(&ch, GRV_CORRECTIONS, repair, &fd[2])) != 0)
		goto out;
	if ((rc = check_ledger(&ch, GRV_COMPLAINTS, fd[0], repair)) != 0 ||
	    (rc = check_ledger(&ch, GRV_EVENTS, fd[1], repair)) != 0 ||
	    (rc = check_ledger(&ch, GRV_CORRECTIONS, fd[2], repair)) != 0)
		goto out;
	rc = ch.rc;
	if (rc == GRV_EX_DATAERR && res->repaired == res->findings)
		rc = 0;
	/* Clean, with the ledgers ours: what grv last saw is this. */
	if (rc == 0 && repair && mrc == 0)
		for (k = 0; k < 3; k++)
			if (fd[k] != -1 && grv_hwm_adopt(ctx->dir,
			    (enum grv_ledger_kind)k, fd[k]) == -1)
				rc = GRV_EX_IOERR;
	if (mrc == GRV_EX_NOINPUT)
		rc = GRV_EX_NOINPUT;
out:
	if (fd[0] != -1)
		close(fd[0]);
	if (fd[1] != -1)
		close(fd[1]);
	if (fd[2] != -1)
		close(fd[2]);
	free(ch.c);
	grv_map_release(&ch.gone);
	grv_map_release(&ch.gone_locs);
	return rc;
}
