/* grv_cache.c: the derived state cache, DIR/cache/state.bin: the mapped
 * records, checked as they are read, and their saving (the row index is in
 * grv_cache_rows.c, the key and wake indexes in grv_cache_keys.c, the
 * files' layout in grv_store.h).
 *
 * The cache holds the folded state (every complaint's struct grv_cstate,
 * 80 bytes, one record each after a header page of 4096 bytes) and, for
 * each live ledger, where the fold stopped: the byte offset, the line, the
 * chain crc there, the file's identity (device and inode) and the
 * signature of the sealed segments before it.  A reading program that finds
 * a cache matching the ledger maps it and folds only the rows appended
 * since; one that finds none, or one that does not match, folds from
 * scratch and writes a new one.  Deleting cache/ only ever costs speed.
 *
 * Nothing a single-complaint program does reads the whole file: the
 * header is checked, the records are mapped (MAP_PRIVATE: what the fold
 * changes stays in the process), and each record carries its own check (a
 * hash of its bytes and its number, in the cstate's last four bytes),
 * verified the first time the record is fetched.  A program that looks at
 * every complaint checks every record at the load.
 *
 * A cache is used only when all of these hold, else it is ignored:
 *   - magic, version, byte order, record size, the header's checksum, and
 *     the file exactly as long as its records;
 *   - not left half-updated (the dirty flag) and written since the machine
 *     last booted (a crash may have lost writes the kernel had not made);
 *   - the conf's node, levels and feedback days, and the masters' codes in
 *     file order (the state stores master indices);
 *   - each live ledger is the same file (device, inode), at least as long
 *     as the cache says, and the row that ends at that offset carries the
 *     cached crc and follows from the row before it (so a ledger rewritten
 *     in place is caught at its tail); the sealed segments are unchanged;
 *   - no row the cache covers is stamped after --now (a run "as of" an
 *     earlier time folds from scratch);
 *   - each record it uses matches its check.
 *
 * A new cache is written to a temporary file in cache/ and renamed over
 * state.bin.  A cache that was loaded and has moved on is updated in
 * place: the header marked dirty, the records the fold changed and the new
 * ones written, then the header again, clean.  Readers hold a shared OFD
 * lock on state.bin from the load until they let the state go; the
 * updater turns its own shared lock into an exclusive one without
 * waiting, and when it cannot (someone is reading), leaves the update to a
 * later program: the cache falls a few rows behind, which costs that
 * program the fold of those rows.  A cache that cannot be written
 * (read-only cache/, say) is not an error.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
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
#include "grv_rules.h"
#include "grv_store.h"

static int readonly;

void
grv_cache_readonly(int on)
{
	readonly = on;
}

int
grv_store_readonly(void)
{
	return readonly;
}

void
grv_store_discard(const struct grv_ctx *ctx)
{
	char *path = grv_store_path(ctx, "state.bin");

	unlink(path);
	free(path);
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

/* The header's checksum: its 64-bit words mixed in turn. */
static uint64_t
hdrsum(const struct cache_hdr *h)
{
	const unsigned char *s = (const unsigned char *)h;
	size_t i, n = offsetof(struct cache_hdr, hdrsum);
	uint64_t w, sum = 1;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		sum = grv_store_mix(sum, w);
	}
	return sum;
}

/* A record's check: its bytes and its number, never 0. */
static uint32_t
rec_check(const struct grv_cstate *c, uint32_t n)
{
	const unsigned char *s = (const unsigned char *)c;
	uint64_t w, h = grv_store_mix(0x51ed270b27a3c1d5ULL, n);
	uint32_t t;
	size_t i;

	for (i = 0; i + 8 <= CS_USED; i += 8) {
		memcpy(&w, s + i, 8);
		h = grv_store_mix(h, w);
	}
	memcpy(&t, s + i, 4);
	h = grv_store_mix(h, t);
	t = (uint32_t)(h ^ (h >> 32));
	return t ? t : 1;
}

