/* grv_hwm.c: the high-water mark, what grv last wrote to each ledger.
 *
 * DIR/ledger/.NAME.hwm is a few text lines, written by every grv writer
 * after its append is synced (and by 'grv-check --repair' after a check
 * that found nothing wrong):
 *
 *   grv-hwm 1
 *   live events.csv SIZE ROWS CRC DEV INO CTIME
 *   seg events-2025.csv.gz SIZE ROWS CRC FILECRC DEV INO CTIME
 *   log TOTAL BODYCRC
 *   sum CRC32
 *
 * CRC is the last row's crc ("-" for a file of only its header), FILECRC
 * the crc32 of a segment's bytes, CTIME seconds.nanoseconds, TOTAL the
 * rows of the whole log (segments, then the live file) and BODYCRC the
 * crc32 of the last one's bytes before its crc (which stay the same when
 * rows are sealed into a segment and chained afresh), and sum the crc32
 * of every byte before its line.  It is not derived data: it is how
 * a reader knows that a file is shorter than grv left it, that a segment
 * went missing, or that a live file was put back from an older copy, none
 * of which the crc chain can show.  A file whose identity (device, inode,
 * size, ctime) is the one recorded has not been touched since: ctime is
 * set by the kernel on every change and no user can set it back.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_file.h"
#include "grv_hwm.h"
#include "grv_msg.h"

#define HWM_MAGIC	"grv-hwm 1\n"

static void
file_release(struct grv_hwm_file *f)
{
	free(f->name);
	f->name = NULL;
}

void
grv_hwm_release(struct grv_hwm *h)
{
	size_t i;

	file_release(&h->live);
	for (i = 0; i < h->nseg; i++)
		file_release(&h->seg[i]);
	free(h->seg);
	h->seg = NULL;
	h->nseg = 0;
	h->present = 0;
}

static void
hwm_path(struct grv_buf *b, const char *dir, enum grv_ledger_kind k,
    const char *suffix)
{
	grv_buf_printf(b, "%s/ledger/.%s.hwm%s", dir, grv_ledger_name(k),
	    suffix);
}

int
grv_file_crc(const char *path, uint32_t *crc)
{
	static char buf[256 * 1024];
	uLong c = crc32(0L, Z_NULL, 0);
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		c = crc32(c, (const Bytef *)buf, (uInt)r);
	}
	close(fd);
	*crc = (uint32_t)c;
	return 0;
}

/* ---- the file ---- */

static void
put_file(struct grv_buf *b, const char *tag, const struct grv_hwm_file *f,
    int seg)
{
	grv_buf_printf(b, "%s %s %" PRIu64 " %" PRIu64 " %s", tag, f->name,
	    f->size, f->rows, f->crc[0] ? f->crc : "-");
	if (seg)
		grv_buf_printf(b, " %08" PRIx32, f->filecrc);
	grv_buf_printf(b, " %" PRIu64 " %" PRIu64 " %" PRId64 ".%09ld\n",
	    f->dev, f->ino, f->ctsec, f->ctnsec);
}

/* One "live" or "seg" line's fields after the tag; 0 or -1. */
static int
get_file(const char *p, struct grv_hwm_file *f, int seg)
{
	char name[256], crc[16];
	unsigned long long size, rows, dev, ino;
	long long sec;
	long nsec;
	unsigned int fc = 0;
	int n;

	if (seg)
		n = sscanf(p, "%255s %llu %llu %15s %8x %llu %llu %lld.%ld",
		    name, &size, &rows, crc, &fc, &dev, &ino, &sec, &nsec);
	else
		n = sscanf(p, "%255s %llu %llu %15s %llu %llu %lld.%ld",
		    name, &size, &rows, crc, &dev, &ino, &sec, &nsec);
	if (n != (seg ? 9 : 8))
		return -1;
	if (strcmp(crc, "-") == 0)
		crc[0] = '\0';
	else if (strlen(crc) != 8 || strspn(crc, "0123456789abcdef") != 8)
		return -1;
	if (strchr(name, '/') != NULL || nsec < 0 || nsec > 999999999)
		return -1;
	f->name = grv_strdup(name);
	f->size = size;
	f->rows = rows;
	memcpy(f->crc, crc, crc[0] ? 9 : 1);
	f->filecrc = fc;
	f->dev = dev;
	f->ino = ino;
	f->ctsec = sec;
	f->ctnsec = nsec;
	return 0;
}

