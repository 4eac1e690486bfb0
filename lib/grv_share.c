/* grv_share.c: a data directory shared by a group: making it (grv-init)
 * and holding a program to it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_checkpoint.h"
#include "grv_conf.h"
#include "grv_file.h"
#include "grv_layout.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "grv_share.h"

static const struct {
	const char	*rel;
	mode_t		 mode;
} share_dirs[] = {
	{ ".",		GRV_SHARE_TOP_MODE },
	{ "masters",	GRV_SHARE_MASTERS_MODE },
	{ "ledger",	GRV_SHARE_LEDGER_MODE },
	{ "cache",	GRV_SHARE_CACHE_MODE },
};
#define NSHARE_DIRS (sizeof(share_dirs) / sizeof(share_dirs[0]))

static const enum grv_ledger_kind kinds[] = { GRV_COMPLAINTS, GRV_EVENTS,
	GRV_CORRECTIONS };

static void
path_of(struct grv_buf *b, const char *dir, const char *rel)
{
	grv_buf_reset(b);
	if (strcmp(rel, ".") == 0)
		grv_buf_adds(b, dir);
	else
		grv_buf_printf(b, "%s/%s", dir, rel);
}

/* REL must not be a symbolic link, and be a directory (DIR) or a
   regular file when it exists.  0, or GRV_EX_CANTCREAT (printed). */
static int
plain(const char *path, const char *rel, int dir, struct stat *sb)
{
	if (lstat(path, sb) == -1) {
		if (errno == ENOENT)
			return 0;
		grv_err("%s: %s", rel, strerror(errno));
		return GRV_EX_CANTCREAT;
	}
	if (S_ISLNK(sb->st_mode)) {
		grv_err("%s: a symbolic link; grv-init makes and changes "
		    "nothing through it", rel);
		return GRV_EX_CANTCREAT;
	}
	if (dir ? !S_ISDIR(sb->st_mode) : !S_ISREG(sb->st_mode)) {
		grv_err("%s: not a %s", rel, dir ? "directory" :
		    "regular file");
		return GRV_EX_CANTCREAT;
	}
	return 0;
}

