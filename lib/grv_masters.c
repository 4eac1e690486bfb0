/* grv_masters.c: the reference data under DIR/masters, its rules, and the
 * words that describe an officer, a department or a place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "grv_alloc.h"
#include "grv_buf.h"
#include "grv_csv.h"
#include "grv_levenshtein.h"
#include "grv_map.h"
#include "grv_masters.h"
#include "grv_msg.h"
#include "grv_parse.h"
#include "grv_phone.h"
#include "grv_utf8.h"

struct mload {
	const char		*rel;	/* "masters/x.csv" */
	struct grv_masters	*m;
	const struct grv_conf	*conf;
	int			 rc;
	unsigned long		*lines;	/* line of each row loaded, for
					   the second-pass checks */
};

#define FIND(name, map) \
int \
name(const struct grv_masters *m, const char *code) \
{ \
	return grv_map_get(&m->map, code); \
}
FIND(grv_dept_find, dept_ix)
FIND(grv_loc_find, loc_ix)
FIND(grv_officer_find, officer_ix)
FIND(grv_cat_find, cat_ix)
#undef FIND

static void
bad(struct mload *l, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(struct mload *l, unsigned long line, const char *fmt, ...)
{
	struct grv_buf b = GRV_BUF_INIT;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	grv_buf_grow(&b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b.s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	grv_err("%s:%lu: %s", l->rel, line, b.s);
	grv_buf_release(&b);
	grv_setrc(&l->rc, GRV_EX_DATAERR);
}

int
grv_code_okn(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

static int
code_ok(const char *s)
{
	return grv_code_okn(s, strlen(s));
}

const char *
grv_suggest(const struct grv_map *map, const char *code)
{
	const char *best = NULL;
	size_t i, n = strlen(code), bestlen = 0;
	int d, bestd = 3;

	/* A code the argument begins (PW for PWD), any case: the shortest
	   such, before any near miss (PR is one letter from PW). */
	for (i = 0; n > 0 && i < map->cap; i++)
		if (map->keys[i] && strncasecmp(map->keys[i], code, n) == 0 &&
		    (best == NULL || strlen(map->keys[i]) < bestlen ||
		    (strlen(map->keys[i]) == bestlen &&
		    strcmp(map->keys[i], best) < 0))) {
			best = map->keys[i];
			bestlen = strlen(best);
		}
	if (best)
		return best;
	for (i = 0; i < map->cap; i++) {
		if (map->keys[i] == NULL)
			continue;
		d = grv_edit_distance(map->keys[i], code);
		if (d < bestd || (d == bestd && best &&
		    strcmp(map->keys[i], best) < 0)) {
			bestd = d;
			best = map->keys[i];
		}
	}
	return best;
}

/* Does S name NAME: equal, ASCII letters in any case? */
static int
names(const char *name, const char *s)
{
	return name && *name && strcasecmp(name, s) == 0;
}

const char *
grv_suggest_in(const struct grv_masters *m, const struct grv_map *map,
    const char *s)
{
	size_t i;

	/* A name, English or Hindi, gives its code: --district Shimla,
	   --loc Kotkhai, --dept राजस्व विभाग.  The first in the master's
	   order (a district before a tehsil of the same name). */
	if (map == &m->dept_ix)
		for (i = 0; i < m->ndepts; i++)
			if (names(m->depts[i].name, s) ||
			    names(m->depts[i].name_hi, s))
				return m->depts[i].code;
	if (map == &m->loc_ix)
		for (i = 0; i < m->nlocs; i++)
			if (names(m->locs[i].name, s) ||
			    names(m->locs[i].name_hi, s))
				return m->locs[i].code;
	if (map == &m->cat_ix)
		for (i = 0; i < m->ncats; i++)
			if (names(m->cats[i].name, s) ||
			    names(m->cats[i].name_hi, s))
				return m->cats[i].code;
	if (map == &m->officer_ix)
		for (i = 0; i < m->nofficers; i++)
			if (names(m->officers[i].name, s))
				return m->officers[i].code;
	return grv_suggest(map, s);
}

static void
unknown(const char *what, const char *code, const char *near)
{
	if (near)
		grv_err("unknown %s '%s' (did you mean '%s'?)", what, code,
		    near);
	else
		grv_err("unknown %s '%s'", what, code);
}

int
grv_find_or_suggest_in(const struct grv_masters *m,
    const struct grv_map *map, const char *what, const char *code)
{
	int i;

	if ((i = grv_map_get(map, code)) != -1)
		return i;
	unknown(what, code, grv_suggest_in(m, map, code));
	return -1;
}

int
grv_find_or_suggest(const struct grv_map *map, const char *what,
    const char *code)
{
	int i;

	if ((i = grv_map_get(map, code)) != -1)
		return i;
	unknown(what, code, grv_suggest(map, code));
	return -1;
}

/* "unknown department 'X' (did you mean 'Y'?)" */
static void
bad_ref(struct mload *l, unsigned long line, const char *what,
    const struct grv_map *map, const char *code)
{
	const char *s = grv_suggest(map, code);

	if (s)
		bad(l, line, "unknown %s '%s' (did you mean '%s'?)", what,
		    code, s);
	else
		bad(l, line, "unknown %s '%s'", what, code);
}

/*
 * Read masters/NAME with columns COLS (all required); call ROW for each
 * record with the fields in COLS order.
 */
static int
load_csv(struct mload *l, const char *dir, const char *name,
    const char *const *cols, int optional,
    void (*row)(struct mload *, unsigned long, char **))
{
	struct grv_csv_reader *r;
	struct grv_csv_row *rw;
	struct grv_buf rel = GRV_BUF_INIT, full = GRV_BUF_INIT;
	int idx[16], k;
	char *f[16];
	size_t ncols, i;
	FILE *probe;

	for (ncols = 0; cols[ncols]; ncols++)
		;
	grv_buf_printf(&rel, "masters/%s", name);
	grv_buf_printf(&full, "%s/%s", dir, rel.s);
	l->rel = rel.s;
	if (optional && (probe = fopen(full.s, "r")) == NULL &&
	    errno == ENOENT) {
		grv_buf_release(&full);
		grv_buf_release(&rel);
		return 0;
	} else if (optional && probe)
		fclose(probe);
	grv_buf_release(&full);
	if ((r = grv_csv_open(dir, rel.s, GRV_CSV_INPUT)) == NULL) {
		grv_setrc(&l->rc, errno == ENOENT ? GRV_EX_NOINPUT :
		    GRV_EX_IOERR);
		grv_buf_release(&rel);
		return -1;
	}
	if ((k = grv_csv_next(r, &rw)) != 1) {
		if (k == 0)
			bad(l, 1, "empty file, expected a header row");
		else
			grv_setrc(&l->rc, GRV_EX_DATAERR);
		goto out;
	}
	if (grv_csv_header_map(rw, cols, idx) != ncols) {
		for (i = 0; i < ncols; i++)
			if (idx[i] == -1)
				bad(l, 1, "header has no column '%s'",
				    cols[i]);
		goto out;
	}
	while ((k = grv_csv_next(r, &rw)) == 1) {
		if (rw->nf == 0 || (rw->nf == 1 && rw->flen[0] == 0))
			continue;	/* a blank line */
		for (i = 0; i < ncols; i++) {
			if ((size_t)idx[i] >= rw->nf) {
				bad(l, rw->line, "%zu fields, expected at "
				    "least %d", rw->nf, idx[i] + 1);
				break;
			}
			f[i] = rw->f[idx[i]];
			if (!grv_utf8_valid(f[i], rw->flen[idx[i]])) {
				bad(l, rw->line, "field '%s' is not valid "
				    "UTF-8", cols[i]);
				break;
			}
		}
		if (i == ncols)
			row(l, rw->line, f);
	}
	if (k == -1)
		grv_setrc(&l->rc, grv_csv_ioerror(r) ? GRV_EX_IOERR :
		    GRV_EX_DATAERR);
out:
	if (grv_csv_close(r) == -1)
		grv_setrc(&l->rc, GRV_EX_IOERR);
	grv_buf_release(&rel);
	l->rel = NULL;
	return 0;
}

static int
parse_sla(const char *s, int levels, int *sla, int *n)
{
	char *copy, *tok, *save = NULL;
	long v;
	int k = 0;

	*n = 0;
	if (*s == '\0')
		return 0;
	copy = grv_strdup(s);
	for (tok = strtok_r(copy, ";", &save); tok;
	    tok = strtok_r(NULL, ";", &save)) {
		if (k == GRV_MAXLEVELS || grv_parse_int(tok, 1, 3650, &v)) {
			free(copy);
			return -1;
		}
		sla[k++] = (int)v;
	}
	free(copy);
	if (k != 1 && k != levels)
		return -1;
	/* Empty pieces ("15;;10", "7;", ";7") are swallowed by strtok:
	   count ';'. */
	{
		int semis = 0;

		for (; *s; s++)
			semis += *s == ';';
		if (semis != k - 1)
			return -1;
	}
	*n = k;
	return 0;
}

static void
dept_row(struct mload *l, unsigned long line, char **f)
{
	struct grv_masters *m = l->m;
	struct grv_dept *d;
	long v = 0;

	if (!code_ok(f[0])) {
		bad(l, line, "bad department code '%s'", f[0]);
		return;
	}
	if (grv_map_get(&m->dept_ix, f[0]) != -1) {
		bad(l, line, "department '%s' listed twice", f[0]);
		return;
	}
	if (*f[3] && grv_parse_int(f[3], 1, 3650, &v)) {
		bad(l, line, "bad sla_days '%s' (a whole number of days)",
		    f[3]);
		return;
	}
	m->depts = grv_grow(m->depts, m->ndepts, sizeof(*d));
	d = &m->depts[m->ndepts];
	d->code = grv_strdup(f[0]);
	d->name = grv_strdup(f[1]);
	d->name_hi = grv_strdup(f[2]);
	d->sla = (int)v;
	grv_map_put(&m->dept_ix, d->code, (int)m->ndepts++);
}

static int
kind_of(const char *s)
{
	if (strcmp(s, "state") == 0)
		return GRV_LOC_STATE;
	if (strcmp(s, "district") == 0)
		return GRV_LOC_DISTRICT;
	if (strcmp(s, "tehsil") == 0)
		return GRV_LOC_TEHSIL;
	if (strcmp(s, "block") == 0)
		return GRV_LOC_BLOCK;
	return -1;
}

static char **loc_parents;	/* parent codes, resolved after the load */

static void
loc_row(struct mload *l, unsigned long line, char **f)
{
	struct grv_masters *m = l->m;
	struct grv_loc *lc;
	int kind;

	if (!code_ok(f[0])) {
		bad(l, line, "bad location code '%s'", f[0]);
		return;
	}
	if (grv_map_get(&m->loc_ix, f[0]) != -1) {
		bad(l, line, "location '%s' listed twice", f[0]);
		return;
	}
	if ((kind = kind_of(f[1])) == -1) {
		bad(l, line, "bad kind '%s' (state, district, tehsil or "
		    "block)", f[1]);
		return;
	}
	if ((kind == GRV_LOC_STATE) != (*f[4] == '\0')) {
		bad(l, line, kind == GRV_LOC_STATE ? "the state has a parent"
		    : "location '%s' has no parent", f[0]);
		return;
	}
	m->locs = grv_grow(m->locs, m->nlocs, sizeof(*lc));
	loc_parents = grv_grow(loc_parents, m->nlocs,
	    sizeof(*loc_parents));
	l->lines = grv_grow(l->lines, m->nlocs,
	    sizeof(*l->lines));
	lc = &m->locs[m->nlocs];
	lc->code = grv_strdup(f[0]);
	lc->kind = kind;
	lc->name = grv_strdup(f[2]);
	lc->name_hi = grv_strdup(f[3]);
	lc->parent = -1;
	lc->district = -1;
	loc_parents[m->nlocs] = grv_strdup(f[4]);
	l->lines[m->nlocs] = line;
	grv_map_put(&m->loc_ix, lc->code, (int)m->nlocs++);
}

static void
loc_link(struct mload *l)
{
	struct grv_masters *m = l->m;
	size_t i, nstates = 0;
	int p, k;

	l->rel = "masters/locations.csv";
	for (i = 0; i < m->nlocs; i++) {
		if (m->locs[i].kind == GRV_LOC_STATE) {
			if (nstates++)
				bad(l, l->lines[i], "a second state '%s'",
				    m->locs[i].code);
			continue;
		}
		if ((p = grv_map_get(&m->loc_ix, loc_parents[i])) == -1) {
			bad_ref(l, l->lines[i], "parent location", &m->loc_ix,
			    loc_parents[i]);
			continue;
		}
		/* Kinds nest: a parent is of a strictly wider kind. */
		if (m->locs[p].kind >= m->locs[i].kind) {
			static const char *const kn[] = { "state", "district",
			    "tehsil", "block" };

			bad(l, l->lines[i], "%s '%s' cannot sit under %s '%s'",
			    kn[m->locs[i].kind], m->locs[i].code,
			    kn[m->locs[p].kind], m->locs[p].code);
			continue;
		}
		m->locs[i].parent = p;
	}
	if (nstates == 0 && m->nlocs)
		bad(l, 1, "no location of kind 'state'");
	for (i = 0; i < m->nlocs; i++) {
		for (k = (int)i; k != -1; k = m->locs[k].parent)
			if (m->locs[k].kind == GRV_LOC_DISTRICT) {
				m->locs[i].district = k;
				break;
			}
		free(loc_parents[i]);
	}
	free(loc_parents);
	loc_parents = NULL;
	l->rel = NULL;
}

static void
officer_row(struct mload *l, unsigned long line, char **f)
{
	struct grv_masters *m = l->m;
	struct grv_officer *o;
	char phone[GRV_PHONE_SIZE];
	long level;
	int k;
	int dept, loc;

	if (!code_ok(f[0])) {
		bad(l, line, "bad officer id '%s'", f[0]);
		return;
	}
	if (grv_map_get(&m->officer_ix, f[0]) != -1) {
		bad(l, line, "officer '%s' listed twice", f[0]);
		return;
	}
	if ((dept = grv_map_get(&m->dept_ix, f[3])) == -1) {
		bad_ref(l, line, "department", &m->dept_ix, f[3]);
		return;
	}
	if (grv_parse_int(f[4], 1, l->conf->levels, &level)) {
		bad(l, line, "bad level '%s' (1 to %d)", f[4],
		    l->conf->levels);
		return;
	}
	if ((loc = grv_map_get(&m->loc_ix, f[5])) == -1) {
		bad_ref(l, line, "location", &m->loc_ix, f[5]);
		return;
	}
	if (*f[6] && (k = grv_phone_norm(f[6], phone)) != 0) {
		bad(l, line, k == GRV_PHONE_AMBIGUOUS ? "phone '%s' %s" :
		    "bad phone '%s' (%s)", f[6], grv_phone_why(k));
		return;
	}
	if (strcmp(f[7], "0") != 0 && strcmp(f[7], "1") != 0) {
		bad(l, line, "bad active '%s' (1 or 0)", f[7]);
		return;
	}
	m->officers = grv_grow(m->officers, m->nofficers,
	    sizeof(*o));
	o = &m->officers[m->nofficers];
	o->code = grv_strdup(f[0]);
	o->name = grv_strdup(f[1]);
	o->designation = grv_strdup(f[2]);
	o->phone = grv_strdup(*f[6] ? phone : "");
	o->dept = dept;
	o->level = (int)level;
	o->loc = loc;
	o->active = f[7][0] == '1';
	grv_map_put(&m->officer_ix, o->code, (int)m->nofficers);
	if (o->active) {
		uint64_t key = (uint64_t)dept << 40 | (uint64_t)level << 32 |
		    (uint32_t)loc;

		/* The first active officer listed for a post holds it. */
		if (grv_imap_get(&m->post_ix, key) == -1)
			grv_imap_put(&m->post_ix, key, (int)m->nofficers);
	}
	m->nofficers++;
}

static void
cat_row(struct mload *l, unsigned long line, char **f)
{
	struct grv_masters *m = l->m;
	struct grv_category *c;
	int dept, sla[GRV_MAXLEVELS], nsla;
	long start = 1;

	if (!code_ok(f[0])) {
		bad(l, line, "bad category code '%s'", f[0]);
		return;
	}
	if (grv_map_get(&m->cat_ix, f[0]) != -1) {
		bad(l, line, "category '%s' listed twice", f[0]);
		return;
	}
	if ((dept = grv_map_get(&m->dept_ix, f[3])) == -1) {
		bad_ref(l, line, "department", &m->dept_ix, f[3]);
		return;
	}
	if (parse_sla(f[4], l->conf->levels, sla, &nsla) == -1) {
		bad(l, line, "bad sla_days '%s' (one number of days, or %d "
		    "separated by ';')", f[4], l->conf->levels);
		return;
	}
	if (*f[5] && grv_parse_int(f[5], 1, l->conf->levels, &start)) {
		bad(l, line, "bad start_level '%s' (1 to %d)", f[5],
		    l->conf->levels);
		return;
	}
	m->cats = grv_grow(m->cats, m->ncats, sizeof(*c));
	c = &m->cats[m->ncats];
	c->code = grv_strdup(f[0]);
	c->name = grv_strdup(f[1]);
	c->name_hi = grv_strdup(f[2]);
	c->dept = dept;
	c->nsla = nsla;
	memcpy(c->sla, sla, sizeof(sla));
	c->start_level = (int)start;
	grv_map_put(&m->cat_ix, c->code, (int)m->ncats++);
}

static void
holiday_row(struct mload *l, unsigned long line, char **f)
{
	struct grv_masters *m = l->m;
	grv_time_t t;

	if (strlen(f[0]) != 10 || grv_time_parse(f[0], 0, &t) == -1) {
		bad(l, line, "bad date '%s' (YYYY-MM-DD)", f[0]);
		return;
	}
	m->holidays = grv_grow(m->holidays, m->nholidays,
	    sizeof(*m->holidays));
	m->holidays[m->nholidays++] = t / 86400;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
grv_masters_load(struct grv_masters *m, const char *dir,
    const struct grv_conf *conf)
{
	static const char *const dcols[] = { "dept", "name", "name_hi",
	    "sla_days", NULL };
	static const char *const lcols[] = { "loc", "kind", "name", "name_hi",
	    "parent", NULL };
	static const char *const ocols[] = { "officer", "name", "designation",
	    "dept", "level", "loc", "phone", "active", NULL };
	static const char *const ccols[] = { "category", "name", "name_hi",
	    "dept", "sla_days", "start_level", NULL };
	static const char *const hcols[] = { "date", "name", NULL };
	struct mload l = { NULL, m, conf, 0, NULL };

	memset(m, 0, sizeof(*m));
	m->levels = conf->levels;
	load_csv(&l, dir, "departments.csv", dcols, 0, dept_row);
	load_csv(&l, dir, "locations.csv", lcols, 0, loc_row);
	loc_link(&l);
	load_csv(&l, dir, "officers.csv", ocols, 0, officer_row);
	load_csv(&l, dir, "categories.csv", ccols, 0, cat_row);
	load_csv(&l, dir, "holidays.csv", hcols, 1, holiday_row);
	if (m->nholidays)	/* qsort(NULL, 0, ...) is undefined */
		qsort(m->holidays, m->nholidays, sizeof(*m->holidays),
		    cmp_i64);
	free(l.lines);
	return l.rc;
}

int
grv_officer_retired(struct grv_masters *m, const char *code, int dept,
    int level, int loc, int *isnew)
{
	struct grv_officer *o;
	int i;

	*isnew = 0;
	if ((i = grv_map_get(&m->retired_ix, code)) != -1)
		return i;
	m->officers = grv_reallocarray(m->officers, m->nofficers +
	    m->nretired + 1, sizeof(*m->officers));
	i = (int)(m->nofficers + m->nretired++);
	o = &m->officers[i];
	memset(o, 0, sizeof(*o));
	o->code = grv_strdup(code);
	o->name = grv_strdup("");
	o->designation = grv_strdup("");
	o->phone = grv_strdup("");
	o->dept = dept >= 0 ? dept : 0;
	o->level = level >= 1 ? level : 1;
	o->loc = loc >= 0 ? loc : 0;
	o->active = 0;
	grv_map_put(&m->retired_ix, code, i);
	*isnew = 1;
	return i;
}

/* Room for one more past the N listed and the *NGONE kept: ARR grown, the
   new element zeroed at *I. */
static void *
keep_slot(void *arr, size_t n, size_t *ngone, size_t size, int *i)
{
	arr = grv_reallocarray(arr, n + *ngone + 1, size);
	*i = (int)(n + (*ngone)++);
	memset((char *)arr + (size_t)*i * size, 0, size);
	return arr;
}

/* A kept code's three words: its code, and empty names. */
static void
keep_names(char **code, char **name, char **name_hi, const char *c)
{
	*code = grv_strdup(c);
	*name = grv_strdup("");
	*name_hi = grv_strdup("");
}

int
grv_loc_gone(struct grv_masters *m, const char *code, int *isnew)
{
	struct grv_loc *l;
	int i;

	*isnew = 0;
	if ((i = grv_map_get(&m->loc_gone_ix, code)) != -1)
		return i;
	m->locs = keep_slot(m->locs, m->nlocs, &m->nlocs_gone,
	    sizeof(*m->locs), &i);
	l = &m->locs[i];
	keep_names(&l->code, &l->name, &l->name_hi, code);
	l->kind = GRV_LOC_BLOCK;
	l->parent = l->district = -1;
	grv_map_put(&m->loc_gone_ix, code, i);
	*isnew = 1;
	return i;
}

int
grv_dept_gone(struct grv_masters *m, const char *code, int *isnew)
{
	struct grv_dept *d;
	int i;

	*isnew = 0;
	if ((i = grv_map_get(&m->dept_gone_ix, code)) != -1)
		return i;
	m->depts = keep_slot(m->depts, m->ndepts, &m->ndepts_gone,
	    sizeof(*m->depts), &i);
	d = &m->depts[i];
	keep_names(&d->code, &d->name, &d->name_hi, code);
	grv_map_put(&m->dept_gone_ix, code, i);
	*isnew = 1;
	return i;
}

int
grv_cat_gone(struct grv_masters *m, const char *code, int *isnew)
{
	struct grv_category *c;
	int i;

	*isnew = 0;
	if ((i = grv_map_get(&m->cat_gone_ix, code)) != -1)
		return i;
	m->cats = keep_slot(m->cats, m->ncats, &m->ncats_gone,
	    sizeof(*m->cats), &i);
	c = &m->cats[i];
	keep_names(&c->code, &c->name, &c->name_hi, code);
	c->dept = -1;
	c->start_level = 1;
	grv_map_put(&m->cat_gone_ix, code, i);
	*isnew = 1;
	return i;
}

size_t
grv_masters_ngone(const struct grv_masters *m)
{
	return m->nretired + m->nlocs_gone + m->ndepts_gone + m->ncats_gone;
}

void
grv_officers_unretire(struct grv_masters *m)
{
	size_t i;

	for (i = m->nlocs; i < m->nlocs + m->nlocs_gone; i++) {
		free(m->locs[i].code);
		free(m->locs[i].name);
		free(m->locs[i].name_hi);
	}
	m->nlocs_gone = 0;
	grv_map_release(&m->loc_gone_ix);
	memset(&m->loc_gone_ix, 0, sizeof(m->loc_gone_ix));

	for (i = m->ndepts; i < m->ndepts + m->ndepts_gone; i++) {
		free(m->depts[i].code);
		free(m->depts[i].name);
		free(m->depts[i].name_hi);
	}
	m->ndepts_gone = 0;
	grv_map_release(&m->dept_gone_ix);
	memset(&m->dept_gone_ix, 0, sizeof(m->dept_gone_ix));

	for (i = m->ncats; i < m->ncats + m->ncats_gone; i++) {
		free(m->cats[i].code);
		free(m->cats[i].name);
		free(m->cats[i].name_hi);
	}
	m->ncats_gone = 0;
	grv_map_release(&m->cat_gone_ix);
	memset(&m->cat_gone_ix, 0, sizeof(m->cat_gone_ix));

	for (i = m->nofficers; i < m->nofficers + m->nretired; i++) {
		free(m->officers[i].code);
		free(m->officers[i].name);
		free(m->officers[i].designation);
		free(m->officers[i].phone);
	}
	m->nretired = 0;
	grv_map_release(&m->retired_ix);
	memset(&m->retired_ix, 0, sizeof(m->retired_ix));
}

void
grv_masters_release(struct grv_masters *m)
{
	size_t i;

	grv_officers_unretire(m);

	for (i = 0; i < m->ndepts && !m->arena; i++) {
		free(m->depts[i].code);
		free(m->depts[i].name);
		free(m->depts[i].name_hi);
	}
	for (i = 0; i < m->nlocs && !m->arena; i++) {
		free(m->locs[i].code);
		free(m->locs[i].name);
		free(m->locs[i].name_hi);
	}
	for (i = 0; i < m->nofficers && !m->arena; i++) {
		free(m->officers[i].code);
		free(m->officers[i].name);
		free(m->officers[i].designation);
		free(m->officers[i].phone);
	}
	for (i = 0; i < m->ncats && !m->arena; i++) {
		free(m->cats[i].code);
		free(m->cats[i].name);
		free(m->cats[i].name_hi);
	}
	free(m->depts);
	free(m->locs);
	free(m->officers);
	free(m->cats);
	free(m->holidays);
	if (m->arena)
		munmap(m->arena, m->arena_len);
	grv_map_release(&m->dept_ix);
	grv_map_release(&m->loc_ix);
	grv_map_release(&m->officer_ix);
	grv_map_release(&m->cat_ix);
	grv_imap_release(&m->post_ix);
	memset(m, 0, sizeof(*m));
}

int
grv_responsible(const struct grv_masters *m, int dept, int level, int loc)
{
	int o;

	for (; loc != -1; loc = m->locs[loc].parent) {
		o = grv_imap_get(&m->post_ix, (uint64_t)dept << 40 |
		    (uint64_t)level << 32 | (uint32_t)loc);
		if (o != -1)
			return o;
	}
	return -1;
}

int
grv_loc_within(const struct grv_masters *m, int loc, int anc)
{
	for (; loc != -1; loc = m->locs[loc].parent)
		if (loc == anc)
			return 1;
	return 0;
}

int
grv_sla_days(const struct grv_masters *m, const struct grv_conf *conf,
    int cat, int dept, int level)
{
	const struct grv_category *c = cat >= 0 ? &m->cats[cat] : NULL;

	if (c && c->nsla == 1)
		return c->sla[0];
	if (c && c->nsla > 1 && level >= 1 && level <= c->nsla)
		return c->sla[level - 1];
	if (dept >= 0 && m->depts[dept].sla)
		return m->depts[dept].sla;
	return conf->sla_days;
}

void
grv_cal_init(struct grv_cal *cal, const struct grv_masters *m,
    const struct grv_conf *conf)
{
	cal->working = conf->working;
	cal->weekend = conf->weekend;
	cal->tz = conf->tz;
	cal->holidays = m->holidays;
	cal->nholidays = m->nholidays;
}

void
grv_officer_desc(struct grv_buf *b, const struct grv_masters *m, int officer)
{
	const struct grv_officer *o;

	if (officer < 0) {
		grv_buf_adds(b, "(no officer)");
		return;
	}
	o = &m->officers[officer];
	if ((size_t)officer >= m->nofficers)
		grv_buf_printf(b, "%s (no longer in masters/officers.csv)",
		    o->code);
	else
		grv_buf_printf(b, "%s %s, %s", o->code, o->name,
		    o->designation);
}

void
grv_dept_desc(struct grv_buf *b, const struct grv_masters *m, int dept)
{
	const struct grv_dept *d;

	if (dept < 0) {
		grv_buf_adds(b, "(no department)");
		return;
	}
	d = &m->depts[dept];
	if ((size_t)dept >= m->ndepts) {
		grv_buf_printf(b, "%s (no longer in masters/departments.csv)",
		    d->code);
		return;
	}
	grv_buf_adds(b, d->name);
	if (d->name_hi && *d->name_hi)
		grv_buf_printf(b, " (%s)", d->name_hi);
}

void
grv_loc_desc(struct grv_buf *b, const struct grv_masters *m, int loc)
{
	const struct grv_loc *l = &m->locs[loc];

	if ((size_t)loc >= m->nlocs) {
		grv_buf_adds(b, "(no longer in masters/locations.csv)");
		return;
	}
	grv_buf_adds(b, l->name);
	if (l->name_hi && *l->name_hi)
		grv_buf_printf(b, " (%s)", l->name_hi);
	/* Then the wider places up to the district: "..., Theog, Shimla" */
	for (loc = l->parent; loc != -1 &&
	    m->locs[loc].kind != GRV_LOC_STATE; loc = m->locs[loc].parent)
		grv_buf_printf(b, ", %s", m->locs[loc].name);
}
