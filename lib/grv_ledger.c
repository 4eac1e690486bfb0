/* grv_ledger.c: appending to a ledger: the locked open, the tail and its
 * chain, the clock check, the commit and the mark it leaves. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csvw.h"
#include "grv_file.h"
#include "grv_hwm.h"
#include "grv_ledger.h"
#include "grv_msg.h"

int
grv_pread_all(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;
	ssize_t r;

	while (len > 0) {
		r = pread(fd, p, len, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0) {
			errno = EIO;
			return -1;
		}
		p += r;
		len -= (size_t)r;
		off += r;
	}
	return 0;
}

int
grv_ledger_tail(int fd, off_t end, enum grv_ledger_kind kind, size_t chunk,
    size_t max, struct grv_tail *t)
{
	const char *hdr = grv_ledger_header(kind), *ptxt;
	size_t hlen = strlen(hdr), n, plen;
	char *e, *p, *q;

	t->last = NULL;			/* nothing found yet, this call */
	t->lastlen = 0;
	for (;;) {
		n = (off_t)chunk > end ? (size_t)end : chunk;
		t->off = end - (off_t)n;
		t->buf = grv_realloc(t->buf, n + 1);
		if (grv_pread_all(fd, t->buf, n, t->off) == -1)
			return GRV_TAIL_IOERR;
		t->buf[n] = '\0';
		if (t->buf[n - 1] != '\n')
			return GRV_TAIL_TORN;
		e = t->buf + n - 1;		/* the final newline */
		/* p: start of the last line; q: start of the one before. */
		for (p = e; p > t->buf && p[-1] != '\n'; p--)
			;
		q = p;
		if (p > t->buf)
			for (q = p - 1; q > t->buf && q[-1] != '\n'; q--)
				;
		if (t->off == 0 || q > t->buf)
			break;
		if (max && chunk >= max) {
			if (p > t->buf) {	/* the last line alone is whole */
				t->last = p;
				t->lastlen = (size_t)(e - p);
			}
			return GRV_TAIL_LONG;
		}
		chunk *= 4;
	}
	t->last = p;
	t->lastlen = (size_t)(e - p);
	if (p == t->buf)		/* the only line */
		return t->lastlen == hlen && memcmp(p, hdr, hlen) == 0 ?
		    GRV_TAIL_HEADER : GRV_TAIL_NOCRC;
	if (t->off == 0 && q == t->buf) {
		/* The first row: it follows from the header. */
		if ((size_t)(p - 1 - q) != hlen || memcmp(q, hdr, hlen) != 0)
			return GRV_TAIL_NOCRC;
		ptxt = hdr;
		plen = hlen;
	} else {
		if ((ptxt = grv_row_crc(q, (size_t)(p - 1 - q))) == NULL)
			return GRV_TAIL_NOCRC;
		plen = 8;
	}
	return grv_chain_verify(ptxt, plen, t->last, t->lastlen) == 0 ?
	    GRV_TAIL_ROW : GRV_TAIL_CHAIN;
}

void
grv_tail_release(struct grv_tail *t)
{
	free(t->buf);
	t->buf = NULL;
	t->last = NULL;
	t->lastlen = 0;
}

/*
 * Read the tail of the locked file: its last row and that row's crc.  The
 * header counts as the line before the first row.
 */
