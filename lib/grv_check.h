/* grv_check.h: verify the masters and every ledger and segment (grv-check),
 * and the one repair that is always safe: moving a torn tail aside. */
#ifndef GRV_CHECK_H
#define GRV_CHECK_H

#include <stdio.h>

#include "grv_ctx.h"

/* Findings shown per file; the rest are counted, not printed. */
#define GRV_CHECK_MAXSHOWN	100

struct grv_check_result {
	unsigned long	 findings;	/* everything found, repaired or not */
	unsigned long	 repaired;	/* torn tails moved aside */
	unsigned long	 files;		/* ledger files and segments read */
	unsigned long	 rows;		/* ledger rows read */
	unsigned long	 warnings;	/* not damage: codes no longer in
					   the masters, each named once */
};

/*
 * Verify CMD's data directory (its conf loaded; the masters are loaded
 * here, into CMD): the masters' cross-checks, then every sealed segment and
 * live file of both ledgers: header, column count, crc chain, UTF-8, events
 * that name registered complaints, transitions SPEC section 4 allows,
 * levels, departments and officers that exist, times that never go back.
 * Each finding is one line on OUT: "FILE:LINE: what".  The live files are
 * read under a shared flock (exclusive with REPAIR), waiting CMD->wait.
 *
 * With REPAIR, a live ledger whose only damage is its last line (no final
 * newline, or a crc that fails on that row alone) gets that line appended
 * to ledger/NAME.torn after a "# ..." line giving its offset and the time,
 * and is truncated to its last good row and synced; the repair is reported
 * on OUT.  Nothing else is ever changed.
 *
 * Returns 0 when nothing is left damaged, GRV_EX_DATAERR when something
 * is, or another exit code (printed on stderr) when the check itself could
 * not be done: GRV_EX_NOINPUT, GRV_EX_IOERR, GRV_EX_TEMPFAIL.
 */
int	 grv_check(struct grv_ctx *, FILE *out, int repair,
	    struct grv_check_result *);

#endif
