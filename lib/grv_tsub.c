/* grv_tsub.c: a ledger's tree above its blocks of 256 leaves, in cache/.
 *
 * Block b is leaves [256b, 256b + 256); its hash is the root of that
 * perfect subtree.  cache/merkle-NAME.sub holds a header, then the hash
 * of every whole block and of every perfect subtree of blocks above it,
 * in post order (the order they are completed as leaves are added: block
 * b at 2b - popcount(b), each subtree it completes right after it), so
 * that the file only grows at its end:
 *
 *   "grv-msub 1\n\0\0\0\0\0"   16 bytes
 *   segments, segment rows, live dev, live ino, blocks, offsets  6 x u64
 *   SHA-256 of everything before
 *   the hashes, 32 bytes each
 *
 * cache/merkle-NAME.blk holds, for every block begun, the offset of its
 * first row in the live file (u64, all ones for a row in a segment).
 *
 * An inclusion proof of leaf i in a tree of n leaves then takes the
 * perfect subtrees of 256 leaves and more from the file (one read each,
 * O(log n)), and the leaves of the block of i and of the last, partial
 * block of n from the live file (256 rows each at most).  Nothing here is
 * trusted: the caller checks every proof against the signed root, and a
 * proof that fails sends it back to the ledger.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_file.h"
#include "grv_ledger.h"
#include "grv_tsub.h"

#define MAGIC	"grv-msub 1\n"
#define READ	16384

struct hdr {
	char		 magic[16];
	uint64_t	 nseg, segrows, dev, ino, nblocks, noffs;
	unsigned char	 sum[32];
};

/* The post-order place of block B's hash. */
static uint64_t
pos_block(uint64_t b)
{
	return 2 * b - (uint64_t)__builtin_popcountll(b);
}

/* The place of the perfect subtree of 2^L blocks, the J-th of them. */
static uint64_t
pos_node(unsigned l, uint64_t j)
{
	return pos_block(((j + 1) << l) - 1) + l;
}

static void
hdr_sum(struct hdr *h, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)h,
	    offsetof(struct hdr, sum));
}

/* ---- writing ---- */

void
grv_tsub_begin(struct grv_tsub *s, const struct grv_mrange *r)
{
	uint64_t nb = r->n >> GRV_TSUB_BITS;
	unsigned kt = (unsigned)__builtin_popcountll(nb);

	memset(s, 0, sizeof(*s));
	s->n0 = r->n;
	/* The compact range's larger subtrees are those of whole blocks,
	   the rest the partial block's. */
	s->top.n = nb;
	s->top.k = kt;
	memcpy(s->top.h, r->h, kt * sizeof(grv_hash));
	s->part.n = r->n & (GRV_TSUB_LEAVES - 1);
	s->part.k = r->k - kt;
	memcpy(s->part.h, r->h + kt, s->part.k * sizeof(grv_hash));
}

void
grv_tsub_leaf(struct grv_tsub *s, uint64_t index, const grv_hash leaf,
    uint64_t at)
{
	grv_hash h;
	uint64_t m;

	if ((index & (GRV_TSUB_LEAVES - 1)) == 0)
		grv_buf_add(&s->offs, &at, sizeof(at));
	grv_mrange_push(&s->part, leaf);
	if (s->part.n < GRV_TSUB_LEAVES)
		return;
	/* A block is whole: its hash, then each subtree it completes. */
	memcpy(h, s->part.h[0], GRV_HASHLEN);
	s->part.n = s->part.k = 0;
	grv_buf_add(&s->nodes, h, GRV_HASHLEN);
	for (m = s->top.n; m & 1; m >>= 1) {
		grv_merkle_node(s->top.h[s->top.k - 1], h, h);
		s->top.k--;
		grv_buf_add(&s->nodes, h, GRV_HASHLEN);
	}
	memcpy(s->top.h[s->top.k++], h, GRV_HASHLEN);
	s->top.n++;
}

void
grv_tsub_release(struct grv_tsub *s)
{
	grv_buf_release(&s->nodes);
	grv_buf_release(&s->offs);
}

static int
pwrite_all(int fd, const void *p, size_t n, uint64_t off)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = pwrite(fd, c, n, (off_t)off)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/* A new file PATH of the N bytes at P (and, when Q, M more), renamed into
   place. */
