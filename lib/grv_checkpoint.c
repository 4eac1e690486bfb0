/* grv_checkpoint.c: signed checkpoints (c2sp.org/tlog-checkpoint) of the
 * two ledgers, kept in ledger/checkpoints.
 *
 * A checkpoint's text is three lines: the origin ("HP/complaints", the
 * node of grv.conf and the ledger's name), the tree size in decimal, the
 * base64 root hash; signed as a C2SP note (grv_note.c).  ledger/checkpoints
 * holds the notes in the order they were signed, each followed by a blank
 * line; it is appended to as a ledger is: built in memory, one write(2)
 * under an exclusive flock, fsync. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_checkpoint.h"
#include "grv_file.h"
#include "grv_hwm.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_tlog.h"
#include "grv_tsub.h"

#define DASH	"\xe2\x80\x94 "

const enum grv_ledger_kind grv_cp_kinds[GRV_CP_NLOGS] = { GRV_COMPLAINTS,
    GRV_EVENTS, GRV_CORRECTIONS };

void
grv_cp_origin(const struct grv_ctx *ctx, enum grv_ledger_kind k,
    char out[GRV_NOTE_NAMEMAX])
{
	snprintf(out, GRV_NOTE_NAMEMAX, "%s/%s", ctx->conf.node,
	    grv_ledger_name(k));
}

void
grv_cp_b64(struct grv_buf *b, const grv_hash h)
{
	grv_b64_add(b, h, GRV_HASHLEN);
}

void
grv_cps_release(struct grv_cps *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].note);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

const struct grv_cp *
grv_cps_last(const struct grv_cps *c, const char *origin)
{
	size_t i;

	for (i = c->n; i-- > 0;)
		if (strcmp(c->v[i].origin, origin) == 0)
			return &c->v[i];
	return NULL;
}

/* The body of a checkpoint, TEXT of LEN bytes: 0 or -1 with *WHY. */
static int
parse_body(struct grv_cp *cp, const char *text, size_t len, const char **why)
{
	const char *p = text, *end = text + len, *nl;
	char num[24];
	size_t n;

	*why = "not a checkpoint: origin, size and root hash lines";
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL || nl == p ||
	    (size_t)(nl - p) >= sizeof(cp->origin))
		return -1;
	memcpy(cp->origin, p, (size_t)(nl - p));
	cp->origin[nl - p] = '\0';
	p = nl + 1;
	if (p >= end || (nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
	    (n = (size_t)(nl - p)) == 0 || n > 19 ||
	    strspn(p, "0123456789") < n || (p[0] == '0' && n > 1))
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	cp->size = strtoull(num, NULL, 10);
	p = nl + 1;
	if (p >= end || (nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
	    grv_b64_decode(p, (size_t)(nl - p), cp->root, GRV_HASHLEN) !=
	    GRV_HASHLEN)
		return -1;
	return 0;
}

/*
 * Split BUF into notes, each opened with V; LAZY: only the last note of
 * each origin, the one a signer goes on from, has its signature checked
 * (an hourly checkpoint must not cost a signature check for every hour
 * before it), the others only read.
 */
static int
parse_notes(const char *buf, size_t len, const char *rel,
    const struct grv_vkey *v, int lazy, struct grv_cps *c)
{
	const char *p = buf, *end = buf + len, *start, *nl, *why;
	unsigned long line = 1, first;
	struct grv_cp cp;
	const char **seen = NULL;
	size_t textlen, i, j, nseen;
	long tl;

	while (p < end) {
		if (*p == '\n') {		/* the blank line between */
			p++;
			line++;
			continue;
		}
		start = p;
		first = line;
		/* The text, to its blank line... */
		while (p < end && *p != '\n') {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				goto torn;
			p = nl + 1;
			line++;
		}
		if (p >= end)
			goto torn;
		textlen = (size_t)(p - start);
		p++;
		line++;
		/* ...then its signature lines. */
		while (p < end && (size_t)(end - p) >= strlen(DASH) &&
		    memcmp(p, DASH, strlen(DASH)) == 0) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				goto torn;
			p = nl + 1;
			line++;
		}
		memset(&cp, 0, sizeof(cp));
		tl = (long)textlen;
		if ((!lazy && (tl = grv_note_open(v, start,
		    (size_t)(p - start), &why)) < 0) ||
		    parse_body(&cp, start, (size_t)tl, &why) == -1) {
			grv_err("%s:%lu: %s", rel, first, why);
			return GRV_EX_DATAERR;
		}
		cp.note = grv_strndup(start, (size_t)(p - start));
		cp.notelen = (size_t)(p - start);
		cp.rel = rel;
		cp.line = first;
		c->v = grv_reallocarray(c->v, c->n + 1, sizeof(*c->v));
		c->v[c->n++] = cp;
	}
	/* The last of each origin, from the end (the origins are few). */
	for (i = c->n, nseen = 0; lazy && i-- > 0;) {
		for (j = 0; j < nseen; j++)
			if (strcmp(seen[j], c->v[i].origin) == 0)
				break;
		if (j < nseen)
			continue;
		seen = grv_reallocarray(seen, nseen + 1, sizeof(*seen));
		seen[nseen++] = c->v[i].origin;
		if ((tl = grv_note_open(v, c->v[i].note, c->v[i].notelen,
		    &why)) < 0 || parse_body(&cp, c->v[i].note, (size_t)tl,
		    &why) == -1) {
			grv_err("%s:%lu: %s", rel, c->v[i].line, why);
			free(seen);
			return GRV_EX_DATAERR;
		}
	}
	free(seen);
	return 0;
torn:
	grv_err("%s:%lu: a note cut short (no blank line and signature "
	    "after its text)", rel, first);
	return GRV_EX_DATAERR;
}

