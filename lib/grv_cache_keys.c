/* grv_cache_keys.c: the key and wake indexes of the state cache
 * (grv-ledger(5), The state cache): for each officer, department and
 * district, and for each hour, a chain of the complaints that have been
 * under it, so that a list by officer and the sweep walk a chain, not
 * every complaint.
 *
 * kix.bin holds the entries in the order written, each naming its key's
 * entry before it; khead.bin each master key's newest entry (1-based, 0
 * none), whead.bin each hour's.  An entry is added when a complaint is
 * saved with a key it did not have at the load, so a chain may name a
 * complaint that has since moved on: the reader checks each one it is
 * given.  Each entry and head carries a check of its words, its place and
 * the cold fold's random gen; one that fails makes the reader look at
 * every complaint instead, and the next writer of cache/ build it anew.
 *
 * A complaint's wake (grv_wake) puts it on its hour's chain.  whead.bin's
 * slot 0 is the hour WBASE of the header (that of the last row the cold
 * fold saw) and every hour before it, the last of WSPAN slots every hour
 * from its own on; a slot past the file's end is empty.  A sweep that ran
 * at WLO_AT leaves WLO, the slot of WLO_AT: every complaint due before
 * WLO_AT was moved on by its rows, is at the top level (nothing more to
 * do), or could not climb and is named in park.bin; so the next sweep, at
 * a time not before WLO_AT, walks the slots from WLO on and the parked
 * complaints.  A row appended later gives a wake after its own stamp, and
 * a save that puts a complaint on a slot below WLO lowers WLO.
 */
#include <assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_cache.h"
#include "grv_complaint.h"
#include "grv_ledger.h"
#include "grv_store.h"

/* The key index's checks: an entry's words and its place, a head's
   word and its key, each with the cold fold's GEN (so that an index file
   of another build is no good here); never 0. */
static uint32_t
kent_check(uint64_t gen, const struct kent *e, uint64_t k)
{
	uint64_t h = 0x6b6579696e646578ULL;
	uint32_t t;

	h = grv_store_mix(grv_store_mix(h, gen), k);
	h = grv_store_mix(grv_store_mix(h, e->n), e->prev);
	t = (uint32_t)(h ^ (h >> 32));
	return t ? t : 1;
}

static uint32_t
khead_check(uint64_t gen, const struct khead *kh, size_t key)
{
	uint64_t h = 0x6865616473756d73ULL;
	uint32_t t;

	h = grv_store_mix(grv_store_mix(grv_store_mix(h, gen), key), kh->head);
	t = (uint32_t)(h ^ (h >> 32));
	return t ? t : 1;
}

size_t
grv_keys_count(const struct grv_ctx *ctx)
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
int
grv_keys_of(const struct grv_ctx *ctx, int64_t wbase,
    const struct grv_cstate *c, uint32_t key[4])
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
		key[k++] = (uint32_t)grv_keys_count(ctx) + wake_slot(wbase, w);
	return k;
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
	size_t nk = grv_keys_count(sp->ctx), i;
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
	size_t nk = grv_keys_count(sp->ctx), i;
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

void
grv_keys_update(struct grv_store *sp, const struct grv_state *st)
{
	uint32_t key[4], k, j, i;
	size_t d;
	int nk;

	for (d = 0; d < sp->ndirty; d++) {
		k = sp->dlist[d];
		if (k >= sp->nsaved)
			continue;
		nk = grv_keys_of(sp->ctx, sp->wbase, &st->c[k], key);
		for (j = 0; j < (uint32_t)nk; j++) {
			for (i = 0; i < sp->dkeys[d][0]; i++)
				if (sp->dkeys[d][1 + i] == key[j])
					break;
			if (i == sp->dkeys[d][0])
				key_add(sp, key[j], k + 1);
		}
	}
	for (k = sp->nsaved; k < st->n; k++) {
		nk = grv_keys_of(sp->ctx, sp->wbase, &st->c[k], key);
		for (j = 0; j < (uint32_t)nk; j++)
			key_add(sp, key[j], k + 1);
	}
}

/* ---- saving ---- */

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
		if (grv_store_pwrite(fd, buf, n * sizeof(*buf),
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
	    sp->hdr.gen, grv_keys_count(sp->ctx), sp->nwheadsaved, sp->nwhead) == -1)
		return -1;
	for (i = 0; i < sp->nwmod; i++)
		if (grv_store_pwrite(sp->wheadfd, &sp->wmod[i].kh,
		    sizeof(sp->wmod[i].kh), (off_t)sp->wmod[i].slot *
		    (off_t)sizeof(sp->wmod[i].kh)) == -1)
			return -1;
	return 0;
}

