/* fuzz.c: the scratch directory the fuzz targets work in. */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[256];

static void
copy(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	if ((in = open(from, O_RDONLY)) == -1)
		return;
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		abort();
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			abort();
	close(in);
	close(out);
}

static int
rm1(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
cleanup(void)
{
	nftw(dir, rm1, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_dir(void)
{
	static const char *const files[] = { "grv.conf",
	    "masters/departments.csv", "masters/locations.csv",
	    "masters/officers.csv", "masters/categories.csv",
	    "masters/holidays.csv", NULL };
	char from[512], to[512];
	size_t i;

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "%s/grv-fuzz.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	snprintf(to, sizeof(to), "%s/masters", dir);
	mkdir(to, 0755);
	snprintf(to, sizeof(to), "%s/ledger", dir);
	mkdir(to, 0755);
	for (i = 0; files[i]; i++) {
		snprintf(from, sizeof(from), "%s/%s", FIXTURE, files[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, files[i]);
		copy(from, to);
	}
	return dir;
}

void
fuzz_write(const char *rel, const uint8_t *p, size_t n)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), rel);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		abort();
	if (n && write(fd, p, n) != (ssize_t)n)
		abort();
	close(fd);
}

size_t
fuzz_split(const uint8_t *data, size_t size, const uint8_t **part,
    size_t *len, size_t max)
{
	static const char sep[] = "\n--8<--\n";
	const size_t sl = sizeof(sep) - 1;
	const uint8_t *p = data, *end = data + size, *q;
	size_t k = 0;

	while (k < max) {
		q = memmem(p, (size_t)(end - p), sep, sl);
		part[k] = p;
		if (q == NULL || k == max - 1) {
			len[k++] = (size_t)(end - p);
			break;
		}
		len[k++] = (size_t)(q - p) + 1;	/* keep the newline */
		p = q + sl;
	}
	return k;
}