/* The ledger holds nothing but its header (or does not exist yet). */
static int
ledger_empty(const char *dir, enum grv_ledger_kind k)
{
	struct grv_buf b = GRV_BUF_INIT, rel = GRV_BUF_INIT;
	struct grv_segments seg = GRV_SEGMENTS_INIT;
	const char *hdr = grv_ledger_header(k);
	size_t hlen = strlen(hdr);
	struct stat sb;
	char *have;
	int fd, rc;

	grv_buf_printf(&rel, "ledger/%s.csv", grv_ledger_name(k));
	path_of(&b, dir, rel.s);
	sb.st_size = 0;
	if ((rc = plain(b.s, rel.s, 0, &sb)) != 0)
		goto out;
	rc = GRV_EX_CANTCREAT;
	if (sb.st_size != 0 && sb.st_size != (off_t)hlen + 1) {
		grv_err("%s: holds rows already; grv-init makes a new data "
		    "directory and never takes over a ledger in use", rel.s);
		goto out;
	}
	if (sb.st_size != 0) {
		have = grv_malloc(hlen + 1);
		if ((fd = open(b.s, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1 ||
		    grv_pread_all(fd, have, hlen + 1, 0) == -1) {
			grv_err("%s: %s", rel.s, strerror(errno));
			if (fd != -1)
				close(fd);
			free(have);
			goto out;
		}
		close(fd);
		if (memcmp(have, hdr, hlen) != 0 || have[hlen] != '\n') {
			grv_err("%s: not a ledger header; grv-init makes a new "
			    "data directory and never takes over a file", rel.s);
			free(have);
			goto out;
		}
		free(have);
	}
	grv_ledger_segments(dir, grv_ledger_name(k), &seg);
	if (seg.n) {
		grv_err("%s: a sealed segment of the ledger; grv-init makes a "
		    "new data directory and never takes over a ledger in use",
		    seg.rel[0]);
		goto out;
	}
	rc = 0;
out:
	grv_segments_release(&seg);
	grv_buf_release(&rel);
	grv_buf_release(&b);
	return rc;
}

/* Give PATH group GID and MODE, where it has others (no link followed). */
static int
set_mode(const char *path, const char *rel, gid_t gid, mode_t mode)
{
	struct stat sb;

	if (lstat(path, &sb) == -1)
		goto fail;
	if (sb.st_gid != gid &&
	    fchownat(AT_FDCWD, path, (uid_t)-1, gid, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == EPERM) {
			struct group *gr = getgrgid(gid);

			grv_err("%s: cannot give it group '%s': only root, or "
			    "its owner being a member of the group, can", rel,
			    gr ? gr->gr_name : "?");
			return GRV_EX_CANTCREAT;
		}
		goto fail;
	}
	/* chown may clear the setgid bit: look again. */
	if (lstat(path, &sb) == -1)
		goto fail;
	if ((sb.st_mode & 07777) != mode && chmod(path, mode) == -1)
		goto fail;
	return 0;
fail:
	grv_err("%s: %s", rel, strerror(errno));
	return GRV_EX_CANTCREAT;
}

static int
make_dirs(const char *dir, gid_t gid)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb;
	size_t i;
	int rc = 0;

	for (i = 0; i < NSHARE_DIRS && rc == 0; i++) {
		path_of(&b, dir, share_dirs[i].rel);
		if (lstat(b.s, &sb) == -1 && mkdir(b.s, 0700) == -1) {
			grv_err("%s: %s", i ? share_dirs[i].rel : dir,
			    strerror(errno));
			rc = GRV_EX_CANTCREAT;
			break;
		}
		rc = set_mode(b.s, i ? share_dirs[i].rel : dir, gid,
		    share_dirs[i].mode);
	}
	grv_buf_release(&b);
	return rc;
}

/* Whole file at PATH into B; 0 or -1 (errno). */
static int
slurp(const char *path, struct grv_buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd;

	grv_buf_reset(b);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		grv_buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/* Copy master file NAME from SRC into DIR/masters, unless it holds the
   same bytes already: a temporary file, synced, renamed over. */
static int
copy_master(const char *src, const char *dir, const char *name, gid_t gid)
{
	struct grv_buf from = GRV_BUF_INIT, to = GRV_BUF_INIT,
	    rel = GRV_BUF_INIT, a = GRV_BUF_INIT, b = GRV_BUF_INIT;
	struct stat sb;
	int fd = -1, rc;

	grv_buf_printf(&from, "%s/%s", src, name);
	grv_buf_printf(&rel, "masters/%s", name);
	path_of(&to, dir, rel.s);
	if (slurp(from.s, &a) == -1) {
		grv_err("%s: %s", from.s, strerror(errno));
		rc = errno == ENOENT ? GRV_EX_NOINPUT : GRV_EX_IOERR;
		goto out;
	}
	if ((rc = plain(to.s, rel.s, 0, &sb)) != 0)
		goto out;
	if (slurp(to.s, &b) == 0 && b.len == a.len &&
	    memcmp(a.s, b.s, a.len) == 0) {
		rc = set_mode(to.s, rel.s, gid, GRV_SHARE_MASTER_MODE);
		goto out;
	}
	grv_buf_reset(&b);
	grv_buf_printf(&b, "%s/masters/.%s.XXXXXX", dir, name);
	rc = GRV_EX_CANTCREAT;
	if ((fd = mkostemp(b.s, O_CLOEXEC)) == -1 ||
	    fchown(fd, (uid_t)-1, gid) == -1 ||
	    fchmod(fd, GRV_SHARE_MASTER_MODE) == -1) {
		grv_err("%s: %s", rel.s, strerror(errno));
		goto fail;
	}
	if (grv_write_all(fd, a.s, a.len) == -1 || fsync(fd) == -1 ||
	    close(fd) == -1) {
		fd = -1;
		grv_err("%s: write: %s", rel.s, strerror(errno));
		rc = GRV_EX_IOERR;
		goto fail;
	}
	fd = -1;
	if (rename(b.s, to.s) == -1) {
		grv_err("%s: %s", rel.s, strerror(errno));
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	if (fd != -1)
		close(fd);
	unlink(b.s);
out:
	grv_buf_release(&from);
	grv_buf_release(&to);
	grv_buf_release(&rel);
	grv_buf_release(&a);
	grv_buf_release(&b);
	return rc;
}

/*
 * Every regular file of DIR/masters (dot files left alone) gets group GID
 * and loses what "other" had; with SRC, SRC's files are copied in first.
 */
static int
masters(const char *dir, const char *src, gid_t gid)
{
	struct grv_buf b = GRV_BUF_INIT, rel = GRV_BUF_INIT;
	struct dirent *de;
	struct stat sb;
	DIR *dp;
	int rc = 0;

	if (src) {
		if ((dp = opendir(src)) == NULL) {
			grv_err("--masters: %s: %s", src, strerror(errno));
			return errno == ENOENT || errno == ENOTDIR ?
			    GRV_EX_NOINPUT : GRV_EX_IOERR;
		}
		while (rc == 0 && (de = readdir(dp)) != NULL) {
			grv_buf_reset(&b);
			grv_buf_printf(&b, "%s/%s", src, de->d_name);
			if (de->d_name[0] == '.' || stat(b.s, &sb) == -1 ||
			    !S_ISREG(sb.st_mode))
				continue;
			rc = copy_master(src, dir, de->d_name, gid);
		}
		closedir(dp);
	}
	path_of(&b, dir, "masters");
	if (rc == 0 && (dp = opendir(b.s)) == NULL) {
		grv_err("masters: %s", strerror(errno));
		rc = GRV_EX_IOERR;
	} else if (rc == 0) {
		while (rc == 0 && (de = readdir(dp)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			grv_buf_reset(&rel);
			grv_buf_printf(&rel, "masters/%s", de->d_name);
			path_of(&b, dir, rel.s);
			if (lstat(b.s, &sb) == -1 || !S_ISREG(sb.st_mode))
				continue;
			rc = set_mode(b.s, rel.s, gid, sb.st_mode & 07770);
		}
		closedir(dp);
	}
	grv_buf_release(&b);
	grv_buf_release(&rel);
	return rc;
}

/* Each ledger with its header row and its mark, made by the one creator
   every writer uses (grv_ledger.c), then held to GID and the file mode. */
static int
ledgers(const char *dir, gid_t gid, double wait)
{
	struct grv_buf b = GRV_BUF_INIT, rel = GRV_BUF_INIT;
	struct grv_ledger lg;
	struct stat sb;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && rc == 0; i++) {
		grv_buf_reset(&rel);
		grv_buf_printf(&rel, "ledger/%s.csv", grv_ledger_name(kinds[i]));
		path_of(&b, dir, rel.s);
		if (lstat(b.s, &sb) == -1 || sb.st_size == 0) {
			struct grv_ledger init = GRV_LEDGER_INIT;

			lg = init;
			if ((rc = grv_ledger_lock(&lg, dir, kinds[i], wait)) == 0)
				rc = grv_ledger_materialize(&lg);
			grv_ledger_release(&lg);
			if (rc)
				break;
		}
		if ((rc = set_mode(b.s, rel.s, gid, GRV_SHARE_FILE_MODE)) != 0)
			break;
		grv_buf_reset(&rel);
		grv_buf_printf(&rel, "ledger/.%s.hwm", grv_ledger_name(kinds[i]));
		path_of(&b, dir, rel.s);
		if (lstat(b.s, &sb) == 0 && S_ISREG(sb.st_mode))
			rc = set_mode(b.s, rel.s, gid, GRV_SHARE_FILE_MODE);
	}
	grv_buf_release(&b);
	grv_buf_release(&rel);
	return rc;
}

/* The checkpoint signing key, the caller's alone, named after grv.conf's
   node (GRV without one), and its verifier key among the masters. */
static int
keys(const char *dir, gid_t gid)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct grv_conf conf;
	int rc, made;

	grv_conf_defaults(&conf);
	if ((rc = grv_conf_load(&conf, dir)) != 0)
		return rc;
	if (grv_note_init() == -1)
		return GRV_EX_CANTCREAT;
	if ((rc = grv_cp_newkey(dir, conf.node, &made)) == 0) {
		path_of(&b, dir, GRV_CP_VKEY);
		rc = set_mode(b.s, GRV_CP_VKEY, gid, GRV_SHARE_MASTER_MODE);
	}
	grv_buf_release(&b);
	return rc;
}

static void
print_entry(FILE *out, const char *dir, const char *rel)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct passwd *pw;
	struct group *gr;
	struct stat sb;

	path_of(&b, dir, rel);
	if (lstat(b.s, &sb) == 0) {
		fprintf(out, "%s,%04o,", rel, (unsigned)(sb.st_mode & 07777));
		if ((pw = getpwuid(sb.st_uid)) != NULL)
			fprintf(out, "%s,", pw->pw_name);
		else
			fprintf(out, "%lu,", (unsigned long)sb.st_uid);
		if ((gr = getgrgid(sb.st_gid)) != NULL)
			fprintf(out, "%s\n", gr->gr_name);
		else
			fprintf(out, "%lu\n", (unsigned long)sb.st_gid);
	}
	grv_buf_release(&b);
}

int
grv_share_init(const char *dir, gid_t gid, const char *src, double wait,
    FILE *out)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb;
	mode_t um;
	size_t i;
	int rc = 0;

	/* Everything that would refuse, before anything changes. */
	for (i = 0; i < NSHARE_DIRS && rc == 0; i++) {
		path_of(&b, dir, share_dirs[i].rel);
		rc = plain(b.s, i ? share_dirs[i].rel : dir, 1, &sb);
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && rc == 0; i++)
		rc = ledger_empty(dir, kinds[i]);
	if (rc == 0 && src && stat(src, &sb) == -1) {
		grv_err("--masters: %s: %s", src, strerror(errno));
		rc = GRV_EX_NOINPUT;
	} else if (rc == 0 && src && !S_ISDIR(sb.st_mode)) {
		grv_err("--masters: %s: %s", src, strerror(ENOTDIR));
		rc = GRV_EX_NOINPUT;
	}
	grv_buf_release(&b);
	if (rc)
		return rc;
	um = umask(GRV_SHARE_UMASK);
	if ((rc = make_dirs(dir, gid)) == 0 &&
	    (rc = masters(dir, src, gid)) == 0 &&
	    (rc = ledgers(dir, gid, wait)) == 0)
		rc = keys(dir, gid);
	umask(um);
	if (rc)
		return rc;
	fputs("path,mode,owner,group\n", out);
	for (i = 0; i < NSHARE_DIRS; i++)
		print_entry(out, dir, share_dirs[i].rel);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		grv_buf_reset(&b);
		grv_buf_printf(&b, "ledger/%s.csv", grv_ledger_name(kinds[i]));
		print_entry(out, dir, b.s);
	}
	print_entry(out, dir, GRV_CP_SKEY);
	print_entry(out, dir, GRV_CP_VKEY);
	grv_buf_release(&b);
	return 0;
}