/* The whole of FD into B; 0 or -1 (errno). */
static int
slurp_fd(int fd, struct grv_buf *b)
{
	char chunk[65536];
	ssize_t r;

	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		grv_buf_add(b, chunk, (size_t)r);
	}
	return 0;
}

static int
slurp(const char *dir, const char *rel, struct grv_buf *b, int missing_ok)
{
	struct grv_buf p = GRV_BUF_INIT;
	int fd, rc = 0;

	if (dir)
		grv_buf_printf(&p, "%s/%s", dir, rel);
	else
		grv_buf_adds(&p, rel);
	if ((fd = open(p.s, O_RDONLY | O_CLOEXEC)) == -1) {
		if (!(missing_ok && errno == ENOENT)) {
			grv_err("%s: %s", rel, strerror(errno));
			rc = errno == ENOENT ? GRV_EX_NOINPUT : GRV_EX_IOERR;
		}
	} else {
		if (slurp_fd(fd, b) == -1) {
			grv_err("%s: %s", rel, strerror(errno));
			rc = GRV_EX_IOERR;
		}
		close(fd);
	}
	grv_buf_release(&p);
	return rc;
}

int
grv_cps_read(const char *dir, const char *rel, int missing_ok,
    const struct grv_vkey *v, struct grv_cps *c)
{
	struct grv_buf b = GRV_BUF_INIT;
	int rc;

	if ((rc = slurp(dir, rel, &b, missing_ok)) == 0 && b.len)
		rc = parse_notes(b.s, b.len, rel, v, 0, c);
	grv_buf_release(&b);
	return rc;
}

/* ---- keys ---- */

/* Read the key file DIR/REL into K with PARSE; WHAT names its form. */
static int
key_read(const char *dir, const char *rel, void *k,
    int (*parse)(void *, const char *, size_t), const char *what)
{
	struct grv_buf b = GRV_BUF_INIT;
	int rc;

	if ((rc = slurp(dir, rel, &b, 0)) == 0 &&
	    (b.len == 0 || parse(k, b.s, b.len) == -1)) {
		grv_err("%s: not a %s", rel, what);
		rc = GRV_EX_DATAERR;
	}
	if (b.s)
		sodium_memzero(b.s, b.cap);	/* it may be a secret */
	grv_buf_release(&b);
	return rc;
}

static int
skey_parse(void *k, const char *s, size_t len)
{
	return grv_skey_parse(k, s, len);
}

static int
vkey_parse(void *v, const char *s, size_t len)
{
	return grv_vkey_parse(v, s, len);
}

int
grv_skey_read(const char *dir, const char *rel, struct grv_skey *k)
{
	return key_read(dir, rel, k, skey_parse,
	    "signing key (PRIVATE+KEY+NAME+ID+KEY)");
}

int
grv_vkey_read(const char *dir, const char *rel, struct grv_vkey *v)
{
	return key_read(dir, rel, v, vkey_parse,
	    "verifier key (NAME+ID+KEY)");
}

/* Write B to DIR/REL through a new temporary file of MODE, linked into
   place only if REL does not exist. */
