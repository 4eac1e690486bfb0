/* grv_role.c: identities and roles (masters/actors.csv), the one place
 * that says who may write what, and the group privilege of a setgid grv. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_complaint.h"
#include "grv_csv.h"
#include "grv_ctx.h"
#include "grv_levenshtein.h"
#include "grv_msg.h"
#include "grv_role.h"
#include "grv_rules.h"
#include "grv_share.h"
#include "grv_utf8.h"

#define ACTORS		"masters/actors.csv"

const char *const grv_role_names[GRV_NROLES] = {
	"operator", "officer", "cmo", "admin", "system"
};

#define R(x)	(1u << GRV_ROLE_##x)

/* Who may do what: the whole policy. */
static const struct {
	const char	*what;
	unsigned	 roles;
} ops[GRV_NOPS] = {
	[GRV_OP_ADD] =		{ "registering complaints (grv-add)",
				  R(OPERATOR) | R(ADMIN) },
	[GRV_OP_ROUTE] =	{ "placing complaints (grv-route)",
				  R(OPERATOR) | R(SYSTEM) | R(ADMIN) },
	[GRV_OP_TRANSFER] =	{ "a transfer (grv-route --transfer)",
				  R(OPERATOR) | R(OFFICER) | R(ADMIN) },
	[GRV_OP_RESOLVE] =	{ "a resolve (grv-resolve)",
				  R(OFFICER) | R(ADMIN) },
	[GRV_OP_INTERIM] =	{ "an interim reply (grv-resolve --interim)",
				  R(OFFICER) | R(ADMIN) },
	[GRV_OP_FORCE] =	{ "a special closure (grv-resolve --force)",
				  R(OFFICER) | R(ADMIN) },
	[GRV_OP_FEEDBACK] =	{ "the citizen's answer (grv-feedback)",
				  R(OPERATOR) | R(CMO) | R(ADMIN) },
	[GRV_OP_SWEEP] =	{ "the sweep (grv-escalate)",
				  R(SYSTEM) | R(ADMIN) },
	[GRV_OP_REPAIR] =	{ "a repair (grv-check --repair)",
				  R(ADMIN) },
	[GRV_OP_NOTIFY] =	{ "sending messages (grv-notify)",
				  R(SYSTEM) | R(ADMIN) },
	[GRV_OP_CALLBACK] =	{ "a verification call (grv-feedback "
				  "--callback)", R(CMO) | R(ADMIN) },
	[GRV_OP_AMEND] =	{ "a correction (grv-amend)",
				  R(OPERATOR) | R(OFFICER) | R(ADMIN) },
};

/* Roles that may replay the clock (--now) and write as another actor. */
#define TRUSTED_ROLES	(R(ADMIN) | R(SYSTEM))

static const char *
article(int role)
{
	return role == GRV_ROLE_OPERATOR || role == GRV_ROLE_OFFICER ||
	    role == GRV_ROLE_ADMIN ? "an" : "a";
}

static const char *
login_of(const struct grv_who *w)
{
	return w->login ? w->login : "?";
}

void
grv_who_release(struct grv_who *w)
{
	free(w->login);
	free(w->officer);
	w->login = w->officer = NULL;
	w->actors = 0;
	w->role = GRV_ROLE_UNLISTED;
	w->line = 0;
	w->privileged = 0;
}

/* Give up the group of a setgid program, for good (saved id too). */
static int
drop_group(void)
{
	gid_t g = getgid();

	if (setresgid(g, g, g) == -1) {
		grv_err("cannot give up the group the program runs as: %s",
		    strerror(errno));
		return GRV_EX_IOERR;
	}
	return 0;
}

int
grv_role_drop(void)
{
	return getegid() != getgid() ? drop_group() : 0;
}

/*
 * Run setgid: may DIR's actors.csv decide who keeps the group?  A regular
 * file of that group, writable by no other, in a masters/ that is a real
 * directory: no one outside the group can make or change one.
 */
static int
trusted(const char *dir)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb;
	int ok;

	grv_buf_printf(&b, "%s/masters", dir);
	ok = lstat(b.s, &sb) == 0 && S_ISDIR(sb.st_mode);
	grv_buf_printf(&b, "/actors.csv");
	ok = ok && lstat(b.s, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_gid == getegid() && !(sb.st_mode & S_IWOTH);
	grv_buf_release(&b);
	return ok;
}

