/* grv_merkle.h: the RFC 6962 / RFC 9162 Merkle tree hash over a log of
 * rows: leaf and node hashes, the compact range that grows by one leaf at
 * a time, and inclusion and consistency proofs, made and checked. */
#ifndef GRV_MERKLE_H
#define GRV_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define GRV_HASHLEN	32
#define GRV_MERKLE_MAXPROOF 64	/* hashes in any proof of a 2^64 tree */

typedef unsigned char grv_hash[GRV_HASHLEN];

/* SHA-256(0x00 || ROW) for a row of LEN bytes without its newline. */
void	 grv_merkle_leaf(const void *row, size_t len, grv_hash out);
/* SHA-256(0x01 || L || R). */
void	 grv_merkle_node(const grv_hash l, const grv_hash r, grv_hash out);
/* The root of the empty tree: SHA-256 of nothing. */
void	 grv_merkle_empty(grv_hash out);

/*
 * The compact range [0, n): one hash per set bit of N, the largest
 * (leftmost) subtree first.  Adding a leaf costs O(1) amortised, the root
 * O(log n); it is all a log needs to keep to grow its tree.
 */
struct grv_mrange {
	uint64_t	 n;
	unsigned	 k;		/* hashes in h: popcount(n) */
	grv_hash	 h[64];
};
#define GRV_MRANGE_INIT { 0, 0, { { 0 } } }
void	 grv_mrange_push(struct grv_mrange *, const grv_hash leaf);
void	 grv_mrange_root(const struct grv_mrange *, grv_hash out);

/* Every leaf hash of a log, in memory, for the proofs. */
struct grv_mleaves {
	uint64_t	 n;
	uint64_t	 cap;
	grv_hash	*h;
	/* Perfect subtrees of 2^GRV_MLEVEL_LOW leaves and more, made by the
	   first proof, so that each proof costs O(log n) hashes. */
	grv_hash	*lv[64];
	uint64_t	 lvn[64];
	int		 indexed;
};
#define GRV_MLEVEL_LOW	8
#define GRV_MLEAVES_INIT { 0, 0, NULL, { NULL }, { 0 }, 0 }
void	 grv_mleaves_push(struct grv_mleaves *, const grv_hash leaf);
void	 grv_mleaves_release(struct grv_mleaves *);
/* The root of the tree of the first N leaves (N <= L->n). */
void	 grv_mleaves_root(struct grv_mleaves *, uint64_t n, grv_hash out);

/*
 * RFC 9162 2.1.3.1: the inclusion proof of leaf INDEX in the tree of the
 * first N leaves; RFC 9162 2.1.4.1: the consistency proof of the tree of
 * M leaves with that of N (0 < M <= N).  PROOF gets the hashes, returns
 * their number.
 */
unsigned grv_merkle_inclusion(struct grv_mleaves *, uint64_t index,
	    uint64_t n, grv_hash proof[GRV_MERKLE_MAXPROOF]);
unsigned grv_merkle_consistency(struct grv_mleaves *, uint64_t m,
	    uint64_t n, grv_hash proof[GRV_MERKLE_MAXPROOF]);

/*
 * Where a proof's subtree hashes come from: GET gives MTH(D[lo:lo+w]) of
 * a perfect subtree (W a power of two, LO a multiple of it), a leaf when
 * W is 1, or -1 when it does not have that one (its two halves are asked
 * for instead).  A leaf it does not have is an all-zero hash, so the
 * proof made does not hold: the caller checks every proof it makes from
 * a source it does not trust.
 */
struct grv_msource {
	int		(*get)(void *arg, uint64_t lo, uint64_t w, grv_hash out);
	void		*arg;
};
/* grv_merkle_inclusion from S, for a tree of N leaves. */
unsigned grv_merkle_inclusion_from(const struct grv_msource *s,
	    uint64_t index, uint64_t n, grv_hash proof[GRV_MERKLE_MAXPROOF]);

/* RFC 9162 2.1.3.2 and 2.1.4.2: 0 when the proof holds, -1 otherwise. */
int	 grv_merkle_check_inclusion(const grv_hash leaf, uint64_t index,
	    uint64_t n, const grv_hash *proof, unsigned np,
	    const grv_hash root);
int	 grv_merkle_check_consistency(uint64_t m, const grv_hash oldroot,
	    uint64_t n, const grv_hash newroot, const grv_hash *proof,
	    unsigned np);

#endif