static int
create_file(const char *dir, const char *rel, const struct grv_buf *b,
    mode_t mode)
{
	struct grv_buf p = GRV_BUF_INIT, tmp = GRV_BUF_INIT;
	int fd, rc = 0;

	grv_buf_printf(&p, "%s/%s", dir, rel);
	grv_buf_printf(&tmp, "%s.XXXXXX", p.s);
	if ((fd = mkstemp(tmp.s)) == -1 || fchmod(fd, mode) == -1 ||
	    grv_write_all(fd, b->s, b->len) == -1 || fsync(fd) == -1 ||
	    close(fd) == -1 || link(tmp.s, p.s) == -1) {
		grv_err("%s: %s", rel, strerror(errno));
		rc = GRV_EX_CANTCREAT;
	}
	if (fd != -1)
		unlink(tmp.s);
	grv_buf_release(&p);
	grv_buf_release(&tmp);
	return rc;
}

int
grv_cp_newkey(const char *dir, const char *name, int *made)
{
	struct grv_buf b = GRV_BUF_INIT, p = GRV_BUF_INIT;
	struct grv_skey k;
	struct stat sb;
	int rc;

	*made = 0;
	grv_buf_printf(&p, "%s/%s", dir, GRV_CP_SKEY);
	if (lstat(p.s, &sb) == 0) {
		/* Kept; its verifier key published again if it went. */
		grv_buf_reset(&p);
		grv_buf_printf(&p, "%s/%s", dir, GRV_CP_VKEY);
		rc = lstat(p.s, &sb) == 0 ? 0 :
		    grv_skey_read(dir, GRV_CP_SKEY, &k);
		sodium_memzero(&k.sk, sizeof(k.sk));
		if (rc != 0 || lstat(p.s, &sb) == 0) {
			grv_buf_release(&p);
			return rc;
		}
	} else {
		if (!grv_note_name_ok(name)) {
			grv_err("'%s': not a key name (no spaces, no '+')",
			    name);
			grv_buf_release(&p);
			return GRV_EX_DATAERR;
		}
		grv_skey_generate(&k, name);
		grv_skey_format(&k, &b);
		rc = create_file(dir, GRV_CP_SKEY, &b, 0600);
		sodium_memzero(b.s, b.cap);
		sodium_memzero(&k.sk, sizeof(k.sk));
	}
	if (rc == 0) {
		grv_buf_reset(&b);
		grv_buf_reset(&p);
		grv_vkey_format(&k.v, &b);
		grv_buf_printf(&p, "%s/masters", dir);
		if (mkdir(p.s, 0777) == -1 && errno != EEXIST) {
			grv_err("masters: %s", strerror(errno));
			rc = GRV_EX_CANTCREAT;
			goto out;
		}
		grv_buf_reset(&p);
		grv_buf_printf(&p, "%s/%s", dir, GRV_CP_VKEY);
		unlink(p.s);	/* a new key's verifier replaces the old */
		mode_t um = umask(0);

		umask(um);
		rc = create_file(dir, GRV_CP_VKEY, &b, 0644 & ~um);
	}
out:
	grv_buf_release(&b);
	grv_buf_release(&p);
	*made = rc == 0;
	return rc;
}

/* ---- signing ---- */

/* What a scan collects for the cache and the check of the last one. */
struct collect {
	struct grv_tlog	*t;
	uint64_t	 from;		/* leaves before are known */
	uint64_t	 at;		/* the size whose root is wanted */
	int		 got;
	grv_hash	 root;
	struct grv_buf	 leaves4;
	struct grv_tsub	 sub;		/* the tree above its blocks */
};

static void
collect_leaf(void *arg, uint64_t index, const grv_hash leaf, const char *row,
    size_t len)
{
	struct collect *c = arg;

	(void)row;
	(void)len;
	if (index == c->at && !c->got) {
		grv_mrange_root(&c->t->r, c->root);
		c->got = 1;
	}
	if (index >= c->from) {
		grv_buf_add(&c->leaves4, leaf, 4);
		grv_tsub_leaf(&c->sub, index, leaf, c->t->at);
	}
}

/*
 * May the scan of ledger K go on from the state T kept in cache/: the
 * live file is the same file, at least as long, and the row before where
 * T stopped is the row T read, crc included: a leaf leaves the crc out,
 * but the crc of that row carries the chain of every row before it.
 */