int
grv_keys_write(struct grv_store *sp)
{
	size_t i, nk = grv_keys_count(sp->ctx);
	uint32_t k;

	if (sp->nknew && grv_store_pwrite(sp->kixfd, sp->knew, sp->nknew *
	    sizeof(*sp->knew), (off_t)(sp->nkixsaved * sizeof(*sp->knew))) ==
	    -1)
		return -1;
	/* The masters' heads in one write (a few kilobytes): a batch of new
	   complaints moves the same few heads thousands of times. */
	for (i = 0; i < sp->nknew; i++) {
		k = sp->knewkey[i];
		if (k < nk) {
			if (grv_store_pwrite(sp->kheadfd, sp->khead,
			    nk * sizeof(*sp->khead), 0) == -1)
				return -1;
			break;
		}
	}
	return wheads_write(sp);
}

void
grv_keys_saved(struct grv_store *sp)
{
	sp->nkixsaved = sp->nkix;
	sp->nknew = 0;
	sp->nwheadsaved = sp->nwhead;
	sp->nwmod = 0;
}

/* park.bin's checksum: its N complaint numbers. */
static uint64_t
park_sum(const uint32_t *v, size_t n)
{
	uint64_t sum = grv_store_mix(0x7061726b65642121ULL, n);
	size_t i;

	for (i = 0; i < n; i++)
		sum = grv_store_mix(sum, v[i]);
	return sum;
}

/* The files of the key index, and a cold fold's temporary ones. */
enum { T_KIX, T_KHEAD, T_WHEAD, T_PARK, T_COUNT };

static const char *const tnames[T_COUNT] = { "kix.bin", "khead.bin",
	"whead.bin", "park.bin" };
static_assert(T_COUNT == GRV_KEYS_NFILES, "key index files");

/* A cold fold's: the wake slots from the hour of the last row folded, no
   sweep yet, nothing parked.  0, or -1 said. */
int
grv_keys_build(const struct grv_state *st, const struct grv_ctx *ctx,
    char *t[T_COUNT], struct cache_hdr *h)
{
	enum { CHUNK = 4096 };
	struct kent *buf;
	struct khead *kh;
	size_t nk = grv_keys_count(ctx), nb = 0, nh, i;
	uint32_t key[4], n;
	uint64_t k = 0, nw = 0;
	grv_time_t last = st->last_ts;
	int fd[T_COUNT], j, nkk, rc = -1;

	for (j = 0; j < T_COUNT; j++)
		fd[j] = -1;
	for (j = 0; j < T_COUNT; j++) {
		char tmpl[32];

		snprintf(tmpl, sizeof(tmpl), "%s.XXXXXX", tnames[j]);
		if ((fd[j] = grv_store_temp(ctx, tmpl, &t[j])) == -1)
			goto out;
	}
	if (last == GRV_TIME_NONE || (st->last_reg != GRV_TIME_NONE &&
	    st->last_reg > last))
		last = st->last_reg;
	h->wbase = last == GRV_TIME_NONE ? 0 : last / 3600 - (last % 3600 < 0);
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
		nkk = grv_keys_of(ctx, h->wbase, &st->c[n - 1], key);
		for (j = 0; j < nkk; j++) {
			buf[nb].n = n;
			buf[nb].prev = kh[key[j]].head;
			buf[nb].check = kent_check(h->gen, &buf[nb], ++k);
			kh[key[j]].head = (uint32_t)k;
			if (++nb == CHUNK) {
				if (grv_store_pwrite(fd[T_KIX], buf, nb * sizeof(*buf),
				    (off_t)((k - nb) * sizeof(*buf))) == -1)
					goto done;
				nb = 0;
			}
		}
	}
	for (i = 0; i < nh; i++)
		kh[i].check = khead_check(h->gen, &kh[i], i);
	if ((nb && grv_store_pwrite(fd[T_KIX], buf, nb * sizeof(*buf),
	    (off_t)((k - nb) * sizeof(*buf))) == -1) ||
	    (nk && grv_store_pwrite(fd[T_KHEAD], kh, nk * sizeof(*kh), 0) == -1) ||
	    (nw && grv_store_pwrite(fd[T_WHEAD], kh + nk, (size_t)nw * sizeof(*kh),
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
		grv_store_failed("write");
	return rc;
}

int
grv_keys_place(const struct grv_ctx *ctx, char *t[GRV_KEYS_NFILES])
{
	int j;

	for (j = 0; j < T_COUNT; j++)
		if (grv_store_put(ctx, &t[j], tnames[j]) == -1)
			return -1;
	return 0;
}

void
grv_keys_drop(char *t[GRV_KEYS_NFILES])
{
	int j;

	for (j = 0; j < T_COUNT; j++)
		if (t[j]) {
			unlink(t[j]);
			free(t[j]);
			t[j] = NULL;
		}
}

/* ---- the complaints under one key ---- */

/* KEY's chain into BITS (bit N - 1 for complaint N): 0, or -1 when any of
   it fails its check. */
static int
chain_walk(const struct grv_store *sp, const struct grv_state *st,
    uint32_t key, unsigned char *bits)
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
		BITSET(bits, e.n - 1);
		prevk = k;
	}
	return 0;
}

