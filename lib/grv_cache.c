/* grv_cache.c: the derived state cache, DIR/cache/state.bin.
 *
 * The cache holds the folded state (every complaint's struct grv_cstate)
 * and, for each live ledger, where the fold stopped: the byte offset, the
 * line, the chain crc there, the file's identity (device and inode) and the
 * signature of the sealed segments before it.  A reading program that finds
 * a cache matching the ledger folds only the rows appended since; one that
 * finds none, or one that does not match, folds from scratch and writes a
 * new one.  Deleting cache/ only ever costs speed.
 *
 * A cache is used only when all of these hold, else it is ignored:
 *   - magic, version, byte order, record size and a checksum of the data;
 *   - the conf's node and levels, and the masters' codes in file order (the
 *     state stores master indices);
 *   - each live ledger is the same file (device, inode), at least as long
 *     as the cache says, and the row that ends at that offset carries the
 *     cached crc and follows from the row before it (so a ledger rewritten
 *     in place is caught at its tail); the sealed segments are unchanged;
 *   - no row the cache covers is stamped after --now (a run "as of" an
 *     earlier time folds from scratch).
 *
 * A new cache is written to a temporary file in cache/ and renamed over
 * state.bin.  A cache that was loaded and has moved on is updated in place:
 * only the blocks of 8192 complaints whose bytes changed, then the header,
 * under an exclusive flock (readers hold a shared one while they read), so
 * an hourly sweep over a million complaints writes kilobytes, not 80 MB.  A
 * crash half way leaves blocks that do not match the header's checksum: the
 * next reader folds from scratch.  A cache that cannot be written
 * (read-only cache/, say) is not an error.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_cache.h"
#include "grv_csv.h"
#include "grv_file.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_fold.h"

#define CACHE_MAGIC	"GRVCACHE"
#define CACHE_VERSION	3	/* 3: a transfer places (attended = 0) */
#define CACHE_BOM	0x0102030405060708ULL

/* The cstate's last member ends before sizeof: trailing padding, zeroed
   on write so that the same state always makes the same bytes. */
#define CS_USED	(offsetof(struct grv_cstate, channel) + \
	sizeof(((struct grv_cstate *)0)->channel))

struct cache_pos {
	uint64_t	 size;
	uint64_t	 line;
	uint64_t	 segsig;
	uint64_t	 dev;
	uint64_t	 ino;
	char		 crc[16];	/* 8 hex digits, NUL padded */
};

/* Every member a multiple of 8 bytes: no padding. */
struct cache_hdr {
	char		 magic[8];
	uint64_t	 version;
	uint64_t	 bom;
	uint64_t	 cssize;
	uint64_t	 mastersig;
	uint64_t	 n;
	int64_t		 last_ts;
	int64_t		 last_reg;
	int64_t		 maxts;		/* latest stamp of any row covered */
	uint64_t	 datasum;
	struct cache_pos pos[2];
	uint64_t	 hdrsum;	/* of everything above */
};

/* What the last successful load found: an unchanged state is not written
   back, and a changed one rewrites only the blocks that changed. */
static struct {
	int		 valid;
	uint32_t	 n;
	uint64_t	 size[2];
	struct cache_hdr hdr;
	uint64_t	 dev, ino;
	uint64_t	*bsum;		/* each block's sum, as in the file */
	size_t		 nblocks;
} loaded;

static int readonly;

void
grv_cache_readonly(int on)
{
	readonly = on;
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t
fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);
}

/* One step of the checksum: a bijection of H for a given W, so that any
   one changed word always changes the result. */
static uint64_t
mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/*
 * A fast checksum of the data (it finds the blocks that changed, and
 * damage): four lanes of 64-bit words, then the lanes mixed in turn and
 * the tail bytes.
 */
static uint64_t
datasum(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t lane[4] = { 1, 2, 3, 4 }, w, h = 0;
	size_t i;

	for (; n >= 32; s += 32, n -= 32)
		for (i = 0; i < 4; i++) {
			memcpy(&w, s + 8 * i, 8);
			lane[i] = mix(lane[i], w);
		}
	for (i = 0; i < 4; i++)
		h = mix(h, lane[i]);
	return fnv(h, s, n);
}

/* The data checksum: the blocks' sums chained, CACHE_CHUNK records a
   block, so that the writer (which zeroes padding block by block) and the
   reader (which has the whole array) agree. */
#define CACHE_CHUNK	8192

#define NBLOCKS(n)	(((size_t)(n) + CACHE_CHUNK - 1) / CACHE_CHUNK)

static uint64_t
blocksum(const struct grv_cstate *c, size_t n)
{
	return datasum(c, n * sizeof(*c));
}

static uint64_t
chainsum(uint64_t sum, uint64_t b)
{
	return fnv(sum, &b, sizeof(b));
}

