/* test_ledger.c: the ledger of lib/grv_ledger.c: create, lock, append,
 * the crc chain (checked in C and by scripts/chaincheck), torn tails, the
 * segments' order, a lock held elsewhere, the clock. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "grv_alloc.h"
#include "grv_csv.h"
#include "grv_ledger.h"
#include "grv_msg.h"
#include "unit.h"
#include "unit_fs.h"

static const char *dir;

static const char EVHDR[] =
    "ts,id,event,level,dept,officer,due,actor,reason,ref,note,crc";
static const char CHDR[] =
    "id,registered,channel,category,loc,name,phone,text,ref,crc";

static void
event_fields(const char **f, const char *ts, const char *id,
    const char *event, const char *note)
{
	size_t i;

	for (i = 0; i < GRV_E_NCOLS - 1; i++)
		f[i] = "";
	f[GRV_E_TS] = ts;
	f[GRV_E_ID] = id;
	f[GRV_E_EVENT] = event;
	f[GRV_E_ACTOR] = "op1";
	f[GRV_E_NOTE] = note;
}

/* Verify every row's crc with grv_chain_verify; returns rows, or -1. */
static long
chain_rows(const char *rel)
{
	struct grv_csv_reader *r;
	struct grv_csv_row *row;
	char prev[4096];
	size_t prevlen = 0;
	long n = -1;
	int k;

	if ((r = grv_csv_open(dir, rel, GRV_CSV_LEDGER)) == NULL)
		return -1;
	while ((k = grv_csv_next(r, &row)) == 1) {
		if (n >= 0 && grv_chain_verify(prev, prevlen, row->raw,
		    row->rawlen) == -1) {
			printf("#   %s:%lu: crc does not follow\n", rel,
			    row->line);
			k = -1;
			break;
		}
		if (n < 0) {
			if (row->rawlen >= sizeof(prev)) {
				k = -1;
				break;
			}
			memcpy(prev, row->raw, row->rawlen);
			prevlen = row->rawlen;
		} else {
			memcpy(prev, row->raw + row->rawlen - 8, 8);
			prevlen = 8;
		}
		n++;
	}
	if (grv_csv_close(r) == -1 || k == -1)
		return -1;
	return n;
}