/* A bit for every complaint, none set. */
static unsigned char *
bits_new(const struct grv_state *st)
{
	return grv_calloc((size_t)st->n / 8 + 1, 1);
}

/* Into BITS what the fold changed since the load and no save has
   indexed: those complaints may have any key now. */
static void
bits_changed(const struct grv_store *sp, const struct grv_state *st,
    unsigned char *bits)
{
	size_t d, k;

	for (d = 0; d < sp->ndirty; d++)
		BITSET(bits, sp->dlist[d]);
	for (k = sp->nsaved; k < st->n; k++)
		BITSET(bits, k);
}

/* Damage found in the key index: the caller looks at every complaint,
   and the next program that may write cache/ builds it anew. */
static int
index_damaged(const struct grv_store *sp, unsigned char *bits)
{
	free(bits);
	if (!grv_store_readonly())
		grv_store_discard(sp->ctx);
	return -1;
}

int
grv_cache_keyed(const struct grv_state *st, int kind, int idx,
    unsigned char **out)
{
	const struct grv_store *sp = st->store;
	unsigned char *bits;
	int64_t kv;

	if (sp == NULL || sp->build || sp->khead == NULL ||
	    (kv = key_of(&sp->ctx->m, kind, idx)) == -1)
		return -1;
	bits = bits_new(st);
	if (chain_walk(sp, st, (uint32_t)kv, bits) == -1)
		return index_damaged(sp, bits);
	bits_changed(sp, st, bits);
	*out = bits;
	return 0;
}

/* ---- the complaints the sweep may have to do something with ---- */
int
grv_cache_due(const struct grv_state *st, grv_time_t now, uint32_t **out,
    size_t *nout)
{
	const struct grv_store *sp = st->store;
	unsigned char *bits;
	uint32_t slot, hi, nk, *park, *v = NULL;
	uint64_t np;
	size_t i, n = 0, cap = 0;

	if (sp == NULL || sp->build || sp->khead == NULL || st->cut ||
	    (sp->hdr.wlo_at != GRV_TIME_NONE && now < sp->hdr.wlo_at))
		return -1;	/* not what the last sweep vouched for */
	nk = (uint32_t)grv_keys_count(sp->ctx);
	hi = wake_slot(sp->wbase, now);
	bits = bits_new(st);
	for (slot = (uint32_t)sp->wlo; slot <= hi; slot++)
		if (chain_walk(sp, st, nk + slot, bits) == -1)
			return index_damaged(sp, bits);
	/* The complaints the last sweep could not move. */
	np = sp->hdr.npark;
	park = grv_reallocarray(NULL, np ? np : 1, sizeof(*park));
	if ((np && grv_pread_all(sp->parkfd, park, np * 4, 0) == -1) ||
	    park_sum(park, np) != sp->hdr.parksum) {
		free(park);
		return index_damaged(sp, bits);
	}
	for (i = 0; i < np; i++)
		if (park[i] != 0 && park[i] <= st->n)
			BITSET(bits, park[i] - 1);
	free(park);
	bits_changed(sp, st, bits);
	for (i = 0; i < st->n; i++) {
		uint64_t w;

		/* Eight bytes of the map at a time: most are empty, and a
		   bit at a time was most of a sweep's instructions
		   (12 million of 15.7 at 1,000,000 complaints). */
		if ((i & 63) == 0 && i + 64 <= st->n) {
			memcpy(&w, bits + i / 8, sizeof(w));
			if (w == 0) {
				i += 63;
				continue;
			}
		}
		if (!BITTEST(bits, i))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = grv_reallocarray(v, cap, sizeof(*v));
		}
		v[n++] = (uint32_t)i + 1;
	}
	free(bits);
	*out = v;
	*nout = n;
	return 0;
}

void
grv_cache_swept(const struct grv_state *st, grv_time_t now,
    const uint32_t *stuck, size_t nstuck)
{
	struct grv_store *sp = st->store;
	struct cache_hdr cur, h;
	struct stat sb;
	char *path;

	if (sp == NULL || sp->build || !sp->rw || grv_store_readonly() || st->cut ||
	    sp->fd == -1)
		return;
	if (grv_store_lock(sp->fd, F_WRLCK) == -1)
		return;			/* being read: the next sweep walks more */
	path = grv_store_path(sp->ctx, "state.bin");
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
	if ((nstuck && grv_store_pwrite(sp->parkfd, stuck, nstuck * 4, 0) == -1) ||
	    ftruncate(sp->parkfd, (off_t)(nstuck * 4)) == -1 ||
	    grv_store_header(sp->fd, &h, 0) == -1) {
		grv_store_failed("write");
		goto out;
	}
	sp->hdr = h;
	sp->wlo = h.wlo;
out:
	free(path);
	grv_store_lock(sp->fd, F_RDLCK);
}