int
grv_share_is(const char *dir)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct stat sb;
	int r;

	path_of(&b, dir, "ledger");
	r = lstat(b.s, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    (sb.st_mode & S_ISGID);
	grv_buf_release(&b);
	return r;
}

void
grv_share_umask(const char *dir)
{
	if (grv_share_is(dir))
		umask(GRV_SHARE_UMASK);
}

int
grv_share_check(const char *dir, gid_t gid)
{
	struct grv_buf b = GRV_BUF_INIT;
	struct group *gr;
	struct stat sb;
	const char *why = NULL;

	path_of(&b, dir, "ledger");
	if (lstat(b.s, &sb) == -1)
		why = strerror(errno);
	else if (S_ISLNK(sb.st_mode))
		why = "a symbolic link";
	else if (!S_ISDIR(sb.st_mode))
		why = strerror(ENOTDIR);
	else if (sb.st_gid != gid)
		why = "of another group than the one grv runs as";
	else if (!(sb.st_mode & S_ISGID) || (sb.st_mode & S_IWOTH))
		why = "not with grv-init's modes";
	grv_buf_release(&b);
	if (why == NULL)
		return 0;
	gr = getgrgid(gid);
	grv_err("ledger: %s; a setgid grv writes only into a data directory "
	    "made by 'grv-init DIR --group %s'", why, gr ? gr->gr_name : "G");
	return GRV_EX_CANTCREAT;
}