/* scripts/chaincheck on FILE: its exit status, or -1 without python3. */
static int
chaincheck(const char *path)
{
	char cmd[1024];
	int st;

	if (system("command -v python3 >/dev/null 2>&1") != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "python3 scripts/chaincheck '%s'", path);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static off_t
fsize(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

static void
test_chain_crc(void)
{
	const char *body = "2026-03-01T10:00:00+05:30,TS-1,route,1,EN,"
	    "EN-JE-B1,2026-03-04T10:00:00+05:30,op1,,,";
	char out[9], want[9], row[512];
	uLong c;

	c = crc32(0L, Z_NULL, 0);
	c = crc32(c, (const Bytef *)EVHDR, (uInt)strlen(EVHDR));
	c = crc32(c, (const Bytef *)body, (uInt)strlen(body));
	snprintf(want, sizeof(want), "%08lx", c & 0xffffffffUL);
	grv_chain_crc(EVHDR, strlen(EVHDR), body, strlen(body), out);
	STR(out, want, "first row's crc is crc32(header line + row body)");
	snprintf(row, sizeof(row), "%s,%s", body, out);
	IS(grv_chain_verify(EVHDR, strlen(EVHDR), row, strlen(row)), 0,
	    "grv_chain_verify accepts it");
	STR(grv_row_crc(row, strlen(row)), out, "grv_row_crc finds it");
	row[5] ^= 1;
	IS(grv_chain_verify(EVHDR, strlen(EVHDR), row, strlen(row)), -1,
	    "a flipped byte fails the chain");
	row[5] ^= 1;
	IS(grv_chain_verify("deadbeef", 8, row, strlen(row)), -1,
	    "the wrong previous crc fails the chain");
	c = crc32(0L, Z_NULL, 0);
	c = crc32(c, (const Bytef *)out, 8);
	c = crc32(c, (const Bytef *)body, (uInt)strlen(body));
	snprintf(want, sizeof(want), "%08lx", c & 0xffffffffUL);
	grv_chain_crc(out, 8, body, strlen(body), out);
	STR(out, want, "a later row chains on the previous crc text");
	OK(grv_row_crc("a,b", 3) == NULL, "grv_row_crc: no crc field");
	OK(grv_row_crc("a,1234567", 9) == NULL, "grv_row_crc: too short");
	STR(grv_ledger_header(GRV_EVENTS), EVHDR, "events header");
	STR(grv_ledger_header(GRV_COMPLAINTS), CHDR, "complaints header");
}

static void
test_create_append(void)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	const char *f[GRV_E_NCOLS];
	char *s, crc3[9], want[256];
	size_t n;
	int rc;
	const char *path = tmp_path("ledger/events.csv");

	rc = grv_ledger_lock(&lg, dir, GRV_EVENTS, 0);
	IS(rc, 0, "lock on a new data dir");
	STR(lg.rel, "ledger/events.csv", "rel name");
	IS(fsize(path), -1, "a new ledger is not created by the lock alone");
	STR(lg.crc, "", "a new ledger's chain starts at the header");

	event_fields(f, "2026-03-01T10:00:00+05:30", "TS-1", "route", "");
	f[GRV_E_LEVEL] = "1";
	f[GRV_E_DEPT] = "EN";
	f[GRV_E_OFFICER] = "EN-JE-B1";
	f[GRV_E_DUE] = "2026-03-04T10:00:00+05:30";
	grv_ledger_add(&lg, f);
	event_fields(f, "2026-03-01T11:00:00+05:30", "TS-1", "note",
	    "राम, \"शर्मा\"\nगांव\r\nback\\slash");
	grv_ledger_add(&lg, f);
	event_fields(f, "2026-03-01T12:00:00+05:30", "TS-1", "note",
	    "=cmd|' /C calc'!A0, \"quoted\"");
	grv_ledger_add(&lg, f);
	IS(lg.npending, 3, "three rows queued");
	IS(fsize(path), -1, "nothing written before commit");
	IS(grv_ledger_commit(&lg), 0, "commit");
	s = slurp(path, &n);
	snprintf(want, sizeof(want), "%s\n", EVHDR);
	OK(s && n > strlen(want) && memcmp(s, want, strlen(want)) == 0,
	    "the first commit creates the file: exactly the header, then rows");
	free(s);
	memcpy(crc3, lg.crc, 9);
	IS(strlen(crc3), 8, "the ledger's crc is the last row's");
	IS(lg.npending, 0, "nothing queued after commit");
	grv_ledger_release(&lg);

	s = slurp(path, &n);
	{
		size_t i, nl = 0;

		for (i = 0; i < n; i++)
			nl += s[i] == '\n';
		IS(nl, 4, "header and three rows: four lines");
		OK(memchr(s, '\r', n) == NULL, "no raw CR in the ledger");
		OK(n > 9 && memcmp(s + n - 9, crc3, 8) == 0 &&
		    s[n - 1] == '\n', "file ends with the last crc and a "
		    "newline");
	}
	free(s);
	IS(chain_rows("ledger/events.csv"), 3, "C: the chain holds over 3 rows");

	/* Reopen: the tail's crc continues the chain. */
	rc = grv_ledger_lock(&lg, dir, GRV_EVENTS, 0);
	IS(rc, 0, "relock an existing ledger");
	STR(lg.crc, crc3, "relock reads the tail crc");
	OK(lg.last && lg.lastlen > 9 &&
	    memcmp(lg.last + lg.lastlen - 8, crc3, 8) == 0,
	    "relock keeps the last row");
	event_fields(f, "2026-03-02T10:00:00+05:30", "TS-1", "resolve", "");
	f[GRV_E_OFFICER] = "EN-JE-B1";
	f[GRV_E_REASON] = "line repaired";
	f[GRV_E_REF] = "EN/2026/17";
	grv_ledger_add(&lg, f);
	event_fields(f, "2026-03-03T10:00:00+05:30", "TS-1", "feedback", "");
	f[GRV_E_REASON] = "satisfied";
	grv_ledger_add(&lg, f);
	IS(grv_ledger_commit(&lg), 0, "second commit");
	IS(grv_ledger_commit(&lg), 0, "a commit with nothing queued is fine");
	grv_ledger_release(&lg);
	IS(chain_rows("ledger/events.csv"), 5, "C: the chain holds over 5 rows");
	rc = chaincheck(path);
	if (rc == -1)
		printf("ok %d - # SKIP python3 missing: chaincheck\n", ++unit_n);
	else
		IS(rc, 0, "scripts/chaincheck (Python zlib.crc32) accepts the "
		    "chain");

	/* An uncommitted add is dropped on release. */
	rc = grv_ledger_lock(&lg, dir, GRV_EVENTS, 0);
	n = (size_t)fsize(path);
	grv_ledger_add(&lg, f);
	grv_ledger_release(&lg);
	IS(fsize(path), (off_t)n, "rows queued but not committed are dropped");
	IS(chain_rows("ledger/events.csv"), 5, "and the chain is untouched");

	/* The complaints ledger. */
	{
		const char *c[GRV_C_NCOLS] = { "TS-1",
		    "2026-03-01T09:00:00+05:30", "phone", "EN-SUPPLY",
		    "D1-T1-B1", "राम शर्मा", "9816012345",
		    "no power\nsince 2 days, \"urgent\"", "", NULL };

		rc = grv_ledger_lock(&lg, dir, GRV_COMPLAINTS, 0);
		IS(rc, 0, "lock complaints");
		STR(lg.rel, "ledger/complaints.csv", "complaints rel name");
		grv_ledger_add(&lg, c);
		c[0] = "TS-2";
		grv_ledger_add(&lg, c);
		IS(grv_ledger_commit(&lg), 0, "complaints commit");
		grv_ledger_release(&lg);
		IS(chain_rows("ledger/complaints.csv"), 2, "C: complaints "
		    "chain holds");
		rc = chaincheck(tmp_path("ledger/complaints.csv"));
		if (rc == -1)
			printf("ok %d - # SKIP python3 missing\n", ++unit_n);
		else
			IS(rc, 0, "chaincheck accepts complaints.csv");
		s = slurp(tmp_path("ledger/complaints.csv"), &n);
		OK(strncmp(s, CHDR, strlen(CHDR)) == 0 &&
		    s[strlen(CHDR)] == '\n', "complaints header");
		free(s);
	}
}

/* Many rows and a huge last row: the tail is read past 64 KiB chunks. */
static void
test_big_tail(void)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	const char *f[GRV_E_NCOLS];
	char id[32], *big, crc[9];
	int i, rc;

	mkdir(tmp_path("big"), 0777);
	rc = grv_ledger_lock(&lg, tmp_path("big"), GRV_EVENTS, 0);
	IS(rc, 0, "big: lock");
	for (i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "TS-%d", i + 1);
		event_fields(f, "2026-03-01T10:00:00+05:30", id, "note",
		    "a note of some length, to fill the file past a chunk");
		grv_ledger_add(&lg, f);
	}
	IS(grv_ledger_commit(&lg), 0, "big: 3000 rows in one commit");
	memcpy(crc, lg.crc, 9);
	grv_ledger_release(&lg);
	rc = grv_ledger_lock(&lg, tmp_path("big"), GRV_EVENTS, 0);
	IS(rc, 0, "big: relock");
	STR(lg.crc, crc, "big: tail crc read back");
	big = grv_malloc(200001);
	memset(big, 'x', 200000);
	big[200000] = '\0';
	event_fields(f, "2026-03-01T10:00:00+05:30", "TS-1", "note", big);
	grv_ledger_add(&lg, f);
	IS(grv_ledger_commit(&lg), 0, "big: a 200 KB row");
	memcpy(crc, lg.crc, 9);
	grv_ledger_release(&lg);
	rc = grv_ledger_lock(&lg, tmp_path("big"), GRV_EVENTS, 0);
	IS(rc, 0, "big: relock after a row longer than the tail chunk");
	STR(lg.crc, crc, "big: its crc read back");
	event_fields(f, "2026-03-01T10:00:00+05:30", "TS-2", "note", "short");
	grv_ledger_add(&lg, f);
	IS(grv_ledger_commit(&lg), 0, "big: a short row after it");
	memcpy(crc, lg.crc, 9);
	grv_ledger_release(&lg);
	rc = grv_ledger_lock(&lg, tmp_path("big"), GRV_EVENTS, 0);
	IS(rc, 0, "big: relock with the huge row second to last");
	STR(lg.crc, crc, "big: crc read back");
	grv_ledger_release(&lg);
	free(big);
	IS(chain_rows("big/ledger/events.csv"), 3002, "big: the chain holds "
	    "over 3002 rows");

	/* A wrong header far from the tail is still a wrong header. */
	{
		char path[600], *s, *err;
		size_t n;

		snprintf(path, sizeof(path), "%s", tmp_path("big/ledger/events.csv"));
		s = slurp(path, &n);
		s[0] = 'T';
		put_path(path, s, n);
		free(s);
		err_begin();
		rc = grv_ledger_lock(&lg, tmp_path("big"), GRV_EVENTS, 0);
		err = err_end();
		IS(rc, GRV_EX_DATAERR, "big: a wrong header is refused with 65");
		OK(strstr(err, "ledger/events.csv:1:") != NULL, "big: the "
		    "message names ledger/events.csv:1 (%s)", first_line(err));
		free(err);
		grv_ledger_release(&lg);
	}
}