/* Parse the mark's text: 0, or -1 with the line at fault in *BAD. */
static int
parse(struct grv_hwm *h, char *text, size_t len, unsigned *bad)
{
	char *line = text, *nl, *sum = NULL;
	unsigned lineno = 0;
	unsigned int want;

	*bad = 1;
	if (len < strlen(HWM_MAGIC) ||
	    memcmp(text, HWM_MAGIC, strlen(HWM_MAGIC)) != 0)
		return -1;
	/* The sum covers the bytes as they are, before they are cut up. */
	for (sum = text + len - 1; sum > text && sum[-1] != '\n'; sum--)
		;
	if (text[len - 1] != '\n' || strncmp(sum, "sum ", 4) != 0 ||
	    sscanf(sum + 4, "%8x", &want) != 1 ||
	    (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)text,
	    (uInt)(sum - text)) != (uint32_t)want) {
		*bad = 0;
		for (line = text; line < sum; line++)
			*bad += *line == '\n';
		*bad += 1;
		return -1;
	}
	len = (size_t)(sum - text);
	while (line < text + len) {
		lineno++;
		if ((nl = memchr(line, '\n', (size_t)(text + len - line))) ==
		    NULL)
			break;
		*nl = '\0';
		*bad = lineno;
		if (lineno == 1) {
			/* the magic */
		} else if (strncmp(line, "live ", 5) == 0 && !h->live.name) {
			if (get_file(line + 5, &h->live, 0) == -1)
				return -1;
		} else if (strncmp(line, "log ", 4) == 0) {
			unsigned long long t;
			unsigned int bc;

			if (sscanf(line + 4, "%llu %8x", &t, &bc) != 2)
				return -1;
			h->total = t;
			h->bodycrc = bc;
		} else if (strncmp(line, "seg ", 4) == 0) {
			h->seg = grv_grow(h->seg, h->nseg,
			    sizeof(*h->seg));
			memset(&h->seg[h->nseg], 0, sizeof(*h->seg));
			if (get_file(line + 4, &h->seg[h->nseg], 1) == -1)
				return -1;
			h->nseg++;
		} else
			return -1;
		line = nl + 1;
	}
	return 0;
}

int
grv_hwm_read(const char *dir, enum grv_ledger_kind k, struct grv_hwm *h)
{
	struct grv_buf path = GRV_BUF_INIT, text = GRV_BUF_INIT;
	char buf[4096];
	ssize_t r;
	unsigned bad = 1;
	int fd, rc = 0;

	memset(h, 0, sizeof(*h));
	hwm_path(&path, dir, k, "");
	fd = open(path.s, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	grv_buf_release(&path);
	if (fd == -1) {
		if (errno == ENOENT)
			return 0;
		grv_err("ledger/.%s.hwm: %s", grv_ledger_name(k),
		    strerror(errno));
		return errno == ELOOP ? GRV_EX_DATAERR : GRV_EX_IOERR;
	}
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			grv_err("ledger/.%s.hwm: %s", grv_ledger_name(k),
			    strerror(errno));
			rc = GRV_EX_IOERR;
			goto out;
		}
		grv_buf_add(&text, buf, (size_t)r);
		if (text.len > 16 * 1024 * 1024)
			break;
	}
	if (text.len == 0 || parse(h, text.s, text.len, &bad) == -1) {
		grv_hwm_release(h);
		grv_err("ledger/.%s.hwm:%u: the high-water mark is damaged "
		    "(it says what grv last wrote; run 'grv-check')",
		    grv_ledger_name(k), text.len ? bad : 1);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	h->present = 1;
out:
	close(fd);
	grv_buf_release(&text);
	return rc;
}

