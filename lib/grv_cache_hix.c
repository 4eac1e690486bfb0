/* grv_cache_hix.c: the hashed indexes of the state cache (grv_hix.h,
 * grv-ledger(5), The state cache): cache/phone.bin, a phone's complaints
 * as registered, cache/corr.bin, a complaint's rows of corrections.csv,
 * and cache/key.bin, the complaint rows carrying a ref (hashed), each
 * with where the row is.
 *
 * A file is a header, then NB bucket heads (a power of two), then the
 * entries in the order written, each naming the entry before it in its
 * bucket; a key's entries are those of its bucket that carry it.  The
 * header says where in the ledger the index stops (as state.bin's does:
 * the live file's size, line, last crc, device, inode and the sealed
 * segments' signature), and carries a random gen that every entry's and
 * head's check mixes in, so that a file of another build fails them.
 *
 * An opener checks the header (magic, version, byte order, its sum, not
 * left dirty, this boot, the file exactly as long as its counts say) and
 * that the ledger still holds what the index covers; then reads the rows
 * appended since and indexes them in memory, and saves them in place at
 * the close: the header marked dirty, the entries and the heads they
 * moved, the header clean, under an exclusive OFD lock taken without
 * waiting (a reader holds a shared one: the update is left to a later
 * program).  Anything else, and an entry or head that fails its check
 * when walked, makes the opener build the file anew from every row, to a
 * temporary file renamed into place; one that cannot write cache/ reads
 * the ledger instead.  The files take complaints.csv's mode and group:
 * phone.bin holds phone numbers.  key.bin's places name the file as the
 * row index does (0 the live one, K the K-th sealed segment): a segment
 * sealed since changes the segments' signature, and the index is built
 * anew.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_complaint.h"
#include "grv_csv.h"
#include "grv_file.h"
#include "grv_fold.h"
#include "grv_hix.h"
#include "grv_layout.h"
#include "grv_ledger.h"
#include "grv_map.h"
#include "grv_msg.h"
#include "grv_store.h"
#include "grv_time.h"

#define HIX_MAGIC	"GRVHIX\001\000"
#define HIX_VERSION	1
#define HIX_HDR		512		/* the header's room; heads follow */
#define HIX_MINB	1024		/* buckets at least */
#define HIX_LOAD	8		/* entries per bucket before a rebuild */

/* Every member a multiple of 8 bytes: no padding. */
struct hix_hdr {
	char		 magic[8];
	uint64_t	 version;
	uint64_t	 bom;
	uint64_t	 kind;
	uint64_t	 gen;		/* drawn at random by the build */
	uint64_t	 nb;		/* buckets */
	uint64_t	 nent;		/* entries */
	uint64_t	 dirty;
	uint64_t	 boot;
	struct cache_pos pos;		/* where in the ledger it stops */
	uint64_t	 hdrsum;
};

struct hix_spec {
	const char		*name;
	enum grv_ledger_kind	 ledger;
};

static const struct hix_spec specs[] = {
	[GRV_HIX_PHONE] = { "phone.bin", GRV_COMPLAINTS },
	[GRV_HIX_CORR] = { "corr.bin", GRV_CORRECTIONS },
	[GRV_HIX_KEY] = { "key.bin", GRV_COMPLAINTS },
};

/* A bucket whose head moved since the open. */
struct hmod {
	uint64_t	 b;
	uint32_t	 head;
};

struct grv_hix {
	const struct grv_ctx	*ctx;
	int			 kind;
	const struct hix_spec	*spec;
	int			 fd, rw;
	uint64_t		 dev, ino;
	struct hix_hdr		 hdr;	/* as in the file */
	struct cache_pos	 pos;	/* where it stops now */
	uint64_t		 nent;	/* entries now, the file's and new */
	struct grv_hix_ent	*nv;	/* new since the open */
	size_t			 nn, ncap;
	struct grv_imap		 mix;	/* bucket -> index in mods */
	struct hmod		*mods;
	size_t			 nmods, mcap;
	int			 bad;	/* a head failed its check */
	unsigned		 file;	/* the file being read: 0 the live
					   one, K the K-th sealed segment */
	/* A build's. */
	int			 building;
	uint32_t		*heads;
	struct grv_hix_ent	 buf[1024];
	size_t			 nbuf;
	int			 failed;
};

