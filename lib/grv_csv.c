/* grv_csv.c: streaming CSV reading over libcsv and zlib. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

#include "grv_ahead.h"
#include "grv_alloc.h"
#include "grv_buf.h"

#include "grv_csv.h"
#include "grv_msg.h"

#define RDBUF	(256 * 1024)

struct grv_csv_reader {
	char		*path;
	gzFile		 gz;
	unsigned	 flags;
	struct csv_parser p;
	char		*buf;		/* read buffer */
	size_t		 bpos, blen;
	int		 eof;
	struct grv_buf	 rec;		/* raw bytes of the current record */
	struct grv_buf	 fld;		/* field bytes, NUL-separated */
	struct grv_buf	 lbuf;		/* the physical line being read */
	struct grv_buf	 qbuf;		/* a quoted field, unescaped */
	size_t		*foff;		/* field offsets into fld */
	size_t		*flen;
	char		**f;
	size_t		 nf, fcap;
	int		 done;		/* libcsv ended a record */
	int		 toolong;
	int		 ioerr;
	unsigned long	 line;		/* lines consumed so far */
	uint64_t	 off;		/* bytes consumed so far */
	struct grv_csv_row row;
	char		*full;		/* path to open again, or NULL */
	struct grv_ahead *ah;		/* reading ahead (grv_ahead.c), or NULL */
	int		 ah_tried;
	grv_csv_prep_fn	 prep;
	size_t		 prepsz;
	void		*preparg;
	int		 member;	/* opened at a gzip member */
};

static void
cb_field(void *s, size_t n, void *data)
{
	struct grv_csv_reader *r = data;

	if (r->nf == r->fcap) {
		r->fcap = r->fcap ? r->fcap * 2 : 16;
		r->foff = grv_reallocarray(r->foff, r->fcap, sizeof(*r->foff));
		r->flen = grv_reallocarray(r->flen, r->fcap, sizeof(*r->flen));
		r->f = grv_reallocarray(r->f, r->fcap, sizeof(*r->f));
	}
	r->foff[r->nf] = r->fld.len;
	r->flen[r->nf] = n;
	/* Copy out (libcsv reuses its buffer for the next field), NUL
	   after: this runs for every field of every row. */
	if (r->fld.len + n + 1 >= r->fld.cap)
		grv_buf_grow(&r->fld, n + 1);
	if (s && n)
		memcpy(r->fld.s + r->fld.len, s, n);
	r->fld.len += n;
	r->fld.s[r->fld.len++] = '\0';
	r->nf++;
}

/* libcsv trims blanks around unquoted fields unless told nothing is one. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
cb_record(int c, void *data)
{
	struct grv_csv_reader *r = data;

	(void)c;
	r->done = 1;
}

static struct grv_csv_reader *reader_new(gzFile, const char *, char *,
	    unsigned);

struct grv_csv_reader *
grv_csv_open(const char *dir, const char *rel, unsigned flags)
{
	struct grv_buf full = GRV_BUF_INIT;
	const char *path = rel;
	gzFile gz;
	int fd, e;

	if (dir && strcmp(rel, "-") != 0) {
		grv_buf_printf(&full, "%s/%s", dir, rel);
		errno = 0;
		gz = gzopen(full.s, "rb");
		e = errno;
		if (gz == NULL) {
			grv_err("%s: %s", rel, e ? strerror(e) :
			    "cannot open");
			grv_buf_release(&full);
			errno = e;
			return NULL;
		}
	} else if (strcmp(path, "-") == 0) {
		if ((fd = dup(STDIN_FILENO)) == -1 ||
		    (gz = gzdopen(fd, "rb")) == NULL) {
			grv_err("standard input: %s", strerror(errno));
			return NULL;
		}
		path = "standard input";
	} else if ((gz = gzopen(path, "rb")) == NULL) {
		e = errno;
		grv_err("%s: %s", path, e ? strerror(e) : "cannot open");
		errno = e;
		return NULL;
	}
	return reader_new(gz, path, full.s, flags);
}

struct grv_csv_reader *
grv_csv_open_member(const char *dir, const char *rel, unsigned flags,
    uint64_t coff)
{
	struct grv_csv_reader *r;
	struct grv_buf full = GRV_BUF_INIT;
	gzFile gz = NULL;
	int fd, e;

	grv_buf_printf(&full, "%s/%s", dir, rel);
	if ((fd = open(full.s, O_RDONLY | O_CLOEXEC)) == -1 ||
	    lseek(fd, (off_t)coff, SEEK_SET) == -1 ||
	    (gz = gzdopen(fd, "rb")) == NULL) {
		e = errno;
		grv_err("%s: %s", rel, e ? strerror(e) : "cannot open");
		if (fd != -1)
			close(fd);
		grv_buf_release(&full);
		errno = e;
		return NULL;
	}
	grv_buf_release(&full);
	/* No reading ahead: that would open the file again at its start. */
	r = reader_new(gz, rel, NULL, flags);
	r->member = 1;
	return r;
}

