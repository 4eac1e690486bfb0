/* grv_msnap.c: the masters snapshot, cache/masters.bin.
 *
 * Parsing and checking masters/ (2,758 officers in the sample state: CSV,
 * UTF-8, codes, phones, references, the post index) was a quarter of a
 * single-complaint program's CPU.  The snapshot holds what that load
 * built, for the files it was built from, named by the identity the warm
 * read trusts for a ledger (device, inode, size, change time, and the
 * modification time): the kernel sets a file's change time on every
 * write and no user can set it back, so an edit of any kind, of the same
 * size, with the modification time put back by touch(1), is a different
 * identity and the CSV files are read again.  A file changed less than a
 * second before the snapshot would be written is not vouched for (two
 * writes in one tick of the file system's clock share a change time), so
 * no snapshot is written then.
 *
 * The file: a header (magic, version, byte order, the conf's levels, each
 * file's identity, the counts), the records of departments, locations,
 * officers and categories with their strings as offsets, the holidays,
 * the strings, and a crc32 of all of it.  Anything else (another
 * version, a size that does not add up, a bad crc, a string offset out of
 * bounds or not ending in NUL, an index out of range) and the CSV files
 * are read.  The maps are built again from the records, in the order the
 * CSV load built them, so they are the same maps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_chain.h"
#include "grv_file.h"
#include "grv_msnap.h"
#include "grv_store.h"

#define MSNAP_MAGIC	"GRVMSNP1"
#define MSNAP_VERSION	1
#define MSNAP_ORDER	0x01020304u
#define MSNAP_NAME	"masters.bin"
#define RACY_NS		1000000000LL	/* a change younger than this */

static const char *const files[GRV_MSNAP_NFILES] = { "departments.csv",
	"locations.csv", "officers.csv", "categories.csv", "holidays.csv" };

struct mhead {
	char			 magic[8];
	uint32_t		 version, order;
	uint32_t		 levels, nfiles;
	struct mid {
		uint64_t	 dev, ino, size;
		int64_t		 mtime_s, mtime_ns, ctime_s, ctime_ns;
		uint64_t	 present;
	}			 id[GRV_MSNAP_NFILES];
	uint32_t		 ndepts, nlocs, nofficers, ncats, nholidays;
	uint32_t		 strbytes;
	uint64_t		 total;		/* the file's length */
};

struct mdept {
	uint32_t	 code, name, name_hi;
	int32_t		 sla;
};

struct mloc {
	uint32_t	 code, name, name_hi;
	int32_t		 kind, parent, district;
};

struct mofficer {
	uint32_t	 code, name, designation, phone;
	int32_t		 dept, level, loc, active;
};

struct mcat {
	uint32_t	 code, name, name_hi;
	int32_t		 dept, nsla, sla[GRV_MAXLEVELS], start_level;
};

void
grv_msnap_ids(const struct grv_ctx *ctx, struct grv_msnap_ids *ids)
{
	struct grv_buf p = GRV_BUF_INIT;
	struct timespec now;
	struct stat sb;
	int i, fd;

	memset(ids, 0, sizeof(*ids));
	ids->ok = 1;
	clock_gettime(CLOCK_REALTIME, &now);
	for (i = 0; i < GRV_MSNAP_NFILES; i++) {
		struct grv_msnap_id *f = &ids->f[i];

		grv_buf_reset(&p);
		grv_buf_printf(&p, "%s/masters/%s", ctx->dir, files[i]);
		/* Opened as the load opens it: readable, through a link. */
		if ((fd = open(p.s, O_RDONLY | O_CLOEXEC)) == -1) {
			if (errno != ENOENT || i != GRV_MSNAP_NFILES - 1)
				ids->ok = 0;
			continue;
		}
		if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
			ids->ok = 0;
		close(fd);
		f->present = 1;
		f->dev = (uint64_t)sb.st_dev;
		f->ino = (uint64_t)sb.st_ino;
		f->size = (uint64_t)sb.st_size;
		f->mtime_s = sb.st_mtim.tv_sec;
		f->mtime_ns = sb.st_mtim.tv_nsec;
		f->ctime_s = sb.st_ctim.tv_sec;
		f->ctime_ns = sb.st_ctim.tv_nsec;
		f->racy = ((int64_t)now.tv_sec - f->ctime_s) * 1000000000LL +
		    ((int64_t)now.tv_nsec - f->ctime_ns) < RACY_NS;
	}
	grv_buf_release(&p);
}