static int
read_tail(struct grv_ledger *lg)
{
	const char *hdr = grv_ledger_header(lg->kind);
	size_t hlen = strlen(hdr);
	struct grv_tail t = GRV_TAIL_INIT;
	char *buf;
	int k, rc = GRV_EX_DATAERR;

	/* The header, wherever the tail below starts. */
	buf = grv_malloc(hlen + 1);
	if (lg->size >= (off_t)hlen + 1 &&
	    grv_pread_all(lg->fd, buf, hlen + 1, 0) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		free(buf);
		return GRV_EX_IOERR;
	}
	if (lg->size < (off_t)hlen + 1 || memcmp(buf, hdr, hlen) != 0 ||
	    buf[hlen] != '\n') {
		grv_err("%s:1: header is not '%s'", lg->rel, hdr);
		free(buf);
		return GRV_EX_DATAERR;
	}
	free(buf);
	k = grv_ledger_tail(lg->fd, lg->size, lg->kind, 64 * 1024, 0, &t);
	if (k == GRV_TAIL_ROW || k == GRV_TAIL_NOCRC || k == GRV_TAIL_CHAIN) {
		lg->lastlen = t.lastlen;
		lg->last = grv_strndup(t.last, t.lastlen);
	}
	switch (k) {
	case GRV_TAIL_ROW:
		memcpy(lg->crc, lg->last + lg->lastlen - 8, 8);
		lg->crc[8] = '\0';
		rc = 0;
		break;
	case GRV_TAIL_HEADER:
		lg->crc[0] = '\0';
		rc = 0;
		break;
	case GRV_TAIL_IOERR:
		grv_err("%s: %s", lg->rel, strerror(errno));
		rc = GRV_EX_IOERR;
		break;
	case GRV_TAIL_TORN:
		grv_err("%s: last line has no newline (a torn write); "
		    "run 'grv-check --repair'", lg->rel);
		break;
	case GRV_TAIL_NOCRC:
		grv_err("%s: row before the last has no crc (damaged); run "
		    "'grv-check'", lg->rel);
		break;
	default:
		grv_err("%s: last row fails its crc (a torn or edited write); "
		    "run 'grv-check'", lg->rel);
		break;
	}
	grv_tail_release(&t);
	return rc;
}

static mode_t
current_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

static int pending_check(struct grv_ledger *);

/*
 * Verify the whole chain of the locked file and count its rows: for a
 * file that something other than grv has touched since grv last wrote it.
 */
