/* grv_cache.c: the derived state cache, DIR/cache/state.bin.
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

#define CACHE_MAGIC	"GRVCACHE"
#define CACHE_VERSION	7	/* 5: the key index; 6: the wake index;
				   7: new complaints wake too */
#define CACHE_BOM	0x0102030405060708ULL
#define CACHE_PAGE	4096	/* the header's page; records follow */

/* The cstate's bytes the check covers: all but the check itself. */
#define CS_USED	offsetof(struct grv_cstate, spare)

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
	uint64_t	 dirty;		/* an update under way */
	uint64_t	 boot;		/* the boot it was last written in */
	uint64_t	 nev;		/* event rows in eix.bin */
	uint64_t	 nkix;		/* entries in kix.bin */
	uint64_t	 gen;		/* the cold fold's, at random */
	int64_t		 wbase;		/* the hour of whead.bin's slot 0 */
	uint64_t	 nwhead;	/* slots in whead.bin */
	uint64_t	 wlo;		/* the first slot a sweep walks */
	int64_t		 wlo_at;	/* the sweep that set it (or NONE) */
	uint64_t	 npark;		/* complaints in park.bin */
	uint64_t	 parksum;	/* their checksum */
	struct cache_pos pos[2];
	uint64_t	 hdrsum;	/* of everything above */
};

/*
 * The row index: where each complaint's rows are, so that one complaint's
 * history is read without the rest.  crow.bin has an entry per complaint,
 * eix.bin one per event row in ledger order, each naming the one before
 * it of the same complaint, and last.bin each complaint's last event row
 * (1-based, 0 for none).  A location is the file (0 the live one, K the
 * K-th sealed segment) in the top 16 bits, the row's offset below.
 */
struct ixent {
	uint64_t	 loc;
	uint32_t	 n;		/* the complaint */
	uint32_t	 crc;		/* the row's own crc */
	uint32_t	 prev;		/* eix.bin: its event before, 0 none */
	uint32_t	 pad;
};

/*
 * The key index: for each officer, department and district (a key), a
 * chain of the complaints that have been with it, newest first, so that
 * "the complaints of officer O" is a walk of O's chain, not of every
 * complaint.  kix.bin holds the entries in the order written, each naming
 * the key's entry before it; khead.bin each key's newest entry (1-based, 0
 * none).  An entry is added when a complaint is saved with a key it did
 * not have at the load, so a chain may name a complaint that has since
 * moved on: the reader checks each one it is given.  Each entry and head
 * carries a check of its words and its place; one that fails makes the
 * reader look at every complaint instead.
 *
 * The wake index is more chains in the same kix.bin, one per hour: a
 * complaint is on the chain of the hour of its wake (grv_wake: when the
 * sweep next has something to do with it), so that the sweep walks the
 * hours up to its --now, not every complaint.  whead.bin holds the heads:
 * slot 0 is the hour WBASE of the header (that of the last row a cold
 * fold saw) and every hour before it, the last of WSPAN slots every hour
 * from its own on; a slot past the file's end is empty.  A sweep that
 * ran at WLO_AT leaves WLO, the slot of WLO_AT: every complaint due
 * before WLO_AT was moved on by its rows, is at the top level (nothing
 * more to do), or could not climb and is named in park.bin; so the next
 * sweep, at a time not before WLO_AT, walks the slots from WLO on and the
 * parked complaints.  A save that puts a complaint on a slot below WLO
 * lowers WLO.
 */
struct kent {
	uint32_t	 n;
	uint32_t	 prev;
	uint32_t	 check;
};
struct khead {
	uint32_t	 head;
	uint32_t	 check;
};

#define WSPAN	(1u << 20)	/* whead.bin's slots at most: 119 years */

/* A wake slot's head changed since the load, until the save writes it. */
struct wmod {
	uint32_t	 slot;
	struct khead	 kh;
};

/* Entries written a block at a time: the index of a cold fold. */
struct ixout {
	int		 fd;
	char		*tmp;		/* its temporary name */
	struct ixent	 buf[2048];
	size_t		 n;
	uint64_t	 off;
	int		 failed;
};

/* A state mapped from the cache, and what saving it back needs. */
struct grv_store {
	int		 fd;		/* state.bin, shared OFD lock held */
	int		 rw;		/* FD is open for writing */
	struct cache_hdr hdr;		/* as loaded (or last written) */
	uint64_t	 dev, ino;
	uint32_t	 nloaded;	/* records in the file at the load */
	uint32_t	 nsaved;	/* records in the file now */
	void		*base;		/* the reservation st->c lives in */
	size_t		 reserved;	/* its records */
	int		 heap;		/* st->c outgrew it: on the heap */
	int		 allok;		/* every record checked at the load */
	unsigned char	*seen;		/* checked, a bit per loaded record */
	unsigned char	*dirty;		/* changed by the fold, likewise */
	uint32_t	*dlist;		/* the changed ones, in order found */
	size_t		 ndirty, dcap;
	int		 folding;	/* inside grv_fold */
	int		 stale;		/* a damaged record found there */
	const struct grv_ctx *ctx;
	struct grv_fold_opts o;		/* for folding again in place */
	/* The row index. */
	int		 build;		/* a cold fold's: written whole */
	int		 crowfd, eixfd, lastfd;
	uint32_t	*last;		/* per complaint, as in last.bin */
	void		*lastbase;	/* the reservation it lives in */
	size_t		 lastcap;	/* entries (a build's: malloc'd) */
	uint64_t	 nev, nevsaved;	/* events indexed; in the file */
	struct ixent	*evnew, *cnew;	/* entries since the load */
	size_t		 nevnew, evcap, ncnew, ccap;
	struct ixout	 oc, oe;	/* a build's crow.bin, eix.bin */
	/* The key index. */
	int		 kixfd, kheadfd;
	struct khead	*khead;		/* per key, as in khead.bin */
	uint64_t	 nkix, nkixsaved; /* entries; in the file */
	struct kent	*knew;		/* entries since the last save */
	uint32_t	*knewkey;	/* their keys */
	size_t		 nknew, kcap;
	uint32_t	(*dkeys)[5];	/* a dirty record's keys at the load:
					   count, then up to four */
	/* The wake index. */
	int		 wheadfd, parkfd;
	int64_t		 wbase;
	uint64_t	 nwhead, nwheadsaved; /* slots; in the file */
	uint64_t	 wlo;		/* as the next save writes it */
	struct wmod	*wmod;		/* heads changed since the last save */
	size_t		 nwmod, wmodcap;
	int		 kbad;		/* damage found in the key index */
};

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