static uint64_t
hdrsum(const struct hix_hdr *h)
{
	const unsigned char *s = (const unsigned char *)h;
	size_t i, n = offsetof(struct hix_hdr, hdrsum);
	uint64_t w, sum = 0x68697873756d2121ULL;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		sum = grv_store_mix(sum, w);
	}
	return sum;
}

static uint32_t
fold32(uint64_t h)
{
	uint32_t t = (uint32_t)(h ^ (h >> 32));

	return t ? t : 1;
}

/* Entry K's check: its words, its place, the build's gen. */
static uint32_t
ent_check(uint64_t gen, const struct grv_hix_ent *e, uint64_t k)
{
	uint64_t h = grv_store_mix(grv_store_mix(0x6869786e74727921ULL, gen),
	    k);

	h = grv_store_mix(h, e->key);
	h = grv_store_mix(h, (uint64_t)e->val);
	h = grv_store_mix(h, (uint64_t)e->n << 32 | e->prev);
	return fold32(grv_store_mix(h, e->crc));
}

static uint32_t
head_check(uint64_t gen, uint64_t b, uint32_t head)
{
	return fold32(grv_store_mix(grv_store_mix(grv_store_mix(
	    0x6869786865616421ULL, gen), b), head));
}

static uint64_t
bucket(const struct grv_hix *hx, uint64_t key)
{
	return grv_store_mix(0x6275636b65742121ULL, key) & (hx->hdr.nb - 1);
}

static off_t
head_off(uint64_t b)
{
	return (off_t)(HIX_HDR + b * 8);
}

static off_t
ent_off(const struct grv_hix *hx, uint64_t k)
{
	return (off_t)(HIX_HDR + hx->hdr.nb * 8 +
	    (k - 1) * sizeof(struct grv_hix_ent));
}

uint64_t
grv_hix_phone_key(const char *phone, size_t len)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 15)
		return 0;
	for (i = 0; i < len; i++) {
		if (phone[i] < '0' || phone[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(phone[i] - '0');
	}
	/* The length kept: a landline's 0 is a digit of its own. */
	return (uint64_t)len << 56 | v;
}

uint64_t
grv_hix_ref_key(const char *ref, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a, then mixed */
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)ref[i];
		h *= 0x100000001b3ULL;
	}
	h = grv_store_mix(h, len);
	return h ? h : 1;
}

/* ---- what each ledger's rows give ---- */
static void put(struct grv_hix *, uint64_t key, int64_t val, uint32_t n,
    uint32_t crc);

/* A row of the index's ledger (not the header) into entries. */
static void
index_row(struct grv_hix *hx, const struct grv_csv_row *row)
{
	const char *node = hx->ctx->conf.node;
	grv_time_t reg;
	uint64_t key;
	uint32_t n;

	if (hx->kind == GRV_HIX_PHONE) {
		if (row->nf != GRV_C_NCOLS ||
		    grv_id_parse(node, row->f[GRV_C_ID], row->flen[GRV_C_ID],
		    &n) == -1 ||
		    grv_time_parse_ts(row->f[GRV_C_REGISTERED],
		    row->flen[GRV_C_REGISTERED], &reg) == -1 ||
		    (key = grv_hix_phone_key(row->f[GRV_C_PHONE],
		    row->flen[GRV_C_PHONE])) == 0)
			return;
		put(hx, key, reg, n, grv_row_crc32(row));
		return;
	}
	if (hx->kind == GRV_HIX_KEY) {
		/* The rows grv_intake_keys would compare, and no others. */
		if (row->nf != GRV_C_NCOLS || row->flen[GRV_C_REF] == 0 ||
		    grv_id_parse(node, row->f[GRV_C_ID], row->flen[GRV_C_ID],
		    &n) == -1)
			return;
		put(hx, grv_hix_ref_key(row->f[GRV_C_REF],
		    row->flen[GRV_C_REF]), (int64_t)((uint64_t)hx->file << 48 |
		    row->off), n, grv_row_crc32(row));
		return;
	}
	if (row->nf != GRV_X_NCOLS || grv_id_parse(node, row->f[GRV_X_ID],
	    row->flen[GRV_X_ID], &n) == -1)
		return;
	put(hx, n, (int64_t)row->off, n, grv_row_crc32(row));
}