/* A reader of GZ, named PATH, FULL (malloc'd, or NULL) its path to open
   again for reading ahead. */
static struct grv_csv_reader *
reader_new(gzFile gz, const char *path, char *full, unsigned flags)
{
	struct grv_csv_reader *r;

	/* (zlib reads a request of the buffer's size or more straight into
	   the caller's buffer: a small one costs a seeking reader nothing.) */
	gzbuffer(gz, flags & (GRV_CSV_POINT | GRV_CSV_SEEK) ? 4096 :
	    128 * 1024);
	r = grv_calloc(1, sizeof(*r));
	r->path = grv_strdup(path);
	r->full = full;			/* NULL unless DIR/REL */
	r->gz = gz;
	r->flags = flags;
	r->buf = grv_malloc(RDBUF);
	/* STRICT_FINI: a quoted field still open at end of input is an error
	   for csv_fini too, not a field. */
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
	    CSV_REPALL_NL);
	/* Keep spaces: a field's bytes are its bytes.  (NULL would mean
	   libcsv's default, which trims spaces and tabs.) */
	csv_set_space_func(&r->p, no_space);
	return r;
}

int
grv_csv_seek(struct grv_csv_reader *r, uint64_t off, unsigned long line)
{
	if (r->ah)
		return -1;
	/* A gzip file is read from its start, or from the member a reader
	   was opened at, skipping forward as zlib inflates. */
	if (gzdirect(r->gz) == 0 && off != 0 && !r->member)
		return -1;
	if (gzseek(r->gz, (z_off_t)off, SEEK_SET) == -1)
		return -1;
	r->bpos = r->blen = 0;
	r->eof = 0;
	r->off = off;
	r->line = line ? line - 1 : 0;
	return 0;
}

const char *
grv_csv_path(const struct grv_csv_reader *r)
{
	return r->path;
}

int
grv_csv_ioerror(const struct grv_csv_reader *r)
{
	return r->ioerr;
}

static int
fill(struct grv_csv_reader *r)
{
	int n, errnum;
	const char *msg;

	if (r->eof)
		return 0;
	/* A point reader wants one row: a page, not a buffer full. */
	n = gzread(r->gz, r->buf, r->flags & GRV_CSV_POINT ? 4096 : RDBUF);
	if (n < 0) {
		/* Only a failed read(2) is an I/O error; a gzip header,
		   stream or trailer that is not one is damaged data. */
		msg = gzerror(r->gz, &errnum);
		if (errnum == Z_ERRNO) {
			grv_err("%s: %s", r->path, strerror(errno));
			r->ioerr = 1;
		} else
			grv_err("%s: damaged gzip stream (%s)", r->path, msg);
		return -1;
	}
	if (n == 0)
		r->eof = 1;
	r->bpos = 0;
	r->blen = (size_t)n;
	return n;
}

/*
 * Read one physical line into LINE (without its newline).  Returns 1 with
 * *nl telling whether a newline ended it, 0 at end of file, -1 on error.
 */