static int
resumable(const char *dir, enum grv_ledger_kind k, const struct grv_tlog *t)
{
	struct grv_buf p = GRV_BUF_INIT;
	struct stat sb;
	char buf[65536];
	size_t n;
	const char *s, *e;
	grv_hash leaf;
	int fd, ok = 0;

	grv_buf_printf(&p, "%s/ledger/%s.csv", dir, grv_ledger_name(k));
	fd = open(p.s, O_RDONLY | O_CLOEXEC);
	grv_buf_release(&p);
	if (fd == -1)
		return 0;
	if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_dev == t->live_dev &&
	    (uint64_t)sb.st_ino == t->live_ino &&
	    (uint64_t)sb.st_size >= t->live_off && t->live_off > 0) {
		n = t->live_off < sizeof(buf) ? (size_t)t->live_off :
		    sizeof(buf);
		if (grv_pread_all(fd, buf, n, (off_t)(t->live_off - n)) == 0 &&
		    buf[n - 1] == '\n') {
			e = buf + n - 1;
			for (s = e; s > buf && s[-1] != '\n'; s--)
				;
			if (t->f[t->nf - 1].rows == 0) {
				ok = 1;		/* the header alone */
			} else if (s > buf || n == t->live_off) {
				grv_merkle_leaf(s, (size_t)(e - s), leaf);
				ok = memcmp(leaf, t->last, GRV_HASHLEN) == 0;
			}
		}
	}
	close(fd);
	return ok;
}

/* Is ledger K's live file, now, exactly as grv's last writer left it (its
   high-water mark)?  Not: its tree is built again from the first row. */
static int
as_left(const char *dir, enum grv_ledger_kind k)
{
	struct grv_buf p = GRV_BUF_INIT, why = GRV_BUF_INIT;
	struct stat sb;
	int ok;

	grv_buf_printf(&p, "%s/ledger/%s.csv", dir, grv_ledger_name(k));
	ok = stat(p.s, &sb) == 0 &&
	    grv_hwm_vouch(dir, k, &sb, NULL, &why) == GRV_HWM_TRUSTED;
	grv_buf_release(&p);
	grv_buf_release(&why);
	return ok;
}

/* May the tree of ledger K go on from its state in cache/ (OLD, filled
   when it may): the live file as grv left it, the state's root PREV's. */
static int
tree_resumes(const struct grv_ctx *ctx, enum grv_ledger_kind k, int trusted,
    const struct grv_cp *prev, struct grv_tlog *old)
{
	grv_hash root;

	if ((trusted || as_left(ctx->dir, k)) && prev &&
	    grv_tlog_load(ctx->dir, k, old) == 0) {
		grv_mrange_root(&old->r, root);
		if (old->r.n == prev->size &&
		    memcmp(root, prev->root, GRV_HASHLEN) == 0 &&
		    resumable(ctx->dir, k, old))
			return 1;
		grv_tlog_release(old);
	}
	return 0;
}

/* The tree of ledger K now, from OLD when RESUME (OLD released), checked
   against PREV; its leaves' prefixes from the first new one in C. */
static int
tree_now(const struct grv_ctx *ctx, enum grv_ledger_kind k, int resume,
    struct grv_tlog *old, const struct grv_cp *prev, struct grv_tlog *t,
    struct collect *c)
{
	struct grv_mrange none = GRV_MRANGE_INIT;
	int rc;

	c->t = t;
	c->at = prev ? prev->size : UINT64_MAX;
	grv_tsub_begin(&c->sub, resume ? &old->r : &none);
	if (resume) {
		c->from = old->r.n;
		rc = grv_tlog_scan(ctx->dir, k, ctx->wait, old, t,
		    collect_leaf, c);
		grv_tlog_release(old);
		return rc;
	}
	c->from = 0;
	if ((rc = grv_tlog_scan(ctx->dir, k, ctx->wait, NULL, t, collect_leaf,
	    c)) != 0)
		return rc;
	if (!prev)
		return 0;
	if (t->r.n == prev->size && !c->got) {
		grv_mrange_root(&t->r, c->root);
		c->got = 1;
	}
	if (t->r.n < prev->size) {
		grv_err("ledger/%s.csv: %llu rows, fewer than the %llu that "
		    "the checkpoint at %s:%lu signed", grv_ledger_name(k),
		    (unsigned long long)t->r.n,
		    (unsigned long long)prev->size, prev->rel, prev->line);
		return GRV_EX_DATAERR;
	}
	if (memcmp(c->root, prev->root, GRV_HASHLEN) != 0) {
		grv_err("ledger/%s.csv: its first %llu rows are not those the "
		    "checkpoint at %s:%lu signed (run grv-verify for the row)",
		    grv_ledger_name(k), (unsigned long long)prev->size,
		    prev->rel, prev->line);
		return GRV_EX_DATAERR;
	}
	return 0;
}