/* ---- heads and entries ---- */

/* Bucket B's head now: moved since the open, else as the file has it
   (checked; a bad one marks the index bad, and reads as empty). */
static uint32_t
head_get(struct grv_hix *hx, uint64_t b)
{
	uint32_t h[2];
	int i;

	if (hx->building)
		return hx->heads[b];
	if ((i = grv_imap_get(&hx->mix, b)) != -1)
		return hx->mods[i].head;
	if (grv_pread_all(hx->fd, h, sizeof(h), head_off(b)) == -1 ||
	    h[1] != head_check(hx->hdr.gen, b, h[0]) ||
	    h[0] > hx->hdr.nent) {
		hx->bad = 1;
		return 0;
	}
	return h[0];
}

static void
head_set(struct grv_hix *hx, uint64_t b, uint32_t head)
{
	int i;

	if (hx->building) {
		hx->heads[b] = head;
		return;
	}
	if ((i = grv_imap_get(&hx->mix, b)) == -1) {
		if (hx->nmods == hx->mcap) {
			hx->mcap = hx->mcap ? hx->mcap * 2 : 64;
			hx->mods = grv_reallocarray(hx->mods, hx->mcap,
			    sizeof(*hx->mods));
		}
		i = (int)hx->nmods++;
		hx->mods[i].b = b;
		grv_imap_put(&hx->mix, b, i);
	}
	hx->mods[i].head = head;
}

static void
flush(struct grv_hix *hx)
{
	uint64_t first = hx->nent - hx->nbuf + 1;

	if (hx->nbuf && !hx->failed && grv_store_pwrite(hx->fd, hx->buf,
	    hx->nbuf * sizeof(hx->buf[0]), ent_off(hx, first)) == -1)
		hx->failed = 1;
	hx->nbuf = 0;
}

static void
put(struct grv_hix *hx, uint64_t key, int64_t val, uint32_t n, uint32_t crc)
{
	struct grv_hix_ent e;
	uint64_t b = bucket(hx, key);

	if (hx->nent >= UINT32_MAX - 1) {
		hx->bad = 1;
		return;
	}
	memset(&e, 0, sizeof(e));
	e.key = key;
	e.val = val;
	e.n = n;
	e.crc = crc;
	e.prev = head_get(hx, b);
	e.check = ent_check(hx->hdr.gen, &e, ++hx->nent);
	head_set(hx, b, (uint32_t)hx->nent);
	if (hx->building) {
		hx->buf[hx->nbuf++] = e;
		if (hx->nbuf == sizeof(hx->buf) / sizeof(hx->buf[0]))
			flush(hx);
		return;
	}
	if (hx->nn == hx->ncap) {
		hx->ncap = hx->ncap ? hx->ncap * 2 : 64;
		hx->nv = grv_reallocarray(hx->nv, hx->ncap, sizeof(*hx->nv));
	}
	hx->nv[hx->nn++] = e;
}

/* Entry K: 0, or -1 when it cannot be read or fails its check. */
static int
ent_get(const struct grv_hix *hx, uint64_t k, struct grv_hix_ent *e)
{
	if (k == 0 || k > hx->nent)
		return -1;
	if (k > hx->hdr.nent)
		*e = hx->nv[k - hx->hdr.nent - 1];
	else if (grv_pread_all(hx->fd, e, sizeof(*e), ent_off(hx, k)) == -1)
		return -1;
	return e->check == ent_check(hx->hdr.gen, e, k) && e->prev < k ?
	    0 : -1;
}

/* ---- reading the ledger ---- */

