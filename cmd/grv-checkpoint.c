/* grv-checkpoint: sign a checkpoint of each ledger that grew, after
 * checking it against the last one, and append it to ledger/checkpoints. */
#include <getopt.h>
#include <stdio.h>

#include "grv_checkpoint.h"
#include "grv_cmd.h"
#include "grv_msg.h"

enum { OPT_KEY = GRV_OPT_FIRST, OPT_NEW_KEY };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "key",	required_argument,	NULL, OPT_KEY },
	{ "new-key",	no_argument,		NULL, OPT_NEW_KEY },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] = "[--key FILE]\n--new-key";

static const char help[] =
"Sign a checkpoint (c2sp.org/tlog-checkpoint: origin NODE/complaints or\n"
"NODE/events, tree size, base64 RFC 6962 root hash) of each ledger that\n"
"grew since its last checkpoint, as a signed note (Ed25519), and append\n"
"them to ledger/checkpoints in one write.  Before it signs, the ledger must\n"
"still hold the tree its last checkpoint signed (its first rows hash to\n"
"that root): a ledger that contradicts it is refused (65) and nothing is\n"
"signed.  Output: origin,size,root of each checkpoint signed.\n"
"\n"
"      --key FILE     the signing key (default: DIR/checkpoint.key)\n"
"      --new-key      make the signing key DIR/checkpoint.key (mode 0600)\n"
"                     named after grv.conf's node, and its verifier key\n"
"                     masters/checkpoint.vkey, unless it exists; prints\n"
"                     the verifier key\n"
"\n"
"Exit 65 for a ledger that contradicts its last checkpoint, a damaged\n"
"ledger or ledger/checkpoints, 66 for a missing key, 75 when another\n"
"grv-checkpoint holds ledger/checkpoints past --wait.\n";

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	const char *key = NULL;
	int c, rc, newkey = 0, made;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_KEY:
			key = optarg;
			break;
		case OPT_NEW_KEY:
			newkey = 1;
			break;
		}
	}
	if (optind < argc)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	if (newkey && key)
		grv_usage_error(&cmd, "--new-key makes %s; not with --key",
		    GRV_CP_SKEY);
	if ((rc = grv_cmd_load_conf(&cmd)) != 0)
		return rc;
	if (grv_note_init() == -1)
		return GRV_EX_IOERR;
	if (newkey) {
		struct grv_vkey v;

		if ((rc = grv_cp_newkey(cmd.ctx.dir, cmd.ctx.conf.node,
		    &made)) == 0 && (rc = grv_vkey_read(cmd.ctx.dir,
		    GRV_CP_VKEY, &v)) == 0) {
			struct grv_buf b = GRV_BUF_INIT;

			grv_vkey_format(&v, &b);
			fputs(b.s, stdout);
			grv_buf_release(&b);
		}
	} else
		rc = grv_checkpoint_sign(&cmd.ctx, key ? key : GRV_CP_SKEY,
		    stdout);
	if (rc == 0)
		rc = grv_close_stdout();
	grv_cmd_release(&cmd);
	return rc;
}