/* Copy DIR/ledger/events.csv to TMP/NAME/ledger/events.csv, then apply
   EDIT to the copy's bytes. */
static void
make_damaged(const char *name, void (*edit)(char *, size_t *))
{
	char *s, cmd[1024];
	size_t n;

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/ledger'", tmp_path(name));
	if (system(cmd) != 0)
		exit(2);
	s = slurp(tmp_path("ledger/events.csv"), &n);
	s = grv_realloc(s, n + 64);
	edit(s, &n);
	snprintf(cmd, sizeof(cmd), "%s/ledger/events.csv", tmp_path(name));
	put_path(cmd, s, n);
	free(s);
}

static void
torn_tail(char *s, size_t *n)
{
	const char part[] = "2026-03-04T10:00:00+05:30,TS-1,no";

	memcpy(s + *n, part, sizeof(part) - 1);
	*n += sizeof(part) - 1;
}

static void
no_newline(char *s, size_t *n)
{
	(*n)--;
	(void)s;
}

static void
flip_last(char *s, size_t *n)
{
	s[*n - 30] ^= 0x01;
}

static void
flip_crc(char *s, size_t *n)
{
	s[*n - 2] = s[*n - 2] == '0' ? '1' : '0';
}

static void
bad_header(char *s, size_t *n)
{
	(void)n;
	s[0] = 'T';		/* "Ts,id,..." */
}