/* The rows of REL from POS (the whole file when POS->size is 0) into the
   index, POS moved to the last one read: 0, or -1. */
static int
read_rows(struct grv_hix *hx, const char *rel, struct cache_pos *pos,
    int live)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	struct stat sb;
	int k, rc = 0;

	if ((r = grv_csv_open(hx->ctx->dir, rel, GRV_CSV_LEDGER |
	    (pos->size ? GRV_CSV_SEEK : 0))) == NULL)
		return errno == ENOENT && live && pos->size == 0 ? 0 : -1;
	if (pos->size && grv_csv_seek(r, pos->size, (unsigned long)pos->line +
	    1) == -1) {
		grv_csv_close(r);
		return -1;
	}
	while ((k = grv_csv_next(r, &row)) == 1) {
		if (live) {
			pos->size = row->end;
			pos->line = row->line;
		}
		if (row->line == 1)
			continue;		/* the header */
		if (live) {
			if (row->rawlen < 8) {
				rc = -1;
				break;
			}
			memcpy(pos->crc, row->raw + row->rawlen - 8, 8);
			pos->crc[8] = '\0';
		}
		index_row(hx, row);
	}
	if (k == -1)
		rc = -1;
	if (grv_csv_close(r) == -1)
		rc = -1;
	if (rc == 0 && live && pos->size) {
		/* The file's identity, as state.bin records it. */
		struct grv_buf path = GRV_BUF_INIT;

		grv_buf_printf(&path, "%s/%s", hx->ctx->dir, rel);
		if (stat(path.s, &sb) == 0) {
			pos->dev = (uint64_t)sb.st_dev;
			pos->ino = (uint64_t)sb.st_ino;
		}
		grv_buf_release(&path);
	}
	return rc;
}

static void
live_rel(const struct grv_hix *hx, char *rel, size_t size)
{
	snprintf(rel, size, "ledger/%s.csv", grv_ledger_name(hx->spec->ledger));
}

/* ---- opening ---- */

static void
drop_file(struct grv_hix *hx)
{
	if (hx->fd != -1)
		close(hx->fd);
	hx->fd = -1;
	free(hx->nv);
	hx->nv = NULL;
	hx->nn = hx->ncap = 0;
	free(hx->mods);
	hx->mods = NULL;
	hx->nmods = hx->mcap = 0;
	grv_imap_release(&hx->mix);
	hx->bad = 0;
}

/* The file as it is, if it is good and matches the ledger: 0, or -1. */
static int
load(struct grv_hix *hx)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct stat sb;
	char *path;
	int i;

	path = grv_store_path(hx->ctx, hx->spec->name);
	hx->rw = 1;
	hx->fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (hx->fd == -1 && (errno == EACCES || errno == EROFS)) {
		hx->rw = 0;
		hx->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	free(path);
	if (hx->fd == -1)
		return -1;
	/* An updater holds the exclusive lock for milliseconds. */
	for (i = 0; grv_store_lock(hx->fd, F_RDLCK) == -1; i++) {
		if (i == 300 || (errno != EAGAIN && errno != EACCES &&
		    errno != EINTR))
			goto fail;
		nanosleep(&ts, NULL);
	}
	if (fstat(hx->fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    grv_pread_all(hx->fd, &hx->hdr, sizeof(hx->hdr), 0) == -1 ||
	    memcmp(hx->hdr.magic, HIX_MAGIC, 8) != 0 ||
	    hx->hdr.version != HIX_VERSION || hx->hdr.bom != CACHE_BOM ||
	    hx->hdr.kind != (uint64_t)hx->kind ||
	    hx->hdr.hdrsum != hdrsum(&hx->hdr) || hx->hdr.dirty != 0 ||
	    hx->hdr.boot != grv_store_boot() ||
	    hx->hdr.nb < HIX_MINB || hx->hdr.nb > (1ULL << 32) ||
	    (hx->hdr.nb & (hx->hdr.nb - 1)) != 0 ||
	    hx->hdr.nent >= UINT32_MAX ||
	    (uint64_t)sb.st_size != HIX_HDR + hx->hdr.nb * 8 +
	    hx->hdr.nent * sizeof(struct grv_hix_ent) ||
	    hx->hdr.pos.crc[8] != '\0' ||
	    grv_store_ledger_matches(hx->ctx, hx->spec->ledger,
	    &hx->hdr.pos) == -1)
		goto fail;
	hx->dev = (uint64_t)sb.st_dev;
	hx->ino = (uint64_t)sb.st_ino;
	hx->pos = hx->hdr.pos;
	hx->nent = hx->hdr.nent;
	return 0;
fail:
	close(hx->fd);
	hx->fd = -1;
	return -1;
}

/* The new file's mode and group: complaints.csv's (never other's). */
static void
take_mode(const struct grv_ctx *ctx, int fd)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb;

	grv_buf_printf(&b, "%s/ledger/%s.csv", ctx->dir,
	    grv_ledger_name(GRV_COMPLAINTS));
	if (stat(b.s, &sb) == 0) {
		if (fchown(fd, (uid_t)-1, sb.st_gid) == -1) {
			/* not a member of its group: ours, then */
		}
		(void)fchmod(fd, sb.st_mode & 0660);
	} else
		(void)fchmod(fd, 0600);
	grv_buf_release(&b);
}

