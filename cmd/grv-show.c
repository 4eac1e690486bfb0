/* grv-show: one complaint's whole history, for a person to read. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "grv_cmd.h"
#include "grv_msg.h"
#include "grv_show.h"
#include "grv_state.h"

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static const char usage[] = "ID";

static const char help[] =
"Show complaint ID as it stood at --now: what was asked, by whom (personal\n"
"data included), where it is, and a timeline of everything that happened\n"
"to it: placements with the officer's name and designation, escalations\n"
"and why, the resolution with its rule and letter reference, the citizen's\n"
"answer and the closure.  Text, not CSV.\n";

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	const char *id;
	uint32_t n;
	int c, rc;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1)
		(void)grv_cmd_opt(&cmd, c, optarg);
	if (cmd.complete == NULL && optind + 1 != argc)
		grv_usage_error(&cmd, optind == argc ? "missing complaint ID" :
		    "one complaint ID only");
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	id = argv[optind];
	if (grv_id_parse(cmd.ctx.conf.node, id, strlen(id), &n) == -1) {
		grv_err("'%s': not a complaint id (expected %s-<number>)", id,
		    cmd.ctx.conf.node);
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if ((rc = grv_show_print(stdout, &cmd.ctx, n, id)) == 0)
		rc = grv_close_stdout();
out:
	grv_cmd_release(&cmd);
	return rc;
}