int
grv_hwm_write(const char *dir, enum grv_ledger_kind k,
    const struct grv_hwm *h)
{
	struct grv_buf text = GRV_BUF_INIT, path = GRV_BUF_INIT;
	size_t i;
	int rc;

	grv_buf_adds(&text, HWM_MAGIC);
	if (h->live.name)
		put_file(&text, "live", &h->live, 0);
	for (i = 0; i < h->nseg; i++)
		put_file(&text, "seg", &h->seg[i], 1);
	grv_buf_printf(&text, "log %" PRIu64 " %08" PRIx32 "\n", h->total,
	    h->bodycrc);
	grv_buf_printf(&text, "sum %08lx\n", crc32(crc32(0L, Z_NULL, 0),
	    (const Bytef *)text.s, (uInt)text.len));
	hwm_path(&path, dir, k, "");
	rc = grv_file_replace(path.s, text.s, text.len);
	if (rc == -1)
		grv_err("ledger/.%s.hwm: cannot record the high-water mark: "
		    "%s", grv_ledger_name(k), strerror(errno));
	grv_buf_release(&text);
	grv_buf_release(&path);
	return rc;
}

/* ---- vouching ---- */

static void
identity(struct grv_hwm_file *f, const struct stat *sb)
{
	f->dev = (uint64_t)sb->st_dev;
	f->ino = (uint64_t)sb->st_ino;
	f->size = (uint64_t)sb->st_size;
	f->ctsec = (int64_t)sb->st_ctim.tv_sec;
	f->ctnsec = sb->st_ctim.tv_nsec;
}

static int
same_identity(const struct grv_hwm_file *f, const struct stat *sb)
{
	return f->dev == (uint64_t)sb->st_dev &&
	    f->ino == (uint64_t)sb->st_ino &&
	    f->size == (uint64_t)sb->st_size &&
	    f->ctsec == (int64_t)sb->st_ctim.tv_sec &&
	    f->ctnsec == sb->st_ctim.tv_nsec;
}

/*
 * Does the file at PATH (gzip or plain, as gzopen reads it) hold, in its
 * first SIZE bytes, a row ending at SIZE with crc CRC ("": just the
 * header)?  1, 0, or -1 when it cannot be read.
 */
static int
ends_with_row(const char *path, enum grv_ledger_kind k, uint64_t size,
    const char *crc)
{
	const char *hdr = grv_ledger_header(k);
	size_t hlen = strlen(hdr);
	char buf[16 * 1024];
	gzFile gz;
	int n, ok = 0;

	if ((gz = gzopen(path, "rb")) == NULL)
		return -1;
	if (crc[0] == '\0') {
		n = size == hlen + 1 ? gzread(gz, buf, (unsigned)hlen + 1) : -1;
		ok = n == (int)hlen + 1 && memcmp(buf, hdr, hlen) == 0 &&
		    buf[hlen] == '\n';
	} else if (size >= hlen + 11 &&
	    gzseek(gz, (z_off_t)(size - 10), SEEK_SET) != -1) {
		n = gzread(gz, buf, 10);
		ok = n == 10 && buf[0] == ',' && memcmp(buf + 1, crc, 8) == 0 &&
		    buf[9] == '\n';
	}
	gzclose(gz);
	return ok;
}

/*
 * Call FN on each line (without its newline) of ledger/NAME (gzip or
 * plain), the header included, until it returns non-zero; that value,
 * 0 at the end, or -1 when the file cannot be read.
 */
static int
each_line(const char *dir, const char *name,
    int (*fn)(void *, const char *, size_t), void *arg)
{
	struct grv_buf p = GRV_BUF_INIT, line = GRV_BUF_INIT;
	char buf[64 * 1024], *s, *nl;
	gzFile gz;
	int n, rc = 0;

	grv_buf_printf(&p, "%s/ledger/%s", dir, name);
	gz = gzopen(p.s, "rb");
	grv_buf_release(&p);
	if (gz == NULL)
		return -1;
	while (rc == 0 && (n = gzread(gz, buf, sizeof(buf))) > 0) {
		for (s = buf; rc == 0 && (nl = memchr(s, '\n',
		    (size_t)(buf + n - s))) != NULL; s = nl + 1) {
			grv_buf_add(&line, s, (size_t)(nl - s));
			rc = fn(arg, line.s, line.len);
			grv_buf_reset(&line);
		}
		if (rc == 0)
			grv_buf_add(&line, s, (size_t)(buf + n - s));
	}
	if (n < 0 && rc == 0)
		rc = -1;
	if (gzclose(gz) != Z_OK && rc == 0)
		rc = -1;
	grv_buf_release(&line);
	return rc;
}

