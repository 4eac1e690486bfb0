/* grv_ctx.c: a data directory's conf, masters and calendar, and its tz. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_ctx.h"
#include "grv_msg.h"
#include "grv_msnap.h"
#include "grv_share.h"

void
grv_ctx_init(struct grv_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->wait = 10;
	grv_conf_defaults(&ctx->conf);
}

int
grv_ctx_parse_time(const struct grv_ctx *ctx, const char *s, grv_time_t *out)
{
	return grv_time_parse(s, ctx->conf.tz, out);
}

void
grv_ctx_lock_won(struct grv_ctx *ctx)
{
	grv_time_t t;

	if (!ctx->now_given && (t = grv_time_now()) > ctx->now)
		ctx->now = t;
}

void
grv_ctx_ts(const struct grv_ctx *ctx, grv_time_t t, char buf[GRV_TSLEN])
{
	grv_time_format(t, ctx->conf.tz, buf);
}

int
grv_ctx_load_conf(struct grv_ctx *ctx)
{
	struct stat sb;
	const char *e;
	int rc;

	if (ctx->dir == NULL)
		ctx->dir = (e = getenv("GRV_DIR")) && *e ? e : ".";
	if (stat(ctx->dir, &sb) == -1) {
		grv_err("%s: %s", ctx->dir, strerror(errno));
		return GRV_EX_NOINPUT;
	}
	if (!S_ISDIR(sb.st_mode)) {
		grv_err("%s: %s", ctx->dir, strerror(ENOTDIR));
		return GRV_EX_NOINPUT;
	}
	if ((rc = grv_role_identify(ctx)) == 0) {
		grv_share_umask(ctx->dir);
		rc = grv_conf_load(&ctx->conf, ctx->dir);
	}
	if (rc != 0)
		grv_who_release(&ctx->who);	/* callers return at once */
	return rc;
}

void
grv_ctx_default_actor(struct grv_ctx *ctx)
{
	struct passwd *pw;
	const char *e;

	/* actors.csv: the real user writes as themselves (an --actor is
	   held to it by grv_role_permit). */
	if (ctx->who.actors && ctx->who.login &&
	    (ctx->actor_from == NULL || strcmp(ctx->actor_from, "--actor"))) {
		ctx->actor = ctx->who.login;
		ctx->actor_from = "the login name";
	}
	if (ctx->actor == NULL) {
		if ((e = getenv("LOGNAME")) && *e) {
			ctx->actor = e;
			ctx->actor_from = "LOGNAME";
		} else if ((pw = getpwuid(getuid())) != NULL) {
			ctx->actor = pw->pw_name;
			ctx->actor_from = "the login name";
		} else
			ctx->actor = "unknown";
	}
}

int
grv_ctx_load_masters(struct grv_ctx *ctx)
{
	struct grv_msnap_ids ids;
	char path[4096];
	struct stat sb;
	int rc;

	/* No masters/ at all: not a data directory, one line that says
	   where grv looked and how to point it elsewhere, not one line a
	   missing file. */
	snprintf(path, sizeof(path), "%s/masters", ctx->dir);
	if (stat(path, &sb) == -1 && errno == ENOENT) {
		grv_err("%s: not a data directory (no masters/); set GRV_DIR "
		    "or give -d DIR", ctx->dir);
		return GRV_EX_NOINPUT;
	}
	/* The snapshot in cache/ when it is of these very files, else
	   the CSV files, parsed and checked, and a snapshot of them. */
	grv_msnap_ids(ctx, &ids);
	if (grv_msnap_load(&ctx->m, ctx, &ids) == -1) {
		if ((rc = grv_masters_load(&ctx->m, ctx->dir, &ctx->conf)) != 0) {
			/* what the refused files gave so far, let go */
			grv_masters_release(&ctx->m);
			return rc;
		}
		grv_msnap_save(&ctx->m, ctx, &ids);
	}
	ctx->loaded = 1;
	grv_cal_init(&ctx->cal, &ctx->m, &ctx->conf);
	return 0;
}

void
grv_ctx_release(struct grv_ctx *ctx)
{
	if (ctx->loaded)
		grv_masters_release(&ctx->m);
	ctx->loaded = 0;
	grv_who_release(&ctx->who);
}
