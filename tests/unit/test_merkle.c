/* test_merkle.c: the Merkle tree of lib/grv_merkle.c: the compact range
 * against the whole tree for every size to 300, every inclusion and
 * consistency proof of trees to 70 leaves checked, and refused with one
 * bit changed.  With --dump SMALL it reads rows (one a line) from standard
 * input and prints, for tests/grv-verify.bats to hold to an independent
 * Python implementation: the root of every size, every inclusion and
 * consistency proof of every tree of up to SMALL leaves, and 200 of each
 * for random sizes of the whole input. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_buf.h"
#include "grv_merkle.h"
#include "grv_note.h"
#include "grv_tsub.h"
#include "unit.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static void
hex(const grv_hash h, char out[65])
{
	sodium_bin2hex(out, 65, h, GRV_HASHLEN);
}

static void
put(const char *tag, uint64_t a, uint64_t b, const grv_hash *p, unsigned np)
{
	struct grv_buf o = GRV_BUF_INIT;
	unsigned i;

	grv_buf_printf(&o, "%s %llu %llu", tag, (unsigned long long)a,
	    (unsigned long long)b);
	for (i = 0; i < np; i++) {
		grv_buf_addc(&o, ' ');
		grv_b64_add(&o, p[i], GRV_HASHLEN);
	}
	puts(o.s);
	grv_buf_release(&o);
}

static int
dump(uint64_t small)
{
	struct grv_mleaves l = GRV_MLEAVES_INIT;
	struct grv_mrange r = GRV_MRANGE_INIT;
	grv_hash leaf, root, p[GRV_MERKLE_MAXPROOF];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint64_t n, m, i, k;

	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		grv_merkle_leaf(line, (size_t)len, leaf);
		grv_mleaves_push(&l, leaf);
		grv_mrange_push(&r, leaf);
		grv_mrange_root(&r, root);
		put("root", r.n, 0, &root, 1);
	}
	free(line);
	for (n = 1; n <= small && n <= l.n; n++) {
		for (i = 0; i < n; i++)
			put("incl", i, n, p, grv_merkle_inclusion(&l, i, n, p));
		for (m = 1; m < n; m++)
			put("cons", m, n, p,
			    grv_merkle_consistency(&l, m, n, p));
	}
	for (k = 0; k < 200 && l.n > 1; k++) {
		n = 1 + rnd(l.n);
		i = rnd(n);
		put("incl", i, n, p, grv_merkle_inclusion(&l, i, n, p));
		m = 1 + rnd(n);
		if (m < n)
			put("cons", m, n, p,
			    grv_merkle_consistency(&l, m, n, p));
	}
	grv_mleaves_release(&l);
	return 0;
}

/* MTH of leaves [LO, HI) of L, from a compact range of its own. */
static void
range_root(const struct grv_mleaves *l, uint64_t lo, uint64_t hi, grv_hash out)
{
	struct grv_mrange r = GRV_MRANGE_INIT;

	for (; lo < hi; lo++)
		grv_mrange_push(&r, l->h[lo]);
	grv_mrange_root(&r, out);
}

/*
 * The tree above the blocks (grv_tsub.c) as a scan makes it: every block
 * of 256 leaves and every perfect subtree above, in post order, against
 * roots computed leaf by leaf; and the same hashes from a scan that goes
 * on from a compact range in the middle of a block.
 */
static void
test_tsub(void)
{
	struct grv_mleaves l = GRV_MLEAVES_INIT;
	struct grv_mrange r0 = GRV_MRANGE_INIT;
	struct grv_tsub all, on;
	grv_hash leaf, want;
	const uint64_t n = 5000, n0 = 1300;
	uint64_t i, b, k, at, nb = n / GRV_TSUB_LEAVES, bad = 0, pos = 0,
	    from = 0;
	char row[32];

	grv_tsub_begin(&all, &r0);
	for (i = 0; i < n; i++) {
		snprintf(row, sizeof(row), "leaf %llu", (unsigned long long)i);
		grv_merkle_leaf(row, strlen(row), leaf);
		grv_mleaves_push(&l, leaf);
		grv_tsub_leaf(&all, i, leaf, i * 10);
		if (i + 1 == n0) {
			for (k = 0; k <= i; k++)
				grv_mrange_push(&r0, l.h[k]);
			grv_tsub_begin(&on, &r0);
		} else if (i >= n0)
			grv_tsub_leaf(&on, i, leaf, i * 10);
	}
	/* Post order: block b, then each subtree it completes. */
	for (b = 0; b < nb; b++) {
		if (b == n0 / GRV_TSUB_LEAVES)
			from = pos;
		for (k = 0; b + 1 >= (1ULL << k) && (b + 1) % (1ULL << k) == 0;
		    k++) {
			uint64_t w = GRV_TSUB_LEAVES << k;
			uint64_t lo = (b + 1) * GRV_TSUB_LEAVES - w;

			range_root(&l, lo, lo + w, want);
			bad += (pos + 1) * GRV_HASHLEN > all.nodes.len ||
			    memcmp(all.nodes.s + pos * GRV_HASHLEN, want,
			    GRV_HASHLEN) != 0;
			pos++;
		}
	}
	IS(bad, 0, "every block of 256 leaves and every subtree above it, in "
	    "post order");
	IS(all.nodes.len, pos * GRV_HASHLEN, "and nothing more (%llu hashes)",
	    (unsigned long long)pos);
	IS(pos, 2 * nb - (uint64_t)__builtin_popcountll(nb),
	    "2b - popcount(b) hashes for b whole blocks");
	OK(on.nodes.len == all.nodes.len - from * GRV_HASHLEN &&
	    memcmp(on.nodes.s, all.nodes.s + from * GRV_HASHLEN,
	    on.nodes.len) == 0, "going on from the middle of a block gives the "
	    "same hashes from that block's");
	for (b = 0, bad = 0; b * 8 < all.offs.len; b++) {
		memcpy(&at, all.offs.s + b * 8, 8);
		bad += at != b * GRV_TSUB_LEAVES * 10;
	}
	IS(bad, 0, "where each block begins");
	IS(b, (n + GRV_TSUB_LEAVES - 1) / GRV_TSUB_LEAVES, "for every block "
	    "begun");
	IS(on.offs.len, (b - (n0 + GRV_TSUB_LEAVES - 1) / GRV_TSUB_LEAVES) * 8,
	    "going on, for the blocks begun after");
	grv_tsub_release(&all);
	grv_tsub_release(&on);
	grv_mleaves_release(&l);
}