/* The data checksum of C[0..N), each block's sum kept in BSUM. */
static uint64_t
sumall(const struct grv_cstate *c, size_t n, uint64_t *bsum)
{
	uint64_t sum = 0;
	size_t i, k, b;

	for (i = b = 0; i < n; i += k, b++) {
		k = n - i < CACHE_CHUNK ? n - i : CACHE_CHUNK;
		bsum[b] = blocksum(c + i, k);
		sum = chainsum(sum, bsum[b]);
	}
	return sum;
}

/* What the state's indices and checks depend on: node, levels, codes. */
static uint64_t
masters_sig(const struct grv_ctx *ctx)
{
	const struct grv_masters *m = &ctx->m;
	uint64_t h = 1469598103934665603ULL, v;
	size_t i;

	h = fnv_str(h, ctx->conf.node);
	v = (uint64_t)ctx->conf.levels;
	h = fnv(h, &v, sizeof(v));
	v = m->ndepts;
	h = fnv(h, &v, sizeof(v));
	for (i = 0; i < m->ndepts; i++)
		h = fnv_str(h, m->depts[i].code);
	v = m->nlocs;
	h = fnv(h, &v, sizeof(v));
	for (i = 0; i < m->nlocs; i++)
		h = fnv_str(h, m->locs[i].code);
	v = m->nofficers;
	h = fnv(h, &v, sizeof(v));
	for (i = 0; i < m->nofficers; i++)
		h = fnv_str(h, m->officers[i].code);
	v = m->ncats;
	h = fnv(h, &v, sizeof(v));
	for (i = 0; i < m->ncats; i++)
		h = fnv_str(h, m->cats[i].code);
	return h;
}

static char *
cache_path(const struct grv_ctx *ctx, const char *name)
{
	struct grv_buf b = GRV_BUF_INIT;

	grv_buf_printf(&b, "%s/cache%s%s", ctx->dir, name ? "/" : "",
	    name ? name : "");
	return b.s;
}

/*
 * Does ledger/STEM.csv still hold what the cache folded?  The same file,
 * at least POS->size bytes, and the row ending there carries POS->crc and
 * follows from the row before it (or is the header when crc is "").
 */
static int
ledger_matches(const struct grv_ctx *ctx, enum grv_ledger_kind kind,
    const struct cache_pos *pos)
{
	const char *stem = grv_ledger_name(kind);
	struct grv_tail t = GRV_TAIL_INIT;
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb;
	int fd, k, ok = -1;

	if (grv_segments_sig(ctx->dir, stem) != pos->segsig)
		return -1;
	grv_buf_printf(&b, "%s/ledger/%s.csv", ctx->dir, stem);
	fd = open(b.s, O_RDONLY | O_CLOEXEC);
	grv_buf_release(&b);
	if (fd == -1)
		return pos->size == 0 && errno == ENOENT ? 0 : -1;
	if (pos->size == 0) {
		/* The cache saw no file; it may have appeared since, and
		   the fold reads it from its start. */
		close(fd);
		return 0;
	}
	if (fstat(fd, &sb) == -1 || (uint64_t)sb.st_dev != pos->dev ||
	    (uint64_t)sb.st_ino != pos->ino ||
	    (uint64_t)sb.st_size < pos->size)
		goto out;
	k = grv_ledger_tail(fd, (off_t)pos->size, kind, 8192,
	    GRV_CSV_MAXREC * 4, &t);
	if (pos->crc[0] == '\0')
		ok = k == GRV_TAIL_HEADER ? 0 : -1;	/* only the header */
	else
		ok = k == GRV_TAIL_ROW &&
		    memcmp(t.last + t.lastlen - 8, pos->crc, 8) == 0 ? 0 : -1;
out:
	grv_tail_release(&t);
	close(fd);
	return ok;
}

/*
 * A writer updating the cache in place holds LOCK_EX for milliseconds; one
 * that holds it longer (stopped, say) is not waited for: the caller folds
 * from scratch instead.
 */
