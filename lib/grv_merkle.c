/* grv_merkle.c: the Merkle tree hash of RFC 6962 section 2.1 (RFC 9162
 * section 2.1): leaves and nodes, the compact range, and the inclusion and
 * consistency proofs with the algorithms that check them.  SHA-256 is
 * grv_sha256's (the processor's SHA instructions, else libsodium). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_merkle.h"
#include "grv_sha256.h"

void
grv_merkle_leaf(const void *row, size_t len, grv_hash out)
{
	grv_sha256_prefixed(0x00, row, len, out);
}

void
grv_merkle_node(const grv_hash l, const grv_hash r, grv_hash out)
{
	unsigned char b[2 * GRV_HASHLEN];

	memcpy(b, l, GRV_HASHLEN);
	memcpy(b + GRV_HASHLEN, r, GRV_HASHLEN);
	grv_sha256_prefixed(0x01, b, sizeof(b), out);
}

void
grv_merkle_empty(grv_hash out)
{
	crypto_hash_sha256(out, (const unsigned char *)"", 0);
}

/* ---- the compact range ---- */

void
grv_mrange_push(struct grv_mrange *r, const grv_hash leaf)
{
	uint64_t m;

	memcpy(r->h[r->k++], leaf, GRV_HASHLEN);
	/* Each trailing one bit of the old size is a subtree of the same
	   height as the one just completed: merge them. */
	for (m = r->n; m & 1; m >>= 1) {
		grv_merkle_node(r->h[r->k - 2], r->h[r->k - 1], r->h[r->k - 2]);
		r->k--;
	}
	r->n++;
}

void
grv_mrange_root(const struct grv_mrange *r, grv_hash out)
{
	grv_hash acc;
	unsigned i;

	if (r->k == 0) {
		grv_merkle_empty(out);
		return;
	}
	memcpy(acc, r->h[r->k - 1], GRV_HASHLEN);
	for (i = r->k - 1; i-- > 0;)
		grv_merkle_node(r->h[i], acc, acc);
	memcpy(out, acc, GRV_HASHLEN);
}

/* ---- every leaf, and the proofs ---- */

void
grv_mleaves_push(struct grv_mleaves *l, const grv_hash leaf)
{
	/* The levels are made once, after the last leaf. */
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->h = grv_reallocarray(l->h, l->cap, sizeof(*l->h));
	}
	memcpy(l->h[l->n++], leaf, GRV_HASHLEN);
}

void
grv_mleaves_release(struct grv_mleaves *l)
{
	unsigned i;

	free(l->h);
	for (i = 0; i < 64; i++) {
		free(l->lv[i]);
		l->lv[i] = NULL;
		l->lvn[i] = 0;
	}
	l->h = NULL;
	l->n = l->cap = 0;
	l->indexed = 0;
}

/* Level h holds the roots of the perfect subtrees of 2^h leaves. */
static void
index_levels(struct grv_mleaves *l)
{
	uint64_t j, n;
	unsigned h;

	l->indexed = 1;
	for (h = 1; h < 64; h++) {
		const grv_hash *below = h == 1 ? (const grv_hash *)l->h :
		    (const grv_hash *)l->lv[h - 1];

		if ((n = l->n >> h) == 0)
			break;
		l->lv[h] = grv_reallocarray(NULL, n, sizeof(grv_hash));
		l->lvn[h] = n;
		for (j = 0; j < n; j++)
			grv_merkle_node(below[2 * j], below[2 * j + 1],
			    l->lv[h][j]);
		/* The low levels are made again on demand: free them. */
		if (h - 1 >= 1 && h - 1 < GRV_MLEVEL_LOW) {
			free(l->lv[h - 1]);
			l->lv[h - 1] = NULL;
			l->lvn[h - 1] = 0;
		}
	}
}

