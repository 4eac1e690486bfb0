/* test_xlsx.c: lib/grv_xlsx.c when libxlsxwriter cannot be loaded.
 *
 * The file is compiled here as it is for grv-report, with one difference:
 * the soname it loads names no library, so dlopen fails as it does on a
 * machine without libxlsxwriter4.  (grv-report itself, which loads the
 * real library, writes the workbooks tests/grv-report-xlsx.bats reads
 * back.) */
#define GRV_XLSX_SONAME "libgrv-no-such-library.so.0"
#define GRV_XLSX_PACKAGE "libgrv-no-such-package0"
#include "grv_xlsx.c"

#include <dirent.h>
#include <sys/stat.h>

#include "unit.h"
#include "unit_fs.h"

/* How many entries DIR holds besides . and .. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_unloadable(void)
{
	static const char *const cols[] = { "dept", "n", NULL };
	struct grv_report_head h;
	struct grv_table t = GRV_TABLE_INIT;
	const struct grv_table *pt = &t;
	const char *name = "grading";
	struct stat st;
	char *err;
	int fd, rc;

	memset(&h, 0, sizeof(h));
	h.kind = "grading";
	grv_table_init(&t, cols);
	grv_table_str(&t, "EN");
	grv_table_int(&t, 13);
	setenv("TMPDIR", tmp_path("tmp"), 1);
	mkdir(tmp_path("tmp"), 0700);
	fd = open(tmp_path("out.xlsx"), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	err_begin();
	rc = grv_xlsx_write(&h, &name, &pt, 1, fd);
	err = err_end();
	IS(rc, GRV_EX_UNAVAILABLE, "no library: the workbook fails with 69");
	OK(strstr(err, "libgrv-no-such-library.so.0") != NULL,
	    "the message names the library: %s", first_line(err));
	OK(strstr(err, "install the package libgrv-no-such-package0") != NULL,
	    "the message names the package to install");
	OK(strstr(err, "--format xlsx") != NULL,
	    "the message names what needed it");
	free(err);
	IS(fstat(fd, &st) == 0 ? st.st_size : -1, 0,
	    "nothing was written to the descriptor");
	IS(entries(tmp_path("tmp")), 0, "no temporary file is left in TMPDIR");

	err_begin();
	rc = grv_xlsx_load();
	err = err_end();
	IS(rc, GRV_EX_UNAVAILABLE, "a second try fails the same way");
	STR(err, "", "and says nothing more");
	free(err);
	OK(xl.workbook_new == NULL, "no function was taken from anywhere");

	close(fd);
	grv_table_release(&t);
}

int
main(void)
{
	tmp_init("xlsx");
	test_unloadable();
	tmp_cleanup();
	return DONE();
}