static int
getline_raw(struct grv_csv_reader *r, struct grv_buf *line, char **s,
    size_t *len, int *nl)
{
	char *p;
	size_t n;
	int got = 0;

	grv_buf_reset(line);
	grv_buf_grow(line, 0);
	*nl = 0;
	for (;;) {
		if (r->bpos == r->blen) {
			int k = fill(r);

			if (k < 0)
				return -1;
			if (k == 0) {
				*s = line->s;
				*len = line->len;
				return got || line->len ? 1 : 0;
			}
		}
		got = 1;
		p = memchr(r->buf + r->bpos, '\n', r->blen - r->bpos);
		n = p ? (size_t)(p - (r->buf + r->bpos)) : r->blen - r->bpos;
		if (p && line->len == 0 && n <= GRV_CSV_MAXREC) {
			/* The whole line is in the buffer: no copy.  It stays
			   there until the next call refills the buffer. */
			*s = r->buf + r->bpos;
			*len = n;
			r->bpos = (size_t)(p - r->buf) + 1;
			*nl = 1;
			return 1;
		}
		if (line->len + n > GRV_CSV_MAXREC) {
			r->toolong = 1;
			n = line->len < GRV_CSV_MAXREC ?
			    GRV_CSV_MAXREC - line->len : 0;
		}
		grv_buf_add(line, r->buf + r->bpos, n);
		if (p) {
			r->bpos = (size_t)(p - r->buf) + 1;
			*nl = 1;
			*s = line->s;
			*len = line->len;
			return 1;
		}
		r->bpos = r->blen;
	}
}


/* ---- reading ahead ---- */

static int	 next_seq(struct grv_csv_reader *, struct grv_csv_row **);

void
grv_csv_set_prep(struct grv_csv_reader *r, grv_csv_prep_fn fn, size_t size,
    void *arg)
{
	r->prep = fn;
	r->prepsz = size;
	r->preparg = arg;
}

const void *
grv_csv_peek_prep(const struct grv_csv_reader *r, size_t k)
{
	return r->ah ? grv_ahead_peek(r->ah, k) : NULL;
}

/*
 * A plain ledger file (GRV_CSV_LEDGER, not gzip) of some size is read
 * ahead on the other cores (grv_ahead.c) from where the reader stands.
 */
static void
ahead_start(struct grv_csv_reader *r)
{
	r->ah_tried = 1;
	if (!(r->flags & GRV_CSV_LEDGER) || (r->flags & GRV_CSV_POINT) ||
	    r->full == NULL || r->bpos != r->blen || gzdirect(r->gz) == 0)
		return;
	r->ah = grv_ahead_start(r->full, r->off, r->line, r->prep, r->prepsz,
	    r->preparg);
}

/*
 * The next row read ahead: 1 with *rowp set, or 0 when reading ahead
 * stopped, the reader positioned at the first line it did not hand out.
 */
static int
ahead_next(struct grv_csv_reader *r, struct grv_csv_row **rowp)
{
	uint64_t off;
	unsigned long line;

	if (grv_ahead_next(r->ah, &r->row) == 1) {
		r->line = r->row.line;
		r->off = r->row.end;
		*rowp = &r->row;
		return 1;
	}
	grv_ahead_where(r->ah, &off, &line);
	grv_ahead_stop(r->ah);
	r->ah = NULL;
	if (gzseek(r->gz, (z_off_t)off, SEEK_SET) == -1) {
		grv_err("%s: cannot seek to %llu", r->path,
		    (unsigned long long)off);
		r->ioerr = 1;
		return -1;
	}
	r->bpos = r->blen = 0;
	r->eof = 0;
	r->off = off;
	r->line = line;
	return 0;
}

int
grv_csv_next(struct grv_csv_reader *r, struct grv_csv_row **rowp)
{
	int k;

	if (!r->ah_tried)
		ahead_start(r);
	if (r->ah && (k = ahead_next(r, rowp)) != 0)
		return k;
	return next_seq(r, rowp);
}