static uint32_t
body_crc(const char *row, size_t len)
{
	size_t n = len >= 9 ? len - 9 : 0;	/* before ",crc" */

	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)row,
	    (uInt)n);
}

struct scan {
	uint64_t	 seen, want;
	uint32_t	 bodycrc;
	int		 header;	/* the next line is a header */
};

static int
scan_line(void *arg, const char *s, size_t len)
{
	struct scan *sc = arg;

	if (sc->header) {
		sc->header = 0;
		return 0;
	}
	if (++sc->seen == sc->want)
		return body_crc(s, len) == sc->bodycrc ? 1 : 2;
	return 0;
}

static int
count_line(void *arg, const char *s, size_t len)
{
	(void)s;
	(void)len;
	++*(uint64_t *)arg;
	return 0;
}

/*
 * Does the log (NAMES, then the live file) still hold, as its row number
 * H->total, the row grv last wrote?  For rows sealed by hand and chained
 * afresh; reads every file.
 */
static int
log_holds(const char *dir, enum grv_ledger_kind k,
    const struct grv_segments *sg, const struct grv_hwm *h)
{
	struct grv_buf live = GRV_BUF_INIT;
	struct scan sc = { 0, h->total, h->bodycrc, 1 };
	size_t i;
	int rc = 0;

	if (h->total == 0)
		return 1;
	for (i = 0; i < sg->n && rc == 0; i++) {
		sc.header = 1;
		rc = each_line(dir, sg->name[i], scan_line, &sc);
	}
	if (rc == 0) {
		sc.header = 1;
		grv_buf_printf(&live, "%s.csv", grv_ledger_name(k));
		rc = each_line(dir, live.s, scan_line, &sc);
		grv_buf_release(&live);
	}
	return rc == 1;
}

int
grv_hwm_segment_rows(const char *dir, enum grv_ledger_kind k, uint64_t *rows)
{
	struct grv_segments sg;
	size_t i;
	uint64_t lines;
	int rc = 0;

	*rows = 0;
	grv_ledger_segments(dir, grv_ledger_name(k), &sg);
	for (i = 0; i < sg.n && rc == 0; i++) {
		lines = 0;
		if (each_line(dir, sg.name[i], count_line, &lines) != 0) {
			grv_err("%s: cannot be read", sg.rel[i]);
			rc = -1;
		} else
			*rows += lines ? lines - 1 : 0;
	}
	grv_segments_release(&sg);
	return rc;
}