static int
verify_chain(struct grv_ledger *lg)
{
	const char *hdr = grv_ledger_header(lg->kind);
	size_t hlen = strlen(hdr), cap = 1024 * 1024, have = 0, n;
	char *buf = grv_malloc(cap), prev[9] = "", *p, *nl;
	unsigned long line = 0;
	off_t off = 0;
	ssize_t r;
	int rc = 0;

	for (;;) {
		if (have == cap) {
			if (cap >= 64 * 1024 * 1024) {
				grv_err("%s:%lu: line too long", lg->rel,
				    line + 1);
				rc = GRV_EX_DATAERR;
				break;
			}
			cap *= 2;
			buf = grv_realloc(buf, cap);
		}
		r = pread(lg->fd, buf + have, cap - have, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			grv_err("%s: %s", lg->rel, strerror(errno));
			rc = GRV_EX_IOERR;
			break;
		}
		if (r == 0)
			break;		/* read_tail vouched for the end */
		off += r;
		have += (size_t)r;
		for (p = buf; (nl = memchr(p, '\n', have - (size_t)(p - buf)));
		    p = nl + 1) {
			n = (size_t)(nl - p);
			line++;
			if (line == 1) {
				if (n != hlen || memcmp(p, hdr, hlen) != 0) {
					grv_err("%s:1: header is not '%s'",
					    lg->rel, hdr);
					rc = GRV_EX_DATAERR;
					goto out;
				}
				continue;
			}
			if (grv_chain_verify(prev[0] ? prev : hdr,
			    prev[0] ? 8 : hlen, p, n) == -1) {
				grv_err("%s:%lu: crc does not match the chain "
				    "(damaged or edited); run 'grv-check'",
				    lg->rel, line);
				rc = GRV_EX_DATAERR;
				goto out;
			}
			memcpy(prev, p + n - 8, 8);
			prev[8] = '\0';
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
	}
out:
	free(buf);
	if (rc == 0)
		lg->rows = line ? line - 1 : 0;
	return rc;
}

/* Hold the file (ST, or NULL while it does not exist) against its mark. */
static int
vouch(struct grv_ledger *lg, const struct stat *st)
{
	struct grv_buf why = GRV_BUF_INIT;
	int v;

	lg->hwm = grv_calloc(1, sizeof(*lg->hwm));
	v = grv_hwm_vouch(lg->dir, lg->kind, st, lg->hwm, &why);
	if (v == GRV_HWM_DAMAGED) {
		if (why.len)
			grv_err("%s", why.s);
		grv_buf_release(&why);
		return GRV_EX_DATAERR;
	}
	grv_buf_release(&why);
	lg->trusted = v == GRV_HWM_TRUSTED;
	if (lg->trusted) {
		lg->rows = lg->hwm->live.rows;
		lg->total = lg->hwm->total;
		return 0;
	}
	lg->rows = 0;
	if (st && st->st_size > 0 && (v = verify_chain(lg)) != 0)
		return v;
	if (grv_hwm_segment_rows(lg->dir, lg->kind, &lg->total) == -1)
		return GRV_EX_DATAERR;
	lg->total += lg->rows;
	return 0;
}

/* Record what the last commit left (a failure costs only speed). */
static void
record(struct grv_ledger *lg)
{
	if (lg->fd != -1)
		(void)grv_hwm_record(lg->dir, lg->kind, lg->fd, lg->rows,
		    lg->crc, lg->last, lg->lastlen, lg->total, lg->hwm);
}

/*
 * The data directory's lock, taken while a ledger is still missing.  A
 * flock belongs to an open file description: a second ledger missing in
 * the same process (grv-amend --name in a directory that has neither
 * events.csv nor corrections.csv yet) would wait for the process's own
 * first lock until it gave up.  So the process locks a directory once and
 * each ledger holds a duplicate of that description; the lock goes with
 * the last of them.
 */
static struct {
	int	fd;		/* the locked description, -1 when none */
	int	refs;
	dev_t	dev;
	ino_t	ino;
} dirlock = { -1, 0, 0, 0 };

static int
dir_lock(struct grv_ledger *lg, const char *dir, double wait)
{
	struct stat st;
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		grv_err("%s: %s", dir, strerror(errno));
		return GRV_EX_NOINPUT;
	}
	if (fstat(fd, &st) == -1) {
		grv_err("%s: %s", dir, strerror(errno));
		close(fd);
		return GRV_EX_IOERR;
	}
	if (dirlock.refs > 0 && st.st_dev == dirlock.dev &&
	    st.st_ino == dirlock.ino) {
		close(fd);		/* held already, by this process */
	} else {
		if ((rc = grv_ledger_flock(fd, LOCK_EX, wait, lg->rel,
		    "another process")) != 0) {
			close(fd);
			return rc;
		}
		if (dirlock.refs > 0) {	/* another directory: its own */
			lg->dfd = fd;
			lg->dshared = 0;
			return 0;
		}
		dirlock.fd = fd;
		dirlock.dev = st.st_dev;
		dirlock.ino = st.st_ino;
	}
	if ((lg->dfd = fcntl(dirlock.fd, F_DUPFD_CLOEXEC, 0)) == -1) {
		grv_err("%s: %s", dir, strerror(errno));
		if (dirlock.refs == 0) {
			close(dirlock.fd);
			dirlock.fd = -1;
		}
		return GRV_EX_IOERR;
	}
	dirlock.refs++;
	lg->dshared = 1;
	return 0;
}

static void
dir_unlock(struct grv_ledger *lg)
{
	if (lg->dfd == -1)
		return;
	close(lg->dfd);
	lg->dfd = -1;
	if (lg->dshared && --dirlock.refs == 0) {
		close(dirlock.fd);
		dirlock.fd = -1;
	}
	lg->dshared = 0;
}

int
grv_ledger_lock(struct grv_ledger *lg, const char *dir,
    enum grv_ledger_kind kind, double wait)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat st;
	int rc, retries = 5;

	lg->kind = kind;
	lg->fd = lg->dfd = -1;
	lg->dshared = 0;
	lg->dir = grv_strdup(dir);
	grv_buf_printf(&b, "ledger/%s.csv", grv_ledger_name(kind));
	lg->rel = grv_strdup(b.s);
	grv_buf_reset(&b);
	grv_buf_printf(&b, "%s/%s", dir, lg->rel);
	lg->path = grv_strdup(b.s);
	grv_buf_release(&b);
	/* Neither ledger/ nor the file may lead elsewhere (O_NOFOLLOW
	   covers only the last name). */
	if ((rc = grv_refuse_link(dir, "ledger")) != 0)
		return rc;
