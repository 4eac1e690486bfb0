/* grv-init: make a data directory ready for many users: its directories,
 * their group and modes, the masters, the empty ledgers. */
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "grv_cmd.h"
#include "grv_msg.h"
#include "grv_parse.h"
#include "grv_role.h"
#include "grv_share.h"

enum { OPT_MASTERS = GRV_OPT_FIRST };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "group",	required_argument,	NULL, 'g' },
	{ "masters",	required_argument,	NULL, OPT_MASTERS },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] = "[DIR] [--group G] [--masters MDIR]";

static const char help[] =
"Make DIR (default: -d, $GRV_DIR, else .) a data directory that the members\n"
"of group G share: DIR and masters/ 2750, ledger/ and cache/ 2770, owner\n"
"the caller, group G, and the three ledgers with their header rows, 0660.\n"
"\n"
"  -g, --group G      the helpline's group (default: your own group)\n"
"      --masters MDIR copy the master files of directory MDIR into masters/\n"
"\n"
"A DIR whose ledger holds rows is refused (73) before anything changes;\n"
"run again with the same arguments, grv-init changes nothing.  Output:\n"
"path,mode,owner,group of what it set up.  Exit 64 for a group that does\n"
"not exist, 66 for a missing MDIR.  See SECURITY in grv-init(1).\n";

/* G by name, else by number; -1 when there is no such group. */
static int
find_group(const char *g, gid_t *gid)
{
	struct group *gr;
	long v;

	if ((gr = getgrnam(g)) != NULL) {
		*gid = gr->gr_gid;
		return 0;
	}
	if (grv_parse_int(g, 0, 0x7fffffff, &v) == 0 &&
	    getgrgid((gid_t)v) != NULL) {
		*gid = (gid_t)v;
		return 0;
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	const char *group = NULL, *masters = NULL, *dir, *e;
	gid_t gid;
	int c, rc;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	/* The caller's own rights make the directory, never a setgid bit's. */
	if ((rc = grv_role_drop()) != 0)
		return rc;
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "g:",
	    longopts, NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case 'g':
			group = optarg;
			break;
		case OPT_MASTERS:
			masters = optarg;
			break;
		}
	}
	if (cmd.complete)
		return grv_cmd_load(&cmd);	/* answers and exits */
	if (optind + 1 < argc)
		grv_usage_error(&cmd, "one directory only");
	if (optind < argc && cmd.ctx.dir)
		grv_usage_error(&cmd, "the directory twice: as DIR and as -d");
	dir = optind < argc ? argv[optind] : cmd.ctx.dir ? cmd.ctx.dir :
	    (e = getenv("GRV_DIR")) && *e ? e : ".";
	gid = getgid();
	if (group && find_group(group, &gid) == -1)
		grv_usage_error(&cmd, "--group: no such group '%s'", group);
	rc = grv_share_init(dir, gid, masters, cmd.ctx.wait, stdout);
	if (rc == 0)
		rc = grv_close_stdout();
	grv_cmd_release(&cmd);
	return rc;
}
