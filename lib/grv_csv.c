/* grv_csv.c: streaming CSV reading over libcsv and zlib, and writing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

#include "grv_csv.h"

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
	/* Copy out: libcsv reuses its buffer for the next field. */
	grv_buf_add(&r->fld, s ? s : "", s ? n : 0);
	grv_buf_addc(&r->fld, '\0');
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

struct grv_csv_reader *
grv_csv_open(const char *dir, const char *rel, unsigned flags)
{
	struct grv_csv_reader *r;
	struct grv_buf full = GRV_BUF_INIT;
	const char *path = rel;
	gzFile gz;
	int fd, e;

	if (dir && strcmp(rel, "-") != 0) {
		grv_buf_printf(&full, "%s/%s", dir, rel);
		errno = 0;
		gz = gzopen(full.s, "rb");
		e = errno;
		grv_buf_release(&full);
		if (gz == NULL) {
			grv_err("%s: %s", rel, e ? strerror(e) :
			    "cannot open");
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
	gzbuffer(gz, 128 * 1024);
	r = grv_calloc(1, sizeof(*r));
	r->path = grv_strdup(path);
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
	if (gzdirect(r->gz) == 0 && off != 0)
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
	n = gzread(r->gz, r->buf, RDBUF);
	if (n < 0) {
		msg = gzerror(r->gz, &errnum);
		grv_err("%s: %s", r->path, errnum == Z_ERRNO ?
		    strerror(errno) : msg);
		r->ioerr = 1;
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
getline_raw(struct grv_csv_reader *r, struct grv_buf *line, int *nl)
{
	char *p;
	size_t n;
	int got = 0;

	grv_buf_reset(line);
	*nl = 0;
	for (;;) {
		if (r->bpos == r->blen) {
			int k = fill(r);

			if (k < 0)
				return -1;
			if (k == 0)
				return got || line->len ? 1 : 0;
		}
		got = 1;
		p = memchr(r->buf + r->bpos, '\n', r->blen - r->bpos);
		n = p ? (size_t)(p - (r->buf + r->bpos)) : r->blen - r->bpos;
		if (line->len + n > GRV_CSV_MAXREC) {
			r->toolong = 1;
			n = line->len < GRV_CSV_MAXREC ?
			    GRV_CSV_MAXREC - line->len : 0;
		}
		grv_buf_add(line, r->buf + r->bpos, n);
		if (p) {
			r->bpos = (size_t)(p - r->buf) + 1;
			*nl = 1;
			return 1;
		}
		r->bpos = r->blen;
	}
}

int
grv_csv_next(struct grv_csv_reader *r, struct grv_csv_row **rowp)
{
	struct grv_buf line = GRV_BUF_INIT;
	unsigned long start;
	uint64_t off0;
	size_t i;
	int nl, k, rc = -1;

	r->nf = 0;
	r->done = 0;
	r->toolong = 0;
	grv_buf_reset(&r->fld);
	grv_buf_reset(&r->rec);
	start = r->line + 1;
	off0 = r->off;
	while (!r->done) {
		k = getline_raw(r, &line, &nl);
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
		r->off += line.len + (size_t)nl;
		if (r->toolong) {
			grv_err("%s:%lu: record longer than %d bytes", r->path,
			    start, GRV_CSV_MAXREC);
			goto out;
		}
		if (r->line == 1 && (r->flags & GRV_CSV_INPUT) &&
		    line.len >= 3 && memcmp(line.s, "\xef\xbb\xbf", 3) == 0) {
			memmove(line.s, line.s + 3, line.len - 3);
			line.len -= 3;
		}
		if (line.len && line.s[line.len - 1] == '\r') {
			if (r->flags & GRV_CSV_INPUT)
				line.len--;
		}
		if ((r->flags & GRV_CSV_LEDGER) && memchr(line.s, '\r',
		    line.len)) {
			grv_err("%s:%lu: carriage return inside a ledger row",
			    r->path, r->line);
			goto out;
		}
		if ((r->flags & GRV_CSV_LEDGER) && !nl) {
			grv_err("%s:%lu: last line has no newline "
			    "(torn write?)", r->path, r->line);
			goto out;
		}
		if (memchr(line.s, '\0', line.len)) {
			grv_err("%s:%lu: NUL byte in input", r->path, r->line);
			goto out;
		}
		if (r->rec.len || r->line != start)
			grv_buf_addc(&r->rec, '\n');
		grv_buf_add(&r->rec, line.s, line.len);
		if (csv_parse(&r->p, line.s, line.len, cb_field, cb_record,
		    r) != line.len) {
			grv_err("%s:%lu: malformed CSV (%s)", r->path, r->line,
			    csv_error(&r->p) == CSV_EPARSE ?
			    "a quote inside an unquoted field, or text after "
			    "a closing quote" : csv_strerror(csv_error(&r->p)));
			goto out;
		}
		if (nl) {
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
	r->row.raw = r->rec.s ? r->rec.s : "";
	r->row.rawlen = r->rec.len;
	r->row.line = start;
	r->row.off = off0;
	r->row.end = r->off;
	*rowp = &r->row;
	rc = 1;
out:
	grv_buf_release(&line);
	return rc;
}

int
grv_csv_close(struct grv_csv_reader *r)
{
	int rc = 0, e;

	if (r == NULL)
		return 0;
	if ((e = gzclose(r->gz)) != Z_OK) {
		grv_err("%s: %s", r->path, e == Z_BUF_ERROR ?
		    "truncated gzip stream" : "read error on close");
		rc = -1;
	}
	csv_free(&r->p);
	grv_buf_release(&r->rec);
	grv_buf_release(&r->fld);
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

void
grv_csv_put(struct grv_buf *b, const char *s, size_t n, unsigned flags)
{
	struct grv_buf esc = GRV_BUF_INIT;
	const char *src = s;
	size_t i, need;
	int quote = 0;

	if ((flags & GRV_CSV_ESCAPE) &&
	    (memchr(s, '\\', n) || memchr(s, '\n', n) || memchr(s, '\r', n))) {
		for (i = 0; i < n; i++) {
			switch (s[i]) {
			case '\\':
				grv_buf_add(&esc, "\\\\", 2);
				break;
			case '\n':
				grv_buf_add(&esc, "\\n", 2);
				break;
			case '\r':
				grv_buf_add(&esc, "\\r", 2);
				break;
			default:
				grv_buf_addc(&esc, s[i]);
			}
		}
		src = esc.s;
		n = esc.len;
	}
	if ((flags & GRV_CSV_SAFE) && n > 0 && (src[0] == '=' ||
	    src[0] == '+' || src[0] == '-' || src[0] == '@')) {
		/* Rebuild with the guard in front, then quote as usual. */
		struct grv_buf g = GRV_BUF_INIT;

		grv_buf_addc(&g, '\'');
		grv_buf_add(&g, src, n);
		grv_buf_release(&esc);
		esc = g;
		src = esc.s;
		n = esc.len;
	}
	for (i = 0; i < n; i++)
		if (src[i] == ',' || src[i] == '"' || src[i] == '\n' ||
		    src[i] == '\r') {
			quote = 1;
			break;
		}
	if (!quote) {
		grv_buf_add(b, src, n);
	} else {
		need = csv_write(NULL, 0, src, n);
		grv_buf_grow(b, need);
		csv_write(b->s + b->len, need, src, n);
		b->len += need;
		b->s[b->len] = '\0';
	}
	grv_buf_release(&esc);
}

void
grv_csv_putrow(struct grv_buf *b, const char *const *f, size_t n,
    unsigned flags)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			grv_buf_addc(b, ',');
		grv_csv_put(b, f[i] ? f[i] : "", f[i] ? strlen(f[i]) : 0,
		    flags);
	}
	grv_buf_addc(b, '\n');
}

char *
grv_csv_unescape(const char *s)
{
	char *out = grv_malloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (*s == '\\' && s[1]) {
			switch (s[1]) {
			case 'n':
				*o++ = '\n';
				s += 2;
				continue;
			case 'r':
				*o++ = '\r';
				s += 2;
				continue;
			case '\\':
				*o++ = '\\';
				s += 2;
				continue;
			}
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}
