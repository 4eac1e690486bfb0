/* grv: run grv-NAME, found next to grv itself or on PATH, like git. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_levenshtein.h"
#include "grv_msg.h"
#include "grv_role.h"
#include "grv_version.h"

static const struct {
	const char *name, *summary;
} progs[] = {
	{ "add",	"register complaints, one from options or a CSV batch" },
	{ "route",	"place new complaints with their officers; transfer one" },
	{ "resolve",	"record an officer's redressal, interim reply or closure" },
	{ "feedback",	"record the citizen's answer on the callback" },
	{ "escalate",	"the cron sweep: overdue complaints climb a level" },
	{ "list",	"current state of complaints, filtered" },
	{ "show",	"one complaint's whole history, for a person" },
	{ "report",	"grading, pending, SLA, mapping and other reports" },
	{ "check",	"verify masters and ledgers; repair a torn tail" },
	{ "gen",	"generate a realistic helpline's ledgers (tests, benchmark)" },
	{ "init",	"make a data directory for a helpline's group" },
	{ "checkpoint",	"sign a checkpoint of each ledger that grew" },
	{ "verify",	"hold signed checkpoints to the ledger; proofs, receipts" },
};

static void
list(FILE *fp)
{
	size_t i;

	fputs("usage: grv NAME [ARGS...]   runs grv-NAME ARGS...\n"
	    "       grv help [NAME]\n\nThe programs:\n", fp);
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		fprintf(fp, "  %-10s %s\n", progs[i].name, progs[i].summary);
	fputs("\nEvery program takes -h/--help, --version, -d/--dir DIR and "
	    "--now TIME.\nSee grv(7) for the whole system.\n", fp);
}

static noreturn void
not_a_program(const char *name)
{
	const char *near = NULL;
	size_t i;
	int d, best = 3;

	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		if ((d = grv_edit_distance(progs[i].name, name)) < best) {
			best = d;
			near = progs[i].name;
		}
	if (near)
		grv_err("'%s' is not a grv program (did you mean '%s'?). "
		    "See 'grv help'.", name, near);
	else
		grv_err("'%s' is not a grv program. See 'grv help'.", name);
	exit(GRV_EX_USAGE);
}

/* Names are lowercase words: never a path, never an option. */
static int
valid_name(const char *s)
{
	if (*s == '\0' || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

/* The directory holding this program, or NULL. */
static char *
self_dir(const char *argv0)
{
	char buf[PATH_MAX], *slash;
	ssize_t n;

	if ((n = readlink("/proc/self/exe", buf, sizeof(buf) - 1)) > 0)
		buf[n] = '\0';
	else if (strchr(argv0, '/') && strlen(argv0) < sizeof(buf))
		strcpy(buf, argv0);
	else
		return NULL;
	if ((slash = strrchr(buf, '/')) == NULL)
		return NULL;
	*slash = '\0';
	return grv_strdup(*buf ? buf : "/");
}

static noreturn void
run(const char *argv0, const char *name, int argc, char **args)
{
	struct grv_buf prog = GRV_BUF_INIT, path = GRV_BUF_INIT;
	char **av, *dir;
	int i, e;

	if (!valid_name(name))
		not_a_program(name);
	grv_buf_printf(&prog, "grv-%s", name);
	av = grv_calloc((size_t)argc + 2, sizeof(*av));
	av[0] = prog.s;
	for (i = 0; i < argc; i++)
		av[i + 1] = args[i];
	if ((dir = self_dir(argv0)) != NULL) {
		grv_buf_printf(&path, "%s/%s", dir, prog.s);
		free(dir);
		if (access(path.s, X_OK) == 0) {
			execv(path.s, av);
			grv_err("%s: %s", path.s, strerror(errno));
			exit(GRV_EX_IOERR);
		}
	}
	execvp(prog.s, av);
	e = errno;
	grv_buf_release(&path);
	grv_buf_release(&prog);
	free(av);
	if (e == ENOENT)
		not_a_program(name);
	grv_err("grv-%s: %s", name, strerror(e));
	exit(GRV_EX_IOERR);
}

int
main(int argc, char **argv)
{
	const char *a;

	grv_setprogname(argv[0]);
	/* Installed setgid by mistake, it must not hand the group to
	   whatever grv-NAME it runs: each program has its own bit. */
	if (grv_role_drop() != 0)
		return GRV_EX_IOERR;
	if (argc < 2) {
		list(stdout);
		return grv_close_stdout();
	}
	a = argv[1];
	if (strcmp(a, "help") == 0 || strcmp(a, "-h") == 0 ||
	    strcmp(a, "--help") == 0) {
		if (argc > 2 && strcmp(a, "help") == 0) {
			char *h[] = { (char *)"--help" };

			run(argv[0], argv[2], 1, h);
		}
		list(stdout);
		return grv_close_stdout();
	}
	if (strcmp(a, "--version") == 0) {
		printf("grv %s\n", GRV_VERSION);
		return grv_close_stdout();
	}
	if (*a == '-') {
		grv_err("unknown option '%s'", a);
		list(stderr);
		return GRV_EX_USAGE;
	}
	run(argv[0], a, argc - 2, argv + 2);
}