/* The header's checksum: its 64-bit words mixed in turn. */
static uint64_t
hdrsum(const struct cache_hdr *h)
{
	const unsigned char *s = (const unsigned char *)h;
	size_t i, n = offsetof(struct cache_hdr, hdrsum);
	uint64_t w, sum = 1;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		sum = mix(sum, w);
	}
	return sum;
}

/* A record's check: its bytes and its number, never 0. */
static uint32_t
rec_check(const struct grv_cstate *c, uint32_t n)
{
	const unsigned char *s = (const unsigned char *)c;
	uint64_t w, h = mix(0x51ed270b27a3c1d5ULL, n);
	uint32_t t;
	size_t i;

	for (i = 0; i + 8 <= CS_USED; i += 8) {
		memcpy(&w, s + i, 8);
		h = mix(h, w);
	}
	memcpy(&t, s + i, 4);
	h = mix(h, t);
	t = (uint32_t)(h ^ (h >> 32));
	return t ? t : 1;
}

/* The key index's checks: an entry's words and its place, a head's
   word and its key, each with the cold fold's GEN (so that an index file
   of another build is no good here); never 0. */
static uint32_t
kent_check(uint64_t gen, const struct kent *e, uint64_t k)
{
	uint64_t h = mix(mix(mix(mix(0x6b6579696e646578ULL, gen), k), e->n),
	    e->prev);
	uint32_t t = (uint32_t)(h ^ (h >> 32));

	return t ? t : 1;
}

static uint32_t
khead_check(uint64_t gen, const struct khead *kh, size_t key)
{
	uint64_t h = mix(mix(mix(0x6865616473756d73ULL, gen), key), kh->head);
	uint32_t t = (uint32_t)(h ^ (h >> 32));

	return t ? t : 1;
}

static size_t
nkeys(const struct grv_ctx *ctx)
{
	return ctx->m.nofficers + ctx->m.ndepts + ctx->m.nlocs;
}

/* The key of master IDX of KIND (GRV_KEY_*): officers first, then
   departments, then locations (a district's key is its location's);
   -1 when there is no such master. */
static int64_t
key_of(const struct grv_masters *m, int kind, int64_t idx)
{
	switch (kind) {
	case GRV_KEY_OFFICER:
		return idx >= 0 && (size_t)idx < m->nofficers ? idx : -1;
	case GRV_KEY_DEPT:
		return idx >= 0 && (size_t)idx < m->ndepts ?
		    (int64_t)m->nofficers + idx : -1;
	case GRV_KEY_DISTRICT:
		return idx >= 0 && (size_t)idx < m->nlocs ?
		    (int64_t)(m->nofficers + m->ndepts) + idx : -1;
	}
	return -1;
}

/* The wake slot of time W over WBASE. */
static uint32_t
wake_slot(int64_t wbase, grv_time_t w)
{
	int64_t hour = w / 3600 - (w % 3600 < 0);

	if (hour <= wbase)
		return 0;
	return hour - wbase >= WSPAN - 1 ? WSPAN - 1 :
	    (uint32_t)(hour - wbase);
}

/* Complaint C's keys into KEY: its officer, department and district, and
   its wake's slot (after every master's key) over WBASE; how many. */
static int
keys_of(const struct grv_ctx *ctx, int64_t wbase, const struct grv_cstate *c,
    uint32_t key[4])
{
	grv_time_t w = grv_wake(&ctx->conf, c);
	const struct grv_masters *m = &ctx->m;
	int64_t v;
	int k = 0;

	if ((v = key_of(m, GRV_KEY_OFFICER, c->officer)) != -1)
		key[k++] = (uint32_t)v;
	if ((v = key_of(m, GRV_KEY_DEPT, c->dept)) != -1)
		key[k++] = (uint32_t)v;
	if (c->loc >= 0 && (size_t)c->loc < m->nlocs &&
	    (v = key_of(m, GRV_KEY_DISTRICT, m->locs[c->loc].district)) != -1)
		key[k++] = (uint32_t)v;
	if (w != GRV_TIME_NONE)
		key[k++] = (uint32_t)nkeys(ctx) + wake_slot(wbase, w);
	return k;
}

/* This boot of the machine, or 0 when the kernel does not say. */
static uint64_t
boot_id(void)
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
	v = (uint64_t)ctx->conf.feedback_days;	/* in every wake */
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

/* Set an OFD lock of TYPE on all of FD without waiting: 0, or -1. */
static int
ofd_lock(int fd, short type)
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
		if (ofd_lock(fd, F_RDLCK) == 0)
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

#define BIT(map, i)	((map)[(i) >> 3] & (1u << ((i) & 7)))
#define SETBIT(map, i)	((map)[(i) >> 3] |= (unsigned char)(1u << ((i) & 7)))