static void
empty_last(char *s, size_t *n)
{
	s[(*n)++] = '\n';
}

static void
test_damage(void)
{
	static const struct {
		const char *name;
		void (*edit)(char *, size_t *);
		const char *what;
	} cases[] = {
		{ "torn", torn_tail, "a torn last row (no newline)" },
		{ "nonl", no_newline, "a last line without its newline" },
		{ "flip", flip_last, "a flipped byte in the last row" },
		{ "flipcrc", flip_crc, "a changed crc digit in the last row" },
		{ "hdr", bad_header, "a wrong header" },
		{ "blank", empty_last, "an empty line at the end" },
	};
	struct grv_ledger lg = GRV_LEDGER_INIT;
	size_t i;
	off_t before;
	char *err;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[600];

		make_damaged(cases[i].name, cases[i].edit);
		snprintf(path, sizeof(path), "%s/ledger/events.csv",
		    tmp_path(cases[i].name));
		before = fsize(path);
		err_begin();
		rc = grv_ledger_lock(&lg, tmp_path(cases[i].name), GRV_EVENTS,
		    0);
		err = err_end();
		IS(rc, GRV_EX_DATAERR, "%s: lock refuses with 65",
		    cases[i].what);
		OK(strstr(err, "ledger/events.csv") != NULL, "%s: the message "
		    "names ledger/events.csv (%s)", cases[i].what,
		    first_line(err));
		free(err);
		grv_ledger_release(&lg);
		IS(fsize(path), before, "%s: the file is left as it was",
		    cases[i].what);
	}
}