/* Buckets for a ledger of BYTES: about one for every 256 bytes of rows
   (a row takes 60 at least), a power of two. */
static uint64_t
buckets_for(uint64_t bytes)
{
	uint64_t nb = HIX_MINB;

	while (nb < bytes / 256 && nb < (1ULL << 31))
		nb <<= 1;
	return nb;
}

/* Built anew from every row: 0, or -1 (nothing left behind). */
static int
build(struct grv_hix *hx)
{
	const struct grv_ctx *ctx = hx->ctx;
	const char *stem = grv_ledger_name(hx->spec->ledger);
	struct grv_segments sg = GRV_SEGMENTS_INIT;
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb, dsb;
	char tmpl[64], rel[64], *tmp = NULL, *dir;
	uint64_t bytes = 0, i;
	uint32_t *hv;
	int rc = -1;

	drop_file(hx);
	if (grv_store_readonly())
		return -1;
	dir = grv_store_path(ctx, NULL);
	if ((mkdir(dir, 0777) == -1 && errno != EEXIST) ||
	    lstat(dir, &dsb) == -1 || !S_ISDIR(dsb.st_mode)) {
		free(dir);
		return -1;		/* a link, say: never written through */
	}
	free(dir);
	live_rel(hx, rel, sizeof(rel));
	grv_ledger_segments(ctx->dir, stem, &sg);
	for (i = 0; i < sg.n; i++) {
		grv_buf_reset(&b);
		grv_buf_printf(&b, "%s/%s", ctx->dir, sg.rel[i]);
		if (stat(b.s, &sb) == 0)
			bytes += (uint64_t)sb.st_size * 4;	/* compressed */
	}
	grv_buf_reset(&b);
	grv_buf_printf(&b, "%s/%s", ctx->dir, rel);
	if (stat(b.s, &sb) == 0)
		bytes += (uint64_t)sb.st_size;
	grv_buf_release(&b);
	if (hx->nent > (uint64_t)HIX_LOAD * HIX_MINB)
		bytes += hx->nent * 512;	/* outgrown: room to spare */
	snprintf(tmpl, sizeof(tmpl), "%s.XXXXXX", hx->spec->name);
	if ((hx->fd = grv_store_temp(ctx, tmpl, &tmp)) == -1)
		goto out;
	take_mode(ctx, hx->fd);
	memset(&hx->hdr, 0, sizeof(hx->hdr));
	memcpy(hx->hdr.magic, HIX_MAGIC, 8);
	hx->hdr.version = HIX_VERSION;
	hx->hdr.bom = CACHE_BOM;
	hx->hdr.kind = (uint64_t)hx->kind;
	hx->hdr.nb = buckets_for(bytes);
	if (getrandom(&hx->hdr.gen, sizeof(hx->hdr.gen), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(hx->hdr.gen))
		hx->hdr.gen = grv_store_mix(grv_store_boot() ^
		    (uint64_t)time(NULL), (uint64_t)getpid());
	hx->hdr.boot = grv_store_boot();
	hx->building = 1;
	hx->failed = 0;
	hx->nbuf = 0;
	hx->nent = 0;
	hx->heads = grv_calloc((size_t)hx->hdr.nb, sizeof(*hx->heads));
	memset(&hx->pos, 0, sizeof(hx->pos));
	for (i = 0; i < sg.n; i++) {
		hx->file = (unsigned)i + 1;
		if (read_rows(hx, sg.rel[i], &hx->pos, 0) == -1)
			goto out;
	}
	hx->pos.segsig = grv_segments_sig(ctx->dir, stem);
	hx->file = 0;
	if (read_rows(hx, rel, &hx->pos, 1) == -1 || hx->bad)
		goto out;
	flush(hx);
	/* The heads with their checks, a block at a time. */
	hv = grv_reallocarray(NULL, 2 * 4096, sizeof(*hv));
	for (i = 0; i < hx->hdr.nb && !hx->failed; i++) {
		hv[2 * (i % 4096)] = hx->heads[i];
		hv[2 * (i % 4096) + 1] = head_check(hx->hdr.gen, i,
		    hx->heads[i]);
		if (i % 4096 == 4095 || i + 1 == hx->hdr.nb)
			if (grv_store_pwrite(hx->fd, hv, (size_t)(i % 4096 + 1) *
			    8, head_off(i - i % 4096)) == -1)
				hx->failed = 1;
	}
	free(hv);
	hx->hdr.nent = hx->nent;
	hx->hdr.pos = hx->pos;
	hx->hdr.hdrsum = hdrsum(&hx->hdr);
	if (hx->failed || grv_store_pwrite(hx->fd, &hx->hdr, sizeof(hx->hdr),
	    0) == -1 || fstat(hx->fd, &sb) == -1 ||
	    grv_store_lock(hx->fd, F_RDLCK) == -1 ||
	    grv_store_put(ctx, &tmp, hx->spec->name) == -1)
		goto out;
	hx->rw = 1;
	hx->dev = (uint64_t)sb.st_dev;
	hx->ino = (uint64_t)sb.st_ino;
	rc = 0;
out:
	if (rc == -1) {
		if (hx->failed)
			grv_store_failed("write");
		if (hx->fd != -1)
			close(hx->fd);
		hx->fd = -1;
		if (tmp)
			unlink(tmp);
	}
	free(tmp);
	free(hx->heads);
	hx->heads = NULL;
	hx->building = 0;
	hx->bad = 0;
	grv_segments_release(&sg);
	return rc;
}

/* The rows appended since the point the index stops: 0, or -1. */
static int
catch_up(struct grv_hix *hx)
{
	char rel[64];
	struct stat sb;
	struct grv_buf b = GRV_BUF_INIT;
	int k;

	live_rel(hx, rel, sizeof(rel));
	grv_buf_printf(&b, "%s/%s", hx->ctx->dir, rel);
	k = stat(b.s, &sb);
	grv_buf_release(&b);
	if ((k == -1 && errno == ENOENT) ||
	    (k == 0 && (uint64_t)sb.st_size == hx->pos.size))
		return 0;		/* nothing new */
	if (k == -1 || read_rows(hx, rel, &hx->pos, 1) == -1 || hx->bad)
		return -1;
	return 0;
}

struct grv_hix *
grv_hix_open(const struct grv_ctx *ctx, int kind)
{
	struct grv_hix *hx = grv_calloc(1, sizeof(*hx));

	hx->ctx = ctx;
	hx->kind = kind;
	hx->spec = &specs[kind];
	hx->fd = -1;
	if ((load(hx) == -1 || catch_up(hx) == -1 ||
	    hx->nent > (uint64_t)HIX_LOAD * hx->hdr.nb) && build(hx) == -1) {
		drop_file(hx);
		free(hx);
		return NULL;
	}
	return hx;
}

/* ---- finding ---- */

static int
walk(struct grv_hix *hx, uint64_t key, struct grv_hix_ent **v, size_t *nv)
{
	struct grv_hix_ent e;
	uint64_t k, prevk = UINT64_MAX;
	size_t cap = 0;

	*nv = 0;
	for (k = head_get(hx, bucket(hx, key)); k != 0; k = e.prev) {
		if (hx->bad || k >= prevk || ent_get(hx, k, &e) == -1)
			return -1;
		prevk = k;
		if (e.key != key)
			continue;
		if (*nv == cap) {
			cap = cap ? cap * 2 : 16;
			*v = grv_reallocarray(*v, cap, sizeof(**v));
		}
		(*v)[(*nv)++] = e;
	}
	return hx->bad ? -1 : 0;
}

int
grv_hix_find(struct grv_hix *hx, uint64_t key,
    int (*fn)(void *, const struct grv_hix_ent *), void *arg)
{
	struct grv_hix_ent *v = NULL;
	size_t nv = 0, i;
	int rc = 0;

	if (walk(hx, key, &v, &nv) == -1) {
		/* Damage in the file: built anew, or the caller reads. */
		if (build(hx) == -1 || walk(hx, key, &v, &nv) == -1) {
			free(v);
			return -1;
		}
	}
	for (i = nv; i-- > 0 && rc == 0;)
		rc = fn(arg, &v[i]);
	free(v);
	return rc;
}

/* ---- saving ---- */

static void
save(struct grv_hix *hx)
{
	struct hix_hdr cur, h;
	struct stat sb;
	char *path;
	uint32_t hv[2];
	size_t i;

	if (hx->nn == 0 || !hx->rw || grv_store_readonly() || hx->fd == -1)
		return;
	if (grv_store_lock(hx->fd, F_WRLCK) == -1)
		return;			/* being read: later */
	path = grv_store_path(hx->ctx, hx->spec->name);
	if (stat(path, &sb) == -1 || (uint64_t)sb.st_dev != hx->dev ||
	    (uint64_t)sb.st_ino != hx->ino ||
	    grv_pread_all(hx->fd, &cur, sizeof(cur), 0) == -1 ||
	    memcmp(&cur, &hx->hdr, sizeof(cur)) != 0)
		goto out;		/* someone else did it */
	h = hx->hdr;
	h.dirty = 1;
	h.hdrsum = hdrsum(&h);
	if (grv_store_pwrite(hx->fd, &h, sizeof(h), 0) == -1 ||
	    grv_store_pwrite(hx->fd, hx->nv, hx->nn * sizeof(*hx->nv),
	    ent_off(hx, hx->hdr.nent + 1)) == -1)
		goto bad;
	for (i = 0; i < hx->nmods; i++) {
		hv[0] = hx->mods[i].head;
		hv[1] = head_check(hx->hdr.gen, hx->mods[i].b, hv[0]);
		if (grv_store_pwrite(hx->fd, hv, sizeof(hv),
		    head_off(hx->mods[i].b)) == -1)
			goto bad;
	}
	h.dirty = 0;
	h.nent = hx->nent;
	h.pos = hx->pos;
	h.hdrsum = hdrsum(&h);
	if (grv_store_pwrite(hx->fd, &h, sizeof(h), 0) == -1)
		goto bad;
	hx->hdr = h;
	hx->nn = 0;
	hx->nmods = 0;
	grv_imap_release(&hx->mix);
	goto out;
bad:
	grv_store_failed("write");
	if (ftruncate(hx->fd, 0) == -1) {
		/* its header says dirty */
	}
out:
	free(path);
	grv_store_lock(hx->fd, F_RDLCK);
}

void
grv_hix_update(struct grv_hix *hx)
{
	if (hx == NULL)
		return;
	if (catch_up(hx) == -1)
		(void)build(hx);	/* or the next program does */
	else
		save(hx);
}

void
grv_hix_close(struct grv_hix *hx)
{
	if (hx == NULL)
		return;
	save(hx);
	drop_file(hx);
	free(hx);
}
