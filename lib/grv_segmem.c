/* grv_segmem.c: the member table of a sealed segment.
 *
 * A segment sealed as several gzip members (grv-ledger(5), "Segments")
 * is one valid gzip file that zcat reads whole, and each member can be
 * inflated on its own from where it starts.  cache/members-NAME lists
 * them for segment ledger/NAME:
 *
 *   "grv-members 1\n\0\0"   16 bytes
 *   the segment's size, mtime (s, ns), inode, number of members  5 x u64
 *   each member: its offset in the file, its first uncompressed byte
 *
 * Derived: made by inflating the segment once, again whenever the
 * segment is not the one it describes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_file.h"
#include "grv_ledger.h"
#include "grv_segmem.h"

#define MAGIC	"grv-members 1\n"
#define CHUNK	65536

struct mhdr {
	char		 magic[16];
	uint64_t	 size, msec, mnsec, ino, n;
};

static void
fill_hdr(struct mhdr *h, const struct stat *sb, uint64_t n)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, MAGIC, sizeof(MAGIC));
	h->size = (uint64_t)sb->st_size;
	h->msec = (uint64_t)sb->st_mtim.tv_sec;
	h->mnsec = (uint64_t)sb->st_mtim.tv_nsec;
	h->ino = (uint64_t)sb->st_ino;
	h->n = n;
}

/* Every member of the gzip file FD into T (pairs of u64): 0 or -1. */
static int
scan(int fd, struct grv_buf *t)
{
	unsigned char *in = grv_malloc(CHUNK), *out = grv_malloc(CHUNK);
	uint64_t cbase = 0, uout = 0, pair[2] = { 0, 0 };
	z_stream zs;
	ssize_t r;
	int z, rc = -1;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(in);
		free(out);
		return -1;
	}
	grv_buf_add(t, pair, sizeof(pair));
	for (;;) {
		if (zs.avail_in == 0) {
			while ((r = read(fd, in, CHUNK)) == -1 && errno == EINTR)
				;
			if (r <= 0) {
				/* The end: only after a whole member. */
				rc = r == 0 && zs.total_in == 0 ? 0 : -1;
				break;
			}
			zs.next_in = in;
			zs.avail_in = (unsigned)r;
		}
		zs.next_out = out;
		zs.avail_out = CHUNK;
		z = inflate(&zs, Z_NO_FLUSH);
		if (z != Z_OK && z != Z_STREAM_END && z != Z_BUF_ERROR)
			break;
		if (z != Z_STREAM_END)
			continue;
		/* A member ends; the next, if any, starts here. */
		cbase += zs.total_in;
		uout += zs.total_out;
		if (inflateReset(&zs) != Z_OK)
			break;
		if (zs.avail_in == 0) {
			while ((r = read(fd, in, CHUNK)) == -1 && errno == EINTR)
				;
			if (r < 0)
				break;
			if (r == 0) {
				rc = 0;
				break;
			}
			zs.next_in = in;
			zs.avail_in = (unsigned)r;
		}
		pair[0] = cbase;
		pair[1] = uout;
		grv_buf_add(t, pair, sizeof(pair));
	}
	inflateEnd(&zs);
	free(in);
	free(out);
	return rc;
}

/* The table of segment REL (stat SB) into T: from cache/, else made. */
static int
table(const char *dir, const char *rel, int sfd, const struct stat *sb,
    int remake, struct grv_buf *t)
{
	struct grv_buf p = GRV_BUF_INIT, tmp = GRV_BUF_INIT;
	const char *base = strrchr(rel, '/');
	struct mhdr h, want;
	struct stat cb;
	int fd, rc = -1;

	grv_buf_printf(&p, "%s/cache/members-%s", dir, base ? base + 1 : rel);
	if (!remake && (fd = open(p.s, O_RDONLY | O_CLOEXEC)) != -1) {
		fill_hdr(&want, sb, 0);
		if (fstat(fd, &cb) == 0 &&
		    grv_pread_all(fd, &h, sizeof(h), 0) == 0 &&
		    memcmp(h.magic, want.magic, sizeof(h.magic)) == 0 &&
		    h.size == want.size && h.msec == want.msec &&
		    h.mnsec == want.mnsec && h.ino == want.ino && h.n > 0 &&
		    h.n < (1ULL << 40) &&
		    (uint64_t)cb.st_size == sizeof(h) + h.n * 16) {
			grv_buf_grow(t, (size_t)h.n * 16);
			if (grv_pread_all(fd, t->s, (size_t)h.n * 16,
			    sizeof(h)) == 0) {
				t->len = (size_t)h.n * 16;
				rc = 0;
			}
		}
		close(fd);
		if (rc == 0)
			goto out;
	}
	/* Made again: the segment inflated once, the table kept. */
	grv_buf_reset(t);
	if (lseek(sfd, 0, SEEK_SET) == -1 || scan(sfd, t) == -1)
		goto out;
	rc = 0;
	fill_hdr(&h, sb, t->len / 16);
	grv_buf_printf(&tmp, "%s/cache", dir);
	if (mkdir(tmp.s, 0777) == -1 && errno != EEXIST)
		goto out;
	grv_buf_reset(&tmp);
	grv_buf_printf(&tmp, "%s.tmp%ld", p.s, (long)getpid());
	if ((fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0666)) != -1) {
		if (grv_write_all(fd, &h, sizeof(h)) != 0 ||
		    grv_write_all(fd, t->s, t->len) != 0 || close(fd) != 0 ||
		    rename(tmp.s, p.s) != 0)
			unlink(tmp.s);
	}
out:
	grv_buf_release(&p);
	grv_buf_release(&tmp);
	return rc;
}

/* The member of table T (pairs) that holds OFF, when the segment FD has
   a gzip member's first bytes where T says it starts: 0 or -1. */
static int
member(int fd, const struct grv_buf *t, uint64_t off, uint64_t *coff,
    uint64_t *ustart)
{
	const uint64_t *v = (const uint64_t *)(const void *)t->s;
	size_t lo, hi, mid, n = t->len / 16;
	unsigned char magic[3];

	if (n == 0)
		return -1;
	/* The last member that starts at or before OFF. */
	for (lo = 0, hi = n; hi - lo > 1;) {
		mid = lo + (hi - lo) / 2;
		if (v[2 * mid + 1] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*coff = v[2 * lo];
	*ustart = v[2 * lo + 1];
	return *ustart <= off && grv_pread_all(fd, magic, 3,
	    (off_t)*coff) == 0 && magic[0] == 0x1f && magic[1] == 0x8b &&
	    magic[2] == 8 ? 0 : -1;
}

int
grv_segmem_find(const char *dir, const char *rel, uint64_t off,
    uint64_t *coff, uint64_t *ustart)
{
	struct grv_buf p = GRV_BUF_INIT, t = GRV_BUF_INIT;
	struct stat sb;
	int fd, rc = -1;

	grv_buf_printf(&p, "%s/%s", dir, rel);
	fd = open(p.s, O_RDONLY | O_CLOEXEC);
	grv_buf_release(&p);
	if (fd == -1)
		return -1;
	/* A table that does not lead to a member is made again, once. */
	if (fstat(fd, &sb) == 0 && ((table(dir, rel, fd, &sb, 0, &t) == 0 &&
	    member(fd, &t, off, coff, ustart) == 0) ||
	    (table(dir, rel, fd, &sb, 1, &t) == 0 &&
	    member(fd, &t, off, coff, ustart) == 0)))
		rc = 0;
	close(fd);
	grv_buf_release(&t);
	return rc;
}
