/* grv-check: verify the masters and the ledgers; --repair moves a torn
 * tail aside and does nothing else. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "grv_check.h"
#include "grv_cmd.h"
#include "grv_msg.h"
#include "grv_role.h"

enum { OPT_REPAIR = GRV_OPT_FIRST };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "repair",	no_argument,	NULL, OPT_REPAIR },
	{ "quiet",	no_argument,	NULL, 'q' },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] = "[-q] [--repair]";

static const char help[] =
"Verify the masters (every cross-check) and every ledger file and sealed\n"
"segment: the header, the column count, the crc chain, UTF-8, events that\n"
"name registered complaints, transitions the life of a complaint allows,\n"
"levels, departments and officers that exist, times that never go back.\n"
"\n"
"Findings go to standard output, one a line, as FILE:LINE: what; then a\n"
"summary line (not with -q).  Errors that stop the check go to standard\n"
"error.  Exit 0 clean, 65 damaged, 66 masters missing, 74 I/O error,\n"
"75 a ledger locked past --wait.\n"
"\n"
"      --repair       a live ledger whose only damage is its last line (no\n"
"                     final newline, or a crc that fails on that row alone:\n"
"                     a torn write) has that line moved to ledger/NAME.torn\n"
"                     with its offset, and is cut back to its last good row;\n"
"                     everything else is reported and left alone\n"
"  -q, --quiet        no summary line\n";

int
main(int argc, char **argv)
{
	struct grv_cmd cmd;
	struct grv_check_result res;
	int c, rc, orc, repair = 0, quiet = 0;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "q", longopts,
	    NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_REPAIR:
			repair = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			grv_usage_error(&cmd, NULL);
		}
	}
	if (optind < argc)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	cmd.ctx.who.writer = repair;
	if ((rc = grv_cmd_load_conf(&cmd)) != 0)
		return rc;
	if (cmd.complete)
		return grv_cmd_load(&cmd);	/* answers and exits */
	if (repair && (rc = grv_role_permit(&cmd.ctx, GRV_OP_REPAIR, -1)) != 0) {
		grv_cmd_release(&cmd);
		return rc;
	}
	rc = grv_check(&cmd.ctx, stdout, repair, &res);
	if (!quiet && (rc == 0 || rc == GRV_EX_DATAERR ||
	    rc == GRV_EX_NOINPUT))
		printf("checked %lu ledger files, %lu rows: %lu findings, "
		    "%lu repaired\n", res.files, res.rows, res.findings,
		    res.repaired);
	if (!quiet && (rc == 0 || rc == GRV_EX_DATAERR ||
	    rc == GRV_EX_NOINPUT) && res.warnings)
		printf("%lu warning%s, not damage\n", res.warnings,
		    res.warnings == 1 ? "" : "s");
	grv_cmd_release(&cmd);
	if ((orc = grv_close_stdout()) != 0)
		return orc;
	return rc;
}