int
grv_hwm_vouch(const char *dir, enum grv_ledger_kind k,
    const struct stat *live, struct grv_hwm *out, struct grv_buf *why)
{
	struct grv_hwm h = GRV_HWM_INIT;
	struct grv_buf p = GRV_BUF_INIT;
	const char *name = grv_ledger_name(k);
	unsigned char *listed = NULL;
	struct grv_segments sg;
	size_t i, j;
	struct stat sb;
	int rc, verdict = GRV_HWM_TRUSTED, unlisted = 0;
	uint32_t fc;

	if ((rc = grv_hwm_read(dir, k, &h)) != 0)
		return GRV_HWM_DAMAGED;		/* said already */
	grv_ledger_segments(dir, name, &sg);
	if (!h.present) {
		verdict = GRV_HWM_UNKNOWN;
		goto out;
	}
	listed = grv_calloc(sg.n + 1, 1);
	for (i = j = 0; i < h.nseg; i++) {
		const struct grv_hwm_file *s = &h.seg[i];

		while (j < sg.n && strcmp(sg.name[j], s->name) < 0)
			j++;
		if (j == sg.n || strcmp(sg.name[j], s->name) != 0) {
			grv_buf_printf(why, "ledger/%s: missing: grv sealed it "
			    "with %" PRIu64 " rows", s->name, s->rows);
			verdict = GRV_HWM_DAMAGED;
			goto out;
		}
		listed[j] = 1;
		grv_buf_reset(&p);
		grv_buf_printf(&p, "%s/ledger/%s", dir, s->name);
		if (stat(p.s, &sb) == -1) {
			grv_buf_printf(why, "ledger/%s: %s", s->name,
			    strerror(errno));
			verdict = GRV_HWM_DAMAGED;
			goto out;
		}
		if (same_identity(s, &sb))
			continue;
		if ((uint64_t)sb.st_size != s->size ||
		    grv_file_crc(p.s, &fc) == -1 || fc != s->filecrc) {
			grv_buf_printf(why, "ledger/%s: changed since grv "
			    "sealed it (%" PRIu64 " bytes with crc32 %08" PRIx32
			    " then, %llu bytes now)", s->name, s->size,
			    s->filecrc, (unsigned long long)sb.st_size);
			verdict = GRV_HWM_DAMAGED;
			goto out;
		}
		/* The same bytes under another identity: a copy put back. */
	}
	for (j = 0; j < sg.n; j++)
		if (!listed[j])
			unlisted++;
	if (unlisted)
		verdict = GRV_HWM_UNKNOWN;
	if (h.live.name == NULL) {
		if (live != NULL)
			verdict = GRV_HWM_UNKNOWN;
		goto out;
	}
	if (live != NULL && same_identity(&h.live, live))
		goto out;
	verdict = GRV_HWM_UNKNOWN;
	grv_buf_reset(&p);
	grv_buf_printf(&p, "%s/ledger/%s.csv", dir, name);
	if (live != NULL && (uint64_t)live->st_size >= h.live.size &&
	    ends_with_row(p.s, k, h.live.size, h.live.crc) == 1)
		goto out;	/* grown, or touched: the rows are there */
	if (unlisted && log_holds(dir, k, &sg, &h))
		goto out;	/* sealed into a segment, a fresh live file */
	verdict = GRV_HWM_DAMAGED;
	if (live == NULL)
		grv_buf_printf(why, "ledger/%s.csv: missing: grv last wrote "
		    "%" PRIu64 " rows (%" PRIu64 " bytes) to it", name,
		    h.live.rows, h.live.size);
	else if ((uint64_t)live->st_size < h.live.size)
		grv_buf_printf(why, "ledger/%s.csv: shorter than grv last "
		    "wrote it: %llu bytes, where grv wrote %" PRIu64 " rows "
		    "(%" PRIu64 " bytes)", name,
		    (unsigned long long)live->st_size, h.live.rows,
		    h.live.size);
	else
		grv_buf_printf(why, "ledger/%s.csv:%" PRIu64 ": the row grv "
		    "last wrote (crc %s) is not there: the file was replaced "
		    "by an older or another copy, or edited", name,
		    h.live.rows + 1, h.live.crc[0] ? h.live.crc : "-");
out:
	free(listed);
	grv_segments_release(&sg);
	grv_buf_release(&p);
	if (out)
		*out = h;
	else
		grv_hwm_release(&h);
	return verdict;
}

int
grv_hwm_vouch_all(const char *dir, unsigned held, double wait, int *trusted)
{
	struct grv_buf path = GRV_BUF_INIT, why = GRV_BUF_INIT;
	const char *name, *rel;
	struct stat sb;
	int k, v, rc = 0, exists, fd, again = 3;

	*trusted = 1;
	for (k = 0; k < 2 && rc == 0; k++) {
		name = grv_ledger_name((enum grv_ledger_kind)k);
		grv_buf_reset(&path);
		grv_buf_printf(&path, "%s/ledger/%s.csv", dir, name);
		rel = path.s + strlen(dir) + 1;		/* ledger/NAME.csv */
		fd = open(path.s, O_RDONLY | O_CLOEXEC);
		if (fd == -1 && errno != ENOENT) {
			grv_err("ledger/%s.csv: %s", name, strerror(errno));
			rc = GRV_EX_IOERR;
			break;
		}
		/* Under the shared lock a writer is not half way between
		   its append and its mark. */
		if (fd != -1 && !(held & (1u << k)) &&
		    (rc = grv_ledger_flock(fd, LOCK_SH, wait, rel,
		    "a writer")) != 0) {
			close(fd);
			break;
		}
		exists = fd != -1 && fstat(fd, &sb) == 0;
		v = grv_hwm_vouch(dir, (enum grv_ledger_kind)k,
		    exists ? &sb : NULL, NULL, &why);
		if (fd != -1)
			close(fd);
		if (fd == -1 && v == GRV_HWM_DAMAGED && again-- > 0 &&
		    access(path.s, F_OK) == 0) {
			/* Created (and marked) between our open and our
			   read of the mark: look again, under its lock. */
			grv_buf_reset(&why);
			k--;
			continue;
		}
		again = 3;
		if (v == GRV_HWM_DAMAGED) {
			if (why.len)
				grv_err("%s", why.s);
			rc = GRV_EX_DATAERR;
		} else if (v == GRV_HWM_UNKNOWN)
			*trusted = 0;
	}
	grv_buf_release(&path);
	grv_buf_release(&why);
	return rc;
}