/* A second locker, in a child process, while we hold the lock. */
static void
test_lock_contention(void)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	struct timespec t0, t1;
	pid_t pid;
	int st, rc;
	double took;

	rc = grv_ledger_lock(&lg, dir, GRV_EVENTS, 0);
	IS(rc, 0, "parent takes the lock");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == 0) {
		struct grv_ledger l2 = GRV_LEDGER_INIT;
		int k;

		err_begin();
		k = grv_ledger_lock(&l2, dir, GRV_EVENTS, 0);
		free(err_end());
		grv_ledger_release(&l2);
		_exit(k);
	}
	waitpid(pid, &st, 0);
	IS(WIFEXITED(st) ? WEXITSTATUS(st) : -1, GRV_EX_TEMPFAIL,
	    "a second lock with wait 0 fails with 75");
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct grv_ledger l2 = GRV_LEDGER_INIT;
		int k;

		err_begin();
		k = grv_ledger_lock(&l2, dir, GRV_EVENTS, 0.3);
		free(err_end());
		grv_ledger_release(&l2);
		_exit(k);
	}
	waitpid(pid, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	IS(WIFEXITED(st) ? WEXITSTATUS(st) : -1, GRV_EX_TEMPFAIL,
	    "a second lock with wait 0.3 fails with 75");
	OK(took >= 0.3, "after waiting (%.2f s)", took);
	/* Released: the child gets it. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct grv_ledger l2 = GRV_LEDGER_INIT;
		int k;

		usleep(100 * 1000);
		k = grv_ledger_lock(&l2, dir, GRV_EVENTS, 5);
		grv_ledger_release(&l2);
		_exit(k);
	}
	grv_ledger_release(&lg);
	waitpid(pid, &st, 0);
	IS(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0,
	    "once released a waiting locker gets it");
}

/* A write that fails half way (file size limit) is taken back. */
static void
test_write_failure(void)
{
	const char *path = tmp_path("ledger/events.csv");
	off_t before = fsize(path);
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct grv_ledger lg = GRV_LEDGER_INIT;
		const char *f[GRV_E_NCOLS];
		struct rlimit rl;
		char *big = grv_malloc(100001);
		int k;

		memset(big, 'y', 100000);
		big[100000] = '\0';
		err_begin();
		if (grv_ledger_lock(&lg, dir, GRV_EVENTS, 0) != 0)
			_exit(100);
		signal(SIGXFSZ, SIG_IGN);
		rl.rlim_cur = rl.rlim_max = (rlim_t)before + 4096;
		if (setrlimit(RLIMIT_FSIZE, &rl) == -1)
			_exit(101);
		event_fields(f, "2026-03-04T10:00:00+05:30", "TS-1", "note",
		    big);
		grv_ledger_add(&lg, f);
		k = grv_ledger_commit(&lg);
		free(err_end());
		grv_ledger_release(&lg);
		free(big);
		_exit(k);
	}
	waitpid(pid, &st, 0);
	IS(WIFEXITED(st) ? WEXITSTATUS(st) : -1, GRV_EX_IOERR,
	    "a commit that cannot be written returns 74");
	IS(fsize(path), before, "and the partial write is taken back");
	IS(chain_rows("ledger/events.csv"), 5, "the chain still holds");
}

/* A lock held elsewhere: 75 and the holder named; free, 0. */
static void
test_flock(void)
{
	char *err;
	int a, b, rc;

	put_path(tmp_path("lockme.csv"), "", 0);
	a = open(tmp_path("lockme.csv"), O_RDONLY);
	b = open(tmp_path("lockme.csv"), O_RDONLY);
	IS(grv_ledger_flock(a, LOCK_EX, 0, "ledger/x.csv", "a writer"), 0,
	    "a free lock is taken");
	err_begin();
	rc = grv_ledger_flock(b, LOCK_SH, 0, "ledger/x.csv", "a writer");
	err = err_end();
	IS(rc, GRV_EX_TEMPFAIL, "a lock held by another descriptor: 75");
	STR(err, "grv: ledger/x.csv: locked by a writer for more "
	    "than 0 seconds\n", "the file and the holder named");
	free(err);
	close(a);
	IS(grv_ledger_flock(b, LOCK_SH, 0, "ledger/x.csv", "a writer"), 0,
	    "released, it is taken");
	close(b);
}