again:
	for (;;) {
		lg->fd = open(lg->path, O_RDWR | O_APPEND | O_CLOEXEC |
		    O_NOFOLLOW);
		if (lg->fd != -1)
			break;
		if (errno == ELOOP)
			return grv_refuse_link(dir, lg->rel) ? GRV_EX_CANTCREAT :
			    GRV_EX_IOERR;
		if (errno != ENOENT) {
			grv_err("%s: %s", lg->rel, strerror(errno));
			return errno == EACCES || errno == EROFS ?
			    GRV_EX_CANTCREAT : GRV_EX_IOERR;
		}
		if (lg->dfd != -1) {
			/* Still missing with the directory locked: new. */
			lg->size = 0;
			lg->crc[0] = '\0';
			return vouch(lg, NULL);
		}
		/* Creators serialise on the data directory, then look
		   again: another may have created it while we waited. */
		if ((rc = dir_lock(lg, dir, wait)) != 0)
			return rc;
	}
	dir_unlock(lg);
	if ((rc = grv_ledger_flock(lg->fd, LOCK_EX, wait, lg->rel,
	    "another process")) != 0)
		return rc;
	if (fstat(lg->fd, &st) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		return GRV_EX_IOERR;
	}
	{
		/* Sealed while we waited: the name is a fresh file now. */
		struct stat now;

		if (stat(lg->path, &now) == 0 && (now.st_ino != st.st_ino ||
		    now.st_dev != st.st_dev) && --retries > 0) {
			close(lg->fd);
			lg->fd = -1;
			goto again;
		}
	}
	lg->size = st.st_size;
	if ((rc = pending_check(lg)) != 0)
		return rc;
	if (lg->size == 0) {
		/* Left by a creator killed before its header (older grv):
		   nothing was ever in it; the first commit writes one. */
		lg->crc[0] = '\0';
		return vouch(lg, &st);
	}
	if ((rc = read_tail(lg)) != 0)
		return rc;
	return vouch(lg, &st);
}

int
grv_ledger_clock(const char *rel, grv_time_t now, grv_time_t last,
    const char *lasttxt, int tz)
{
	char ts[GRV_TSLEN], lts[GRV_TSLEN];

	if (last == GRV_TIME_NONE || last <= now)
		return 0;
	grv_time_format(now, tz, ts);
	if (lasttxt == NULL) {
		grv_time_format(last, tz, lts);
		lasttxt = lts;
	}
	grv_err("--now %s is earlier than the last row of %s (%.25s): "
	    "timestamps never go back", ts, rel, lasttxt);
	return GRV_EX_DATAERR;
}

grv_time_t
grv_ledger_peek_ts(const char *dir)
{
	struct grv_buf path = GRV_BUF_INIT;
	struct grv_tail t = GRV_TAIL_INIT;
	grv_time_t ts = GRV_TIME_NONE;
	struct stat sb;
	int fd;

	grv_buf_printf(&path, "%s/ledger/events.csv", dir);
	fd = open(path.s, O_RDONLY | O_CLOEXEC);
	grv_buf_release(&path);
	if (fd == -1)
		return ts;
	/* Only the last line's stamp: whatever the tail says of the chain
	   (the fold will), and within 64 KiB. */
	if (fstat(fd, &sb) == 0 && sb.st_size > 1) {
		(void)grv_ledger_tail(fd, sb.st_size, GRV_EVENTS, 64 * 1024,
		    64 * 1024, &t);
		if (t.last != NULL)
			(void)grv_time_parse_ts(t.last, 25, &ts);
	}
	grv_tail_release(&t);
	close(fd);
	return ts;
}

/* Put the header line in front of the queued rows, in place (a batch's
   rows are tens of megabytes: no second copy of them). */
static void
prepend_header(struct grv_ledger *lg)
{
	const char *hdr = grv_ledger_header(lg->kind);
	size_t h = strlen(hdr) + 1;

	grv_buf_grow(&lg->pending, h);
	memmove(lg->pending.s + h, lg->pending.s, lg->pending.len + 1);
	memcpy(lg->pending.s, hdr, h - 1);
	lg->pending.s[h - 1] = '\n';
	lg->pending.len += h;
}

