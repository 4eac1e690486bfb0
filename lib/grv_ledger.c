/* grv_ledger.c: the append-only ledgers, their lock and their crc chain. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "grv_csv.h"
#include "grv_ledger.h"

const char *const grv_complaints_cols[GRV_C_NCOLS + 1] = { "id", "registered",
	"channel", "category", "loc", "name", "phone", "text", "ref", "crc",
	NULL };
const char *const grv_events_cols[GRV_E_NCOLS + 1] = { "ts", "id", "event",
	"level", "dept", "officer", "due", "actor", "reason", "ref", "note",
	"crc", NULL };

const char *
grv_ledger_header(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ?
	    "id,registered,channel,category,loc,name,phone,text,ref,crc" :
	    "ts,id,event,level,dept,officer,due,actor,reason,ref,note,crc";
}

const char *
grv_ledger_name(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ? "complaints" : "events";
}

size_t
grv_ledger_ncols(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ? GRV_C_NCOLS : GRV_E_NCOLS;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/*
 * zlib's crc32 over N bytes (N >= 64, a multiple of 16) by carry-less
 * multiplication: 4 x 128 bits folded at a time, then Barrett reduction
 * ("Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", Intel,
 * 2009; the constants of the reflected polynomial 0xedb88320).  CRC and
 * the result are zlib's, not inverted.  tests/unit/test_crc.c holds it to
 * zlib.
 */
__attribute__((target("sse4.1,pclmul")))
static uint32_t
crc32_clmul(const unsigned char *buf, size_t len, uint32_t crc)
{
	static const uint64_t k1k2[2] __attribute__((aligned(16))) =
	    { 0x0154442bd4ULL, 0x01c6e41596ULL };
	static const uint64_t k3k4[2] __attribute__((aligned(16))) =
	    { 0x01751997d0ULL, 0x00ccaa009eULL };
	static const uint64_t k5k0[2] __attribute__((aligned(16))) =
	    { 0x0163cd6124ULL, 0 };
	static const uint64_t poly[2] __attribute__((aligned(16))) =
	    { 0x01db710641ULL, 0x01f7011641ULL };
	__m128i x0, x1, x2, x3, x4, x5, x6, x7, x8;

	crc = ~crc;
	x1 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x00));
	x2 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x10));
	x3 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x20));
	x4 = _mm_loadu_si128((const __m128i *)(const void *)(buf + 0x30));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
	x0 = _mm_load_si128((const __m128i *)(const void *)k1k2);
	buf += 64;
	len -= 64;
	while (len >= 64) {
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
		x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
		x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
		x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
		x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128(
		    (const __m128i *)(const void *)(buf + 0x00)));
		x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128(
		    (const __m128i *)(const void *)(buf + 0x10)));
		x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128(
		    (const __m128i *)(const void *)(buf + 0x20)));
		x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128(
		    (const __m128i *)(const void *)(buf + 0x30)));
		buf += 64;
		len -= 64;
	}
	/* Fold into 128 bits. */
	x0 = _mm_load_si128((const __m128i *)(const void *)k3k4);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);
	while (len >= 16) {
		x2 = _mm_loadu_si128((const __m128i *)(const void *)buf);
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
		buf += 16;
		len -= 16;
	}
	/* 128 bits to 64. */
	x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
	x3 = _mm_setr_epi32(~0, 0, ~0, 0);
	x1 = _mm_srli_si128(x1, 8);
	x1 = _mm_xor_si128(x1, x2);
	x0 = _mm_loadl_epi64((const __m128i *)(const void *)k5k0);
	x2 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, x3);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	/* Barrett reduction to 32 bits. */
	x0 = _mm_load_si128((const __m128i *)(const void *)poly);
	x2 = _mm_and_si128(x1, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
	x2 = _mm_and_si128(x2, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	return ~(uint32_t)_mm_extract_epi32(x1, 1);
}

static int
have_clmul(void)
{
	static int have = -1;

	if (have == -1)
		have = __builtin_cpu_supports("pclmul") &&
		    __builtin_cpu_supports("sse4.1");
	return have;
}
#endif

/* zlib's crc32, carry-less multiplication doing the bulk where it can. */
static uLong
crc_more(uLong c, const char *p, size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__)
	size_t bulk = n & ~(size_t)15;

	if (bulk >= 64 && have_clmul()) {
		c = crc32_clmul((const unsigned char *)p, bulk, (uint32_t)c);
		p += bulk;
		n -= bulk;
	}
#endif
	return crc32(c, (const Bytef *)p, (uInt)n);
}

void
grv_chain_crc(const char *prev, size_t prevlen, const char *body,
    size_t bodylen, char out[9])
{
	uLong c = crc32(0L, Z_NULL, 0);

	static const char hex[] = "0123456789abcdef";
	int i;

	c = crc_more(c, prev, prevlen);
	c = crc_more(c, body, bodylen);
	/* "%08lx" by hand: this runs for every row of every fold. */
	for (i = 7; i >= 0; i--, c >>= 4)
		out[i] = hex[c & 0xf];
	out[8] = '\0';
}