/* The sequential reader: the whole story, libcsv included. */
static int
next_seq(struct grv_csv_reader *r, struct grv_csv_row **rowp)
{
	struct grv_buf line = r->lbuf;	/* kept: no malloc per row */
	unsigned long start;
	uint64_t off0;
	size_t i;
	char *ls = NULL;		/* the line: in the read buffer or LINE */
	size_t ll = 0, rawlen = 0;
	const char *raw = NULL;
	int nl, k, fast, rc = -1;

	r->nf = 0;
	r->done = 0;
	r->toolong = 0;
	grv_buf_reset(&r->fld);
	grv_buf_reset(&r->rec);
	start = r->line + 1;
	off0 = r->off;
	while (!r->done) {
		k = getline_raw(r, &line, &ls, &ll, &nl);
		if (k < 0)
			goto out;
		if (k == 0) {
			if (r->rec.len == 0 && r->line + 1 == start) {
				rc = 0;
				goto out;
			}
			/* Input ended inside a quoted field. */
			grv_err("%s:%lu: unterminated quoted field", r->path,
			    start);
			goto out;
		}
		r->line++;
		r->off += ll + (size_t)nl;
		if (r->toolong) {
			grv_err("%s:%lu: record longer than %d bytes", r->path,
			    start, GRV_CSV_MAXREC);
			goto out;
		}
		if (r->line == 1 && (r->flags & GRV_CSV_INPUT) &&
		    ll >= 3 && memcmp(ls, "\xef\xbb\xbf", 3) == 0) {
			memmove(ls, ls + 3, ll - 3);
			ll -= 3;
		}
		if (ll && ls[ll - 1] == '\r') {
			if (r->flags & GRV_CSV_INPUT)
				ll--;
		}
		if ((r->flags & GRV_CSV_LEDGER) && memchr(ls, '\r',
		    ll)) {
			grv_err("%s:%lu: carriage return inside a ledger row",
			    r->path, r->line);
			goto out;
		}
		if ((r->flags & GRV_CSV_LEDGER) && !nl) {
			grv_err("%s:%lu: last line has no newline "
			    "(torn write?)", r->path, r->line);
			goto out;
		}
		if (memchr(ls, '\0', ll)) {
			grv_err("%s:%lu: NUL byte in input", r->path, r->line);
			goto out;
		}
		fast = 0;
		if (r->line == start && nl) {
			/* A record on its own line is split without libcsv;
			   whatever the splitter cannot decide goes to libcsv
			   (tests/unit/test_csv_fast.c holds them equal).  Its
			   raw bytes are the line's, not copied. */
			if (grv_csv_split(ls, ll, &r->qbuf, cb_field,
			    r) > 0) {
				fast = r->done = 1;
				raw = ls;
				rawlen = ll;
			} else {
				r->nf = 0;
				grv_buf_reset(&r->fld);
			}
		}
		if (!fast) {
			if (r->rec.len || r->line != start)
				grv_buf_addc(&r->rec, '\n');
			grv_buf_add(&r->rec, ls, ll);
		}
		if (!fast && csv_parse(&r->p, ls, ll, cb_field,
		    cb_record, r) != ll) {
			grv_err("%s:%lu: malformed CSV (%s)", r->path, r->line,
			    csv_error(&r->p) == CSV_EPARSE ?
			    "a quote inside an unquoted field, or text after "
			    "a closing quote" : csv_strerror(csv_error(&r->p)));
			goto out;
		}
		if (fast)
			;
		else if (nl) {
			if (csv_parse(&r->p, "\n", 1, cb_field, cb_record,
			    r) != 1) {
				grv_err("%s:%lu: malformed CSV", r->path,
				    r->line);
				goto out;
			}
		} else if (!r->done) {
			/* Last line without a newline: finish the record. */
			if (csv_fini(&r->p, cb_field, cb_record, r) != 0) {
				grv_err("%s:%lu: unterminated quoted field",
				    r->path, start);
				goto out;
			}
			r->done = 1;
		}
		if (!r->done && (r->flags & GRV_CSV_LEDGER)) {
			grv_err("%s:%lu: quoted field runs past the end of "
			    "the line", r->path, start);
			goto out;
		}
		if (r->rec.len > GRV_CSV_MAXREC) {
			grv_err("%s:%lu: record longer than %d bytes", r->path,
			    start, GRV_CSV_MAXREC);
			goto out;
		}
	}
	for (i = 0; i < r->nf; i++)
		r->f[i] = r->fld.s + r->foff[i];
	r->row.nf = r->nf;
	r->row.f = r->f;
	r->row.flen = r->flen;
	if (raw == NULL) {
		raw = r->rec.s ? r->rec.s : "";
		rawlen = r->rec.len;
	}
	r->row.raw = raw;
	r->row.rawlen = rawlen;
	r->row.chained = 0;
	r->row.prep = NULL;
	r->row.line = start;
	r->row.off = off0;
	r->row.end = r->off;
	*rowp = &r->row;
	rc = 1;
out:
	r->lbuf = line;
	return rc;
}