/*
 * Create the ledger file holding DATA, its header line and rows: a
 * temporary file in ledger/, locked before it has a name, written, synced,
 * then linked into place, so that no one sees it half made and no one else
 * can lock it before us.
 */
static int
create_file(struct grv_ledger *lg, const char *data, size_t len)
{
	struct grv_buf tmp = GRV_BUF_INIT;
	int fd, dfd, rc = GRV_EX_IOERR;

	grv_buf_printf(&tmp, "%s/ledger", lg->dir);
	if (mkdir(tmp.s, 0777) == -1 && errno != EEXIST) {
		grv_err("ledger: %s", strerror(errno));
		grv_buf_release(&tmp);
		return GRV_EX_CANTCREAT;
	}
	grv_buf_printf(&tmp, "/.%s.csv.XXXXXX", grv_ledger_name(lg->kind));
	if ((fd = mkostemp(tmp.s, O_APPEND | O_CLOEXEC)) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		grv_buf_release(&tmp);
		return GRV_EX_CANTCREAT;
	}
	/* Personal data is never readable by "other" (SPEC 7.1). */
	if (fchmod(fd, (lg->kind != GRV_EVENTS ? 0660 : 0666) &
	    ~current_umask()) == -1 || flock(fd, LOCK_EX) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		goto fail;
	}
	if (grv_write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		grv_err("%s: write: %s", lg->rel, strerror(errno));
		goto fail;
	}
	if (link(tmp.s, lg->path) == -1) {
		rc = errno == EEXIST ? GRV_EX_IOERR : GRV_EX_CANTCREAT;
		grv_err("%s: %s", lg->rel, strerror(errno));
		goto fail;
	}
	unlink(tmp.s);
	tmp.len -= strlen(strrchr(tmp.s, '/'));
	tmp.s[tmp.len] = '\0';
	if ((dfd = open(tmp.s, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);		/* the new name, durable */
		close(dfd);
	}
	lg->fd = fd;
	lg->size = (off_t)len;
	dir_unlock(lg);
	grv_buf_release(&tmp);
	return 0;
fail:
	unlink(tmp.s);
	close(fd);
	grv_buf_release(&tmp);
	return rc;
}

int
grv_ledger_materialize(struct grv_ledger *lg)
{
	int rc;

	if (lg->fd != -1 && lg->size > 0)
		return 0;
	if (lg->fd == -1) {
		struct grv_buf h = GRV_BUF_INIT;

		grv_buf_printf(&h, "%s\n", grv_ledger_header(lg->kind));
		rc = create_file(lg, h.s, h.len);
		grv_buf_release(&h);
		if (rc == 0)
			record(lg);
		return rc;
	}
	/* An empty file (see grv_ledger_lock): give it its header. */
	rc = grv_write_all(lg->fd, grv_ledger_header(lg->kind),
	    strlen(grv_ledger_header(lg->kind))) == -1 ||
	    grv_write_all(lg->fd, "\n", 1) == -1 || fsync(lg->fd) == -1;
	if (rc) {
		grv_err("%s: write: %s", lg->rel, strerror(errno));
		if (ftruncate(lg->fd, 0) == -1) {
			/* reported below by whoever reads it */
		}
		return GRV_EX_IOERR;
	}
	lg->size = (off_t)strlen(grv_ledger_header(lg->kind)) + 1;
	record(lg);
	return 0;
}

/* Chain the row from byte START of the queue to its end (the columns
   before crc): its crc, the newline. */
static void
chain_row(struct grv_ledger *lg, size_t start)
{
	const char *prev;
	size_t prevlen;
	char crc[9], *o;

	if (lg->npending) {
		prev = lg->pcrc;
		prevlen = 8;
	} else if (lg->crc[0]) {
		prev = lg->crc;
		prevlen = 8;
	} else {
		prev = grv_ledger_header(lg->kind);
		prevlen = strlen(prev);
	}
	grv_chain_crc(prev, prevlen, lg->pending.s + start,
	    lg->pending.len - start, crc);
	grv_buf_grow(&lg->pending, 10);
	o = lg->pending.s + lg->pending.len;
	o[0] = ',';
	memcpy(o + 1, crc, 8);
	o[9] = '\n';
	lg->pending.len += 10;
	lg->pending.s[lg->pending.len] = '\0';
	memcpy(lg->pcrc, crc, 9);
	lg->npending++;
}

void
grv_ledger_add(struct grv_ledger *lg, const char *const *fields)
{
	size_t ncols = grv_ledger_ncols(lg->kind) - 1, start;

	start = lg->pending.len;
	grv_csv_putrow(&lg->pending, fields, ncols, GRV_CSV_ESCAPE);
	lg->pending.len--;			/* drop the newline */
	chain_row(lg, start);
}

char *
grv_ledger_row(struct grv_ledger *lg, size_t room)
{
	grv_buf_grow(&lg->pending, room + 10);
	return lg->pending.s + lg->pending.len;
}

void
grv_ledger_row_done(struct grv_ledger *lg, char *end)
{
	size_t start = lg->pending.len;

	lg->pending.len = (size_t)(end - lg->pending.s);
	chain_row(lg, start);
}

static void
pending_path(struct grv_buf *b, const char *dir, enum grv_ledger_kind k)
{
	grv_buf_printf(b, "%s/ledger/.%s.pending", dir, grv_ledger_name(k));
}

int
grv_pending_state(const char *dir, enum grv_ledger_kind k, uint64_t filesize,
    uint64_t *size, uint64_t *len)
{
	struct grv_buf path = GRV_BUF_INIT;
	char buf[64];
	ssize_t n;
	int fd;
	unsigned long long a, b;
	char end;

	pending_path(&path, dir, k);
	fd = open(path.s, O_RDONLY | O_CLOEXEC);
	grv_buf_release(&path);
	if (fd == -1)
		return errno == ENOENT ? GRV_PENDING_NONE : GRV_PENDING_BAD;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return GRV_PENDING_BAD;
	buf[n] = '\0';
	/* The rows are written only once the whole marker is synced: one
	   cut short (a kill inside its own write) means none began. */
	*size = *len = 0;
	if (sscanf(buf, "%llu %llu%c", &a, &b, &end) != 3 || end != '\n')
		return GRV_PENDING_DONE;
	*size = a;
	*len = b;
	if (filesize == a || filesize == a + b)
		return GRV_PENDING_DONE;	/* nothing, or all of it */
	return GRV_PENDING_CUT;
}

void
grv_pending_clear(const char *dir, enum grv_ledger_kind k)
{
	struct grv_buf path = GRV_BUF_INIT;

	pending_path(&path, dir, k);
	unlink(path.s);
	grv_buf_release(&path);
}

/* Write and sync the marker before an append of LEN bytes. */
static int
pending_mark(const struct grv_ledger *lg, size_t len)
{
	struct grv_buf path = GRV_BUF_INIT;
	char buf[64];
	int fd, n, rc = -1;

	pending_path(&path, lg->dir, lg->kind);
	n = snprintf(buf, sizeof(buf), "%llu %llu\n",
	    (unsigned long long)lg->size, (unsigned long long)len);
	fd = open(path.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0666);
	if (fd != -1) {
		rc = grv_write_all(fd, buf, (size_t)n) == -1 || fdatasync(fd) == -1
		    ? -1 : 0;
		if (close(fd) == -1)
			rc = -1;
	}
	if (rc == -1) {
		grv_err("ledger/.%s.pending: %s", grv_ledger_name(lg->kind),
		    strerror(errno));
		unlink(path.s);
	}
	grv_buf_release(&path);
	return rc;
}

/* A marker left by a dead writer: stale ones go, a cut append refuses. */
static int
pending_check(struct grv_ledger *lg)
{
	uint64_t size, len;

	switch (grv_pending_state(lg->dir, lg->kind, (uint64_t)lg->size,
	    &size, &len)) {
	case GRV_PENDING_NONE:
		return 0;
	case GRV_PENDING_DONE:
		grv_pending_clear(lg->dir, lg->kind);
		return 0;
	case GRV_PENDING_CUT:
		grv_err("%s: an append was cut short at byte %llu (%llu of "
		    "its %llu bytes reached the file); run 'grv-check "
		    "--repair'", lg->rel, (unsigned long long)size,
		    (unsigned long long)((uint64_t)lg->size - size),
		    (unsigned long long)len);
		return GRV_EX_DATAERR;
	}
	grv_err("ledger/.%s.pending: unreadable marker of an append; run "
	    "'grv-check'", grv_ledger_name(lg->kind));
	return GRV_EX_DATAERR;
}

int
grv_ledger_commit(struct grv_ledger *lg)
{
	int marked;

	if (lg->npending == 0) {
		/* Verified whole under our lock: remember it as it is. */
		if (!lg->trusted && lg->fd != -1 && lg->size > 0)
			record(lg);
		return 0;
	}
	if (lg->fd == -1) {
		size_t h = strlen(grv_ledger_header(lg->kind)) + 1;
		int rc;

		prepend_header(lg);
		if ((rc = create_file(lg, lg->pending.s, lg->pending.len))) {
			/* Rows queued as they were, header taken out. */
			lg->pending.len -= h;
			memmove(lg->pending.s, lg->pending.s + h,
			    lg->pending.len + 1);
			return rc;
		}
		goto done;
	}
	if (lg->size == 0) {
		/* An empty file: its header goes in the same write. */
		prepend_header(lg);
	}
	/* A kill can stop a large write(2) part way, at a page: the marker
	   says where this append began, so the part can be cut back.  One
	   row needs none: any part of it short of the whole lacks its
	   newline, a torn tail every reader sees as such, and its sync
	   is most of a single-complaint writer's time under the lock. */
	marked = lg->npending > 1;
	if (marked && pending_mark(lg, lg->pending.len) == -1)
		return GRV_EX_IOERR;
	if (grv_write_all(lg->fd, lg->pending.s, lg->pending.len) == -1 ||
	    fsync(lg->fd) == -1) {
		int e = errno;

		/* We hold the lock: take back whatever part reached the
		   file, so a full disk leaves the ledger as it was. */
		if (ftruncate(lg->fd, lg->size) == -1 || fsync(lg->fd) == -1)
			grv_err("%s: could not take back a partial write: %s"
			    "; run 'grv-check'", lg->rel, strerror(errno));
		else {
			if (marked)
				grv_pending_clear(lg->dir, lg->kind);
			record(lg);	/* as it was, under a new ctime */
		}
		grv_err("%s: write: %s", lg->rel, strerror(e));
		return GRV_EX_IOERR;
	}
	if (marked)
		grv_pending_clear(lg->dir, lg->kind);
	lg->size += (off_t)lg->pending.len;
done:
	memcpy(lg->crc, lg->pcrc, 9);
	lg->rows += lg->npending;
	lg->total += lg->npending;
	{
		/* The last row written is the tail now. */
		const char *e = lg->pending.s + lg->pending.len - 1, *b = e;

		while (b > lg->pending.s && b[-1] != '\n')
			b--;
		free(lg->last);
		lg->lastlen = (size_t)(e - b);
		lg->last = grv_strndup(b, lg->lastlen);
	}
	grv_buf_reset(&lg->pending);
	lg->npending = 0;
	record(lg);
	return 0;
}

void
grv_ledger_release(struct grv_ledger *lg)
{
	if (lg->fd != -1) {
		flock(lg->fd, LOCK_UN);
		close(lg->fd);
	}
	dir_unlock(lg);
	lg->fd = -1;
	free(lg->dir);
	lg->dir = NULL;
	free(lg->rel);
	free(lg->path);
	free(lg->last);
	grv_buf_release(&lg->pending);
	if (lg->hwm) {
		grv_hwm_release(lg->hwm);
		free(lg->hwm);
		lg->hwm = NULL;
	}
	lg->rel = lg->path = lg->last = NULL;
	lg->npending = 0;
}