uint64_t
grv_store_boot(void)
{
	char b[64];
	ssize_t k;
	int fd;

	if ((fd = open("/proc/sys/kernel/random/boot_id",
	    O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	k = read(fd, b, sizeof(b));
	close(fd);
	return k > 0 ? fnv(1469598103934665603ULL, b, (size_t)k) : 0;
}

static uint64_t
masters_sig(const struct grv_ctx *ctx)
{
	const struct grv_masters *m = &ctx->m;
	uint64_t h = 1469598103934665603ULL, v;
	size_t i;

	h = fnv_str(h, ctx->conf.node);
	v = (uint64_t)ctx->conf.levels;
	h = fnv(h, &v, sizeof(v));
	/* Every conf value a wake depends on (grv_wake). */
	v = (uint64_t)ctx->conf.feedback_days;
	h = fnv(h, &v, sizeof(v));
	v = (uint64_t)ctx->conf.hold_days;
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

char *
grv_store_path(const struct grv_ctx *ctx, const char *name)
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
int
grv_store_ledger_matches(const struct grv_ctx *ctx, enum grv_ledger_kind kind,
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

/* Set an OFD lock of TYPE on all of FD without waiting: 0, or -1. */
int
grv_store_lock(int fd, short type)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	return fcntl(fd, F_OFD_SETLK, &fl);
}

/*
 * An updater holds the exclusive lock for milliseconds; one that holds it
 * longer (stopped, say) is not waited for: the caller folds from scratch
 * instead.
 */
static int
lock_shared(int fd)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 300; i++) {
		if (grv_store_lock(fd, F_RDLCK) == 0)
			return 0;
		if (errno != EAGAIN && errno != EACCES && errno != EINTR)
			return -1;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Room for the complaints a fold may add after the load, without moving
   the records (pointers grv_state_get handed out stay good). */
static size_t
reservation(uint64_t n)
{
	return (size_t)n + (size_t)n / 2 + 65536;
}


/* Open cache/NAME as FD for the index, 0 when it holds exactly SIZE
   bytes, else -1. */
static int
open_ix(const struct grv_ctx *ctx, const char *name, int rw, uint64_t size,
    int *fd)
{
	struct stat sb;
	char *path;

	path = grv_store_path(ctx, name);
	*fd = open(path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (*fd == -1)
		return -1;
	if (fstat(*fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size != size) {
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

static void
close_ix(struct grv_store *sp)
{
	if (sp->crowfd != -1)
		close(sp->crowfd);
	if (sp->eixfd != -1)
		close(sp->eixfd);
	if (sp->lastfd != -1)
		close(sp->lastfd);
	if (sp->kixfd != -1)
		close(sp->kixfd);
	if (sp->kheadfd != -1)
		close(sp->kheadfd);
	if (sp->wheadfd != -1)
		close(sp->wheadfd);
	if (sp->parkfd != -1)
		close(sp->parkfd);
	sp->crowfd = sp->eixfd = sp->lastfd = sp->kixfd = sp->kheadfd = -1;
	sp->wheadfd = sp->parkfd = -1;
}

int
grv_cache_load(struct grv_state *st, const struct grv_ctx *ctx,
    const struct grv_fold_opts *o, grv_time_t now)
{
	const size_t cs = sizeof(struct grv_cstate);
	struct grv_store *sp;
	struct grv_cstate *c;
	struct cache_hdr h;
	struct stat sb;
	void *base = MAP_FAILED, *lbase = MAP_FAILED;
	size_t reserved = 0, i;
	char *path;
	int fd, k, rw = 1, point = o && o->point;
	int ixfd[7] = { -1, -1, -1, -1, -1, -1, -1 };
	struct khead *kh = NULL;
	size_t nk = grv_keys_count(ctx);

	static_assert(sizeof(struct grv_cstate) == 80, "cstate");
	static_assert(sizeof(struct cache_hdr) <= CACHE_PAGE, "cache header");
	path = grv_store_path(ctx, "state.bin");
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 && (errno == EACCES || errno == EROFS)) {
		rw = 0;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	free(path);
	if (fd == -1)
		return -1;
	if (lock_shared(fd) == -1 || fstat(fd, &sb) == -1 ||
	    !S_ISREG(sb.st_mode) || sb.st_size < CACHE_PAGE ||
	    grv_pread_all(fd, &h, sizeof(h), 0) == -1)
		goto fail;
	if (memcmp(h.magic, CACHE_MAGIC, 8) != 0 ||
	    h.version != CACHE_VERSION || h.bom != CACHE_BOM ||
	    h.cssize != cs || h.hdrsum != hdrsum(&h) ||
	    h.dirty != 0 || h.boot != grv_store_boot() ||
	    h.n > UINT32_MAX / 2 ||
	    (uint64_t)sb.st_size != CACHE_PAGE + h.n * cs ||
	    h.mastersig != masters_sig(ctx) ||
	    (h.maxts != GRV_TIME_NONE && h.maxts > now))
		goto fail;
	for (k = 0; k < 2; k++)
		if (h.pos[k].crc[8] != '\0' ||
		    grv_store_ledger_matches(ctx, (enum grv_ledger_kind)k,
		    &h.pos[k]) == -1)
			goto fail;
	/* Address space for the records and what the fold adds; the file
	   mapped over its start. */
	reserved = reservation(h.n);
	base = mmap(NULL, reserved * cs, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		goto fail;
	if (h.n > 0 && mmap(base, (size_t)h.n * cs, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_FIXED | (point ? 0 : MAP_POPULATE), fd,
	    CACHE_PAGE) == MAP_FAILED)
		goto fail;
	c = base;
	if (!point)
		for (i = 0; i < h.n; i++)
			if (c[i].spare != rec_check(&c[i], (uint32_t)i + 1))
				goto fail;
	/* The row index, as long as the header says. */
	if (open_ix(ctx, "crow.bin", rw, h.n * sizeof(struct ixent),
	    &ixfd[0]) == -1 ||
	    open_ix(ctx, "eix.bin", rw, h.nev * sizeof(struct ixent),
	    &ixfd[1]) == -1 ||
	    open_ix(ctx, "last.bin", rw, h.n * 4, &ixfd[2]) == -1 ||
	    open_ix(ctx, "kix.bin", rw, h.nkix * sizeof(struct kent),
	    &ixfd[3]) == -1 ||
	    open_ix(ctx, "khead.bin", rw, nk * sizeof(struct khead),
	    &ixfd[4]) == -1 ||
	    h.nwhead > WSPAN || h.wlo >= WSPAN ||
	    open_ix(ctx, "whead.bin", rw, h.nwhead * sizeof(struct khead),
	    &ixfd[5]) == -1 ||
	    h.npark > h.n ||
	    open_ix(ctx, "park.bin", rw, h.npark * 4, &ixfd[6]) == -1)
		goto fail;
	kh = grv_reallocarray(NULL, nk ? nk : 1, sizeof(*kh));
	if (nk && grv_pread_all(ixfd[4], kh, nk * sizeof(*kh), 0) == -1)
		goto fail;
	lbase = mmap(NULL, reserved * 4, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (lbase == MAP_FAILED)
		goto fail;
	if (h.n > 0 && mmap(lbase, (size_t)h.n * 4, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_FIXED, ixfd[2], 0) == MAP_FAILED)
		goto fail;
	sp = grv_calloc(1, sizeof(*sp));
	sp->crowfd = ixfd[0];
	sp->eixfd = ixfd[1];
	sp->lastfd = ixfd[2];
	sp->kixfd = ixfd[3];
	sp->kheadfd = ixfd[4];
	sp->wheadfd = ixfd[5];
	sp->parkfd = ixfd[6];
	sp->wbase = h.wbase;
	sp->nwhead = sp->nwheadsaved = h.nwhead;
	sp->wlo = h.wlo;
	sp->khead = kh;
	sp->nkix = sp->nkixsaved = h.nkix;
	sp->last = lbase;
	sp->lastbase = lbase;
	sp->lastcap = reserved;
	sp->nev = sp->nevsaved = h.nev;
	sp->fd = fd;
	sp->rw = rw;
	sp->hdr = h;
	sp->dev = (uint64_t)sb.st_dev;
	sp->ino = (uint64_t)sb.st_ino;
	sp->nloaded = sp->nsaved = (uint32_t)h.n;
	sp->base = base;
	sp->reserved = reserved;
	sp->allok = !point;
	if (point)
		sp->seen = grv_calloc(h.n / 8 + 1, 1);
	sp->dirty = grv_calloc(h.n / 8 + 1, 1);
	sp->ctx = ctx;
	if (o)
		sp->o = *o;
	else
		sp->o.now = st->upto;
	st->store = sp;
	st->c = c;
	st->n = (uint32_t)h.n;
	st->cap = (uint32_t)reserved;
	st->last_ts = h.last_ts;
	st->last_reg = h.last_reg;
	st->cut = 0;
	for (k = 0; k < 2; k++) {
		st->pos[k].size = h.pos[k].size;
		st->pos[k].line = (unsigned long)h.pos[k].line;
		memcpy(st->pos[k].crc, h.pos[k].crc, 9);
		st->pos[k].segsig = h.pos[k].segsig;
	}
	return 0;
fail:
	if (base != MAP_FAILED)
		munmap(base, reserved * cs);
	if (lbase != MAP_FAILED)
		munmap(lbase, reserved * 4);
	for (k = 0; k < 7; k++)
		if (ixfd[k] != -1)
			close(ixfd[k]);
	free(kh);
	close(fd);
	return -1;
}

/*
 * A damaged record found after the load: fold the ledger again, and take
 * from it every record not yet checked.  The ones checked (and perhaps
 * changed by the program since) stay as they are, where they are.  The
 * cache is removed; the next program writes a new one.
 */
static void
refold(const struct grv_state *st)
{
	struct grv_store *sp = st->store;
	struct grv_fold_opts o = sp->o;
	struct grv_state cold;
	uint32_t i;
	int rc;

	grv_store_discard(sp->ctx);
	memset(&cold, 0, sizeof(cold));
	cold.upto = st->upto;
	cold.last_ts = cold.last_reg = GRV_TIME_NONE;
	o.nocache = 1;
	o.on_complaint = NULL;
	o.on_event = NULL;
	if ((rc = grv_fold(&cold, sp->ctx, &o, 0)) != 0)
		exit(rc);		/* the fold said why */
	if (cold.n != st->n) {
		grv_err("cache/state.bin: damaged, and removed: run the "
		    "command again");
		exit(GRV_EX_TEMPFAIL);
	}
	for (i = 0; i < sp->nloaded; i++)
		if (!BITTEST(sp->seen, i))
			st->c[i] = cold.c[i];
	sp->allok = 1;
	sp->refolded = 1;	/* the mapping holds what the file does not */
	grv_state_release(&cold);
}

int
grv_cache_check(const struct grv_state *st, uint32_t n)
{
	struct grv_store *sp = st->store;
	uint32_t i = n - 1;

	if (sp == NULL || sp->allok || i >= sp->nloaded ||
	    BITTEST(sp->seen, i))
		return 0;
	if (st->c[i].spare == rec_check(&st->c[i], n)) {
		BITSET(sp->seen, i);
		return 0;
	}
	if (sp->folding) {
		sp->stale = 1;
		return -1;
	}
	refold(st);
	return 0;
}

void
grv_cache_touch(const struct grv_state *st, uint32_t n)
{
	struct grv_store *sp = st->store;
	uint32_t i = n - 1;

	if (sp == NULL || i >= sp->nloaded || BITTEST(sp->dirty, i))
		return;
	BITSET(sp->dirty, i);
	if (sp->ndirty == sp->dcap) {
		sp->dcap = sp->dcap ? sp->dcap * 2 : 256;
		sp->dlist = grv_reallocarray(sp->dlist, sp->dcap,
		    sizeof(*sp->dlist));
		sp->dkeys = grv_reallocarray(sp->dkeys, sp->dcap,
		    sizeof(*sp->dkeys));
	}
	/* Before the fold changes it: the keys the key index has it under. */
	sp->dkeys[sp->ndirty][0] = (uint32_t)grv_keys_of(sp->ctx, sp->wbase,
	    &st->c[i], &sp->dkeys[sp->ndirty][1]);
	sp->dlist[sp->ndirty++] = i;
}

/* Whether complaint N's record may be read from the file rather than
   through the mapping: only a record as the file has it, not one the fold
   changed, nor one taken from a fold in place. */
static int
peekable(const struct grv_store *sp, uint32_t n)
{
	return sp && !sp->build && !sp->refolded && !sp->allok && n != 0 &&
	    n - 1 < sp->nloaded && !BITTEST(sp->dirty, n - 1);
}

const struct grv_cstate *
grv_cache_peek(const struct grv_state *st, uint32_t n, struct grv_cstate *buf)
{
	struct grv_store *sp = st->store;

	if (!peekable(sp, n) || grv_pread_all(sp->fd, buf, sizeof(*buf),
	    (off_t)CACHE_PAGE + (off_t)(n - 1) * (off_t)sizeof(*buf)) == -1 ||
	    buf->spare != rec_check(buf, n))
		return grv_state_get(st, n);
	return buf->status == GRV_ST_NONE ? NULL : buf;
}

const struct grv_cstate *
grv_cache_peek_next(const struct grv_state *st, uint32_t n,
    struct grv_peek *pk)
{
	struct grv_store *sp = st->store;
	struct grv_cstate *buf;
	uint32_t i = n - 1, k;

	if (!peekable(sp, n))
		return grv_state_get(st, n);
	if (pk->n == 0 || i < pk->first || i - pk->first >= pk->n) {
		k = sp->nloaded - i;
		if (k > GRV_PEEK_RECS)
			k = GRV_PEEK_RECS;
		pk->n = 0;
		if (grv_pread_all(sp->fd, pk->rec, (size_t)k * sizeof(*buf),
		    (off_t)CACHE_PAGE + (off_t)i * (off_t)sizeof(*buf)) == -1)
			return grv_state_get(st, n);
		pk->first = i;
		pk->n = k;
	}
	buf = &pk->rec[i - pk->first];
	if (buf->spare != rec_check(buf, n))
		return grv_state_get(st, n);
	return buf->status == GRV_ST_NONE ? NULL : buf;
}

void
grv_cache_folding(const struct grv_state *st, int on)
{
	if (st->store)
		st->store->folding = on;
}

int
grv_cache_stale(const struct grv_state *st)
{
	return st->store && st->store->stale;
}

void
grv_cache_grow(struct grv_state *st)
{
	struct grv_store *sp = st->store;
	struct grv_cstate *c;
	size_t cap = st->cap ? (size_t)st->cap * 2 : 1024;

	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	c = grv_reallocarray(NULL, cap, sizeof(*c));
	if (st->n)
		memcpy(c, st->c, (size_t)st->n * sizeof(*c));
	if (sp->heap)
		free(st->c);
	else
		munmap(sp->base, sp->reserved * sizeof(*c));
	sp->heap = 1;
	sp->base = NULL;
	st->c = c;
	st->cap = (uint32_t)cap;
}

void
grv_cache_release(struct grv_state *st)
{
	struct grv_store *sp = st->store;

	if (sp == NULL)
		return;
	if (sp->heap)
		free(st->c);
	else
		munmap(sp->base, sp->reserved * sizeof(*st->c));
	if (sp->fd != -1)
		close(sp->fd);		/* and with it the lock */
	if (sp->lastbase)
		munmap(sp->lastbase, sp->lastcap * 4);
	else
		free(sp->last);
	close_ix(sp);
	grv_ixout_drop(&sp->oc);
	grv_ixout_drop(&sp->oe);
	free(sp->evnew);
	free(sp->cnew);
	free(sp->seen);
	free(sp->dirty);
	free(sp->dlist);
	free(sp->dkeys);
	free(sp->khead);
	free(sp->knew);
	free(sp->knewkey);
	free(sp->wmod);
	free(sp);
	st->store = NULL;
	st->c = NULL;
}

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

int
grv_store_pwrite(int fd, const void *buf, size_t len, off_t off)
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
void
grv_store_failed(const char *what)
{
	if (errno != EACCES && errno != EPERM && errno != EROFS)
		grv_err("cache/state.bin: %s: %s (only speed is lost)", what,
		    strerror(errno));
}

/*
 * Temporaries a killed writer left (cache/NAME.XXXXXX, as big as the file
 * they were to replace): a writer rewrites its temporary without pause,
 * so one untouched for an hour has no writer.  Removed once a process,
 * by the first that writes a temporary of its own.
 */
#define STALE_TEMP_SECONDS 3600

static void
sweep_temps(const struct grv_ctx *ctx)
{
	static int done;
	char *dir;
	DIR *d;
	struct dirent *e;
	struct stat sb;
	const char *dot;
	time_t now = time(NULL);

	if (done++)
		return;
	dir = grv_store_path(ctx, NULL);
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			dot = strrchr(e->d_name, '.');
			if (dot == NULL || strlen(dot) != 7 ||
			    strstr(e->d_name, ".bin.") == NULL)
				continue;	/* not NAME.bin.XXXXXX */
			if (fstatat(dirfd(d), e->d_name, &sb,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode) &&
			    now - sb.st_mtime > STALE_TEMP_SECONDS)
				unlinkat(dirfd(d), e->d_name, 0);
		}
		closedir(d);
	}
	free(dir);
}

/* A new file in cache/ for writing, named from TEMPLATE: its fd, or -1. */
int
grv_store_temp(const struct grv_ctx *ctx, const char *template, char **tmp)
{
	mode_t um;
	int fd;

	sweep_temps(ctx);
	*tmp = grv_store_path(ctx, template);
	if ((fd = mkstemp(*tmp)) == -1) {
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) == -1) {
		/* the cache works either way */
	}
	return fd;
}

void
grv_cache_build(struct grv_state *st, const struct grv_ctx *ctx)
{
	struct grv_store *sp;
	struct stat sb;
	char *dir;

	if (readonly || st->store)
		return;
	dir = grv_store_path(ctx, NULL);
	if (mkdir(dir, 0777) == -1 && errno != EEXIST) {
		free(dir);
		return;
	}
	if (lstat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		free(dir);
		return;		/* a link, say: the save says so */
	}
	free(dir);
	sp = grv_calloc(1, sizeof(*sp));
	sp->build = 1;
	sp->fd = sp->crowfd = sp->eixfd = sp->lastfd = -1;
	sp->kixfd = sp->kheadfd = sp->wheadfd = sp->parkfd = -1;
	sp->heap = 1;
	sp->allok = 1;
	sp->ctx = ctx;
	if ((sp->oc.fd = grv_store_temp(ctx, "crow.bin.XXXXXX", &sp->oc.tmp)) ==
	    -1 ||
	    (sp->oe.fd = grv_store_temp(ctx, "eix.bin.XXXXXX", &sp->oe.tmp)) ==
	    -1) {
		grv_ixout_drop(&sp->oc);
		free(sp);
		return;
	}
	/* The fold's array moves into the store's care. */
	free(st->c);
	st->c = NULL;
	st->cap = 0;
	st->store = sp;
}

static void
make_header(struct cache_hdr *h, const struct grv_state *st,
    const struct grv_ctx *ctx)
{
	const struct grv_store *sp = st->store;
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
	h->boot = grv_store_boot();
	h->nev = sp ? sp->nev : 0;
	h->nkix = sp ? sp->nkix : 0;
	/* A cold fold's key index is laid out by grv_keys_build, with a
	   gen of its own. */
	if (sp && sp->build && getrandom(&h->gen, sizeof(h->gen),
	    GRND_NONBLOCK) != (ssize_t)sizeof(h->gen))
		h->gen = grv_store_mix(grv_store_boot() ^ (uint64_t)time(NULL),
		    (uint64_t)getpid());
	if (sp && !sp->build) {
		h->gen = sp->hdr.gen;
		h->wbase = sp->wbase;
		h->nwhead = sp->nwhead;
		h->wlo = sp->wlo;
		h->wlo_at = sp->hdr.wlo_at;
		h->npark = sp->hdr.npark;
		h->parksum = sp->hdr.parksum;
	}
	/* The records already in the file are covered by its maxts. */
	maxts = st->last_ts;
	if (sp && !sp->build && sp->hdr.maxts != GRV_TIME_NONE &&
	    (maxts == GRV_TIME_NONE || sp->hdr.maxts > maxts))
		maxts = sp->hdr.maxts;
	for (i = sp && !sp->build ? sp->nsaved : 0; i < st->n; i++)
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

/* Records C[FROM..TO) (numbers FROM+1...) written with their checks. */
static int
write_records(int fd, const struct grv_cstate *c, size_t from, size_t to)
{
	enum { CHUNK = 8192 };
	struct grv_cstate *blk;
	size_t i, j, n;
	int rc = 0;

	blk = grv_malloc(CHUNK * sizeof(*blk));
	for (i = from; i < to && rc == 0; i += n) {
		n = to - i < CHUNK ? to - i : CHUNK;
		memcpy(blk, c + i, n * sizeof(*blk));
		for (j = 0; j < n; j++)
			blk[j].spare = rec_check(&blk[j], (uint32_t)(i + j + 1));
		rc = grv_store_pwrite(fd, blk, n * sizeof(*blk),
		    (off_t)(CACHE_PAGE + i * sizeof(*blk)));
	}
	free(blk);
	return rc;
}

int
grv_store_header(int fd, struct cache_hdr *h, int dirty)
{
	h->dirty = (uint64_t)dirty;
	h->hdrsum = hdrsum(h);
	return grv_store_pwrite(fd, h, sizeof(*h), 0);
}

/*
 * Bring the loaded cache file up to date in place: the header marked
 * dirty, the records the fold changed and the new ones, the header clean.
 * A crash half way leaves it dirty: the next reader rebuilds.  1 when
 * done, or when it is not ours to do now (someone is reading it, or has
 * replaced or updated it since the load); 0 when the caller should write
 * a whole new file.
 */
static int
update_in_place(struct cache_hdr *h, const struct grv_state *st,
    const char *path)
{
	struct grv_store *sp = st->store;
	struct cache_hdr cur;
	struct stat sb;
	size_t i;
	uint32_t k;

	if (!sp->rw || st->n < sp->nsaved ||
	    sp->nsaved + sp->ncnew != st->n ||
	    sp->nevsaved + sp->nevnew != sp->nev ||
	    sp->nkixsaved + sp->nknew != sp->nkix)
		return 0;
	if (grv_store_lock(sp->fd, F_WRLCK) == -1)
		return 1;			/* being read: later */
	if (stat(path, &sb) == -1 || (uint64_t)sb.st_dev != sp->dev ||
	    (uint64_t)sb.st_ino != sp->ino ||
	    grv_pread_all(sp->fd, &cur, sizeof(cur), 0) == -1 ||
	    memcmp(&cur, &sp->hdr, sizeof(cur)) != 0)
		goto out;			/* someone else did it */
	if (grv_store_header(sp->fd, h, 1) == -1)
		goto bad;
	for (i = 0; i < sp->ndirty; i++) {
		k = sp->dlist[i];
		if (k < sp->nsaved &&
		    write_records(sp->fd, st->c, k, (size_t)k + 1) == -1)
			goto bad;
	}
	if (write_records(sp->fd, st->c, sp->nsaved, st->n) == -1)
		goto bad;
	/* The row index: each changed complaint's last event, the new
	   complaints' and events' entries. */
	for (i = 0; i < sp->ndirty; i++) {
		k = sp->dlist[i];
		if (k < sp->nsaved && grv_store_pwrite(sp->lastfd, &sp->last[k], 4,
		    (off_t)k * 4) == -1)
			goto bad;
	}
	if ((st->n > sp->nsaved && grv_store_pwrite(sp->lastfd,
	    sp->last + sp->nsaved, (size_t)(st->n - sp->nsaved) * 4,
	    (off_t)sp->nsaved * 4) == -1) ||
	    (sp->ncnew && grv_store_pwrite(sp->crowfd, sp->cnew, sp->ncnew *
	    sizeof(*sp->cnew), (off_t)(sp->nsaved * sizeof(*sp->cnew))) ==
	    -1) ||
	    (sp->nevnew && grv_store_pwrite(sp->eixfd, sp->evnew, sp->nevnew *
	    sizeof(*sp->evnew), (off_t)(sp->nevsaved * sizeof(*sp->evnew)))
	    == -1) ||
	    grv_keys_write(sp) == -1)
		goto bad;
	if (grv_store_header(sp->fd, h, 0) == -1)
		goto bad;
	sp->hdr = *h;
	sp->nsaved = st->n;
	sp->nevsaved = sp->nev;
	sp->ncnew = sp->nevnew = 0;
	sp->ndirty = 0;
	grv_keys_saved(sp);
	goto out;
bad:
	grv_store_failed("write");
	/* Make sure no reader trusts a half-written file. */
	if (ftruncate(sp->fd, 0) == -1) {
		/* its header says dirty */
	}
out:
	grv_store_lock(sp->fd, F_RDLCK);		/* back to shared */
	return 1;
}

/* Rename cache/X.XXXXXX over cache/X: 0, or -1 said. */
int
grv_store_put(const struct grv_ctx *ctx, char **tmp, const char *name)
{
	char *path = grv_store_path(ctx, name);
	int rc = 0;

	if (rename(*tmp, path) == -1) {
		grv_store_failed("rename");
		unlink(*tmp);
		rc = -1;
	}
	free(*tmp);
	*tmp = NULL;
	free(path);
	return rc;
}

/*
 * A cold fold's cache, written whole: the row index's files (crow.bin and
 * eix.bin written as the fold went, last.bin now), then state.bin, each
 * to a temporary name renamed into place, state.bin last: a reader that
 * sees the new index beside the old state.bin finds the sizes wrong and
 * folds cold.
 */
static void
write_whole(struct cache_hdr *h, const struct grv_state *st,
    const struct grv_ctx *ctx)
{
	struct grv_store *sp = st->store;
	char *tlast = NULL, *tstate = NULL, page[CACHE_PAGE];
	char *tk[GRV_KEYS_NFILES] = { NULL };
	int fl = -1, fs = -1;

	if (grv_ixout_flush(&sp->oc) == -1 || grv_ixout_flush(&sp->oe) == -1 ||
	    close(sp->oc.fd) == -1 || close(sp->oe.fd) == -1) {
		sp->oc.fd = sp->oe.fd = -1;
		grv_store_failed("write");
		goto fail;
	}
	sp->oc.fd = sp->oe.fd = -1;
	if ((fl = grv_store_temp(ctx, "last.bin.XXXXXX", &tlast)) == -1 ||
	    (fs = grv_store_temp(ctx, "state.bin.XXXXXX", &tstate)) == -1) {
		grv_store_failed("create");
		goto fail;
	}
	if (grv_keys_build(st, ctx, tk, h) == -1)
		goto fail;
	h->dirty = 0;
	h->hdrsum = hdrsum(h);
	memset(page, 0, sizeof(page));
	memcpy(page, h, sizeof(*h));
	if ((st->n && grv_store_pwrite(fl, sp->last, (size_t)st->n * 4, 0) == -1) ||
	    write_records(fs, st->c, 0, st->n) == -1 ||
	    grv_store_pwrite(fs, page, sizeof(page), 0) == -1) {
		grv_store_failed("write");
		goto fail;
	}
	if (close(fl) == -1 || close(fs) == -1) {
		fl = fs = -1;
		grv_store_failed("close");
		goto fail;
	}
	fl = fs = -1;
	if (grv_store_put(ctx, &sp->oc.tmp, "crow.bin") == -1 ||
	    grv_store_put(ctx, &sp->oe.tmp, "eix.bin") == -1 ||
	    grv_store_put(ctx, &tlast, "last.bin") == -1)
		goto fail;
	if (grv_keys_place(ctx, tk) == -1)
		goto fail;
	if (grv_store_put(ctx, &tstate, "state.bin") == -1)
		goto fail;
	return;
fail:
	if (fl != -1)
		close(fl);
	if (fs != -1)
		close(fs);
	if (tlast) {
		unlink(tlast);
		free(tlast);
	}
	if (tstate) {
		unlink(tstate);
		free(tstate);
	}
	grv_keys_drop(tk);
	/* The temporary index files go with the store. */
}

int
grv_cache_save(const struct grv_state *st, const struct grv_ctx *ctx)
{
	const struct grv_store *sp = st->store;
	struct cache_hdr h;
	char *path;
	int rc;

	if (st->cut || readonly)
		return 0;
	if (st->n == 0 && st->pos[0].size == 0 && st->pos[1].size == 0)
		return 0;			/* no ledger yet: nothing to keep */
	if (sp && !sp->build && sp->hdr.n == st->n &&
	    sp->hdr.pos[0].size == st->pos[0].size &&
	    sp->hdr.pos[1].size == st->pos[1].size)
		return 0;			/* nothing new since the load */
	/* Derived data, but never written through a symbolic link. */
	if ((rc = grv_refuse_link(ctx->dir, "cache")) != 0 ||
	    (rc = grv_refuse_link(ctx->dir, "cache/state.bin")) != 0)
		return rc;
	if (sp == NULL)
		return 0;			/* cache/ could not be made */
	if (!sp->build)
		grv_keys_update(st->store, st);
	if (sp->kbad) {
		/* An index that cannot be extended: built anew next time. */
		grv_store_discard(ctx);
		return 0;
	}
	make_header(&h, st, ctx);
	if (sp->build)
		write_whole(&h, st, ctx);
	else {
		path = grv_store_path(ctx, "state.bin");
		update_in_place(&h, st, path);
		free(path);
	}
	return 0;
}