/* The tail read back from any row's end: the row, chained, or why not. */
static void
test_tail(void)
{
	struct grv_ledger lg = GRV_LEDGER_INIT;
	struct grv_tail t = GRV_TAIL_INIT;
	const char *f[GRV_E_NCOLS];
	char d[512], *s;
	off_t size, first;
	size_t n;
	int fd;

	snprintf(d, sizeof(d), "%s", tmp_path("tail"));
	mkdir(d, 0777);
	IS(grv_ledger_lock(&lg, d, GRV_EVENTS, 0), 0, "a ledger for the tail");
	event_fields(f, "2026-03-01T10:00:00+05:30", "TS-1", "route", "");
	grv_ledger_add(&lg, f);
	event_fields(f, "2026-03-01T11:00:00+05:30", "TS-1", "note", "a");
	grv_ledger_add(&lg, f);
	IS(grv_ledger_commit(&lg), 0, "two rows written");
	grv_ledger_release(&lg);
	s = slurp(tmp_path("tail/ledger/events.csv"), &n);
	size = (off_t)n;
	first = (off_t)(strchr(s + sizeof(EVHDR), '\n') + 1 - s);
	fd = open(tmp_path("tail/ledger/events.csv"), O_RDONLY);
	IS(grv_ledger_tail(fd, size, GRV_EVENTS, 64, 0, &t), GRV_TAIL_ROW,
	    "the last row follows from the one before");
	OK(t.lastlen == (size_t)(size - first - 1) &&
	    memcmp(t.last, s + first, t.lastlen) == 0, "and is the last line");
	IS(grv_ledger_tail(fd, first, GRV_EVENTS, 8, 0, &t), GRV_TAIL_ROW,
	    "the first row follows from the header, read in growing chunks");
	IS(grv_ledger_tail(fd, (off_t)sizeof(EVHDR), GRV_EVENTS, 64, 0, &t),
	    GRV_TAIL_HEADER, "up to the header's newline: the header alone");
	IS(grv_ledger_tail(fd, size - 1, GRV_EVENTS, 64, 0, &t),
	    GRV_TAIL_TORN, "an end that is not after a newline: torn");
	IS(grv_ledger_tail(fd, size, GRV_EVENTS, 8, 32, &t), GRV_TAIL_LONG,
	    "lines longer than the most it may read: too long");
	close(fd);
	s[size - 30] ^= 0x01;
	put_path(tmp_path("tail/ledger/events.csv"), s, n);
	fd = open(tmp_path("tail/ledger/events.csv"), O_RDONLY);
	IS(grv_ledger_tail(fd, size, GRV_EVENTS, 64, 0, &t), GRV_TAIL_CHAIN,
	    "a flipped byte in the last row: its crc does not follow");
	close(fd);
	s[size - 30] ^= 0x01;
	s[first - 10] = ';';
	put_path(tmp_path("tail/ledger/events.csv"), s, n);
	fd = open(tmp_path("tail/ledger/events.csv"), O_RDONLY);
	IS(grv_ledger_tail(fd, size, GRV_EVENTS, 64, 0, &t), GRV_TAIL_NOCRC,
	    "the row before without its crc field");
	close(fd);
	grv_tail_release(&t);
	free(s);
}

