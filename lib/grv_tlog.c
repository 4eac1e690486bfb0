/* grv_tlog.c: a ledger read as a transparency log.
 *
 * The log of ledger NAME is the rows of its sealed segments, in name
 * order, then those of ledger/NAME.csv, without their header lines; leaf
 * i is row i's bytes up to and excluding its final comma, the bytes its
 * crc covers: a row re-chained by sealing (its crc changed, nothing
 * else) is the same leaf.  A scan reads them once, raw
 * (the crc chain and the row rules are grv-check's and the readers'), and
 * hashes them into the compact range; an hourly checkpoint starts where
 * the last one stopped, from the state kept in cache/merkle-NAME:
 *
 *   "grv-merkle 1\n\0\0\0"   16 bytes
 *   segments, segment rows, live dev, live ino, live offset   5 x u64
 *   the compact range (struct grv_mrange), the last row's hash
 *   SHA-256 of everything before
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stddef.h>
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
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_tlog.h"

#define CHUNK	(1024 * 1024)
#define MAGIC	"grv-merkle 1\n"

void
grv_tlog_leaf(const char *row, size_t len, grv_hash out)
{
	const char *c = memrchr(row, ',', len);

	grv_merkle_leaf(row, c ? (size_t)(c - row) : len, out);
}

void
grv_tlog_release(struct grv_tlog *t)
{
	size_t i;

	for (i = 0; i < t->nf; i++)
		free(t->f[i].rel);
	free(t->f);
	t->f = NULL;
	t->nf = 0;
}

static struct grv_tlog_file *
add_file(struct grv_tlog *t, const char *rel, uint64_t first)
{
	struct grv_tlog_file *f;

	t->f = grv_reallocarray(t->f, t->nf + 1, sizeof(*t->f));
	f = &t->f[t->nf++];
	f->rel = grv_strdup(rel);
	f->first = first;
	f->rows = 0;
	return f;
}

/* One file being read: plain (FD) or gzip (GZ). */
struct src {
	int		 fd;
	gzFile		 gz;
};

static long
src_read(struct src *s, char *p, size_t n)
{
	ssize_t r;

	if (s->gz)
		return gzread(s->gz, p, (unsigned)n);
	while ((r = read(s->fd, p, n)) == -1 && errno == EINTR)
		;
	return (long)r;
}

/*
 * A chunk of whole lines read from a file, and their leaf hashes.  Two
 * take turns: one is hashed on a thread of its own while the caller's
 * thread adds the one before to the tree, so that reading and the leaf
 * hashes (the bulk of SHA-256's work) run beside the node hashes.
 */
struct chunk {
	struct grv_buf	 b;
	uint64_t	 base;		/* B's offset in the live file */
	size_t		 n, cap;
	size_t		*off, *len;	/* each line in B, without its '\n' */
	grv_hash	*leaf;
};

static void
chunk_line(struct chunk *c, size_t off, size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4096;
		c->off = grv_reallocarray(c->off, c->cap, sizeof(*c->off));
		c->len = grv_reallocarray(c->len, c->cap, sizeof(*c->len));
		c->leaf = grv_reallocarray(c->leaf, c->cap, sizeof(*c->leaf));
	}
	c->off[c->n] = off;
	c->len[c->n++] = len;
}

static void *
chunk_hash(void *arg)
{
	struct chunk *c = arg;
	size_t i;

	for (i = 0; i < c->n; i++)
		grv_tlog_leaf(c->b.s + c->off[i], c->len[i], c->leaf[i]);
	return NULL;
}

static void
chunk_release(struct chunk *c)
{
	grv_buf_release(&c->b);
	free(c->off);
	free(c->len);
	free(c->leaf);
}

/* Add chunk C's leaves to T, file F. */
static void
chunk_push(const struct chunk *c, struct grv_tlog *t, struct grv_tlog_file *f,
    grv_tlog_leaf_fn *fn, void *arg)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		t->at = c->base == GRV_TLOG_SEALED ? GRV_TLOG_SEALED :
		    c->base + c->off[i];
		if (fn)
			fn(arg, t->r.n, c->leaf[i], c->b.s + c->off[i],
			    c->len[i]);
		grv_mrange_push(&t->r, c->leaf[i]);
		f->rows++;
	}
	if (c->n > 0)
		grv_merkle_leaf(c->b.s + c->off[c->n - 1],
		    c->len[c->n - 1], t->last);
}

/*
 * Hash the lines of S into T, file F: the header first unless HEADER_DONE.
 * Only whole lines count; *END gets the bytes consumed (whole lines).
 * BASE: S's offset in the live file, GRV_TLOG_SEALED for a segment.
 */