static void
id_out(struct mid *o, const struct grv_msnap_id *f)
{
	memset(o, 0, sizeof(*o));
	if (!f->present)
		return;
	o->dev = f->dev;
	o->ino = f->ino;
	o->size = f->size;
	o->mtime_s = f->mtime_s;
	o->mtime_ns = f->mtime_ns;
	o->ctime_s = f->ctime_s;
	o->ctime_ns = f->ctime_ns;
	o->present = 1;
}

static uint32_t
crc_of(const void *p, size_t n)
{
	return grv_crc32(0, p, n);
}

/* A string of the snapshot at OFF, or NULL when OFF is not one. */
static char *
str_at(char *s, uint32_t nbytes, uint32_t off)
{
	if (off >= nbytes || memchr(s + off, '\0', nbytes - off) == NULL)
		return NULL;
	return s + off;
}

int
grv_msnap_load(struct grv_masters *m, const struct grv_ctx *ctx,
    const struct grv_msnap_ids *ids)
{
	struct grv_masters t;
	struct mhead h;
	struct mid want;
	struct stat sb;
	const struct mdept *dp;
	const struct mloc *lp;
	const struct mofficer *op;
	const struct mcat *cp;
	char *path, *s;
	char *buf = NULL;
	size_t i, off, need;
	uint32_t crc, ns;
	int fd, k, bad = 0;

	if (!ids->ok)
		return -1;
	path = grv_store_path(ctx, MSNAP_NAME);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size < sizeof(h) + 4 || sb.st_size > (64 << 20))
		goto fail;
	/* Mapped, all of it at once: a copy into fresh memory faulted its
	   pages in one by one. */
	if ((buf = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE |
	    MAP_POPULATE, fd, 0)) == MAP_FAILED) {
		buf = NULL;
		goto fail;
	}
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, MSNAP_MAGIC, 8) != 0 ||
	    h.version != MSNAP_VERSION || h.order != MSNAP_ORDER ||
	    h.nfiles != GRV_MSNAP_NFILES || h.total != (uint64_t)sb.st_size ||
	    h.levels != (uint32_t)ctx->conf.levels)
		goto fail;
	for (k = 0; k < GRV_MSNAP_NFILES; k++) {
		id_out(&want, &ids->f[k]);
		if (memcmp(&want, &h.id[k], sizeof(want)) != 0)
			goto fail;
	}
	need = sizeof(h) + (size_t)h.ndepts * sizeof(*dp) +
	    (size_t)h.nlocs * sizeof(*lp) + (size_t)h.nofficers * sizeof(*op) +
	    (size_t)h.ncats * sizeof(*cp) + (size_t)h.nholidays *
	    sizeof(int64_t) + h.strbytes + 4;
	if (need != h.total)
		goto fail;
	memcpy(&crc, buf + h.total - 4, 4);
	if (crc != crc_of(buf, h.total - 4))
		goto fail;

	/* The records, every offset and index checked, into T. */
	memset(&t, 0, sizeof(t));
	t.levels = ctx->conf.levels;
	off = sizeof(h);
	dp = (const void *)(buf + off);
	off += (size_t)h.ndepts * sizeof(*dp);
	lp = (const void *)(buf + off);
	off += (size_t)h.nlocs * sizeof(*lp);
	op = (const void *)(buf + off);
	off += (size_t)h.nofficers * sizeof(*op);
	cp = (const void *)(buf + off);
	off += (size_t)h.ncats * sizeof(*cp);
	s = buf + off + (size_t)h.nholidays * sizeof(int64_t);
	ns = h.strbytes;
	t.depts = grv_calloc(h.ndepts, sizeof(*t.depts));
	t.locs = grv_calloc(h.nlocs, sizeof(*t.locs));
	t.officers = grv_calloc(h.nofficers, sizeof(*t.officers));
	t.cats = grv_calloc(h.ncats, sizeof(*t.cats));
	t.holidays = grv_calloc(h.nholidays, sizeof(*t.holidays));
	memcpy(t.holidays, buf + off, (size_t)h.nholidays * sizeof(int64_t));
	t.nholidays = h.nholidays;
	t.arena = buf;
	t.arena_len = (size_t)sb.st_size;
	grv_map_reserve(&t.dept_ix, h.ndepts);
	grv_map_reserve(&t.loc_ix, h.nlocs);
	grv_map_reserve(&t.officer_ix, h.nofficers);
	grv_map_reserve(&t.cat_ix, h.ncats);
	for (i = 0; i < h.ndepts && !bad; i++) {
		struct grv_dept *d = &t.depts[i];

		d->code = str_at(s, ns, dp[i].code);
		d->name = str_at(s, ns, dp[i].name);
		d->name_hi = str_at(s, ns, dp[i].name_hi);
		d->sla = dp[i].sla;
		bad = !d->code || !d->name || !d->name_hi ||
		    grv_map_put_borrowed(&t.dept_ix, d->code, (int)i) != -1;
		t.ndepts = i + 1;
	}
	for (i = 0; i < h.nlocs && !bad; i++) {
		struct grv_loc *l = &t.locs[i];

		l->code = str_at(s, ns, lp[i].code);
		l->name = str_at(s, ns, lp[i].name);
		l->name_hi = str_at(s, ns, lp[i].name_hi);
		l->kind = lp[i].kind;
		l->parent = lp[i].parent;
		l->district = lp[i].district;
		bad = !l->code || !l->name || !l->name_hi ||
		    l->kind < GRV_LOC_STATE || l->kind > GRV_LOC_BLOCK ||
		    l->parent < -1 || l->parent >= (int)h.nlocs ||
		    l->district < -1 || l->district >= (int)h.nlocs ||
		    grv_map_put_borrowed(&t.loc_ix, l->code, (int)i) != -1;
		t.nlocs = i + 1;
	}
	for (i = 0; i < h.nofficers && !bad; i++) {
		struct grv_officer *o = &t.officers[i];

		o->code = str_at(s, ns, op[i].code);
		o->name = str_at(s, ns, op[i].name);
		o->designation = str_at(s, ns, op[i].designation);
		o->phone = str_at(s, ns, op[i].phone);
		o->dept = op[i].dept;
		o->level = op[i].level;
		o->loc = op[i].loc;
		o->active = op[i].active;
		bad = !o->code || !o->name || !o->designation || !o->phone ||
		    o->dept < 0 || o->dept >= (int)h.ndepts ||
		    o->level < 1 || o->level > t.levels ||
		    o->loc < 0 || o->loc >= (int)h.nlocs ||
		    (o->active != 0 && o->active != 1) ||
		    grv_map_put_borrowed(&t.officer_ix, o->code, (int)i) != -1;
		t.nofficers = i + 1;
		if (!bad && o->active) {
			uint64_t key = (uint64_t)o->dept << 40 |
			    (uint64_t)o->level << 32 | (uint32_t)o->loc;

			/* The first active officer listed holds a post. */
			if (grv_imap_get(&t.post_ix, key) == -1)
				grv_imap_put(&t.post_ix, key, (int)i);
		}
	}
	for (i = 0; i < h.ncats && !bad; i++) {
		struct grv_category *c = &t.cats[i];

		c->code = str_at(s, ns, cp[i].code);
		c->name = str_at(s, ns, cp[i].name);
		c->name_hi = str_at(s, ns, cp[i].name_hi);
		c->dept = cp[i].dept;
		c->nsla = cp[i].nsla;
		for (k = 0; k < GRV_MAXLEVELS && k < cp[i].nsla; k++)
			c->sla[k] = cp[i].sla[k];
		c->start_level = cp[i].start_level;
		bad = !c->code || !c->name || !c->name_hi ||
		    c->dept < 0 || c->dept >= (int)h.ndepts ||
		    c->nsla < 0 || c->nsla > GRV_MAXLEVELS ||
		    c->start_level < 1 || c->start_level > t.levels ||
		    grv_map_put_borrowed(&t.cat_ix, c->code, (int)i) != -1;
		t.ncats = i + 1;
	}
	buf = NULL;		/* T's arena now */
	if (bad) {
		grv_masters_release(&t);
		goto fail;
	}
	close(fd);
	*m = t;
	return 0;