static void bad(int *, unsigned long, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(int *rc, unsigned long line, const char *fmt, ...)
{
	char m[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	grv_err("%s:%lu: %s", ACTORS, line, m);
	*rc = GRV_EX_DATAERR;
}

static int
role_find(const char *s)
{
	int i;

	for (i = 0; i < GRV_NROLES; i++)
		if (strcmp(grv_role_names[i], s) == 0)
			return i;
	return -1;
}

static const char *
role_near(const char *s)
{
	int i, best = 3, d;
	const char *near = NULL;

	for (i = 0; i < GRV_NROLES; i++)
		if ((d = grv_edit_distance(grv_role_names[i], s)) < best) {
			best = d;
			near = grv_role_names[i];
		}
	return near;
}

/* Read actors.csv, every line checked; W gets the line of W->login. */
static int
read_actors(const char *dir, struct grv_who *w)
{
	static const char *const cols[] = { "login", "role", "officer", NULL };
	struct grv_csv_reader *r;
	struct grv_csv_row *rw;
	struct grv_map seen = GRV_MAP_INIT;
	int idx[3], rc = 0, k, role, prev;
	const char *login, *rname, *officer, *near;
	size_t i;

	if ((r = grv_csv_open(dir, ACTORS, GRV_CSV_INPUT)) == NULL)
		return errno == ENOENT ? GRV_EX_NOINPUT : GRV_EX_IOERR;
	if ((k = grv_csv_next(r, &rw)) != 1) {
		if (k == 0)
			bad(&rc, 1, "empty file, expected the header "
			    "login,role,officer");
		rc = GRV_EX_DATAERR;
		goto out;
	}
	if (grv_csv_header_map(rw, cols, idx) != 3) {
		for (i = 0; i < 3; i++)
			if (idx[i] == -1)
				bad(&rc, 1, "header has no column '%s'",
				    cols[i]);
		goto out;
	}
	while ((k = grv_csv_next(r, &rw)) == 1) {
		if (rw->nf == 0 || (rw->nf == 1 && rw->flen[0] == 0))
			continue;	/* a blank line */
		for (i = 0; i < 3; i++)
			if ((size_t)idx[i] >= rw->nf)
				break;
		if (i < 3) {
			bad(&rc, rw->line, "no field '%s'", cols[i]);
			continue;
		}
		login = rw->f[idx[0]];
		rname = rw->f[idx[1]];
		officer = rw->f[idx[2]];
		if (*login == '\0' || grv_rule_text(login,
		    rw->flen[idx[0]], GRV_ACTOR_MAX, 0) != GRV_TEXT_OK) {
			bad(&rc, rw->line, "bad login '%s' (1 to 64 bytes of "
			    "UTF-8, no control characters)",
			    grv_utf8_valid(login, rw->flen[idx[0]]) ? login :
			    "?");
			continue;
		}
		if ((prev = grv_map_get(&seen, login)) != -1) {
			bad(&rc, rw->line, "login '%s' listed twice (first at "
			    "line %d)", login, prev);
			continue;
		}
		grv_map_put(&seen, login, (int)rw->line);
		if ((role = role_find(rname)) == -1) {
			if ((near = role_near(rname)) != NULL)
				bad(&rc, rw->line, "unknown role '%s' (did "
				    "you mean '%s'?)", rname, near);
			else
				bad(&rc, rw->line, "unknown role '%s' "
				    "(operator, officer, cmo, admin or "
				    "system)", rname);
			continue;
		}
		if (role == GRV_ROLE_OFFICER && *officer == '\0') {
			bad(&rc, rw->line, "login '%s' of role officer needs "
			    "its officer code", login);
			continue;
		}
		if (role != GRV_ROLE_OFFICER && *officer != '\0') {
			bad(&rc, rw->line, "officer '%s' given for role '%s': "
			    "only role officer has one", officer, rname);
			continue;
		}
		if (w->login && strcmp(login, w->login) == 0) {
			w->role = role;
			w->line = rw->line;
			if (*officer)
				w->officer = grv_strdup(officer);
		}
	}
	if (k == -1)
		grv_setrc(&rc, grv_csv_ioerror(r) ? GRV_EX_IOERR :
		    GRV_EX_DATAERR);
out:
	if (grv_csv_close(r) == -1)
		grv_setrc(&rc, GRV_EX_IOERR);
	grv_map_release(&seen);
	return rc;
}

static int
unlisted(const struct grv_who *w)
{
	if (w->login)
		grv_err("%s: no line for login '%s': only the logins it lists "
		    "may write", ACTORS, w->login);
	else
		grv_err("%s: uid %lu has no login name: only the logins it "
		    "lists may write", ACTORS, (unsigned long)getuid());
	return GRV_EX_USAGE;
}

int
grv_role_identify(struct grv_ctx *ctx)
{
	struct grv_who *w = &ctx->who;
	struct grv_buf b = GRV_BUF_INIT;
	struct passwd *pw;
	struct stat sb;
	int setgid_run = getegid() != getgid(), present, rc;
	int writer = w->writer;

	grv_who_release(w);
	w->writer = writer;
	grv_buf_printf(&b, "%s/%s", ctx->dir, ACTORS);
	present = lstat(b.s, &sb) == 0;
	grv_buf_release(&b);
	/* An actors.csv that cannot vouch is read with the user's own
	   rights, never the group's: it may lead into the ledger. */
	if (setgid_run && (!present || !trusted(ctx->dir))) {
		if ((rc = drop_group()) != 0)
			return rc;
		setgid_run = 0;
	}
	if (!present)
		return 0;
	w->actors = 1;
	if ((pw = getpwuid(getuid())) != NULL)
		w->login = grv_strdup(pw->pw_name);
	rc = read_actors(ctx->dir, w);
	if (setgid_run && (rc != 0 || w->role == GRV_ROLE_UNLISTED)) {
		int drc;

		if ((drc = drop_group()) != 0)
			return drc;
		setgid_run = 0;
	}
	w->privileged = setgid_run;
	if (rc == 0 && writer && w->role == GRV_ROLE_UNLISTED)
		return unlisted(w);
	return rc;
}

int
grv_role_permit(struct grv_ctx *ctx, enum grv_op op, int officer)
{
	struct grv_who *w = &ctx->who;
	unsigned bit;
	int own, rc, i, n;

	if (w->privileged && (rc = grv_share_check(ctx->dir, getegid())) != 0)
		return rc;
	if (!w->actors)
		return 0;
	if (w->role == GRV_ROLE_UNLISTED)
		return unlisted(w);
	bit = 1u << w->role;
	if (!(ops[op].roles & bit)) {
		struct grv_buf who = GRV_BUF_INIT;
		const char *names[GRV_NROLES];

		for (i = 0, n = 0; i < GRV_NROLES; i++)
			if (ops[op].roles & (1u << i))
				names[n++] = grv_role_names[i];
		for (i = 0; i < n; i++)
			grv_buf_printf(&who, "%s%s", i == 0 ? "" :
			    i == n - 1 ? " and " : ", ", names[i]);
		grv_err("%s:%lu: '%s' is %s %s; %s is for the %s role%s",
		    ACTORS, w->line, login_of(w), article(w->role),
		    grv_role_names[w->role], ops[op].what, who.s,
		    n > 1 ? "s" : "");
		grv_buf_release(&who);
		return GRV_EX_USAGE;
	}
	if (ctx->now_given && !(TRUSTED_ROLES & bit)) {
		grv_err("--now: replays and tests only: the admin and system "
		    "roles may use it, and '%s' is %s %s (%s:%lu)",
		    login_of(w), article(w->role), grv_role_names[w->role],
		    ACTORS, w->line);
		return GRV_EX_USAGE;
	}
	if (ctx->actor_from && strcmp(ctx->actor_from, "--actor") == 0) {
		if (strcmp(ctx->actor, login_of(w)) != 0 &&
		    !(TRUSTED_ROLES & bit)) {
			grv_err("--actor: '%s' writes as itself, not as '%s': "
			    "only the admin and system roles name another "
			    "actor", login_of(w), ctx->actor);
			return GRV_EX_USAGE;
		}
	} else {
		ctx->actor = login_of(w);
		ctx->actor_from = "the login name";
	}
	if (w->role != GRV_ROLE_OFFICER || !ctx->loaded)
		return 0;
	if ((own = grv_officer_find(&ctx->m, w->officer)) == -1) {
		grv_err("%s:%lu: unknown officer '%s'", ACTORS, w->line,
		    w->officer);
		return GRV_EX_DATAERR;
	}
	if (officer >= 0 && officer != own) {
		grv_err("--officer: '%s' acts as officer '%s' only, not as "
		    "'%s' (%s:%lu)", login_of(w), w->officer,
		    ctx->m.officers[officer].code, ACTORS, w->line);
		return GRV_EX_USAGE;
	}
	return 0;
}

int
grv_role_permit_on(const struct grv_ctx *ctx, enum grv_op op,
    const struct grv_cstate *cs, const char *id)
{
	const struct grv_who *w = &ctx->who;
	int own;

	if (!w->actors || w->role != GRV_ROLE_OFFICER ||
	    (op != GRV_OP_TRANSFER && op != GRV_OP_AMEND))
		return 0;
	own = grv_officer_find(&ctx->m, w->officer);
	if (own != -1 && cs->officer == own)
		return 0;
	grv_err("%s: '%s' (officer '%s') %s only a complaint it holds; "
	    "%s%s%s", id, login_of(w), w->officer, op == GRV_OP_TRANSFER ?
	    "transfers" : "amends", cs->officer >= 0 ?
	    "officer '" : "no officer holds it", cs->officer >= 0 ?
	    ctx->m.officers[cs->officer].code : "", cs->officer >= 0 ?
	    "' holds it" : "");
	return GRV_EX_USAGE;
}
