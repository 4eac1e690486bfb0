/* grv_store.h: inside the state cache (grv_cache.h): the files' layout
 * and the store a mapped state carries, shared by grv_cache.c (the state
 * and its saving), grv_cache_rows.c (the row index) and grv_cache_keys.c
 * (the key and wake indexes).  Nothing outside those files includes it. */
#ifndef GRV_STORE_H
#define GRV_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "grv_cache.h"
#include "grv_ledger.h"

#define CACHE_MAGIC	"GRVCACHE"
#define CACHE_VERSION	8	/* 5: the key index; 6: the wake index;
				   7: new complaints wake too; 8: status hold,
				   reopens in channel, held (SPEC 7.2) */
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

/* The row index (grv_cache_rows.c): an entry of crow.bin or eix.bin, at
   a location: the file (0 the live one, K the K-th sealed segment) in the
   top 16 bits, the row's offset below. */
struct ixent {
	uint64_t	 loc;
	uint32_t	 n;		/* the complaint */
	uint32_t	 crc;		/* the row's own crc */
	uint32_t	 prev;		/* eix.bin: its event before, 0 none */
	uint32_t	 pad;
};

/* The key and wake indexes (grv_cache_keys.c): an entry of kix.bin, a
   head of khead.bin or whead.bin. */
struct kent {
	uint32_t	 n;
	uint32_t	 prev;
	uint32_t	 check;
};

struct khead {
	uint32_t	 head;
	uint32_t	 check;
};

/* A bit per complaint. */
#define BITTEST(map, i)	((map)[(i) >> 3] & (1u << ((i) & 7)))
#define BITSET(map, i)	((map)[(i) >> 3] |= (unsigned char)(1u << ((i) & 7)))

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
	int		 refolded;	/* records taken from a fold in place */
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

/* One step of the checksums: a bijection of H for a given W, so that any
   one changed word always changes the result. */
static inline uint64_t
grv_store_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/* grv_cache.c: cache/NAME (cache/ for NULL), malloc'd; whether the cache
   is read only; an OFD lock of TYPE on FD without waiting; all of BUF at
   OFF; a failed save said (not when cache/ is read-only); a new file from
   TEMPLATE, its name in *TMP; *TMP renamed over NAME; the header H
   written with its checksum and DIRTY. */
char	*grv_store_path(const struct grv_ctx *, const char *name);

int	 grv_store_readonly(void);
/* Remove state.bin, so that the next program builds cache/ anew. */
void	 grv_store_discard(const struct grv_ctx *);

int	 grv_store_lock(int fd, short type);

int	 grv_store_pwrite(int fd, const void *buf, size_t len, off_t off);

void	 grv_store_failed(const char *what);

int	 grv_store_temp(const struct grv_ctx *, const char *template,
	    char **tmp);
int	 grv_store_put(const struct grv_ctx *, char **tmp, const char *name);

int	 grv_store_header(int fd, struct cache_hdr *, int dirty);

/* This boot of the machine, or 0 when the kernel does not say.  Does
   ledger/KIND still hold what a cache folded to POS: the same file, at
   least POS->size bytes, the row ending there carrying POS->crc (or the
   header, for ""), the same sealed segments?  0, or -1. */
uint64_t grv_store_boot(void);
int	 grv_store_ledger_matches(const struct grv_ctx *,
	    enum grv_ledger_kind, const struct cache_pos *);

/* grv_cache_rows.c: a cold fold's crow.bin and eix.bin, block by block. */
int	 grv_ixout_flush(struct ixout *);

void	 grv_ixout_drop(struct ixout *);

/*
 * grv_cache_keys.c.  Count: the master keys (officers, departments,
 * locations), before the wake slots.  Of: complaint C's keys over WBASE
 * into KEY, how many.  Update: before a save in place, each changed
 * complaint onto the chains of the keys it gained, each new one onto all
 * of its keys (SP->kbad set when an index it extends is damaged).  Write:
 * those entries and heads into the files; saved: they are written.
 * Build: a cold fold's key and wake indexes into temporary files T,
 * their counts into H (whose gen is drawn); place: T renamed into place;
 * drop: T removed.
 */
#define GRV_KEYS_NFILES	4
size_t	 grv_keys_count(const struct grv_ctx *);

int	 grv_keys_of(const struct grv_ctx *, int64_t wbase,
	    const struct grv_cstate *c, uint32_t key[4]);
void	 grv_keys_update(struct grv_store *, const struct grv_state *);

int	 grv_keys_write(struct grv_store *);

void	 grv_keys_saved(struct grv_store *);

int	 grv_keys_build(const struct grv_state *, const struct grv_ctx *,
	    char *t[GRV_KEYS_NFILES], struct cache_hdr *h);
int	 grv_keys_place(const struct grv_ctx *, char *t[GRV_KEYS_NFILES]);

void	 grv_keys_drop(char *t[GRV_KEYS_NFILES]);

#endif
