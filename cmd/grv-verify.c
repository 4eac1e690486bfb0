/* grv-verify: signed checkpoints held to the ledger, the consistency of
 * two checkpoints, and one complaint's inclusion receipt. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "grv_checkpoint.h"
#include "grv_cmd.h"
#include "grv_msg.h"
#include "grv_verify.h"

enum { OPT_VKEY = GRV_OPT_FIRST, OPT_PROOF, OPT_CHECK_PROOF, OPT_INCLUSION };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "vkey",	required_argument,	NULL, OPT_VKEY },
	{ "proof",	no_argument,		NULL, OPT_PROOF },
	{ "check-proof", required_argument,	NULL, OPT_CHECK_PROOF },
	{ "inclusion",	required_argument,	NULL, OPT_INCLUSION },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] =
"[--vkey FILE] [CHECKPOINT...]\n"
"[--vkey FILE] --proof OLD NEW\n"
"[--vkey FILE] --check-proof PROOF OLD NEW\n"
"[--vkey FILE] --inclusion ID";

static const char help[] =
"Hold signed checkpoints to the ledgers: each CHECKPOINT file (default:\n"
"every note of ledger/checkpoints) must carry a good signature of the\n"
"verifier key, name a ledger of this directory (NODE/complaints or\n"
"NODE/events), and the ledger's first SIZE rows must hash to its root.\n"
"Output: checkpoint,origin,size,root,result (ok or contradicted).\n"
"\n"
"      --vkey FILE    the verifier key (default: masters/checkpoint.vkey)\n"
"      --proof OLD NEW\n"
"                     print the RFC 9162 consistency proof of checkpoint\n"
"                     file OLD with NEW, computed from the ledger after\n"
"                     checking both against it\n"
"      --check-proof PROOF OLD NEW\n"
"                     check such a proof with nothing but the two\n"
"                     checkpoints and the verifier key (no ledger)\n"
"      --inclusion ID print a receipt for complaint ID: the last\n"
"                     checkpoint of each ledger, then each of its rows with\n"
"                     its inclusion proof (it holds the citizen's own\n"
"                     name, phone and text, as the row does)\n"
"\n"
"Exit 65 when a ledger contradicts a checkpoint (changed, missing or\n"
"reordered rows; named with the first row that differs where cache/\n"
"still knows it), a signature fails or a proof does not hold; 1 when\n"
"some rows of ID came after the last checkpoint; 66 for a missing file.\n";

/* The last note of the checkpoint file REL, read with V, into CPS. */
static int
one(const char *rel, const struct grv_vkey *v, struct grv_cps *cps,
    const struct grv_cp **cp)
{
	int rc;

	if ((rc = grv_cps_read(NULL, rel, 0, v, cps)) != 0)
		return rc;
	if (cps->n == 0) {
		grv_err("%s: no checkpoint", rel);
		return GRV_EX_DATAERR;
	}
	*cp = &cps->v[cps->n - 1];
	return 0;
}

/* The masters, when the data directory has them (an auditor's copy of
   the ledgers may not): 0 or an exit code. */
static int
masters_if_any(struct grv_cmd *cmd)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/masters/officers.csv", cmd->ctx.dir);
	return access(p, F_OK) == 0 ? grv_ctx_load_masters(&cmd->ctx) : 0;
}

int
main(int argc, char *argv[])
{
	struct grv_cps cps = GRV_CPS_INIT, o = GRV_CPS_INIT, n = GRV_CPS_INIT;
	const struct grv_cp *old, *new_;
	struct grv_cmd cmd;
	struct grv_vkey v;
	const char *vkey = NULL, *check = NULL, *id = NULL;
	int c, rc, proof = 0, i;

	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_VKEY:
			vkey = optarg;
			break;
		case OPT_PROOF:
			proof = 1;
			break;
		case OPT_CHECK_PROOF:
			check = optarg;
			break;
		case OPT_INCLUSION:
			id = optarg;
			break;
		}
	}
	if (proof + (check != NULL) + (id != NULL) > 1)
		grv_usage_error(&cmd, "one of --proof, --check-proof and "
		    "--inclusion");
	if ((proof || check) && argc - optind != 2)
		grv_usage_error(&cmd, "%s takes two checkpoint files, OLD NEW",
		    proof ? "--proof" : "--check-proof");
	if (id && optind < argc)
		grv_usage_error(&cmd, "--inclusion takes no checkpoint files");
	if (id && (*id == '\0' || strpbrk(id, ",\"\n\r") != NULL))
		grv_usage_error(&cmd, "--inclusion: '%s' is not a complaint id",
		    id);
	/* A proof and its two checkpoints need no data directory. */
	if (!(check && vkey) && (rc = grv_cmd_load_conf(&cmd)) != 0)
		return rc;
	if (grv_note_init() == -1)
		return GRV_EX_IOERR;
	/* A receipt finds the complaint's rows through the state in
	   cache/, which is the masters'. */
	if (id && (rc = masters_if_any(&cmd)) != 0)
		return rc;
	if ((rc = vkey ? grv_vkey_read(NULL, vkey, &v) :
	    grv_vkey_read(cmd.ctx.dir, GRV_CP_VKEY, &v)) != 0)
		goto out;
	if (proof || check) {
		if ((rc = one(argv[optind], &v, &o, &old)) == 0 &&
		    (rc = one(argv[optind + 1], &v, &n, &new_)) == 0)
			rc = proof ? grv_verify_proof(&cmd.ctx, old, new_,
			    stdout) : grv_verify_check_proof(check, old, new_,
			    stdout);
	} else if (optind < argc) {
		for (i = optind; i < argc && rc == 0; i++)
			rc = grv_cps_read(NULL, argv[i], 0, &v, &cps);
		if (rc == 0)
			rc = grv_verify_checkpoints(&cmd.ctx, &cps, stdout);
	} else if ((rc = grv_cps_read(cmd.ctx.dir, GRV_CP_FILE, 0, &v,
	    &cps)) == 0)
		rc = id ? grv_verify_inclusion(&cmd.ctx, &cps, id, stdout) :
		    grv_verify_checkpoints(&cmd.ctx, &cps, stdout);
	if (rc == 0 || rc == GRV_EX_SOME || rc == GRV_EX_DATAERR)
		grv_setrc(&rc, grv_close_stdout());
out:
	grv_cps_release(&cps);
	grv_cps_release(&o);
	grv_cps_release(&n);
	grv_cmd_release(&cmd);
	return rc;
}