/* Open cache/NAME as FD for the index, 0 when it holds exactly SIZE
   bytes, else -1. */
static int
open_ix(const struct grv_ctx *ctx, const char *name, int rw, uint64_t size,
    int *fd)
{
	struct stat sb;
	char *path;

	path = cache_path(ctx, name);
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
	size_t nk = nkeys(ctx);

	static_assert(sizeof(struct grv_cstate) == 80, "cstate");
	static_assert(sizeof(struct cache_hdr) <= CACHE_PAGE, "cache header");
	path = cache_path(ctx, "state.bin");
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
	    h.dirty != 0 || h.boot != boot_id() ||
	    h.n > UINT32_MAX / 2 ||
	    (uint64_t)sb.st_size != CACHE_PAGE + h.n * cs ||
	    h.mastersig != masters_sig(ctx) ||
	    (h.maxts != GRV_TIME_NONE && h.maxts > now))
		goto fail;
	for (k = 0; k < 2; k++)
		if (h.pos[k].crc[8] != '\0' ||
		    ledger_matches(ctx, (enum grv_ledger_kind)k,
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
	char *path;
	uint32_t i;
	int rc;

	path = cache_path(sp->ctx, "state.bin");
	unlink(path);
	free(path);
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
		if (!BIT(sp->seen, i))
			st->c[i] = cold.c[i];
	sp->allok = 1;
	grv_state_release(&cold);
}

int
grv_cache_check(const struct grv_state *st, uint32_t n)
{
	struct grv_store *sp = st->store;
	uint32_t i = n - 1;

	if (sp == NULL || sp->allok || i >= sp->nloaded || BIT(sp->seen, i))
		return 0;
	if (st->c[i].spare == rec_check(&st->c[i], n)) {
		SETBIT(sp->seen, i);
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

	if (sp == NULL || i >= sp->nloaded || BIT(sp->dirty, i))
		return;
	SETBIT(sp->dirty, i);
	if (sp->ndirty == sp->dcap) {
		sp->dcap = sp->dcap ? sp->dcap * 2 : 256;
		sp->dlist = grv_reallocarray(sp->dlist, sp->dcap,
		    sizeof(*sp->dlist));
		sp->dkeys = grv_reallocarray(sp->dkeys, sp->dcap,
		    sizeof(*sp->dkeys));
	}
	/* Before the fold changes it: the keys the key index has it under. */
	sp->dkeys[sp->ndirty][0] = (uint32_t)keys_of(sp->ctx, sp->wbase,
	    &st->c[i], &sp->dkeys[sp->ndirty][1]);
	sp->dlist[sp->ndirty++] = i;
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

static void ixout_drop(struct ixout *);

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
	ixout_drop(&sp->oc);
	ixout_drop(&sp->oe);
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


/* ---- the row index, as the fold goes ---- */

static void
ixout_drop(struct ixout *x)
{
	if (x->tmp == NULL)
		return;
	close(x->fd);
	unlink(x->tmp);
	free(x->tmp);
	x->tmp = NULL;
}

static int
ixout_flush(struct ixout *x)
{
	if (x->n && !x->failed &&
	    pwrite_all(x->fd, x->buf, x->n * sizeof(x->buf[0]), x->off) == -1)
		x->failed = 1;
	x->off += x->n * sizeof(x->buf[0]);
	x->n = 0;
	return x->failed ? -1 : 0;
}

static void
ixout_put(struct ixout *x, const struct ixent *e)
{
	x->buf[x->n++] = *e;
	if (x->n == sizeof(x->buf) / sizeof(x->buf[0]))
		ixout_flush(x);
}

/* A new file in cache/ for writing, named from TEMPLATE: its fd, or -1. */
static int
make_temp(const struct grv_ctx *ctx, const char *template, char **tmp)
{
	mode_t um;
	int fd;

	*tmp = cache_path(ctx, template);
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
	dir = cache_path(ctx, NULL);
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
	if ((sp->oc.fd = make_temp(ctx, "crow.bin.XXXXXX", &sp->oc.tmp)) ==
	    -1 ||
	    (sp->oe.fd = make_temp(ctx, "eix.bin.XXXXXX", &sp->oe.tmp)) ==
	    -1) {
		ixout_drop(&sp->oc);
		free(sp);
		return;
	}
	/* The fold's array moves into the store's care. */
	free(st->c);
	st->c = NULL;
	st->cap = 0;
	st->store = sp;
}

/* Room in SP->last for complaint N. */
static void
last_room(struct grv_store *sp, uint32_t n)
{
	uint32_t *l;
	size_t cap;

	if (n <= sp->lastcap)
		return;
	cap = sp->lastcap ? sp->lastcap * 2 : 4096;
	while (cap < n)
		cap *= 2;
	if (sp->lastbase) {
		l = grv_reallocarray(NULL, cap, sizeof(*l));
		memcpy(l, sp->last, sp->lastcap * sizeof(*l));
		munmap(sp->lastbase, sp->lastcap * 4);
		sp->lastbase = NULL;
	} else
		l = grv_reallocarray(sp->last, cap, sizeof(*l));
	memset(l + sp->lastcap, 0, (cap - sp->lastcap) * sizeof(*l));
	sp->last = l;
	sp->lastcap = cap;
}

static void
push(struct ixent **v, size_t *n, size_t *cap, const struct ixent *e)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = grv_reallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = *e;
}

void
grv_cache_row(const struct grv_state *st, int kind, uint32_t n,
    unsigned file, uint64_t off, uint32_t crc)
{
	struct grv_store *sp = st->store;
	struct ixent e;

	if (sp == NULL || n == 0)
		return;
	memset(&e, 0, sizeof(e));
	e.loc = (uint64_t)file << 48 | off;
	e.n = n;
	e.crc = crc;
	last_room(sp, n);
	if (kind == GRV_COMPLAINTS) {
		sp->last[n - 1] = 0;
		if (sp->build)
			ixout_put(&sp->oc, &e);
		else
			push(&sp->cnew, &sp->ncnew, &sp->ccap, &e);
		return;
	}
	e.prev = sp->last[n - 1];
	sp->last[n - 1] = (uint32_t)++sp->nev;
	if (sp->build)
		ixout_put(&sp->oe, &e);
	else
		push(&sp->evnew, &sp->nevnew, &sp->evcap, &e);
}

/* An empty head of KEY. */
static struct khead
khead_empty(uint64_t gen, size_t key)
{
	struct khead kh = { 0, 0 };

	kh.check = khead_check(gen, &kh, key);
	return kh;
}

/*
 * KEY's head into *KH: a master's as loaded, a wake slot's as changed
 * since the last save, else as whead.bin has it (empty past its end).
 * 0, or -1 when it cannot be read or fails its check.
 */
static int
head_get(const struct grv_store *sp, uint32_t key, struct khead *kh)
{
	size_t nk = nkeys(sp->ctx), i;
	uint32_t slot;

	if (key < nk)
		*kh = sp->khead[key];
	else if ((slot = key - (uint32_t)nk) >= WSPAN)
		return -1;
	else {
		for (i = sp->nwmod; i-- > 0;)
			if (sp->wmod[i].slot == slot) {
				*kh = sp->wmod[i].kh;
				goto check;
			}
		if (slot >= sp->nwheadsaved)
			*kh = khead_empty(sp->hdr.gen, key);
		else if (grv_pread_all(sp->wheadfd, kh, sizeof(*kh),
		    (off_t)slot * (off_t)sizeof(*kh)) == -1)
			return -1;
	}
check:
	return kh->check == khead_check(sp->hdr.gen, kh, key) &&
	    kh->head <= sp->nkix ?
	    0 : -1;
}

static void
head_set(struct grv_store *sp, uint32_t key, const struct khead *kh)
{
	size_t nk = nkeys(sp->ctx), i;
	uint32_t slot;

	if (key < nk) {
		sp->khead[key] = *kh;
		return;
	}
	slot = key - (uint32_t)nk;
	if (slot >= sp->nwhead)
		sp->nwhead = (uint64_t)slot + 1;
	if (slot < sp->wlo)
		sp->wlo = slot;		/* the next sweep walks it */
	for (i = 0; i < sp->nwmod; i++)
		if (sp->wmod[i].slot == slot) {
			sp->wmod[i].kh = *kh;
			return;
		}
	if (sp->nwmod == sp->wmodcap) {
		sp->wmodcap = sp->wmodcap ? sp->wmodcap * 2 : 16;
		sp->wmod = grv_reallocarray(sp->wmod, sp->wmodcap,
		    sizeof(*sp->wmod));
	}
	sp->wmod[sp->nwmod].slot = slot;
	sp->wmod[sp->nwmod++].kh = *kh;
}

/* Complaint N onto KEY's chain, in memory until the save writes it. */
static void
key_add(struct grv_store *sp, uint32_t key, uint32_t n)
{
	struct khead kh;
	struct kent e;

	if (head_get(sp, key, &kh) == -1) {
		sp->kbad = 1;		/* the save rebuilds instead */
		return;
	}
	e.n = n;
	e.prev = kh.head;
	e.check = kent_check(sp->hdr.gen, &e, ++sp->nkix);
	if (sp->nknew == sp->kcap) {
		sp->kcap = sp->kcap ? sp->kcap * 2 : 64;
		sp->knew = grv_reallocarray(sp->knew, sp->kcap,
		    sizeof(*sp->knew));
		sp->knewkey = grv_reallocarray(sp->knewkey, sp->kcap,
		    sizeof(*sp->knewkey));
	}
	sp->knew[sp->nknew] = e;
	sp->knewkey[sp->nknew++] = key;
	kh.head = (uint32_t)sp->nkix;
	kh.check = khead_check(sp->hdr.gen, &kh, key);
	head_set(sp, key, &kh);
}

/* Before an update in place: each changed complaint onto the chains of
   the keys it has now and had not at the load, each new one onto all of
   its keys. */
static void
keys_update(struct grv_store *sp, const struct grv_state *st)
{
	uint32_t key[4], k, j, i;
	size_t d;
	int nk;

	for (d = 0; d < sp->ndirty; d++) {
		k = sp->dlist[d];
		if (k >= sp->nsaved)
			continue;
		nk = keys_of(sp->ctx, sp->wbase, &st->c[k], key);
		for (j = 0; j < (uint32_t)nk; j++) {
			for (i = 0; i < sp->dkeys[d][0]; i++)
				if (sp->dkeys[d][1 + i] == key[j])
					break;
			if (i == sp->dkeys[d][0])
				key_add(sp, key[j], k + 1);
		}
	}
	for (k = sp->nsaved; k < st->n; k++) {
		nk = keys_of(sp->ctx, sp->wbase, &st->c[k], key);
		for (j = 0; j < (uint32_t)nk; j++)
			key_add(sp, key[j], k + 1);
	}
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
	h->boot = boot_id();
	h->nev = sp ? sp->nev : 0;
	h->nkix = sp ? sp->nkix : 0;
	/* A cold fold's wake index is laid out by keys_build. */
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
		rc = pwrite_all(fd, blk, n * sizeof(*blk),
		    (off_t)(CACHE_PAGE + i * sizeof(*blk)));
	}
	free(blk);
	return rc;
}

static int
write_header(int fd, struct cache_hdr *h, int dirty)
{
	h->dirty = (uint64_t)dirty;
	h->hdrsum = hdrsum(h);
	return pwrite_all(fd, h, sizeof(*h), 0);
}

/* Empty heads of wake slots FROM..TO into FD. */
static int
wheads_empty(int fd, uint64_t gen, size_t nk, uint64_t from, uint64_t to)
{
	enum { CHUNK = 512 };
	struct khead buf[CHUNK];
	uint64_t s, j;
	size_t n;

	for (s = from; s < to; s += n) {
		n = to - s < CHUNK ? (size_t)(to - s) : CHUNK;
		for (j = 0; j < n; j++)
			buf[j] = khead_empty(gen, nk + (size_t)(s + j));
		if (pwrite_all(fd, buf, n * sizeof(*buf),
		    (off_t)(s * sizeof(*buf))) == -1)
			return -1;
	}
	return 0;
}

/* The wake heads changed since the last save into whead.bin, the file
   first grown with empty ones to the slots the index now has. */
static int
wheads_write(const struct grv_store *sp)
{
	size_t i;

	if (sp->nwhead > sp->nwheadsaved && wheads_empty(sp->wheadfd,
	    sp->hdr.gen, nkeys(sp->ctx), sp->nwheadsaved, sp->nwhead) == -1)
		return -1;
	for (i = 0; i < sp->nwmod; i++)
		if (pwrite_all(sp->wheadfd, &sp->wmod[i].kh,
		    sizeof(sp->wmod[i].kh), (off_t)sp->wmod[i].slot *
		    (off_t)sizeof(sp->wmod[i].kh)) == -1)
			return -1;
	return 0;
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
	if (ofd_lock(sp->fd, F_WRLCK) == -1)
		return 1;			/* being read: later */
	if (stat(path, &sb) == -1 || (uint64_t)sb.st_dev != sp->dev ||
	    (uint64_t)sb.st_ino != sp->ino ||
	    grv_pread_all(sp->fd, &cur, sizeof(cur), 0) == -1 ||
	    memcmp(&cur, &sp->hdr, sizeof(cur)) != 0)
		goto out;			/* someone else did it */
	if (write_header(sp->fd, h, 1) == -1)
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
		if (k < sp->nsaved && pwrite_all(sp->lastfd, &sp->last[k], 4,
		    (off_t)k * 4) == -1)
			goto bad;
	}
	if ((st->n > sp->nsaved && pwrite_all(sp->lastfd,
	    sp->last + sp->nsaved, (size_t)(st->n - sp->nsaved) * 4,
	    (off_t)sp->nsaved * 4) == -1) ||
	    (sp->ncnew && pwrite_all(sp->crowfd, sp->cnew, sp->ncnew *
	    sizeof(*sp->cnew), (off_t)(sp->nsaved * sizeof(*sp->cnew))) ==
	    -1) ||
	    (sp->nevnew && pwrite_all(sp->eixfd, sp->evnew, sp->nevnew *
	    sizeof(*sp->evnew), (off_t)(sp->nevsaved * sizeof(*sp->evnew)))
	    == -1) ||
	    (sp->nknew && pwrite_all(sp->kixfd, sp->knew, sp->nknew *
	    sizeof(*sp->knew), (off_t)(sp->nkixsaved * sizeof(*sp->knew)))
	    == -1))
		goto bad;
	for (i = 0; i < sp->nknew; i++) {
		k = sp->knewkey[i];
		if (k < nkeys(sp->ctx) && pwrite_all(sp->kheadfd, &sp->khead[k],
		    sizeof(*sp->khead), (off_t)k * (off_t)sizeof(*sp->khead))
		    == -1)
			goto bad;
	}
	if (wheads_write(sp) == -1)
		goto bad;
	if (write_header(sp->fd, h, 0) == -1)
		goto bad;
	sp->hdr = *h;
	sp->nsaved = st->n;
	sp->nevsaved = sp->nev;
	sp->ncnew = sp->nevnew = 0;
	sp->ndirty = 0;
	sp->nkixsaved = sp->nkix;
	sp->nknew = 0;
	sp->nwheadsaved = sp->nwhead;
	sp->nwmod = 0;
	goto out;
bad:
	save_failed("write");
	/* Make sure no reader trusts a half-written file. */
	if (ftruncate(sp->fd, 0) == -1) {
		/* its header says dirty */
	}
out:
	ofd_lock(sp->fd, F_RDLCK);		/* back to shared */
	return 1;
}