static int
hash_lines(struct src *s, const char *rel, enum grv_ledger_kind k,
    int header_done, uint64_t base, struct grv_tlog *t, struct grv_tlog_file *f,
    grv_tlog_leaf_fn *fn, void *arg, uint64_t *end)
{
	struct chunk ch[2];
	struct chunk *cur = &ch[0], *prev = NULL;
	const char *hdr = grv_ledger_header(k);
	size_t start, i, carry = 0;
	uint64_t consumed = 0;
	pthread_t th;
	int rc = 0, threaded, eof = 0;
	long r;

	memset(ch, 0, sizeof(ch));
	while (!eof) {
		/* A chunk: the partial line the last one ended with, then
		   what the file gives, cut after its last line feed. */
		grv_buf_reset(&cur->b);
		cur->n = 0;
		cur->base = base == GRV_TLOG_SEALED ? base : base + consumed;
		grv_buf_grow(&cur->b, CHUNK + carry + 1);
		if (carry)
			grv_buf_add(&cur->b, (prev ? prev : &ch[1])->b.s +
			    (prev ? prev : &ch[1])->b.len, carry);
		do {
			grv_buf_grow(&cur->b, CHUNK);
			if ((r = src_read(s, cur->b.s + cur->b.len, CHUNK)) < 0) {
				grv_err("%s: read error", rel);
				rc = GRV_EX_IOERR;
				goto out;
			}
			cur->b.len += (size_t)r;
			eof = r == 0;
		} while (!eof && memchr(cur->b.s + carry, '\n',
		    cur->b.len - carry) == NULL);
		for (start = 0, i = 0; i < cur->b.len; i = start) {
			const char *nl = memchr(cur->b.s + i, '\n',
			    cur->b.len - i);

			if (nl == NULL)
				break;
			i = (size_t)(nl - cur->b.s);
			if (!header_done) {
				if (i - start != strlen(hdr) ||
				    memcmp(cur->b.s + start, hdr,
				    strlen(hdr)) != 0) {
					grv_err("%s:1: not the header of the "
					    "%s ledger", rel,
					    grv_ledger_name(k));
					rc = GRV_EX_DATAERR;
					goto out;
				}
				header_done = 1;
			} else
				chunk_line(cur, start, i - start);
			consumed += i + 1 - start;
			start = i + 1;
		}
		/* The partial line stays after the bytes the chunk uses. */
		carry = cur->b.len - start;
		cur->b.len = start;
		/* A thread only pays when there is a chunk before to add
		   beside it: the rows an hourly checkpoint reads (one chunk,
		   often less) are hashed here, not woken on another thread
		   that a busy machine makes wait for a core. */
		threaded = prev != NULL && pthread_create(&th, NULL,
		    chunk_hash, cur) == 0;
		if (!threaded)
			chunk_hash(cur);
		if (prev)
			chunk_push(prev, t, f, fn, arg);
		if (threaded)
			pthread_join(th, NULL);
		prev = cur;
		cur = cur == &ch[0] ? &ch[1] : &ch[0];
	}
	if (prev)
		chunk_push(prev, t, f, fn, arg);
	/* No tree holds half a row: a torn write is grv-check's to mend. */
	if (carry > 0) {
		grv_err("%s: its last line has no line feed (a torn write); "
		    "run 'grv-check --repair'", rel);
		rc = GRV_EX_DATAERR;
	}
out:
	chunk_release(&ch[0]);
	chunk_release(&ch[1]);
	*end = consumed;
	return rc;
}