int
main(int argc, char *argv[])
{
	struct grv_mleaves l = GRV_MLEAVES_INIT;
	struct grv_mrange r = GRV_MRANGE_INIT;
	grv_hash leaf, a, b, p[GRV_MERKLE_MAXPROOF], roots[301];
	char h[65], row[32];
	uint64_t n, m, i;
	unsigned np;
	int bad_root = 0, bad_incl = 0, bad_cons = 0, np_bad = 0;

	if (sodium_init() < 0)
		return 1;
	if (argc == 3 && strcmp(argv[1], "--dump") == 0)
		return dump(strtoull(argv[2], NULL, 10));
	grv_merkle_empty(a);
	hex(a, h);
	STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "the empty tree's root is SHA-256 of nothing");
	grv_merkle_leaf("", 0, a);
	hex(a, h);
	STR(h, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	    "an empty row's leaf is SHA-256 of one zero byte");
	for (n = 1; n <= 300; n++) {
		snprintf(row, sizeof(row), "row %llu", (unsigned long long)n);
		grv_merkle_leaf(row, strlen(row), leaf);
		grv_mleaves_push(&l, leaf);
		grv_mrange_push(&r, leaf);
		grv_mrange_root(&r, roots[n]);
	}
	for (n = 1; n <= 300; n++) {
		grv_mleaves_root(&l, n, a);
		bad_root += memcmp(a, roots[n], GRV_HASHLEN) != 0;
	}
	IS(bad_root, 0, "the compact range's root is the whole tree's, sizes 1..300");
	for (n = 1; n <= 70; n++) {
		for (i = 0; i < n; i++) {
			np = grv_merkle_inclusion(&l, i, n, p);
			bad_incl += grv_merkle_check_inclusion(l.h[i], i, n, p,
			    np, roots[n]) != 0;
			memcpy(leaf, l.h[i], GRV_HASHLEN);
			leaf[i % 32] ^= 1;
			bad_incl += grv_merkle_check_inclusion(leaf, i, n, p,
			    np, roots[n]) != -1;
			if (np > 0) {
				p[np - 1][3] ^= 0x80;
				bad_incl += grv_merkle_check_inclusion(l.h[i],
				    i, n, p, np, roots[n]) != -1;
			}
			bad_incl += grv_merkle_check_inclusion(l.h[i],
			    i, n + 1, p, np, roots[n]) != -1 && n > 1;
		}
		for (m = 1; m <= n; m++) {
			np = grv_merkle_consistency(&l, m, n, p);
			bad_cons += grv_merkle_check_consistency(m, roots[m], n,
			    roots[n], p, np) != 0;
			memcpy(b, roots[m], GRV_HASHLEN);
			b[7] ^= 4;
			bad_cons += grv_merkle_check_consistency(m, b, n,
			    roots[n], p, np) != -1;
			if (m < n && m > 1) {
				bad_cons += grv_merkle_check_consistency(m - 1,
				    roots[m - 1], n, roots[n], p, np) != -1 &&
				    np > 0;
			}
			np_bad += np > GRV_MERKLE_MAXPROOF;
		}
	}
	IS(bad_incl, 0, "every inclusion proof of trees 1..70 holds, and fails "
	    "with a changed leaf, proof hash or size");
	IS(bad_cons, 0, "every consistency proof of trees 1..70 holds, and "
	    "fails with a changed old root or size");
	IS(np_bad, 0, "no proof is longer than the room for it");
	grv_mleaves_release(&l);
	test_tsub();
	return DONE();
}
