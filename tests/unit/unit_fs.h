/* unit_fs.h: files for the C unit tests: a scratch directory, whole-file
 * reads and writes, and stderr captured into a string. */
#ifndef GRV_UNIT_FS_H
#define GRV_UNIT_FS_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_alloc.h"

static char unit_tmp[64];
static char unit_errpath[128];
static int unit_errfd = -1;

/* A new scratch directory under /tmp, named after the test. */
static inline const char *
tmp_init(const char *name)
{
	snprintf(unit_tmp, sizeof(unit_tmp), "/tmp/grv-%s.XXXXXX", name);
	if (mkdtemp(unit_tmp) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	return unit_tmp;
}

static inline void
tmp_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", unit_tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", unit_tmp);
}

/* "TMP/REL" in a static buffer (two alternate, for src/dst pairs). */
static inline const char *
tmp_path(const char *rel)
{
	static char buf[2][512];
	static int k;

	k ^= 1;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", unit_tmp, rel);
	return buf[k];
}

static inline void
put_path(const char *path, const char *s, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(s, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

/* Write N bytes to TMP/REL. */
static inline void
put_file(const char *rel, const char *s, size_t n)
{
	put_path(tmp_path(rel), s, n);
}

/* The whole file, NUL-terminated (N gets its size), or NULL. */
static inline char *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long len;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	s = grv_malloc((size_t)len + 1);
	*n = fread(s, 1, (size_t)len, fp);
	s[*n] = '\0';
	fclose(fp);
	return s;
}

/* Send stderr to a file until err_end(), which returns what was written
   (free it). */
static inline void
err_begin(void)
{
	int fd;

	fflush(stderr);
	snprintf(unit_errpath, sizeof(unit_errpath), "%s.stderr", unit_tmp);
	fd = open(unit_errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	unit_errfd = dup(2);
	dup2(fd, 2);
	close(fd);
}

static inline char *
err_end(void)
{
	size_t n;
	char *s;

	fflush(stderr);
	dup2(unit_errfd, 2);
	close(unit_errfd);
	s = slurp(unit_errpath, &n);
	unlink(unit_errpath);
	return s ? s : grv_strdup("");
}

/* The first line of S, for a test's description (S is changed). */
static inline const char *
first_line(char *s)
{
	char *nl = strchr(s, '\n');

	if (nl)
		*nl = '\0';
	return s;
}

/* Run a shell command built like printf; any failure ends the test. */
static inline void unit_sh(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static inline void
unit_sh(const char *fmt, ...)
{
	char c[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c, sizeof(c), fmt, ap);
	va_end(ap);
	if (system(c) != 0) {
		printf("# failed: %s\n", c);
		exit(2);
	}
}

#endif