/*
 * ledger/corrections.csv held to its own high-water mark, under its
 * shared lock, as its readers hold it (grv_hwm_vouch_all holds the two
 * ledgers): 0, or GRV_EX_DATAERR (printed) when it is shorter, missing
 * or replaced.  A file changed without losing rows is read from its
 * first row, as the ledgers are.
 */
static int
corrections_whole(const struct grv_ctx *ctx)
{
	struct grv_buf p = GRV_BUF_INIT, why = GRV_BUF_INIT;
	const char *rel;
	struct stat sb;
	int fd, rc = 0;

	grv_buf_printf(&p, "%s/ledger/%s.csv", ctx->dir,
	    grv_ledger_name(GRV_CORRECTIONS));
	rel = p.s + strlen(ctx->dir) + 1;
	if ((fd = open(p.s, O_RDONLY | O_CLOEXEC)) == -1 && errno != ENOENT) {
		grv_err("%s: %s", rel, strerror(errno));
		rc = GRV_EX_IOERR;
	} else if (fd != -1 && (rc = grv_ledger_flock(fd, LOCK_SH, ctx->wait,
	    rel, "a writer")) != 0) {
		;
	} else if (grv_hwm_vouch(ctx->dir, GRV_CORRECTIONS, fd != -1 &&
	    fstat(fd, &sb) == 0 ? &sb : NULL, NULL, &why) == GRV_HWM_DAMAGED) {
		grv_err("%s", why.len ? why.s : rel);
		rc = GRV_EX_DATAERR;
	}
	if (fd != -1)
		close(fd);
	grv_buf_release(&p);
	grv_buf_release(&why);
	return rc;
}

/* tree_now of the complaints on a thread of its own, beside the events. */
struct tree_job {
	const struct grv_ctx *ctx;
	enum grv_ledger_kind kind;
	int		 resume;
	struct grv_tlog	 old;
	const struct grv_cp *prev;
	struct grv_tlog	*t;
	struct collect	*c;
	int		 rc;
};

static void *
tree_job(void *arg)
{
	struct tree_job *j = arg;

	j->rc = tree_now(j->ctx, j->kind, j->resume, &j->old, j->prev, j->t,
	    j->c);
	return NULL;
}