static int
lock_shared(int fd)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 300; i++) {
		if (flock(fd, LOCK_SH | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		nanosleep(&ts, NULL);
	}
	return -1;
}

int
grv_cache_load(struct grv_state *st, const struct grv_ctx *ctx,
    grv_time_t now)
{
	struct cache_hdr h;
	struct grv_cstate *c = NULL;
	uint64_t *bsum = NULL;
	struct stat sb;
	char *path;
	size_t bytes;
	int fd, k;

	loaded.valid = 0;
	free(loaded.bsum);
	loaded.bsum = NULL;
	path = cache_path(ctx, "state.bin");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return -1;
	if (lock_shared(fd) == -1 || fstat(fd, &sb) == -1 || (size_t)sb.st_size < sizeof(h) ||
	    grv_pread_all(fd, &h, sizeof(h), 0) == -1)
		goto fail;
	if (memcmp(h.magic, CACHE_MAGIC, 8) != 0 ||
	    h.version != CACHE_VERSION || h.bom != CACHE_BOM ||
	    h.cssize != sizeof(struct grv_cstate) ||
	    h.hdrsum != datasum(&h, offsetof(struct cache_hdr, hdrsum)) ||
	    h.n > UINT32_MAX - 1 ||
	    (uint64_t)sb.st_size != sizeof(h) + h.n * h.cssize ||
	    h.mastersig != masters_sig(ctx) ||
	    (h.maxts != GRV_TIME_NONE && h.maxts > now))
		goto fail;
	for (k = 0; k < 2; k++)
		if (h.pos[k].crc[8] != '\0' ||
		    ledger_matches(ctx, (enum grv_ledger_kind)k,
		    &h.pos[k]) == -1)
			goto fail;
	bytes = (size_t)h.n * sizeof(*c);
	c = grv_malloc(bytes ? bytes : 1);
	if (bytes && grv_pread_all(fd, c, bytes, (off_t)sizeof(h)) == -1)
		goto fail;
	bsum = grv_calloc(NBLOCKS(h.n) + 1, sizeof(*bsum));
	if (sumall(c, h.n, bsum) != h.datasum)
		goto fail;
	close(fd);
	st->c = c;
	st->n = st->cap = (uint32_t)h.n;
	st->last_ts = h.last_ts;
	st->last_reg = h.last_reg;
	st->cut = 0;
	for (k = 0; k < 2; k++) {
		st->pos[k].size = h.pos[k].size;
		st->pos[k].line = (unsigned long)h.pos[k].line;
		memcpy(st->pos[k].crc, h.pos[k].crc, 9);
		st->pos[k].segsig = h.pos[k].segsig;
		loaded.size[k] = h.pos[k].size;
	}
	loaded.n = st->n;
	loaded.hdr = h;
	loaded.dev = (uint64_t)sb.st_dev;
	loaded.ino = (uint64_t)sb.st_ino;
	loaded.bsum = bsum;
	loaded.nblocks = NBLOCKS(h.n);
	loaded.valid = 1;
	return 0;
fail:
	free(bsum);
	free(c);
	close(fd);
	return -1;
}

/* The identity of ledger/STEM.csv, or zeros when it does not exist. */
static void
ledger_id(const struct grv_ctx *ctx, enum grv_ledger_kind kind,
    struct cache_pos *cp)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb;

	grv_buf_printf(&b, "%s/ledger/%s.csv", ctx->dir,
	    grv_ledger_name(kind));
	if (stat(b.s, &sb) == 0) {
		cp->dev = (uint64_t)sb.st_dev;
		cp->ino = (uint64_t)sb.st_ino;
	}
	grv_buf_release(&b);
}

static int
pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;
	ssize_t w;

	while (len > 0) {
		w = pwrite(fd, p, len, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		p += w;
		len -= (size_t)w;
		off += w;
	}
	return 0;
}

/* Expected on a read-only cache/: not worth a word.  Anything else is
   said once, and the program goes on. */
static void
save_failed(const char *what)
{
	if (errno != EACCES && errno != EPERM && errno != EROFS)
		grv_err("cache/state.bin: %s: %s (only speed is lost)", what,
		    strerror(errno));
}

static void
make_header(struct cache_hdr *h, const struct grv_state *st,
    const struct grv_ctx *ctx)
{
	grv_time_t maxts;
	size_t i;
	int k;

	memset(h, 0, sizeof(*h));
	memcpy(h->magic, CACHE_MAGIC, 8);
	h->version = CACHE_VERSION;
	h->bom = CACHE_BOM;
	h->cssize = sizeof(struct grv_cstate);
	h->mastersig = masters_sig(ctx);
	h->n = st->n;
	h->last_ts = st->last_ts;
	h->last_reg = st->last_reg;
	maxts = st->last_ts;
	for (i = 0; i < st->n; i++)
		if (maxts == GRV_TIME_NONE || st->c[i].registered > maxts)
			maxts = st->c[i].registered;
	h->maxts = maxts;
	for (k = 0; k < 2; k++) {
		h->pos[k].size = st->pos[k].size;
		h->pos[k].line = st->pos[k].line;
		h->pos[k].segsig = st->pos[k].segsig;
		memcpy(h->pos[k].crc, st->pos[k].crc, 9);
		if (st->pos[k].size)
			ledger_id(ctx, (enum grv_ledger_kind)k, &h->pos[k]);
	}
}

/*
 * Write the data to FD block by block, padding zeroed, then the header.
 * With OLD (the block sums of the file as loaded) only the blocks whose
 * contents differ are written.  0, or -1 with errno set.
 */
