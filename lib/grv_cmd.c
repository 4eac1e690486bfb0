/* grv_cmd.c: what every grv program shares. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_cmd.h"
#include "grv_msg.h"
#include "grv_version.h"

void
grv_cmd_init(struct grv_cmd *cmd, char **argv, const char *usage,
    const char *help, const struct option *longopts)
{
	memset(cmd, 0, sizeof(*cmd));
	grv_setprogname(argv[0]);
	cmd->usage = usage;
	cmd->help = help;
	cmd->longopts = longopts;
	grv_ctx_init(&cmd->ctx);
}

static void
print_usage(const struct grv_cmd *cmd, FILE *fp)
{
	const char *p = cmd->usage, *nl;
	int first = 1;

	while (*p) {
		nl = strchr(p, '\n');
		fprintf(fp, "%s %s %.*s\n", first ? "usage:" : "      ",
		    grv_progname, (int)(nl ? nl - p : (long)strlen(p)), p);
		first = 0;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

void
grv_usage_error(const struct grv_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		grv_verr(fmt, ap);
		va_end(ap);
	}
	print_usage(cmd, stderr);
	fprintf(stderr, "Try '%s --help'.\n", grv_progname);
	exit(GRV_EX_USAGE);
}

static const char common_help[] =
"Common options:\n"
"  -d, --dir DIR      data directory (default: $GRV_DIR, else .)\n"
"      --now TIME     act as if the clock said TIME (YYYY-MM-DD[THH:MM[:SS]][+HH:MM|Z])\n"
"      --actor NAME   who is writing (default: the login name)\n"
"      --wait SECS    wait this long for a busy ledger lock (default 10)\n"
"  -h, --help         this help;  --version  the version\n"
"Exit: 0 ok, 1 some items refused, 64 usage, 65 bad data, 66 missing file,\n"
"      73 cannot create, 74 I/O error, 75 ledger locked past --wait.\n";

int
grv_cmd_opt(struct grv_cmd *cmd, int c, const char *arg)
{
	char *end;

	switch (c) {
	case 'd':
		cmd->ctx.dir = arg;
		return 1;
	case GRV_OPT_NOW:
		cmd->now_arg = arg;
		cmd->ctx.now_given = 1;
		return 1;
	case 'h':
		print_usage(cmd, stdout);
		fputs(cmd->help, stdout);
		fputs(common_help, stdout);
		exit(grv_close_stdout());
	case GRV_OPT_VERSION:
		printf("%s (grv) %s\n", grv_progname, GRV_VERSION);
		exit(grv_close_stdout());
	case GRV_OPT_ACTOR:
		if (*arg == '\0')
			grv_usage_error(cmd, "--actor: empty name");
		cmd->ctx.actor = arg;
		cmd->ctx.actor_from = "--actor";
		return 1;
	case GRV_OPT_WAIT:
		errno = 0;
		cmd->ctx.wait = strtod(arg, &end);
		/* Written so that nan, which compares false, fails too. */
		if (errno || *end || end == arg ||
		    !(cmd->ctx.wait >= 0 && cmd->ctx.wait <= 86400))
			grv_usage_error(cmd, "--wait: bad number of seconds "
			    "'%s'", arg);
		return 1;
	case GRV_OPT_COMPLETE:
		cmd->complete = arg;
		return 1;
	case '?':
	case ':':
		grv_usage_error(cmd, NULL);
	}
	return 0;
}

/* A code for --complete: alone, or with NAMED its name after a tab (the
   shells' descriptions, completions/), a tab or line break in it a space. */
static void
complete_code(const char *code, const char *name, int named)
{
	fputs(code, stdout);
	if (named) {
		putchar('\t');
		for (; *name; name++)
			putchar(*name == '\t' || *name == '\n' ||
			    *name == '\r' ? ' ' : *name);
	}
	putchar('\n');
}

static void
complete(struct grv_cmd *cmd)
{
	const struct grv_masters *m = &cmd->ctx.m;
	const struct option *o;
	char what[32];
	size_t i, len = strlen(cmd->complete);
	int named;

	/* WHAT+names: each code with its name. */
	named = len > 6 && strcmp(cmd->complete + len - 6, "+names") == 0;
	snprintf(what, sizeof(what), "%.*s", (int)(named ? len - 6 : len),
	    cmd->complete);

	if (strcmp(cmd->complete, "options") == 0) {
		for (o = cmd->longopts; o && o->name; o++)
			if (strcmp(o->name, "complete") != 0)
				printf("--%s\n", o->name);
		for (i = 0; cmd->words && cmd->words[i]; i++)
			printf("%s\n", cmd->words[i]);
	} else if (strcmp(cmd->complete, "words") == 0) {
		for (i = 0; cmd->words && cmd->words[i]; i++)
			printf("%s\n", cmd->words[i]);
	} else if (strcmp(what, "depts") == 0) {
		for (i = 0; i < m->ndepts; i++)
			complete_code(m->depts[i].code, m->depts[i].name, named);
	} else if (strcmp(what, "officers") == 0) {
		for (i = 0; i < m->nofficers; i++)
			complete_code(m->officers[i].code, m->officers[i].name,
			    named);
	} else if (strcmp(what, "locs") == 0) {
		for (i = 0; i < m->nlocs; i++)
			complete_code(m->locs[i].code, m->locs[i].name, named);
	} else if (strcmp(what, "districts") == 0) {
		for (i = 0; i < m->nlocs; i++)
			if (m->locs[i].kind == GRV_LOC_DISTRICT)
				complete_code(m->locs[i].code, m->locs[i].name,
				    named);
	} else if (strcmp(what, "categories") == 0) {
		for (i = 0; i < m->ncats; i++)
			complete_code(m->cats[i].code, m->cats[i].name, named);
	}
	exit(grv_close_stdout());
}

int
grv_cmd_load_conf(struct grv_cmd *cmd)
{
	struct grv_ctx *ctx = &cmd->ctx;
	int rc;

	/* Options and words need no data directory: complete them anywhere. */
	if (cmd->complete && (strcmp(cmd->complete, "options") == 0 ||
	    strcmp(cmd->complete, "words") == 0))
		complete(cmd);
	if ((rc = grv_ctx_load_conf(ctx)) != 0)
		return rc;
	if (ctx->now_given) {
		if (grv_ctx_parse_time(ctx, cmd->now_arg, &ctx->now) == -1)
			grv_usage_error(cmd, "--now: bad time '%s' (YYYY-MM-DD"
			    "[THH:MM[:SS]][+HH:MM|Z])", cmd->now_arg);
		/* Every row is stamped with it, at the conf's tz. */
		if (!grv_time_writable(ctx->now, ctx->conf.tz)) {
			grv_err("--now: '%s' is outside the years 1970-9999 "
			    "at the tz of grv.conf", cmd->now_arg);
			grv_who_release(&ctx->who);
			return GRV_EX_DATAERR;
		}
	} else
		ctx->now = grv_time_now();
	grv_ctx_default_actor(ctx);
	return 0;
}

int
grv_cmd_load(struct grv_cmd *cmd)
{
	int rc;

	if ((rc = grv_cmd_load_conf(cmd)) != 0)
		return rc;
	if ((rc = grv_ctx_load_masters(&cmd->ctx)) != 0) {
		if (cmd->complete)
			exit(0);
		grv_who_release(&cmd->ctx.who);
		return rc;
	}
	if (cmd->complete)
		complete(cmd);
	return 0;
}

void
grv_cmd_release(struct grv_cmd *cmd)
{
	grv_ctx_release(&cmd->ctx);
}
