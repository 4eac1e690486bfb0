/* grv_report_checkpoint.c: the checkpoints a published report names, so
 * that anyone holding that prefix of the ledgers and the masters can
 * compute it again and hold the ledgers to the signatures.  The rows a
 * report reads (stamped up to --now) are a prefix of each ledger, rows
 * being in time order; a checkpoint signed after --now covers them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "grv_checkpoint.h"
#include "grv_format.h"
#include "grv_msg.h"
#include "grv_report_checkpoint.h"

int
grv_report_checkpoints(const struct grv_ctx *ctx, int fmt, struct grv_buf *out)
{
	static const enum grv_ledger_kind kinds[] = { GRV_COMPLAINTS,
	    GRV_EVENTS };
	struct grv_buf b = GRV_BUF_INIT, p = GRV_BUF_INIT;
	struct grv_cps cps = GRV_CPS_INIT;
	char origin[GRV_NOTE_NAMEMAX];
	const struct grv_cp *cp;
	struct grv_vkey v;
	struct stat sb;
	size_t i, n = 0;
	int rc;

	if (fmt != GRV_FMT_JSON && fmt != GRV_FMT_TABLE)
		return 0;
	grv_buf_printf(&p, "%s/%s", ctx->dir, GRV_CP_FILE);
	rc = stat(p.s, &sb);
	grv_buf_release(&p);
	if (rc == -1 || sb.st_size == 0)
		return 0;
	if (grv_note_init() == -1)
		return GRV_EX_IOERR;
	if ((rc = grv_vkey_read(ctx->dir, GRV_CP_VKEY, &v)) != 0 ||
	    (rc = grv_cps_read(ctx->dir, GRV_CP_FILE, 1, &v, &cps)) != 0)
		return rc;
	for (i = 0; i < 2; i++) {
		grv_cp_origin(ctx, kinds[i], origin);
		if ((cp = grv_cps_last(&cps, origin)) == NULL)
			continue;
		if (fmt == GRV_FMT_JSON)
			grv_buf_printf(&b, "%s{\"origin\":\"%s\",\"size\":%llu,"
			    "\"root\":\"", n ? "," : "", cp->origin,
			    (unsigned long long)cp->size);
		else
			grv_buf_printf(&b, "%scheckpoint %s %llu ", n ? "" :
			    "\n", cp->origin, (unsigned long long)cp->size);
		grv_cp_b64(&b, cp->root);
		grv_buf_adds(&b, fmt == GRV_FMT_JSON ? "\"}" : "\n");
		n++;
	}
	if (fmt == GRV_FMT_TABLE) {
		grv_buf_add(out, b.s ? b.s : "", b.len);
	} else if (n > 0 && out->len > 0 && out->s[0] == '{') {
		/* The report's object gains a first member. */
		grv_buf_printf(&p, "{\"checkpoints\":[%s],", b.s);
		grv_buf_add(&p, out->s + 1, out->len - 1);
		grv_buf_reset(out);
		grv_buf_add(out, p.s, p.len);
	}
	grv_buf_release(&p);
	grv_buf_release(&b);
	grv_cps_release(&cps);
	return 0;
}