fail:
	if (buf)
		munmap(buf, (size_t)sb.st_size);
	close(fd);
	return -1;
}

/* The offset of S among the strings of B (each once, NUL-ended). */
static uint32_t
str_put(struct grv_buf *b, const char *s)
{
	uint32_t off = (uint32_t)b->len;

	grv_buf_add(b, s, strlen(s) + 1);
	return off;
}

void
grv_msnap_save(const struct grv_masters *m, const struct grv_ctx *ctx,
    const struct grv_msnap_ids *ids)
{
	struct grv_buf out = GRV_BUF_INIT, str = GRV_BUF_INIT;
	struct mhead h;
	struct stat sb;
	char *tmp = NULL, *path, *dir;
	uint32_t crc;
	size_t i;
	int k, fd;

	if (!ids->ok || grv_store_readonly() || grv_masters_ngone(m))
		return;
	for (k = 0; k < GRV_MSNAP_NFILES; k++)
		if (ids->f[k].racy)
			return;
	dir = grv_store_path(ctx, NULL);
	if ((mkdir(dir, 0777) == -1 && errno != EEXIST) ||
	    lstat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		free(dir);
		return;
	}
	free(dir);

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MSNAP_MAGIC, 8);
	h.version = MSNAP_VERSION;
	h.order = MSNAP_ORDER;
	h.levels = (uint32_t)m->levels;
	h.nfiles = GRV_MSNAP_NFILES;
	for (k = 0; k < GRV_MSNAP_NFILES; k++)
		id_out(&h.id[k], &ids->f[k]);
	h.ndepts = (uint32_t)m->ndepts;
	h.nlocs = (uint32_t)m->nlocs;
	h.nofficers = (uint32_t)m->nofficers;
	h.ncats = (uint32_t)m->ncats;
	h.nholidays = (uint32_t)m->nholidays;
	grv_buf_add(&out, &h, sizeof(h));
	for (i = 0; i < m->ndepts; i++) {
		struct mdept d;

		memset(&d, 0, sizeof(d));
		d.code = str_put(&str, m->depts[i].code);
		d.name = str_put(&str, m->depts[i].name);
		d.name_hi = str_put(&str, m->depts[i].name_hi);
		d.sla = m->depts[i].sla;
		grv_buf_add(&out, &d, sizeof(d));
	}
	for (i = 0; i < m->nlocs; i++) {
		struct mloc l;

		memset(&l, 0, sizeof(l));
		l.code = str_put(&str, m->locs[i].code);
		l.name = str_put(&str, m->locs[i].name);
		l.name_hi = str_put(&str, m->locs[i].name_hi);
		l.kind = m->locs[i].kind;
		l.parent = m->locs[i].parent;
		l.district = m->locs[i].district;
		grv_buf_add(&out, &l, sizeof(l));
	}
	for (i = 0; i < m->nofficers; i++) {
		struct mofficer o;

		memset(&o, 0, sizeof(o));
		o.code = str_put(&str, m->officers[i].code);
		o.name = str_put(&str, m->officers[i].name);
		o.designation = str_put(&str, m->officers[i].designation);
		o.phone = str_put(&str, m->officers[i].phone);
		o.dept = m->officers[i].dept;
		o.level = m->officers[i].level;
		o.loc = m->officers[i].loc;
		o.active = m->officers[i].active;
		grv_buf_add(&out, &o, sizeof(o));
	}
	for (i = 0; i < m->ncats; i++) {
		struct mcat c;

		memset(&c, 0, sizeof(c));
		c.code = str_put(&str, m->cats[i].code);
		c.name = str_put(&str, m->cats[i].name);
		c.name_hi = str_put(&str, m->cats[i].name_hi);
		c.dept = m->cats[i].dept;
		c.nsla = m->cats[i].nsla;
		for (k = 0; k < m->cats[i].nsla; k++)	/* past: unset */
			c.sla[k] = m->cats[i].sla[k];
		c.start_level = m->cats[i].start_level;
		grv_buf_add(&out, &c, sizeof(c));
	}
	if (m->nholidays)
		grv_buf_add(&out, m->holidays, m->nholidays *
		    sizeof(*m->holidays));
	grv_buf_add(&out, str.s ? str.s : "", str.len);
	/* The header's last words, now that the lengths are known. */
	h.strbytes = (uint32_t)str.len;
	h.total = out.len + 4;
	memcpy(out.s, &h, sizeof(h));
	crc = crc_of(out.s, out.len);
	grv_buf_add(&out, &crc, 4);
	grv_buf_release(&str);

	if ((fd = grv_store_temp(ctx, MSNAP_NAME ".XXXXXX", &tmp)) != -1) {
		path = grv_store_path(ctx, MSNAP_NAME);
		k = grv_write_all(fd, out.s, out.len);
		if (close(fd) == -1 || k == -1 || rename(tmp, path) == -1)
			unlink(tmp);
		free(path);
		free(tmp);
	}
	grv_buf_release(&out);
}