static int
scan_segment(const char *dir, const char *rel, struct grv_tlog *t,
    grv_tlog_leaf_fn *fn, void *arg)
{
	struct grv_buf p = GRV_BUF_INIT;
	struct src s = { -1, NULL };
	struct grv_tlog_file *f;
	uint64_t end;
	int rc, e;

	grv_buf_printf(&p, "%s/%s", dir, rel);
	if ((s.fd = open(p.s, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (s.gz = gzdopen(s.fd, "rb")) == NULL) {
		grv_err("%s: %s", rel, strerror(errno));
		if (s.fd != -1)
			close(s.fd);
		grv_buf_release(&p);
		return GRV_EX_NOINPUT;
	}
	grv_buf_release(&p);
	f = add_file(t, rel, t->r.n);
	rc = hash_lines(&s, rel, t->kind, 0, GRV_TLOG_SEALED, t, f, fn, arg,
	    &end);
	if ((e = gzclose(s.gz)) != Z_OK && rc == 0) {
		grv_err("%s: not a whole gzip file", rel);
		rc = GRV_EX_DATAERR;
	}
	return rc;
}

int
grv_tlog_scan(const char *dir, enum grv_ledger_kind k, double wait,
    const struct grv_tlog *from, struct grv_tlog *t, grv_tlog_leaf_fn *fn,
    void *arg)
{
	struct grv_segments sg = GRV_SEGMENTS_INIT;
	struct grv_buf p = GRV_BUF_INIT, rel = GRV_BUF_INIT;
	struct src s = { -1, NULL };
	struct grv_tlog_file *f;
	struct stat sb;
	uint64_t end;
	size_t i;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	t->kind = k;
	if (from) {
		/* Its segments as they were; the live file goes on. */
		for (i = 0; i + 1 < from->nf; i++)
			add_file(t, from->f[i].rel, from->f[i].first)->rows =
			    from->f[i].rows;
		t->r = from->r;
		memcpy(t->last, from->last, GRV_HASHLEN);
	} else {
		grv_ledger_segments(dir, grv_ledger_name(k), &sg);
		for (i = 0; i < sg.n && rc == 0; i++)
			rc = scan_segment(dir, sg.rel[i], t, fn, arg);
		grv_segments_release(&sg);
		if (rc)
			return rc;
	}
	grv_buf_printf(&rel, "ledger/%s.csv", grv_ledger_name(k));
	grv_buf_printf(&p, "%s/%s", dir, rel.s);
	f = add_file(t, rel.s, from ? from->f[from->nf - 1].first : t->r.n);
	if (from)
		f->rows = from->f[from->nf - 1].rows;
	t->live_off = from ? from->live_off : 0;
	if ((s.fd = open(p.s, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT || (from && from->live_off > 0)) {
			grv_err("%s: %s", rel.s, strerror(errno));
			rc = errno == ENOENT ? GRV_EX_DATAERR : GRV_EX_IOERR;
		}
		goto out;
	}
	if ((rc = grv_ledger_flock(s.fd, LOCK_SH, wait, rel.s,
	    "a writer")) != 0)
		goto out;
	if (fstat(s.fd, &sb) == 0) {
		uint64_t at, len;

		t->live_dev = (uint64_t)sb.st_dev;
		t->live_ino = (uint64_t)sb.st_ino;
		/* Rows of an append cut short are not the ledger's yet:
		   'grv-check --repair' may move them aside. */
		if (grv_pending_state(dir, k, (uint64_t)sb.st_size, &at,
		    &len) == GRV_PENDING_CUT) {
			grv_err("%s: an append was cut short at byte %llu; run "
			    "'grv-check --repair'", rel.s,
			    (unsigned long long)at);
			rc = GRV_EX_DATAERR;
			goto out;
		}
	}
	if (t->live_off > 0 && lseek(s.fd, (off_t)t->live_off, SEEK_SET) ==
	    -1) {
		grv_err("%s: %s", rel.s, strerror(errno));
		rc = GRV_EX_IOERR;
		goto out;
	}
	rc = hash_lines(&s, rel.s, k, t->live_off > 0, t->live_off, t, f, fn,
	    arg, &end);
	t->live_off += end;
out:
	if (s.fd != -1)
		close(s.fd);
	grv_buf_release(&p);
	grv_buf_release(&rel);
	return rc;
}

void
grv_tlog_where(const struct grv_tlog *t, uint64_t index, struct grv_buf *b)
{
	size_t i;

	for (i = 0; i < t->nf; i++)
		if (index < t->f[i].first + t->f[i].rows || i + 1 == t->nf)
			break;
	if (t->nf == 0) {
		grv_buf_printf(b, "row %llu", (unsigned long long)index + 1);
		return;
	}
	grv_buf_printf(b, "%s:%llu", t->f[i].rel,
	    (unsigned long long)(index - t->f[i].first + 2));
}

/* ---- the state in cache/ ---- */

struct state {
	char		 magic[16];
	uint64_t	 nseg, segrows, dev, ino, off, liverows;
	struct grv_mrange r;
	grv_hash	 last;
	unsigned char	 sum[32];
};

void
grv_tlog_path(struct grv_buf *b, const char *dir, enum grv_ledger_kind k,
    const char *suffix)
{
	grv_buf_reset(b);
	grv_buf_printf(b, "%s/cache/merkle-%s%s", dir, grv_ledger_name(k),
	    suffix);
}

int
grv_tlog_load(const char *dir, enum grv_ledger_kind k, struct grv_tlog *t)
{
	struct grv_segments sg = GRV_SEGMENTS_INIT;
	struct grv_buf p = GRV_BUF_INIT;
	struct state st;
	unsigned char sum[32];
	uint64_t segrows = 0;
	size_t i;
	int fd, rc = -1;

	memset(t, 0, sizeof(*t));
	grv_tlog_path(&p, dir, k, "");
	fd = open(p.s, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || grv_pread_all(fd, &st, sizeof(st), 0) == -1)
		goto out;
	crypto_hash_sha256(sum, (const unsigned char *)&st,
	    offsetof(struct state, sum));
	grv_ledger_segments(dir, grv_ledger_name(k), &sg);
	if (memcmp(st.magic, MAGIC, sizeof(MAGIC)) != 0 ||
	    memcmp(sum, st.sum, 32) != 0 || st.nseg != sg.n ||
	    st.r.k > 64 || st.r.k != (unsigned)__builtin_popcountll(st.r.n) ||
	    st.segrows + st.liverows != st.r.n)
		goto out;
	/* The segments' rows, which a resumed scan does not read again:
	   only their count is kept, the files are the same names. */
	t->kind = k;
	for (i = 0; i < sg.n; i++)
		add_file(t, sg.rel[i], 0);
	if (sg.n > 0) {
		t->f[sg.n - 1].rows = st.segrows;	/* as one span */
		segrows = st.segrows;
	}
	add_file(t, "", segrows)->rows = st.liverows;
	t->live_dev = st.dev;
	t->live_ino = st.ino;
	t->live_off = st.off;
	t->r = st.r;
	memcpy(t->last, st.last, GRV_HASHLEN);
	rc = 0;
out:
	if (rc)
		grv_tlog_release(t);
	if (fd != -1)
		close(fd);
	grv_segments_release(&sg);
	grv_buf_release(&p);
	return rc;
}

int
grv_tlog_save(const char *dir, const struct grv_tlog *t,
    const unsigned char *leaves4, uint64_t from, uint64_t n)
{
	struct grv_buf p = GRV_BUF_INIT, tmp = GRV_BUF_INIT;
	struct state st;
	struct stat sb;
	int fd = -1, rc = -1;

	grv_buf_printf(&p, "%s/cache", dir);
	if (lstat(p.s, &sb) == -1 && mkdir(p.s, 0777) == -1)
		goto out;
	if (lstat(p.s, &sb) == -1 || !S_ISDIR(sb.st_mode))
		goto out;
	memset(&st, 0, sizeof(st));
	memcpy(st.magic, MAGIC, sizeof(MAGIC));
	st.nseg = t->nf ? t->nf - 1 : 0;
	st.segrows = t->nf ? t->f[t->nf - 1].first : 0;
	st.liverows = t->nf ? t->f[t->nf - 1].rows : 0;
	st.dev = t->live_dev;
	st.ino = t->live_ino;
	st.off = t->live_off;
	st.r = t->r;
	memcpy(st.last, t->last, GRV_HASHLEN);
	crypto_hash_sha256(st.sum, (const unsigned char *)&st,
	    offsetof(struct state, sum));
	/* The leaf prefixes first: the state never claims more of them. */
	grv_tlog_path(&p, dir, t->kind, ".leaves");
	if ((fd = open(p.s, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	    (from == 0 ? O_TRUNC : 0), 0666)) == -1)
		goto out;
	if (n > from && (lseek(fd, (off_t)(from * 4), SEEK_SET) == -1 ||
	    grv_write_all(fd, leaves4, (size_t)(n - from) * 4) == -1))
		goto out;
	if (close(fd) == -1) {
		fd = -1;
		goto out;
	}
	grv_tlog_path(&p, dir, t->kind, "");
	grv_buf_printf(&tmp, "%s.tmp%ld", p.s, (long)getpid());
	if ((fd = open(tmp.s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0666)) == -1)
		goto out;
	if (grv_write_all(fd, &st, sizeof(st)) == -1 || close(fd) == -1 ||
	    rename(tmp.s, p.s) == -1) {
		fd = -1;
		unlink(tmp.s);
		goto out;
	}
	fd = -1;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	grv_buf_release(&p);
	grv_buf_release(&tmp);
	return rc;
}

unsigned char *
grv_tlog_load_leaves(const char *dir, enum grv_ledger_kind k, uint64_t n)
{
	struct grv_buf p = GRV_BUF_INIT;
	unsigned char *b = NULL;
	int fd;

	grv_tlog_path(&p, dir, k, ".leaves");
	if ((fd = open(p.s, O_RDONLY | O_CLOEXEC)) != -1) {
		b = grv_malloc(n ? (size_t)n * 4 : 1);
		if (grv_pread_all(fd, b, (size_t)n * 4, 0) == -1) {
			free(b);
			b = NULL;
		}
		close(fd);
	}
	grv_buf_release(&p);
	return b;
}