const char *
grv_row_crc(const char *row, size_t len)
{
	if (len < 9 || row[len - 9] != ',')
		return NULL;
	return row + len - 8;
}

int
grv_chain_verify(const char *prev, size_t prevlen, const char *row,
    size_t rowlen)
{
	const char *have = grv_row_crc(row, rowlen);
	char want[9];

	if (have == NULL)
		return -1;
	grv_chain_crc(prev, prevlen, row, rowlen - 9, want);
	return memcmp(have, want, 8) == 0 ? 0 : -1;
}

/* Read LEN bytes at OFF into BUF. */
static int
pread_all(int fd, char *buf, size_t len, off_t off)
{
	ssize_t r;

	while (len > 0) {
		r = pread(fd, buf, len, off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0) {
			errno = EIO;
			return -1;
		}
		buf += r;
		len -= (size_t)r;
		off += r;
	}
	return 0;
}

/*
 * Read the tail: the last two lines of the file.  The header counts as the
 * line before the first row.
 */
static int
read_tail(struct grv_ledger *lg)
{
	const char *hdr = grv_ledger_header(lg->kind);
	size_t hlen = strlen(hdr), chunk = 64 * 1024, n;
	char *buf = NULL, *end, *p, *prev;
	off_t off;
	int rc = GRV_EX_IOERR;

	/* The header, wherever the tail chunk below starts. */
	buf = grv_malloc(hlen + 1);
	if (lg->size >= (off_t)hlen + 1 &&
	    pread_all(lg->fd, buf, hlen + 1, 0) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		goto out;
	}
	if (lg->size < (off_t)hlen + 1 || memcmp(buf, hdr, hlen) != 0 ||
	    buf[hlen] != '\n') {
		grv_err("%s:1: header is not '%s'", lg->rel, hdr);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	for (;;) {
		n = (off_t)chunk > lg->size ? (size_t)lg->size : chunk;
		off = lg->size - (off_t)n;
		buf = grv_realloc(buf, n + 1);
		if (pread_all(lg->fd, buf, n, off) == -1) {
			grv_err("%s: %s", lg->rel, strerror(errno));
			goto out;
		}
		buf[n] = '\0';
		if (buf[n - 1] != '\n') {
			grv_err("%s: last line has no newline (a torn write); "
			    "run 'grv-check --repair'", lg->rel);
			rc = GRV_EX_DATAERR;
			goto out;
		}
		end = buf + n - 1;		/* the final newline */
		/* Find the start of the last line and of the one before. */
		for (p = end; p > buf && p[-1] != '\n'; p--)
			;
		if (p == buf && off != 0) {
			chunk *= 4;
			continue;
		}
		if (off == 0 && p == buf) {
			/* Only the header. */
			lg->crc[0] = '\0';
			rc = 0;
			goto out;
		}
		for (prev = p - 1; prev > buf && prev[-1] != '\n'; prev--)
			;
		if (prev == buf && off != 0) {
			chunk *= 4;
			continue;
		}
		break;
	}
	lg->lastlen = (size_t)(end - p);
	lg->last = grv_strndup(p, lg->lastlen);
	{
		const char *ptxt;
		size_t plen;

		if (prev == buf && off == 0) {
			ptxt = hdr;	/* the row before is the header */
			plen = hlen;
		} else {
			ptxt = grv_row_crc(prev, (size_t)(p - 1 - prev));
			plen = 8;
			if (ptxt == NULL) {
				grv_err("%s: row before the last has no crc "
				    "(damaged); run 'grv-check'", lg->rel);
				rc = GRV_EX_DATAERR;
				goto out;
			}
		}
		if (grv_chain_verify(ptxt, plen, lg->last, lg->lastlen)
		    == -1) {
			grv_err("%s: last row fails its crc (a torn or "
			    "edited write); run 'grv-check'", lg->rel);
			rc = GRV_EX_DATAERR;
			goto out;
		}
	}
	memcpy(lg->crc, lg->last + lg->lastlen - 8, 8);
	lg->crc[8] = '\0';
	rc = 0;
out:
	free(buf);
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

static int
lock_error(const struct grv_ledger *lg, double wait)
{
	if (errno == EWOULDBLOCK) {
		grv_err("%s: locked by another process for more than %g "
		    "seconds", lg->rel, wait);
		return GRV_EX_TEMPFAIL;
	}
	grv_err("%s: lock: %s", lg->rel, strerror(errno));
	return GRV_EX_IOERR;
}

int
grv_ledger_lock(struct grv_ledger *lg, const char *dir,
    enum grv_ledger_kind kind, double wait)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat st;
	int rc;

	lg->kind = kind;
	lg->fd = lg->dfd = -1;
	lg->dir = grv_strdup(dir);
	grv_buf_printf(&b, "ledger/%s.csv", grv_ledger_name(kind));
	lg->rel = grv_strdup(b.s);
	grv_buf_reset(&b);
	grv_buf_printf(&b, "%s/%s", dir, lg->rel);
	lg->path = grv_strdup(b.s);
	grv_buf_release(&b);
	for (;;) {
		lg->fd = open(lg->path, O_RDWR | O_APPEND | O_CLOEXEC);
		if (lg->fd != -1)
			break;
		if (errno != ENOENT) {
			grv_err("%s: %s", lg->rel, strerror(errno));
			return errno == EACCES || errno == EROFS ?
			    GRV_EX_CANTCREAT : GRV_EX_IOERR;
		}
		if (lg->dfd != -1) {
			/* Still missing with the directory locked: new. */
			lg->size = 0;
			lg->crc[0] = '\0';
			return 0;
		}
		/* Creators serialise on the data directory, then look
		   again: another may have created it while we waited. */
		lg->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (lg->dfd == -1) {
			grv_err("%s: %s", dir, strerror(errno));
			return GRV_EX_NOINPUT;
		}
		if (grv_flock_wait(lg->dfd, LOCK_EX, wait) == -1)
			return lock_error(lg, wait);
	}
	if (lg->dfd != -1) {
		close(lg->dfd);
		lg->dfd = -1;
	}
	if (grv_flock_wait(lg->fd, LOCK_EX, wait) == -1)
		return lock_error(lg, wait);
	if (fstat(lg->fd, &st) == -1) {
		grv_err("%s: %s", lg->rel, strerror(errno));
		return GRV_EX_IOERR;
	}
	lg->size = st.st_size;
	if ((rc = pending_check(lg)) != 0)
		return rc;
	if (lg->size == 0) {
		/* Left by a creator killed before its header (older grv):
		   nothing was ever in it; the first commit writes one. */
		lg->crc[0] = '\0';
		return 0;
	}
	return read_tail(lg);
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
	if (fchmod(fd, 0666 & ~current_umask()) == -1 ||
	    flock(fd, LOCK_EX) == -1) {
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
	close(lg->dfd);
	lg->dfd = -1;
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
	return 0;
}

void
grv_ledger_add(struct grv_ledger *lg, const char *const *fields)
{
	size_t ncols = grv_ledger_ncols(lg->kind) - 1, start;
	const char *prev;
	size_t prevlen;
	char crc[9];

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
	start = lg->pending.len;
	grv_csv_putrow(&lg->pending, fields, ncols, GRV_CSV_ESCAPE);
	lg->pending.len--;			/* drop the newline */
	grv_chain_crc(prev, prevlen, lg->pending.s + start,
	    lg->pending.len - start, crc);
	grv_buf_addc(&lg->pending, ',');
	grv_buf_add(&lg->pending, crc, 8);
	grv_buf_addc(&lg->pending, '\n');
	memcpy(lg->pcrc, crc, 9);
	lg->npending++;
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
	fd = open(path.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
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
	if (lg->npending == 0)
		return 0;
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
	   says where this append began, so the part can be cut back. */
	if (pending_mark(lg, lg->pending.len) == -1)
		return GRV_EX_IOERR;
	if (grv_write_all(lg->fd, lg->pending.s, lg->pending.len) == -1 ||
	    fsync(lg->fd) == -1) {
		int e = errno;

		/* We hold the lock: take back whatever part reached the
		   file, so a full disk leaves the ledger as it was. */
		if (ftruncate(lg->fd, lg->size) == -1 || fsync(lg->fd) == -1)
			grv_err("%s: could not take back a partial write: %s"
			    "; run 'grv-check'", lg->rel, strerror(errno));
		else
			grv_pending_clear(lg->dir, lg->kind);
		grv_err("%s: write: %s", lg->rel, strerror(e));
		return GRV_EX_IOERR;
	}
	grv_pending_clear(lg->dir, lg->kind);
	lg->size += (off_t)lg->pending.len;
done:
	memcpy(lg->crc, lg->pcrc, 9);
	grv_buf_reset(&lg->pending);
	lg->npending = 0;
	return 0;
}

void
grv_ledger_release(struct grv_ledger *lg)
{
	if (lg->fd != -1) {
		flock(lg->fd, LOCK_UN);
		close(lg->fd);
	}
	if (lg->dfd != -1)
		close(lg->dfd);
	lg->fd = lg->dfd = -1;
	free(lg->dir);
	lg->dir = NULL;
	free(lg->rel);
	free(lg->path);
	free(lg->last);
	grv_buf_release(&lg->pending);
	lg->rel = lg->path = lg->last = NULL;
	lg->npending = 0;
}