int
grv_hwm_record(const char *dir, enum grv_ledger_kind k, int fd,
    uint64_t rows, const char *crc, const char *last, size_t lastlen,
    uint64_t total, const struct grv_hwm *prev)
{
	struct grv_hwm h = GRV_HWM_INIT;
	struct grv_buf p = GRV_BUF_INIT;
	struct grv_segments sg;
	struct stat sb;
	size_t i, j;
	int rc = -1;

	if (fstat(fd, &sb) == -1)
		return -1;
	h.present = 1;
	h.live.name = grv_strdup(grv_ledger_name(k));
	grv_buf_printf(&p, "%s.csv", h.live.name);
	free(h.live.name);
	h.live.name = grv_strdup(p.s);
	identity(&h.live, &sb);
	h.live.rows = rows;
	snprintf(h.live.crc, sizeof(h.live.crc), "%s", crc);
	h.total = total;
	h.bodycrc = last ? body_crc(last, lastlen) : 0;
	grv_ledger_segments(dir, grv_ledger_name(k), &sg);
	h.seg = grv_calloc(sg.n + 1, sizeof(*h.seg));
	for (i = 0; i < sg.n; i++) {
		struct grv_hwm_file *s = &h.seg[h.nseg];
		const struct grv_hwm_file *old = NULL;

		grv_buf_reset(&p);
		grv_buf_printf(&p, "%s/%s", dir, sg.rel[i]);
		if (stat(p.s, &sb) == -1)
			goto out;
		for (j = 0; prev && j < prev->nseg && !old; j++)
			if (strcmp(prev->seg[j].name, sg.name[i]) == 0)
				old = &prev->seg[j];
		h.nseg++;
		if (old && same_identity(old, &sb)) {
			*s = *old;
			s->name = grv_strdup(sg.name[i]);
			continue;
		}
		s->name = grv_strdup(sg.name[i]);
		/* New or moved: its bytes were vouched for by whoever
		   folded it before this writer was let in. */
		identity(s, &sb);
		if (old) {
			s->rows = old->rows;
			memcpy(s->crc, old->crc, 9);
		}
		if (grv_file_crc(p.s, &s->filecrc) == -1)
			goto out;
	}
	rc = grv_hwm_write(dir, k, &h);
out:
	grv_segments_release(&sg);
	grv_buf_release(&p);
	grv_hwm_release(&h);
	return rc;
}

struct tail {
	uint64_t	 lines;
	struct grv_buf	 last;
};

static int
keep_last(void *arg, const char *s, size_t len)
{
	struct tail *t = arg;

	t->lines++;
	grv_buf_reset(&t->last);
	grv_buf_add(&t->last, s, len);
	return 0;
}

int
grv_hwm_adopt(const char *dir, enum grv_ledger_kind k, int fd)
{
	struct grv_hwm prev = GRV_HWM_INIT;
	struct grv_buf name = GRV_BUF_INIT;
	struct tail t = { 0, GRV_BUF_INIT };
	uint64_t segrows, rows;
	char crc[9] = "";
	int rc = -1;

	grv_buf_printf(&name, "%s.csv", grv_ledger_name(k));
	if (grv_hwm_read(dir, k, &prev) != 0 ||
	    grv_hwm_segment_rows(dir, k, &segrows) == -1 ||
	    each_line(dir, name.s, keep_last, &t) != 0)
		goto out;
	rows = t.lines ? t.lines - 1 : 0;
	if (rows && t.last.len >= 8)
		memcpy(crc, t.last.s + t.last.len - 8, 8);
	rc = grv_hwm_record(dir, k, fd, rows, crc, rows ? t.last.s : NULL,
	    t.last.len, segrows + rows, &prev);
out:
	grv_hwm_release(&prev);
	grv_buf_release(&name);
	grv_buf_release(&t.last);
	return rc;
}