/* Rename cache/X.XXXXXX over cache/X: 0, or -1 said. */
static int
put_in_place(const struct grv_ctx *ctx, char **tmp, const char *name)
{
	char *path = cache_path(ctx, name);
	int rc = 0;

	if (rename(*tmp, path) == -1) {
		save_failed("rename");
		unlink(*tmp);
		rc = -1;
	}
	free(*tmp);
	*tmp = NULL;
	free(path);
	return rc;
}

/* park.bin's checksum: its N complaint numbers. */
static uint64_t
park_sum(const uint32_t *v, size_t n)
{
	uint64_t sum = mix(0x7061726b65642121ULL, n);
	size_t i;

	for (i = 0; i < n; i++)
		sum = mix(sum, v[i]);
	return sum;
}

/* The temporary files of a cold fold's key index. */
enum { T_KIX, T_KHEAD, T_WHEAD, T_PARK, T_COUNT };
static const char *const tnames[T_COUNT] = { "kix.bin", "khead.bin",
	"whead.bin", "park.bin" };

/*
 * A cold fold's key index, every complaint onto its keys' chains, to
 * temporary files T (named as tnames), and its place in H: the wake slots
 * from the hour of the last row folded, no sweep yet, nothing parked.
 * 0, or -1 said.
 */
static int
keys_build(const struct grv_state *st, const struct grv_ctx *ctx,
    char *t[T_COUNT], struct cache_hdr *h)
{
	enum { CHUNK = 4096 };
	struct kent *buf;
	struct khead *kh;
	size_t nk = nkeys(ctx), nb = 0, nh, i;
	uint32_t key[4], n;
	uint64_t k = 0, nw = 0;
	grv_time_t last = st->last_ts;
	int fd[T_COUNT], j, nkk, rc = -1;

	for (j = 0; j < T_COUNT; j++)
		fd[j] = -1;
	for (j = 0; j < T_COUNT; j++) {
		char tmpl[32];

		snprintf(tmpl, sizeof(tmpl), "%s.XXXXXX", tnames[j]);
		if ((fd[j] = make_temp(ctx, tmpl, &t[j])) == -1)
			goto out;
	}
	if (last == GRV_TIME_NONE || (st->last_reg != GRV_TIME_NONE &&
	    st->last_reg > last))
		last = st->last_reg;
	h->wbase = last == GRV_TIME_NONE ? 0 : last / 3600 - (last % 3600 < 0);
	if (getrandom(&h->gen, sizeof(h->gen), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(h->gen))
		h->gen = mix(boot_id() ^ (uint64_t)time(NULL),
		    (uint64_t)getpid());
	h->wlo = 0;
	h->wlo_at = GRV_TIME_NONE;
	h->npark = 0;
	h->parksum = park_sum(NULL, 0);
	/* Every slot up to the last one used, master keys first. */
	for (n = 1; n <= st->n; n++) {
		grv_time_t w = grv_wake(&ctx->conf, &st->c[n - 1]);

		if (w != GRV_TIME_NONE && wake_slot(h->wbase, w) >= nw)
			nw = (uint64_t)wake_slot(h->wbase, w) + 1;
	}
	nh = nk + (size_t)nw;
	buf = grv_reallocarray(NULL, CHUNK, sizeof(*buf));
	kh = grv_calloc(nh ? nh : 1, sizeof(*kh));
	for (n = 1; n <= st->n; n++) {
		nkk = keys_of(ctx, h->wbase, &st->c[n - 1], key);
		for (j = 0; j < nkk; j++) {
			buf[nb].n = n;
			buf[nb].prev = kh[key[j]].head;
			buf[nb].check = kent_check(h->gen, &buf[nb], ++k);
			kh[key[j]].head = (uint32_t)k;
			if (++nb == CHUNK) {
				if (pwrite_all(fd[T_KIX], buf, nb * sizeof(*buf),
				    (off_t)((k - nb) * sizeof(*buf))) == -1)
					goto done;
				nb = 0;
			}
		}
	}
	for (i = 0; i < nh; i++)
		kh[i].check = khead_check(h->gen, &kh[i], i);
	if ((nb && pwrite_all(fd[T_KIX], buf, nb * sizeof(*buf),
	    (off_t)((k - nb) * sizeof(*buf))) == -1) ||
	    (nk && pwrite_all(fd[T_KHEAD], kh, nk * sizeof(*kh), 0) == -1) ||
	    (nw && pwrite_all(fd[T_WHEAD], kh + nk, (size_t)nw * sizeof(*kh),
	    0) == -1))
		goto done;
	h->nkix = k;
	h->nwhead = nw;
	rc = 0;
done:
	free(buf);
	free(kh);
out:
	for (j = 0; j < T_COUNT; j++)
		if (fd[j] != -1 && close(fd[j]) == -1)
			rc = -1;
	if (rc == -1)
		save_failed("write");
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
	char *tk[T_COUNT] = { NULL };
	int fl = -1, fs = -1, j;

	if (ixout_flush(&sp->oc) == -1 || ixout_flush(&sp->oe) == -1 ||
	    close(sp->oc.fd) == -1 || close(sp->oe.fd) == -1) {
		sp->oc.fd = sp->oe.fd = -1;
		save_failed("write");
		goto fail;
	}
	sp->oc.fd = sp->oe.fd = -1;
	if ((fl = make_temp(ctx, "last.bin.XXXXXX", &tlast)) == -1 ||
	    (fs = make_temp(ctx, "state.bin.XXXXXX", &tstate)) == -1) {
		save_failed("create");
		goto fail;
	}
	if (keys_build(st, ctx, tk, h) == -1)
		goto fail;
	h->dirty = 0;
	h->hdrsum = hdrsum(h);
	memset(page, 0, sizeof(page));
	memcpy(page, h, sizeof(*h));
	if ((st->n && pwrite_all(fl, sp->last, (size_t)st->n * 4, 0) == -1) ||
	    write_records(fs, st->c, 0, st->n) == -1 ||
	    pwrite_all(fs, page, sizeof(page), 0) == -1) {
		save_failed("write");
		goto fail;
	}
	if (close(fl) == -1 || close(fs) == -1) {
		fl = fs = -1;
		save_failed("close");
		goto fail;
	}
	fl = fs = -1;
	if (put_in_place(ctx, &sp->oc.tmp, "crow.bin") == -1 ||
	    put_in_place(ctx, &sp->oe.tmp, "eix.bin") == -1 ||
	    put_in_place(ctx, &tlast, "last.bin") == -1)
		goto fail;
	for (j = 0; j < T_COUNT; j++)
		if (put_in_place(ctx, &tk[j], tnames[j]) == -1)
			goto fail;
	if (put_in_place(ctx, &tstate, "state.bin") == -1)
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
	for (j = 0; j < T_COUNT; j++)
		if (tk[j]) {
			unlink(tk[j]);
			free(tk[j]);
		}
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
		keys_update(st->store, st);
	if (sp->kbad) {
		/* An index that cannot be extended: built anew next time. */
		path = cache_path(ctx, "state.bin");
		unlink(path);
		free(path);
		return 0;
	}
	make_header(&h, st, ctx);
	if (sp->build)
		write_whole(&h, st, ctx);
	else {
		path = cache_path(ctx, "state.bin");
		update_in_place(&h, st, path);
		free(path);
	}
	return 0;
}

/* ---- one complaint's history from the row index ---- */

/* Entry K (1-based) of the event index (EV) or the complaint index. */
static int
ix_get(const struct grv_store *sp, int ev, uint64_t k, struct ixent *e)
{
	uint64_t saved = ev ? sp->nevsaved : sp->nsaved;
	size_t nnew = ev ? sp->nevnew : sp->ncnew;
	const struct ixent *v = ev ? sp->evnew : sp->cnew;

	if (k == 0)
		return -1;
	if (k > saved) {
		if (k - saved - 1 >= nnew)
			return -1;
		*e = v[k - saved - 1];
		return 0;
	}
	return grv_pread_all(ev ? sp->eixfd : sp->crowfd, e, sizeof(*e),
	    (off_t)((k - 1) * sizeof(*e)));
}

/* The row at LOC in the live ledger KIND, through the reader *RD (opened
   on first use), checked against E's crc: the row, or NULL. */
static struct grv_csv_row *
row_at(const struct grv_ctx *ctx, enum grv_ledger_kind kind,
    const struct ixent *e, struct grv_csv_reader **rd, char *rel)
{
	struct grv_csv_row *row;

	if (e->loc >> 48 != 0)
		return NULL;		/* a sealed segment: not seekable */
	if (*rd == NULL && (*rd = grv_csv_open(ctx->dir, rel,
	    GRV_CSV_LEDGER | GRV_CSV_POINT)) == NULL)
		return NULL;
	if (grv_csv_seek(*rd, e->loc & ((1ULL << 48) - 1), 1) == -1 ||
	    grv_csv_next(*rd, &row) != 1 ||
	    row->nf != grv_ledger_ncols(kind) || row->nf < 1 ||
	    grv_row_crc32(row) != e->crc)
		return NULL;
	return row;
}

int
grv_cache_history(const struct grv_state *st, const struct grv_ctx *ctx,
    uint32_t n, grv_complaint_fn fc, grv_event_fn fe, void *arg)
{
	const struct grv_store *sp = st->store;
	struct grv_csv_reader *rc = NULL, *re = NULL;
	char crel[64], erel[64];
	struct ixent ce, *evs = NULL;
	struct grv_cstate cs, before;
	const struct grv_cstate *rec;
	struct grv_csv_row *row;
	struct grv_crow p;
	struct grv_event ev;
	struct grv_fault fl;
	size_t nevs = 0, cap = 0, i;
	uint64_t k;
	int ok = -1;

	if (sp == NULL || sp->build || n == 0 || n > st->n ||
	    (rec = grv_state_get(st, n)) == NULL)
		return -1;
	/* The complaint's events, last first, each naming the one before. */
	for (k = sp->last[n - 1]; k != 0; k = evs[nevs - 1].prev) {
		if (nevs == cap) {
			cap = cap ? cap * 2 : 16;
			evs = grv_reallocarray(evs, cap, sizeof(*evs));
		}
		if (nevs >= sp->nev || ix_get(sp, 1, k, &evs[nevs]) == -1 ||
		    evs[nevs].n != n || evs[nevs].prev >= k)
			goto out;
		nevs++;
	}
	if (ix_get(sp, 0, n, &ce) == -1 || ce.n != n)
		goto out;
	snprintf(crel, sizeof(crel), "ledger/%s.csv",
	    grv_ledger_name(GRV_COMPLAINTS));
	snprintf(erel, sizeof(erel), "ledger/%s.csv",
	    grv_ledger_name(GRV_EVENTS));
	if ((row = row_at(ctx, GRV_COMPLAINTS, &ce, &rc, crel)) == NULL ||
	    grv_rules_complaint(&ctx->conf, &ctx->m,
	    (const char *const *)row->f, row->flen, row->raw, row->rawlen, &p,
	    &fl, 1) != 0 || p.n != n)
		goto out;
	grv_cstate_init(&cs, &p);
	if (fc && fc(arg, n, &cs, row) != 0)
		goto out;
	/* Replayed from the complaint row, oldest first. */
	for (i = nevs; i-- > 0;) {
		if ((row = row_at(ctx, GRV_EVENTS, &evs[i], &re, erel)) ==
		    NULL ||
		    grv_rules_event(&ctx->conf, &ctx->m,
		    (const char *const *)row->f, row->flen, row->raw,
		    row->rawlen, &ev, &fl, 1) != 0 || ev.n != n)
			goto out;
		ev.row = row;
		ev.file = erel;
		before = cs;
		grv_state_apply(&cs, &ev);
		if (fe && fe(arg, &ev, &before, &cs) != 0)
			goto out;
	}
	/* It must come to the state the fold keeps. */
	ok = memcmp(&cs, rec, CS_USED) == 0 ? 0 : -1;
out:
	if (rc)
		grv_csv_close(rc);
	if (re)
		grv_csv_close(re);
	free(evs);
	return ok;
}

/* ---- the complaints under one key ---- */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* A growing list of complaint numbers. */
struct nlist {
	uint32_t	*v;
	size_t		 n, cap;
};

static void
nl_add(struct nlist *l, uint32_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = grv_reallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = n;
}

/* KEY's chain onto L: 0, or -1 when any of it fails its check. */
static int
chain_walk(const struct grv_store *sp, const struct grv_state *st,
    uint32_t key, struct nlist *l)
{
	struct khead kh;
	struct kent e;
	uint64_t k, prevk;

	if (head_get(sp, key, &kh) == -1)
		return -1;
	for (k = kh.head, prevk = UINT64_MAX; k != 0; k = e.prev) {
		if (k >= prevk)
			return -1;	/* a chain only goes back */
		if (k > sp->nkixsaved)
			e = sp->knew[k - sp->nkixsaved - 1];
		else if (grv_pread_all(sp->kixfd, &e, sizeof(e),
		    (off_t)((k - 1) * sizeof(e))) == -1)
			return -1;
		if (e.check != kent_check(sp->hdr.gen, &e, k) || e.n == 0 ||
		    e.n > st->n)
			return -1;
		nl_add(l, e.n);
		prevk = k;
	}
	return 0;
}

/* L with what the fold changed since the load and no save has indexed,
   sorted, each once, to *OUT and *NOUT: 0. */
static int
candidates(const struct grv_store *sp, const struct grv_state *st,
    struct nlist *l, uint32_t **out, size_t *nout)
{
	size_t d, k;

	for (d = 0; d < sp->ndirty; d++)
		nl_add(l, sp->dlist[d] + 1);
	for (k = sp->nsaved; k < st->n; k++)
		nl_add(l, (uint32_t)k + 1);
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_u32);
	for (d = 0, k = 0; d < l->n; d++)
		if (k == 0 || l->v[k - 1] != l->v[d])
			l->v[k++] = l->v[d];
	*out = l->v;
	*nout = k;
	return 0;
}