static int
write_cache(int fd, struct cache_hdr *h, const struct grv_state *st,
    const uint64_t *old, size_t nold)
{
	struct grv_cstate *blk;
	uint64_t sum = 0, bs;
	size_t i, j, n, b;
	int rc = 0;

	blk = grv_malloc(CACHE_CHUNK * sizeof(*blk));
	for (i = b = 0; i < st->n; i += n, b++) {
		n = st->n - i < CACHE_CHUNK ? st->n - i : CACHE_CHUNK;
		if (old && b < nold &&
		    (b + 1 < nold || n == loaded.n - i) &&
		    (bs = blocksum(st->c + i, n)) == old[b]) {
			/* Unchanged (its padding was zero as loaded). */
			sum = chainsum(sum, bs);
			continue;
		}
		memcpy(blk, st->c + i, n * sizeof(*blk));
		for (j = 0; j < n; j++)
			memset((char *)&blk[j] + CS_USED, 0,
			    sizeof(*blk) - CS_USED);
		sum = chainsum(sum, blocksum(blk, n));
		if (pwrite_all(fd, blk, n * sizeof(*blk), (off_t)(sizeof(*h) +
		    i * sizeof(*blk))) == -1) {
			rc = -1;
			break;
		}
	}
	free(blk);
	if (rc == 0) {
		h->datasum = sum;
		h->hdrsum = datasum(h, offsetof(struct cache_hdr, hdrsum));
		rc = pwrite_all(fd, h, sizeof(*h), 0);
	}
	return rc;
}

/*
 * Bring the loaded cache file up to date in place: only the changed
 * blocks and the header are written, under LOCK_EX (readers hold LOCK_SH
 * while they read).  A crash half way leaves blocks that do not sum to the
 * header: the next reader rebuilds.  1 when done, or when another process
 * is updating or has updated it (its state is as good as ours); 0 when
 * the caller should write a whole new file.
 */
static int
update_in_place(struct cache_hdr *h, const struct grv_state *st,
    const char *path)
{
	struct cache_hdr cur;
	struct stat sb;
	int fd, done = 0;

	if (!loaded.valid || st->n < loaded.n)
		return 0;
	if ((fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return 0;
	if (fstat(fd, &sb) == -1 || (uint64_t)sb.st_dev != loaded.dev ||
	    (uint64_t)sb.st_ino != loaded.ino)
		goto out;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		done = 1;		/* someone else is at it */
		goto out;
	}
	if (grv_pread_all(fd, &cur, sizeof(cur), 0) == -1 ||
	    memcmp(&cur, &loaded.hdr, sizeof(cur)) != 0) {
		done = 1;		/* someone else did it */
		goto out;
	}
	if (write_cache(fd, h, st, loaded.bsum, loaded.nblocks) == -1) {
		save_failed("write");
		/* Make sure no reader trusts a half-written file. */
		if (ftruncate(fd, 0) == -1) {
			/* the sums will not match */
		}
	}
	done = 1;
out:
	close(fd);
	return done;
}

int
grv_cache_save(const struct grv_state *st, const struct grv_ctx *ctx)
{
	struct cache_hdr h;
	char *dir, *tmp = NULL, *path = NULL;
	mode_t um;
	int fd = -1, rc;

	static_assert(sizeof(struct cache_hdr) % 8 == 0, "cache header");
	if (st->cut || readonly)
		return 0;
	if (st->n == 0 && st->pos[0].size == 0 && st->pos[1].size == 0)
		return 0;			/* no ledger yet: nothing to keep */
	if (loaded.valid && loaded.n == st->n &&
	    loaded.size[0] == st->pos[0].size &&
	    loaded.size[1] == st->pos[1].size)
		return 0;			/* nothing new since the load */
	/* Derived data, but never written through a symbolic link. */
	if ((rc = grv_refuse_link(ctx->dir, "cache")) != 0 ||
	    (rc = grv_refuse_link(ctx->dir, "cache/state.bin")) != 0)
		return rc;
	make_header(&h, st, ctx);
	path = cache_path(ctx, "state.bin");
	if (update_in_place(&h, st, path))
		goto out;

	dir = cache_path(ctx, NULL);
	if (mkdir(dir, 0777) == -1 && errno != EEXIST) {
		save_failed("mkdir");
		free(dir);
		goto out;
	}
	free(dir);
	tmp = cache_path(ctx, "state.bin.XXXXXX");
	if ((fd = mkstemp(tmp)) == -1) {
		save_failed("create");
		goto out;
	}
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) == -1) {
		/* the cache works either way */
	}
	if (write_cache(fd, &h, st, NULL, 0) == -1) {
		save_failed("write");
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		save_failed("close");
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		save_failed("rename");
		goto fail;
	}
	goto out;
fail:
	if (fd != -1)
		close(fd);
	fd = -1;
	unlink(tmp);
out:
	if (fd != -1)
		close(fd);
	free(tmp);
	free(path);
	return 0;
}