/* The clock refuses a --now before the last row, naming both. */
static void
test_clock(void)
{
	const char row[] = "2026-03-04T10:00:00+05:30,TS-1,register,,,,,op1,,,,"
	    "00000000";
	grv_time_t last;
	char *err, d[512];
	int rc;

	grv_time_parse_ts(row, 25, &last);
	IS(grv_ledger_clock("ledger/events.csv", last, GRV_TIME_NONE, NULL,
	    330), 0, "no last row: any --now");
	IS(grv_ledger_clock("ledger/events.csv", last, last, NULL, 330), 0,
	    "a --now at the last row's stamp is not going back");
	err_begin();
	rc = grv_ledger_clock("ledger/events.csv", last - 60, last, row, 0);
	err = err_end();
	IS(rc, GRV_EX_DATAERR, "a --now a minute before it: 65");
	STR(err, "grv: --now 2026-03-04T04:29:00Z is earlier than the last "
	    "row of ledger/events.csv (2026-03-04T10:00:00+05:30): timestamps "
	    "never go back\n", "the row's own stamp named, --now in the zone");
	free(err);
	err_begin();
	rc = grv_ledger_clock("ledger/complaints.csv", last - 60, last, NULL,
	    330);
	err = err_end();
	STR(err, "grv: --now 2026-03-04T09:59:00+05:30 is earlier than the "
	    "last row of ledger/complaints.csv (2026-03-04T10:00:00+05:30): "
	    "timestamps never go back\n", "or the stamp in the zone");
	free(err);

	unit_sh("mkdir -p '%s'", tmp_path("clock/ledger"));
	snprintf(d, sizeof(d), "%s", tmp_path("clock"));
	IS(grv_ledger_peek_ts(d), GRV_TIME_NONE, "no events.csv: no stamp");
	put_path(tmp_path("clock/ledger/events.csv"), EVHDR, strlen(EVHDR));
	IS(grv_ledger_peek_ts(d), GRV_TIME_NONE, "a torn header: no stamp");
	unit_sh("printf '%%s\\n%%s\\n' '%s' '%s' > '%s'", EVHDR, row,
	    tmp_path("clock/ledger/events.csv"));
	IS(grv_ledger_peek_ts(d), last,
	    "the last row's stamp, read without the lock");
	unit_sh("printf '2026-03-05T10:00:00+05:30,TS-1,n' >> '%s'",
	    tmp_path("clock/ledger/events.csv"));
	IS(grv_ledger_peek_ts(d), GRV_TIME_NONE, "a torn last row: no stamp");
	unit_sh("{ printf '%%s\\n' '%s'; head -c 70000 /dev/zero | tr '\\0' x; "
	    "printf '\\n%%s\\n' '%s'; } > '%s'", EVHDR, row,
	    tmp_path("clock/ledger/events.csv"));
	IS(grv_ledger_peek_ts(d), last,
	    "a line before it longer than 64 KiB: the last row's stamp still");
	unit_sh("{ printf '%%s\\n' '%s'; head -c 70000 /dev/zero | tr '\\0' x; "
	    "printf '\\n'; } > '%s'", row, tmp_path("clock/ledger/events.csv"));
	IS(grv_ledger_peek_ts(d), GRV_TIME_NONE,
	    "a last line longer than 64 KiB: no stamp");
}

/* Sealed segments come in name order, relative to the data directory. */
static void
test_segments(void)
{
	struct grv_segments sg = GRV_SEGMENTS_INIT;
	char d[512];

	snprintf(d, sizeof(d), "%s", tmp_path("segs"));
	mkdir(d, 0777);
	mkdir(tmp_path("segs/ledger"), 0777);
	grv_ledger_segments(d, "events", &sg);
	IS(sg.n, 0, "no segments: an empty list");
	grv_segments_release(&sg);
	put_path(tmp_path("segs/ledger/events-2026.csv.gz"), "", 0);
	put_path(tmp_path("segs/ledger/events-2024.csv.gz"), "", 0);
	put_path(tmp_path("segs/ledger/events-2025-h2.csv.gz"), "", 0);
	put_path(tmp_path("segs/ledger/complaints-2025.csv.gz"), "", 0);
	put_path(tmp_path("segs/ledger/events.csv"), "", 0);
	grv_ledger_segments(d, "events", &sg);
	IS(sg.n, 3, "three events segments, the live file and the "
	    "complaints left out");
	if (sg.n == 3) {
		STR(sg.rel[0], "ledger/events-2024.csv.gz", "oldest first");
		STR(sg.rel[1], "ledger/events-2025-h2.csv.gz", "then by name");
		STR(sg.rel[2], "ledger/events-2026.csv.gz", "newest last");
		STR(sg.name[2], "events-2026.csv.gz",
		    "the name without ledger/");
	}
	grv_segments_release(&sg);
	IS(sg.n, 0, "released, the list is empty");
}

int
main(void)
{
	dir = tmp_init("test-ledger");
	test_chain_crc();
	test_create_append();
	test_big_tail();
	test_damage();
	test_lock_contention();
	test_write_failure();
	test_segments();
	test_flock();
	test_clock();
	test_tail();
	tmp_cleanup();
	return DONE();
}
