/* grv_cursor.c: ledger/notify.cursor, written whole and renamed over, a
 * crc over its text so that a damaged one is refused, not guessed at. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "grv_buf.h"
#include "grv_cursor.h"
#include "grv_file.h"
#include "grv_layout.h"
#include "grv_msg.h"

#define MAGIC	"grv-notify cursor 1\n"

static uint32_t
sum(const char *s, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)s,
	    (uInt)n);
}

int
grv_cursor_read(const char *dir, struct grv_cursor *c)
{
	struct grv_buf path = GRV_BUF_INIT;
	char text[512], *p;
	long long rem;
	unsigned long s;
	size_t n;
	FILE *fp;
	int k, rc = 0;

	memset(c, 0, sizeof(*c));
	c->remind = GRV_TIME_NONE;
	grv_buf_printf(&path, "%s/%s", dir, GRV_CURSOR_REL);
	if ((fp = fopen(path.s, "r")) == NULL) {
		grv_buf_release(&path);
		if (errno == ENOENT)
			return 0;
		grv_err("%s: %s", GRV_CURSOR_REL, strerror(errno));
		return GRV_EX_IOERR;
	}
	n = fread(text, 1, sizeof(text) - 1, fp);
	if (ferror(fp)) {
		grv_err("%s: %s", GRV_CURSOR_REL, strerror(errno));
		rc = GRV_EX_IOERR;
		goto out;
	}
	text[n] = '\0';
	c->found = 1;
	/* The text up to "sum ", then its crc. */
	if (n == sizeof(text) - 1 || (p = strstr(text, "sum ")) == NULL ||
	    sscanf(p, "sum %8lx\n", &s) != 1 ||
	    sum(text, (size_t)(p - text)) != s ||
	    strncmp(text, MAGIC, strlen(MAGIC)) != 0)
		goto bad;
	k = sscanf(text + strlen(MAGIC), "events %" SCNu64 " %" SCNu64
	    " %lu %" SCNx64 "\nremind %lld\n", &c->seq, &c->off, &c->line,
	    &c->segsig, &rem);
	if (k != 5 && !(k == 4 && strstr(text, "remind none\n")))
		goto bad;
	c->remind = k == 5 ? (grv_time_t)rem : GRV_TIME_NONE;
	goto out;
bad:
	grv_err("%s: damaged (not as grv-notify wrote it); grv-notify sends "
	    "nothing until an administrator restores or removes it",
	    GRV_CURSOR_REL);
	rc = GRV_EX_DATAERR;
out:
	fclose(fp);
	grv_buf_release(&path);
	return rc;
}

int
grv_cursor_write(const char *dir, const struct grv_cursor *c)
{
	struct grv_buf text = GRV_BUF_INIT, path = GRV_BUF_INIT;
	int rc;

	if ((rc = grv_refuse_link(dir, GRV_CURSOR_REL)) != 0)
		return rc;
	grv_buf_adds(&text, MAGIC);
	grv_buf_printf(&text, "events %" PRIu64 " %" PRIu64 " %lu %016"
	    PRIx64 "\n", c->seq, c->off, c->line, c->segsig);
	if (c->remind == GRV_TIME_NONE)
		grv_buf_adds(&text, "remind none\n");
	else
		grv_buf_printf(&text, "remind %lld\n", (long long)c->remind);
	grv_buf_printf(&text, "sum %08" PRIx32 "\n", sum(text.s, text.len));
	grv_buf_printf(&path, "%s/%s", dir, GRV_CURSOR_REL);
	rc = grv_file_replace(path.s, text.s, text.len) == -1 ?
	    GRV_EX_CANTCREAT : 0;
	if (rc)
		grv_err("%s: cannot write: %s", GRV_CURSOR_REL,
		    strerror(errno));
	grv_buf_release(&text);
	grv_buf_release(&path);
	return rc;
}

int
grv_cursor_lock(const char *dir, double wait, int *rc)
{
	struct grv_buf path = GRV_BUF_INIT;
	int fd;

	if ((*rc = grv_refuse_link(dir, GRV_CURSOR_LOCK)) != 0)
		return -1;
	grv_buf_printf(&path, "%s/%s", dir, GRV_CURSOR_LOCK);
	fd = open(path.s, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	grv_buf_release(&path);
	if (fd == -1) {
		grv_err("%s: %s", GRV_CURSOR_LOCK, strerror(errno));
		*rc = GRV_EX_CANTCREAT;
		return -1;
	}
	if ((*rc = grv_ledger_flock(fd, LOCK_EX, wait, GRV_CURSOR_LOCK,
	    "another grv-notify")) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}