/* Damage found in the key index: the caller looks at every complaint,
   and the next program that may write cache/ builds it anew. */
static int
index_damaged(const struct grv_store *sp, struct nlist *l)
{
	char *path;

	free(l->v);
	if (!readonly) {
		path = cache_path(sp->ctx, "state.bin");
		unlink(path);
		free(path);
	}
	return -1;
}

int
grv_cache_keyed(const struct grv_state *st, int kind, int idx,
    uint32_t **out, size_t *nout)
{
	const struct grv_store *sp = st->store;
	struct nlist l = { NULL, 0, 0 };
	int64_t kv;

	if (sp == NULL || sp->build || sp->khead == NULL ||
	    (kv = key_of(&sp->ctx->m, kind, idx)) == -1)
		return -1;
	if (chain_walk(sp, st, (uint32_t)kv, &l) == -1)
		return index_damaged(sp, &l);
	return candidates(sp, st, &l, out, nout);
}

/* ---- the complaints the sweep may have to do something with ---- */

int
grv_cache_due(const struct grv_state *st, grv_time_t now, uint32_t **out,
    size_t *nout)
{
	const struct grv_store *sp = st->store;
	struct nlist l = { NULL, 0, 0 };
	uint32_t slot, hi, nk, *park;
	uint64_t np;
	size_t i;

	if (sp == NULL || sp->build || sp->khead == NULL || st->cut ||
	    (sp->hdr.wlo_at != GRV_TIME_NONE && now < sp->hdr.wlo_at))
		return -1;	/* not what the last sweep vouched for */
	nk = (uint32_t)nkeys(sp->ctx);
	hi = wake_slot(sp->wbase, now);
	for (slot = (uint32_t)sp->wlo; slot <= hi; slot++)
		if (chain_walk(sp, st, nk + slot, &l) == -1)
			return index_damaged(sp, &l);
	/* The complaints the last sweep could not move. */
	np = sp->hdr.npark;
	park = grv_reallocarray(NULL, np ? np : 1, sizeof(*park));
	if ((np && grv_pread_all(sp->parkfd, park, np * 4, 0) == -1) ||
	    park_sum(park, np) != sp->hdr.parksum) {
		free(park);
		return index_damaged(sp, &l);
	}
	for (i = 0; i < np; i++)
		if (park[i] != 0 && park[i] <= st->n)
			nl_add(&l, park[i]);
	free(park);
	return candidates(sp, st, &l, out, nout);
}

