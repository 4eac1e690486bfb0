/* grv_layout.c: what ledger/ holds: the ledgers' names, headers and
 * columns, their sealed segments in order, and how a file of it is
 * locked. */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_file.h"
#include "grv_layout.h"
#include "grv_msg.h"

const char *const grv_complaints_cols[GRV_C_NCOLS + 1] = { "id", "registered",
	"channel", "category", "loc", "name", "phone", "text", "ref", "crc",
	NULL };
const char *const grv_events_cols[GRV_E_NCOLS + 1] = { "ts", "id", "event",
	"level", "dept", "officer", "due", "actor", "reason", "ref", "note",
	"crc", NULL };
const char *const grv_corrections_cols[GRV_X_NCOLS + 1] = { "ts", "id",
	"field", "value", "actor", "reason", "crc", NULL };

const char *
grv_ledger_header(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ?
	    "id,registered,channel,category,loc,name,phone,text,ref,crc" :
	    k == GRV_EVENTS ?
	    "ts,id,event,level,dept,officer,due,actor,reason,ref,note,crc" :
	    "ts,id,field,value,actor,reason,crc";
}

const char *
grv_ledger_name(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ? "complaints" : k == GRV_EVENTS ?
	    "events" : "corrections";
}

size_t
grv_ledger_ncols(enum grv_ledger_kind k)
{
	return k == GRV_COMPLAINTS ? GRV_C_NCOLS : k == GRV_EVENTS ?
	    GRV_E_NCOLS : GRV_X_NCOLS;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
grv_ledger_segments(const char *dir, const char *stem,
    struct grv_segments *sg)
{
	struct grv_buf pat = GRV_BUF_INIT;
	glob_t g;
	size_t i, skip;

	sg->n = 0;
	sg->rel = NULL;
	sg->name = NULL;
	grv_buf_printf(&pat, "%s/ledger/%s*.csv.gz", dir, stem);
	if (glob(pat.s, GLOB_NOSORT, NULL, &g) == 0) {
		sg->n = g.gl_pathc;
		sg->rel = grv_calloc(sg->n, sizeof(*sg->rel));
		sg->name = grv_calloc(sg->n, sizeof(*sg->name));
		skip = strlen(dir) + 1;
		for (i = 0; i < sg->n; i++)
			sg->rel[i] = grv_strdup(g.gl_pathv[i] + skip);
		qsort(sg->rel, sg->n, sizeof(*sg->rel), cmpstr);
		for (i = 0; i < sg->n; i++)
			sg->name[i] = sg->rel[i] + strlen("ledger/");
		globfree(&g);
	}
	grv_buf_release(&pat);
}

void
grv_segments_release(struct grv_segments *sg)
{
	size_t i;

	for (i = 0; i < sg->n; i++)
		free(sg->rel[i]);
	free(sg->rel);
	free(sg->name);
	sg->n = 0;
	sg->rel = NULL;
	sg->name = NULL;
}

int
grv_ledger_flock(int fd, int op, double wait, const char *rel,
    const char *holder)
{
	if (grv_flock_wait(fd, op, wait) == 0)
		return 0;
	if (errno == EWOULDBLOCK) {
		grv_err("%s: locked by %s for more than %g seconds", rel,
		    holder, wait);
		return GRV_EX_TEMPFAIL;
	}
	grv_err("%s: lock: %s", rel, strerror(errno));
	return GRV_EX_IOERR;
}