int
grv_checkpoint_sign(const struct grv_ctx *ctx, const char *skeyrel, FILE *out)
{
	const enum grv_ledger_kind *kinds = grv_cp_kinds;
	struct grv_buf path = GRV_BUF_INIT, cur = GRV_BUF_INIT,
	    add = GRV_BUF_INIT, body = GRV_BUF_INIT, report = GRV_BUF_INIT;
	struct grv_tlog t[GRV_CP_NLOGS];
	struct collect c[GRV_CP_NLOGS];
	struct grv_cps cps = GRV_CPS_INIT;
	struct grv_skey sk;
	struct tree_job jobs[GRV_CP_NLOGS];
	pthread_t th;
	char origin[GRV_NOTE_NAMEMAX];
	int fd = -1, rc, trusted, signed_[GRV_CP_NLOGS] = { 0 }, threaded;
	struct stat sb;
	size_t i;

	memset(t, 0, sizeof(t));
	memset(c, 0, sizeof(c));
	if ((rc = grv_skey_read(ctx->dir, skeyrel, &sk)) != 0)
		return rc;
	if ((rc = grv_refuse_link(ctx->dir, GRV_CP_FILE)) != 0)
		goto out;
	grv_buf_printf(&path, "%s/%s", ctx->dir, GRV_CP_FILE);
	if ((fd = open(path.s, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW |
	    O_CLOEXEC, 0666)) == -1) {
		grv_err("%s: %s", GRV_CP_FILE, strerror(errno));
		rc = GRV_EX_CANTCREAT;
		goto out;
	}
	if ((rc = grv_ledger_flock(fd, LOCK_EX, ctx->wait, GRV_CP_FILE,
	    "another grv-checkpoint")) != 0)
		goto out;
	if (slurp_fd(fd, &cur) == -1 || fstat(fd, &sb) == -1) {
		grv_err("%s: %s", GRV_CP_FILE, strerror(errno));
		rc = GRV_EX_IOERR;
		goto out;
	}
	if (cur.len > 0 && (cur.len < 2 || cur.s[cur.len - 1] != '\n' ||
	    cur.s[cur.len - 2] != '\n')) {
		grv_err("%s: its last note is cut short (a torn write); "
		    "nothing is signed after it", GRV_CP_FILE);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if (cur.len && (rc = parse_notes(cur.s, cur.len, GRV_CP_FILE, &sk.v, 1,
	    &cps)) != 0)
		goto out;
	/* Never sign a ledger that grv's own readers would refuse. */
	if ((rc = grv_hwm_vouch_all(ctx->dir, 0, ctx->wait, &trusted)) != 0 ||
	    (rc = corrections_whole(ctx)) != 0)
		goto out;
	/* Both trees at once when one is built from the first row: the
	   hashing is the cost, one core each.  Going on from cache/, the
	   rows since the last checkpoint are few, and a thread woken for
	   them would only wait for a core. */
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < GRV_CP_NLOGS; i++) {
		grv_cp_origin(ctx, kinds[i], origin);
		jobs[i].ctx = ctx;
		jobs[i].kind = kinds[i];
		jobs[i].prev = grv_cps_last(&cps, origin);
		/* (the two ledgers' marks vouched for together above) */
		jobs[i].resume = tree_resumes(ctx, kinds[i],
		    kinds[i] == GRV_CORRECTIONS ? 0 : trusted, jobs[i].prev,
		    &jobs[i].old);
		jobs[i].t = &t[i];
		jobs[i].c = &c[i];
	}
	threaded = !(jobs[0].resume && jobs[1].resume) &&
	    pthread_create(&th, NULL, tree_job, &jobs[0]) == 0;
	if (!threaded)
		tree_job(&jobs[0]);
	tree_job(&jobs[1]);
	tree_job(&jobs[2]);	/* corrections: an operator's typing, small */
	if (threaded)
		pthread_join(th, NULL);
	for (i = 0; i < GRV_CP_NLOGS; i++)
		if ((rc = jobs[i].rc) != 0)
			goto out;
	for (i = 0; i < GRV_CP_NLOGS; i++) {
		const struct grv_cp *prev = jobs[i].prev;
		grv_hash root;

		grv_cp_origin(ctx, kinds[i], origin);
		if (t[i].r.n == 0 || (prev && prev->size == t[i].r.n))
			continue;
		grv_mrange_root(&t[i].r, root);
		grv_buf_reset(&body);
		grv_buf_printf(&body, "%s\n%llu\n", origin,
		    (unsigned long long)t[i].r.n);
		grv_cp_b64(&body, root);
		grv_buf_addc(&body, '\n');
		grv_note_sign(&sk, body.s, body.len, &add);
		grv_buf_addc(&add, '\n');
		grv_buf_printf(&report, "%s,%llu,", origin,
		    (unsigned long long)t[i].r.n);
		grv_cp_b64(&report, root);
		grv_buf_addc(&report, '\n');
		signed_[i] = 1;
	}
	if (add.len > 0) {
		if (grv_write_all(fd, add.s, add.len) == -1 ||
		    fsync(fd) == -1) {
			grv_err("%s: %s", GRV_CP_FILE, strerror(errno));
			if (ftruncate(fd, sb.st_size) == -1)
				grv_err("%s: cannot take back a part-written "
				    "note: %s", GRV_CP_FILE, strerror(errno));
			rc = GRV_EX_IOERR;
			goto out;
		}
	}
	for (i = 0; i < GRV_CP_NLOGS; i++)
		if ((signed_[i] || c[i].from == 0) &&
		    grv_tlog_save(ctx->dir, &t[i],
		    (const unsigned char *)c[i].leaves4.s, c[i].from,
		    t[i].r.n) == 0)
			grv_tsub_save(ctx->dir, kinds[i], &t[i], &c[i].sub);
	fputs("origin,size,root\n", out);
	if (report.len)
		fputs(report.s, out);
out:
	if (fd != -1 && close(fd) == -1 && rc == 0) {
		grv_err("%s: %s", GRV_CP_FILE, strerror(errno));
		rc = GRV_EX_IOERR;
	}
	sodium_memzero(&sk, sizeof(sk));
	for (i = 0; i < GRV_CP_NLOGS; i++) {
		grv_tlog_release(&t[i]);
		grv_buf_release(&c[i].leaves4);
		grv_tsub_release(&c[i].sub);
	}
	grv_cps_release(&cps);
	grv_buf_release(&path);
	grv_buf_release(&cur);
	grv_buf_release(&add);
	grv_buf_release(&body);
	grv_buf_release(&report);
	return rc;
}
