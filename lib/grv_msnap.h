/* grv_msnap.h: the masters as grv last parsed and checked them, kept in
 * cache/masters.bin so that a program reads one file instead of parsing
 * and checking five CSV files (grv-ledger(5), "The masters snapshot"). */
#ifndef GRV_MSNAP_H
#define GRV_MSNAP_H

#include <stdint.h>

#include "grv_ctx.h"

#define GRV_MSNAP_NFILES	5	/* departments ... holidays */

/* What a masters file was when it was read: absent, or its identity. */
struct grv_msnap_id {
	uint64_t	 dev, ino, size;
	int64_t		 mtime_s, mtime_ns, ctime_s, ctime_ns;
	uint32_t	 present;
	uint32_t	 racy;		/* changed too recently to vouch for */
};

struct grv_msnap_ids {
	struct grv_msnap_id	 f[GRV_MSNAP_NFILES];
	int			 ok;	/* every file could be looked at */
};

/* Look at each masters file of CTX's directory (open and fstat). */
void	 grv_msnap_ids(const struct grv_ctx *, struct grv_msnap_ids *);
/*
 * Fill M from cache/masters.bin when it was written from files with
 * exactly the identities IDS and the conf's levels, and its checks hold:
 * 0, else -1 (M untouched).
 */
int	 grv_msnap_load(struct grv_masters *m, const struct grv_ctx *,
	    const struct grv_msnap_ids *);
/* Write M, parsed from files of identities IDS, as cache/masters.bin
   (nothing when a file changed too recently, or cache/ is not writable). */
void	 grv_msnap_save(const struct grv_masters *m, const struct grv_ctx *,
	    const struct grv_msnap_ids *);

#endif