void
grv_cache_swept(const struct grv_state *st, grv_time_t now,
    const uint32_t *stuck, size_t nstuck)
{
	struct grv_store *sp = st->store;
	struct cache_hdr cur, h;
	struct stat sb;
	char *path;

	if (sp == NULL || sp->build || !sp->rw || readonly || st->cut ||
	    sp->fd == -1)
		return;
	if (ofd_lock(sp->fd, F_WRLCK) == -1)
		return;			/* being read: the next sweep walks more */
	path = cache_path(sp->ctx, "state.bin");
	if (stat(path, &sb) == -1 || (uint64_t)sb.st_dev != sp->dev ||
	    (uint64_t)sb.st_ino != sp->ino ||
	    grv_pread_all(sp->fd, &cur, sizeof(cur), 0) == -1 ||
	    memcmp(&cur, &sp->hdr, sizeof(cur)) != 0)
		goto out;		/* replaced, or not as loaded */
	/* The parked complaints first: a header left behind names a sum
	   they no longer have, and the next sweep looks at every one. */
	h = sp->hdr;
	h.wlo = wake_slot(sp->wbase, now);
	h.wlo_at = now;
	h.npark = nstuck;
	h.parksum = park_sum(stuck, nstuck);
	if ((nstuck && pwrite_all(sp->parkfd, stuck, nstuck * 4, 0) == -1) ||
	    ftruncate(sp->parkfd, (off_t)(nstuck * 4)) == -1 ||
	    write_header(sp->fd, &h, 0) == -1) {
		save_failed("write");
		goto out;
	}
	sp->hdr = h;
	sp->wlo = h.wlo;
out:
	free(path);
	ofd_lock(sp->fd, F_RDLCK);
}
