/* fuzz_fold: the ledger fold (grv_state_load, as every reader runs it) and
 * grv-check over the same ledgers.  The input is complaints.csv, then
 * "\n--8<--\n", then events.csv, over the fixture's masters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grv_check.h"
#include "grv_state.h"

static FILE *devnull;

static void
cmd_setup(struct grv_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->dir = fuzz_dir();
	cmd->wait = 0;
	cmd->now = INT64_C(4102444800);		/* 2100-01-01 */
	cmd->actor = "fuzz";
	grv_conf_defaults(&cmd->conf);
	if (grv_conf_load(&cmd->conf, cmd->dir) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct grv_cmd cmd;
	static int ready;
	struct grv_cmd ccmd;
	struct grv_check_result res;
	struct grv_state st;
	struct grv_fold_opts o;
	const uint8_t *part[2];
	size_t len[2], n;

	if (!ready) {
		cmd_setup(&cmd);
		if (grv_masters_load(&cmd.m, cmd.dir, &cmd.conf) != 0)
			abort();
		cmd.loaded = 1;
		grv_cal_init(&cmd.cal, &cmd.m, &cmd.conf);
		devnull = fopen("/dev/null", "w");
		ready = 1;
	}
	n = fuzz_split(data, size, part, len, 2);
	fuzz_write("ledger/complaints.csv", part[0], len[0]);
	fuzz_write("ledger/events.csv", n > 1 ? part[1] : NULL,
	    n > 1 ? len[1] : 0);
	memset(&o, 0, sizeof(o));
	o.now = cmd.now;
	o.nocache = 1;
	grv_state_load(&st, &cmd, &o);
	grv_state_release(&st);
	cmd_setup(&ccmd);
	grv_check(&ccmd, devnull, 0, &res);
	grv_cmd_release(&ccmd);
	return 0;
}
