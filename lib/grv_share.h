/* grv_share.h: a data directory shared by a group (grv-init): its layout
 * and modes, making it, and holding a program to it. */
#ifndef GRV_SHARE_H
#define GRV_SHARE_H

#include <stdio.h>
#include <sys/types.h>

/*
 * The layout grv-init makes (SPEC 7.1, 7.3), owner the caller, group G:
 *   DIR          2750   the administrator writes grv.conf
 *   masters/     2750   the administrator edits; the group reads
 *   ledger/      2770   the group's programs append; nothing for other
 *   cache/       2770   the group's programs rewrite
 *   ledger/NAME.csv 0660 header rows, with their high-water marks
 * A directory whose ledger/ carries the setgid bit is "shared": every
 * program then creates its files with umask 007, so what one member's
 * program writes the next one's can append to, and other gets nothing.
 */
#define GRV_SHARE_TOP_MODE	02750
#define GRV_SHARE_MASTERS_MODE	02750
#define GRV_SHARE_LEDGER_MODE	02770
#define GRV_SHARE_CACHE_MODE	02770
#define GRV_SHARE_FILE_MODE	0660
#define GRV_SHARE_MASTER_MODE	0640
#define GRV_SHARE_UMASK		007

/*
 * Make DIR ready for group GID: the directories and their modes, the
 * masters copied from MASTERS (a directory of master files, or NULL), the
 * two ledgers with their header rows.  Refuses, before changing anything,
 * a DIR whose ledger holds rows (or sealed segments) and any part of the
 * layout that is a symbolic link (GRV_EX_CANTCREAT).  Running it again
 * with the same arguments changes nothing.  A ledger's lock is waited for
 * WAIT seconds.  OUT gets path,mode,owner,group of what it set up.  0 or
 * an exit code (printed).
 */
int	 grv_share_init(const char *dir, gid_t gid, const char *masters,
	    double wait, FILE *out);

/* DIR/ledger is a directory with the setgid bit: grv-init made it. */
int	 grv_share_is(const char *dir);

/* For a shared DIR, set the umask to GRV_SHARE_UMASK. */
void	 grv_share_umask(const char *dir);

/*
 * For a program running setgid GID: DIR/ledger must be a directory (not a
 * link) of group GID with the setgid bit and no write for other, as
 * grv-init leaves it.  0, or GRV_EX_CANTCREAT after saying why.
 */
int	 grv_share_check(const char *dir, gid_t gid);

#endif