static int
put_new(const char *path_, const void *p, size_t n, const void *q, size_t m)
{
	struct grv_buf tmp = GRV_BUF_INIT;
	int fd, rc = -1;

	grv_buf_printf(&tmp, "%s.tmp%ld", path_, (long)getpid());
	if ((fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0666)) != -1) {
		if (grv_write_all(fd, p, n) == 0 &&
		    (m == 0 || grv_write_all(fd, q, m) == 0) &&
		    close(fd) == 0 && rename(tmp.s, path_) == 0)
			rc = 0;
		else
			unlink(tmp.s);
	}
	grv_buf_release(&tmp);
	return rc;
}

int
grv_tsub_save(const char *dir, enum grv_ledger_kind k,
    const struct grv_tlog *t, const struct grv_tsub *s)
{
	struct grv_buf ps = GRV_BUF_INIT, pb = GRV_BUF_INIT;
	struct hdr h, old;
	uint64_t n = t->r.n, firstoff;
	int sfd = -1, bfd = -1, rc = -1;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MAGIC, sizeof(MAGIC));
	h.nseg = t->nf ? t->nf - 1 : 0;
	h.segrows = t->nf ? t->f[t->nf - 1].first : 0;
	h.dev = t->live_dev;
	h.ino = t->live_ino;
	h.nblocks = n >> GRV_TSUB_BITS;
	h.noffs = (n + GRV_TSUB_LEAVES - 1) >> GRV_TSUB_BITS;
	hdr_sum(&h, h.sum);
	grv_tlog_path(&ps, dir, k, ".sub");
	grv_tlog_path(&pb, dir, k, ".blk");
	if (s->n0 == 0) {
		grv_buf_reset(&pb);
		grv_buf_printf(&pb, "%s/cache", dir);
		if (mkdir(pb.s, 0777) == -1 && errno != EEXIST)
			goto out;
		grv_tlog_path(&pb, dir, k, ".blk");
		/* The offsets first: the header never claims more. */
		rc = put_new(pb.s, s->offs.s, s->offs.len, NULL, 0) == 0 &&
		    put_new(ps.s, &h, sizeof(h), s->nodes.s, s->nodes.len) ==
		    0 ? 0 : -1;
		goto out;
	}
	/* Going on: only from files of the same log that reach as far. */
	firstoff = (s->n0 + GRV_TSUB_LEAVES - 1) >> GRV_TSUB_BITS;
	if ((sfd = open(ps.s, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    (bfd = open(pb.s, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    grv_pread_all(sfd, &old, sizeof(old), 0) == -1)
		goto out;
	hdr_sum(&old, h.sum);
	if (memcmp(old.magic, MAGIC, sizeof(MAGIC)) != 0 ||
	    memcmp(old.sum, h.sum, 32) != 0 || old.nseg != h.nseg ||
	    old.segrows != h.segrows || old.dev != h.dev ||
	    old.ino != h.ino || old.nblocks < s->n0 >> GRV_TSUB_BITS ||
	    old.noffs < firstoff)
		goto out;
	hdr_sum(&h, h.sum);
	if (pwrite_all(bfd, s->offs.s, s->offs.len, firstoff * 8) == 0 &&
	    pwrite_all(sfd, s->nodes.s, s->nodes.len, sizeof(h) +
	    pos_block(s->n0 >> GRV_TSUB_BITS) * GRV_HASHLEN) == 0 &&
	    pwrite_all(sfd, &h, sizeof(h), 0) == 0)
		rc = 0;
out:
	if (sfd != -1)
		close(sfd);
	if (bfd != -1)
		close(bfd);
	/* A file left behind is never used for what it does not hold, but
	   one that could not be brought on is of no use: away with it. */
	if (rc != 0)
		unlink(ps.s);
	grv_buf_release(&ps);
	grv_buf_release(&pb);
	return rc;
}

/* ---- reading ---- */

/* A block's leaves and where its rows start. */
struct vblock {
	uint64_t	 b;
	unsigned	 n;
	grv_hash	 leaf[GRV_TSUB_LEAVES];
	uint64_t	 at[GRV_TSUB_LEAVES];
	uint64_t	 end;		/* past its last row read */
};

struct grv_tsub_view {
	int		 sfd, bfd, livefd;
	struct hdr	 h;
	uint64_t	 s;		/* the tree's size */
	struct vblock	*blk;
	size_t		 nblk;
	int		 failed;
};

struct grv_tsub_view *
grv_tsub_open(const char *dir, enum grv_ledger_kind k, int livefd,
    const struct stat *live, uint64_t nseg, uint64_t segrows, uint64_t s)
{
	struct grv_buf p = GRV_BUF_INIT;
	struct grv_tsub_view *v = grv_calloc(1, sizeof(*v));
	unsigned char sum[32];
	struct stat sb, bb;
	uint64_t nb;

	v->sfd = v->bfd = -1;
	v->livefd = livefd;
	v->s = s;
	grv_tlog_path(&p, dir, k, ".sub");
	v->sfd = open(p.s, O_RDONLY | O_CLOEXEC);
	grv_tlog_path(&p, dir, k, ".blk");
	v->bfd = open(p.s, O_RDONLY | O_CLOEXEC);
	grv_buf_release(&p);
	if (v->sfd == -1 || v->bfd == -1 || fstat(v->sfd, &sb) == -1 ||
	    fstat(v->bfd, &bb) == -1 ||
	    grv_pread_all(v->sfd, &v->h, sizeof(v->h), 0) == -1)
		goto bad;
	hdr_sum(&v->h, sum);
	nb = v->h.nblocks;
	if (memcmp(v->h.magic, MAGIC, sizeof(MAGIC)) != 0 ||
	    memcmp(sum, v->h.sum, 32) != 0 || v->h.nseg != nseg ||
	    v->h.segrows != segrows || v->h.dev != (uint64_t)live->st_dev ||
	    v->h.ino != (uint64_t)live->st_ino || nb > (1ULL << 48) ||
	    v->h.noffs > nb + 1 || v->h.noffs < nb ||
	    (uint64_t)sb.st_size < sizeof(v->h) + pos_block(nb) * GRV_HASHLEN ||
	    (uint64_t)bb.st_size < v->h.noffs * 8 ||
	    nb < s >> GRV_TSUB_BITS ||
	    v->h.noffs < (s + GRV_TSUB_LEAVES - 1) >> GRV_TSUB_BITS)
		goto bad;
	return v;
bad:
	grv_tsub_close(v);
	return NULL;
}

void
grv_tsub_close(struct grv_tsub_view *v)
{
	if (v == NULL)
		return;
	if (v->sfd != -1)
		close(v->sfd);
	if (v->bfd != -1)
		close(v->bfd);
	free(v->blk);
	free(v);
}

/* Lines of the live file from an offset, a buffer at a time. */
struct lines {
	int		 fd;
	uint64_t	 boff;		/* B's offset in the file */
	struct grv_buf	 b;
	size_t		 pos;
	size_t		 chunk;		/* bytes a read asks for */
	int		 eof;
};

/* The next whole line: 1 with *LINE, *LEN (no line feed) and *AT, 0 at
   the end, -1 on an error. */
static int
lines_next(struct lines *l, const char **line, size_t *len, uint64_t *at)
{
	const char *nl;
	ssize_t r;

	/* (An empty buffer may have no memory yet: memchr and memmove are
	   never given its null pointer.) */
	while ((nl = l->b.len > l->pos ? memchr(l->b.s + l->pos, '\n',
	    l->b.len - l->pos) : NULL) == NULL) {
		if (l->eof)
			return 0;
		/* Keep the partial line, read on after it. */
		if (l->b.len > l->pos)
			memmove(l->b.s, l->b.s + l->pos, l->b.len - l->pos);
		l->boff += l->pos;
		l->b.len -= l->pos;
		l->pos = 0;
		grv_buf_grow(&l->b, l->chunk);
		while ((r = pread(l->fd, l->b.s + l->b.len, l->chunk,
		    (off_t)(l->boff + l->b.len))) == -1 && errno == EINTR)
			;
		if (r < 0)
			return -1;
		l->b.len += (size_t)r;
		l->eof = r == 0;
	}
	*line = l->b.s + l->pos;
	*len = (size_t)(nl - *line);
	*at = l->boff + l->pos;
	l->pos = (size_t)(nl - l->b.s) + 1;
	return 1;
}

/* Where block B's first row is, or GRV_TLOG_SEALED. */
static uint64_t
block_off(const struct grv_tsub_view *v, uint64_t b)
{
	uint64_t o;

	if (b >= v->h.noffs || grv_pread_all(v->bfd, &o, sizeof(o),
	    (off_t)(b * 8)) == -1)
		return GRV_TLOG_SEALED;
	return o;
}

/* Block B's rows up to the tree's size, read once: NULL on failure. */
static struct vblock *
block(struct grv_tsub_view *v, uint64_t b)
{
	struct lines l;
	struct vblock *k;
	const char *line;
	size_t i, len;
	uint64_t want, at, o, next;

	for (i = 0; i < v->nblk; i++)
		if (v->blk[i].b == b)
			return &v->blk[i];
	if ((o = block_off(v, b)) == GRV_TLOG_SEALED)
		return NULL;
	want = b << GRV_TSUB_BITS < v->s ? v->s - (b << GRV_TSUB_BITS) : 0;
	if (want > GRV_TSUB_LEAVES)
		want = GRV_TSUB_LEAVES;
	v->blk = grv_reallocarray(v->blk, v->nblk + 1, sizeof(*v->blk));
	k = &v->blk[v->nblk];
	k->b = b;
	k->n = 0;
	k->end = o;
	memset(&l, 0, sizeof(l));
	l.fd = v->livefd;
	l.boff = o;
	/* A whole block's bytes are known from where the next begins. */
	next = b + 1 < v->h.noffs ? block_off(v, b + 1) : GRV_TLOG_SEALED;
	l.chunk = next != GRV_TLOG_SEALED && next > o && next - o < (1U << 26) ?
	    (size_t)(next - o) : READ;
	while (k->n < want && lines_next(&l, &line, &len, &at) == 1) {
		grv_tlog_leaf(line, len, k->leaf[k->n]);
		k->at[k->n++] = at;
		k->end = at + len + 1;
	}
	grv_buf_release(&l.b);
	if (k->n < want)
		return NULL;
	v->nblk++;
	return k;
}

int
grv_tsub_row(struct grv_tsub_view *v, uint64_t off, uint64_t *index,
    struct grv_buf *row)
{
	struct vblock *k;
	struct lines l;
	const char *line;
	uint64_t lo = 0, hi = v->h.noffs, mid, o, at, i;
	size_t len;
	int r;

	/* The last block that starts at or before OFF (a block in a
	   segment counts as before every row of the live file). */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		o = block_off(v, mid);
		if (o == GRV_TLOG_SEALED || o <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (hi == 0 || (k = block(v, lo)) == NULL)
		return -1;
	for (i = 0; i < k->n; i++)
		if (k->at[i] == off)
			break;
	if (i < k->n) {		/* one of the block's rows: its bytes */
		len = (size_t)((i + 1 < k->n ? k->at[i + 1] : k->end) - off -
		    1);
		grv_buf_reset(row);
		grv_buf_grow(row, len + 1);
		if (grv_pread_all(v->livefd, row->s, len, (off_t)off) == -1)
			return -1;
		row->len = len;
		row->s[len] = '\0';
		*index = (lo << GRV_TSUB_BITS) + i;
		return 0;
	}
	memset(&l, 0, sizeof(l));
	l.fd = v->livefd;
	l.boff = k->end;
	l.chunk = READ;
	/* Past the tree's rows: counted on to OFF, as far as it takes when
	   no block starts after it. */
	while ((r = lines_next(&l, &line, &len, &at)) == 1 && at < off) {
		if (++i >= GRV_TSUB_LEAVES && lo + 1 < v->h.noffs)
			break;
	}
	if (r == 1 && at == off) {
		*index = (lo << GRV_TSUB_BITS) + i;
		grv_buf_reset(row);
		grv_buf_add(row, line, len);
		grv_buf_release(&l.b);
		return 0;
	}
	grv_buf_release(&l.b);
	return -1;
}

/* The proof's source: stored subtrees, the leaves of the blocks read. */
static int
view_get(void *arg, uint64_t lo, uint64_t w, grv_hash out)
{
	struct grv_tsub_view *v = arg;
	struct vblock *k;
	unsigned l;

	if (w == 1) {
		if ((k = block(v, lo >> GRV_TSUB_BITS)) == NULL ||
		    (lo & (GRV_TSUB_LEAVES - 1)) >= k->n) {
			v->failed = 1;
			return -1;
		}
		memcpy(out, k->leaf[lo & (GRV_TSUB_LEAVES - 1)], GRV_HASHLEN);
		return 0;
	}
	if (w < GRV_TSUB_LEAVES || (lo + w) >> GRV_TSUB_BITS > v->h.nblocks)
		return -1;
	l = (unsigned)__builtin_ctzll(w) - GRV_TSUB_BITS;
	if (grv_pread_all(v->sfd, out, GRV_HASHLEN, (off_t)(sizeof(v->h) +
	    pos_node(l, lo / w) * GRV_HASHLEN)) == -1) {
		v->failed = 1;
		memset(out, 0, GRV_HASHLEN);
	}
	return 0;
}

unsigned
grv_tsub_inclusion(struct grv_tsub_view *v, uint64_t index,
    grv_hash proof[GRV_MERKLE_MAXPROOF])
{
	struct grv_msource src = { view_get, v };

	return grv_merkle_inclusion_from(&src, index, v->s, proof);
}