/* The largest power of two smaller than N (N > 1). */
static uint64_t
split(uint64_t n)
{
	uint64_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

/* The perfect subtree [LO, LO + W) of the levels, or -1. */
static int
mleaves_get(void *arg, uint64_t lo, uint64_t w, grv_hash out)
{
	const struct grv_mleaves *l = arg;
	unsigned h = (unsigned)__builtin_ctzll(w);

	if (w == 1) {
		memcpy(out, l->h[lo], GRV_HASHLEN);
		return 0;
	}
	if (h < 64 && l->lv[h] && lo / w < l->lvn[h]) {
		memcpy(out, l->lv[h][lo / w], GRV_HASHLEN);
		return 0;
	}
	return -1;
}

/* MTH(D[lo:hi]), hi > lo, from the perfect subtrees S has. */
static void
mth(const struct grv_msource *s, uint64_t lo, uint64_t hi, grv_hash out)
{
	grv_hash a, b;
	uint64_t k, w = hi - lo;

	if ((w & (w - 1)) == 0 && lo % w == 0 && s->get(s->arg, lo, w, out) == 0)
		return;
	if (w == 1) {		/* a leaf the source does not have */
		memset(out, 0, GRV_HASHLEN);
		return;
	}
	k = split(w);
	mth(s, lo, lo + k, a);
	mth(s, lo + k, hi, b);
	grv_merkle_node(a, b, out);
}

void
grv_mleaves_root(struct grv_mleaves *l, uint64_t n, grv_hash out)
{
	struct grv_msource s = { mleaves_get, l };

	if (!l->indexed)
		index_levels(l);
	if (n == 0)
		grv_merkle_empty(out);
	else
		mth(&s, 0, n, out);
}

/* PATH(m, D[lo:hi]): RFC 9162 2.1.3.1, appended to P at *NP. */
static void
path(const struct grv_msource *d, uint64_t m, uint64_t lo, uint64_t hi, grv_hash *p,
    unsigned *np)
{
	uint64_t k;

	if (hi - lo <= 1)
		return;
	k = split(hi - lo);
	if (m < k) {
		path(d, m, lo, lo + k, p, np);
		mth(d, lo + k, hi, p[(*np)++]);
	} else {
		path(d, m - k, lo + k, hi, p, np);
		mth(d, lo, lo + k, p[(*np)++]);
	}
}

unsigned
grv_merkle_inclusion(struct grv_mleaves *l, uint64_t index, uint64_t n,
    grv_hash proof[GRV_MERKLE_MAXPROOF])
{
	struct grv_msource s = { mleaves_get, l };

	if (!l->indexed)
		index_levels(l);
	return n <= l->n ? grv_merkle_inclusion_from(&s, index, n, proof) : 0;
}

unsigned
grv_merkle_inclusion_from(const struct grv_msource *s, uint64_t index,
    uint64_t n, grv_hash proof[GRV_MERKLE_MAXPROOF])
{
	unsigned np = 0;

	if (index < n)
		path(s, index, 0, n, proof, &np);
	return np;
}

/* SUBPROOF(m, D[lo:hi], b): RFC 9162 2.1.4.1. */
static void
subproof(const struct grv_msource *d, uint64_t m, uint64_t lo, uint64_t hi, int b,
    grv_hash *p, unsigned *np)
{
	uint64_t k;

	if (m == hi - lo) {
		if (!b)
			mth(d, lo, hi, p[(*np)++]);
		return;
	}
	k = split(hi - lo);
	if (m <= k) {
		subproof(d, m, lo, lo + k, b, p, np);
		mth(d, lo + k, hi, p[(*np)++]);
	} else {
		subproof(d, m - k, lo + k, hi, 0, p, np);
		mth(d, lo, lo + k, p[(*np)++]);
	}
}

unsigned
grv_merkle_consistency(struct grv_mleaves *l, uint64_t m, uint64_t n,
    grv_hash proof[GRV_MERKLE_MAXPROOF])
{
	struct grv_msource s = { mleaves_get, l };
	unsigned np = 0;

	if (!l->indexed)
		index_levels(l);
	if (m > 0 && m < n && n <= l->n)
		subproof(&s, m, 0, n, 1, proof, &np);
	return np;
}

int
grv_merkle_check_inclusion(const grv_hash leaf, uint64_t index, uint64_t n,
    const grv_hash *proof, unsigned np, const grv_hash root)
{
	uint64_t fn = index, sn;
	grv_hash r;
	unsigned i;

	if (index >= n)
		return -1;
	sn = n - 1;
	memcpy(r, leaf, GRV_HASHLEN);
	for (i = 0; i < np; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			grv_merkle_node(proof[i], r, r);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			grv_merkle_node(r, proof[i], r);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && sodium_memcmp(r, root, GRV_HASHLEN) == 0 ? 0 : -1;
}

int
grv_merkle_check_consistency(uint64_t m, const grv_hash oldroot, uint64_t n,
    const grv_hash newroot, const grv_hash *proof, unsigned np)
{
	grv_hash fr, sr;
	const grv_hash *c = proof;
	uint64_t fn, sn;
	unsigned i = 0, cn = np;

	if (m == 0 || m > n)
		return -1;
	if (m == n)
		return np == 0 &&
		    sodium_memcmp(oldroot, newroot, GRV_HASHLEN) == 0 ? 0 : -1;
	if (np == 0)
		return -1;
	/* A power of two: the old root is the proof's missing first hash. */
	if ((m & (m - 1)) == 0) {
		memcpy(fr, oldroot, GRV_HASHLEN);
	} else {
		memcpy(fr, c[0], GRV_HASHLEN);
		i = 1;
	}
	memcpy(sr, fr, GRV_HASHLEN);
	fn = m - 1;
	sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < cn; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			grv_merkle_node(c[i], fr, fr);
			grv_merkle_node(c[i], sr, sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			grv_merkle_node(sr, c[i], sr);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && sodium_memcmp(fr, oldroot, GRV_HASHLEN) == 0 &&
	    sodium_memcmp(sr, newroot, GRV_HASHLEN) == 0 ? 0 : -1;
}