int
grv_csv_split(const char *s, size_t len, struct grv_buf *tmp,
    void (*field)(void *bytes, size_t n, void *arg), void *arg)
{
	const char *p = s, *end = s + len, *c, *q;
	int nf = 0;

	if (len == 0 || memchr(s, '\r', len))
		return -1;
	if (memchr(s, '"', len) == NULL) {
		/* No quote at all: every comma ends a field (fields are
		   short: a loop beats a memchr call per field). */
		for (;;) {
			for (q = p; q < end && *q != ','; q++)
				;
			field((void *)p, (size_t)(q - p), arg);
			nf++;
			if (q == end)
				return nf;
			p = q + 1;
		}
	}
	for (;;) {
		if (p < end && *p == '"') {
			/* Quoted: "" is a quote; the closing quote must end
			   the field. */
			grv_buf_reset(tmp);
			grv_buf_grow(tmp, 1);
			for (p++;; p = q + 2) {
				if ((q = memchr(p, '"', (size_t)(end - p))) ==
				    NULL)
					return -1;
				grv_buf_add(tmp, p, (size_t)(q - p));
				if (q + 1 == end || q[1] != '"')
					break;
				grv_buf_addc(tmp, '"');
			}
			p = q + 1;
			if (p < end && *p != ',')
				return -1;
			field(tmp->s, tmp->len, arg);
		} else {
			c = memchr(p, ',', (size_t)(end - p));
			q = c ? c : end;
			if (memchr(p, '"', (size_t)(q - p)))
				return -1;
			field((void *)p, (size_t)(q - p), arg);
			p = q;
		}
		nf++;
		if (p == end)
			return nf;
		p++;			/* the comma */
	}
}

int
grv_csv_close(struct grv_csv_reader *r)
{
	int rc = 0, e;

	if (r == NULL)
		return 0;
	grv_ahead_stop(r->ah);
	free(r->full);
	if ((e = gzclose(r->gz)) != Z_OK) {
		grv_err("%s: %s", r->path, e == Z_BUF_ERROR ?
		    "truncated gzip stream" : "read error on close");
		rc = -1;
	}
	csv_free(&r->p);
	grv_buf_release(&r->rec);
	grv_buf_release(&r->fld);
	grv_buf_release(&r->lbuf);
	grv_buf_release(&r->qbuf);
	free(r->foff);
	free(r->flen);
	free(r->f);
	free(r->buf);
	free(r->path);
	free(r);
	return rc;
}

size_t
grv_csv_header_map(const struct grv_csv_row *hdr, const char *const *names,
    int *idx)
{
	size_t i, j, found = 0;

	for (i = 0; names[i]; i++) {
		idx[i] = -1;
		for (j = 0; j < hdr->nf; j++)
			if (strcmp(hdr->f[j], names[i]) == 0) {
				idx[i] = (int)j;
				found++;
				break;
			}
	}
	return found;
}
