/* test_masters.c: grv.conf, the masters and their rules (lib/grv_conf.c,
 * lib/grv_masters.c) over tests/fixtures/state.  Run from the repo root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_conf.h"
#include "grv_masters.h"
#include "grv_msg.h"
#include "grv_phone.h"
#include "unit.h"
#include "unit_fs.h"

#define FIXTURE "tests/fixtures/state"

static struct grv_conf conf;
static struct grv_masters m;

static int
resp(const char *dept, int level, const char *loc)
{
	int d = grv_dept_find(&m, dept), l = grv_loc_find(&m, loc);

	if (d == -1 || l == -1) {
		printf("# no dept '%s' or loc '%s'\n", dept, loc);
		return -2;
	}
	return grv_responsible(&m, d, level, l);
}

static const char *
resp_code(const char *dept, int level, const char *loc)
{
	int o = resp(dept, level, loc);

	return o >= 0 ? m.officers[o].code : o == -1 ? "(none)" : "(bad)";
}

static int
sla(const char *cat, const char *dept, int level)
{
	return grv_sla_days(&m, &conf, cat ? grv_cat_find(&m, cat) : -1,
	    dept ? grv_dept_find(&m, dept) : -1, level);
}

static void
test_conf(void)
{
	struct grv_conf c;

	IS(grv_conf_load(&conf, FIXTURE), 0, "fixture grv.conf loads");
	STR(conf.node, "TS", "node = TS");
	IS(conf.tz, 330, "tz = +05:30");
	IS(conf.levels, 4, "levels = 4");
	IS(conf.sla_days, 7, "sla_days = 7");
	IS(conf.working, 0, "calendar = calendar");
	IS(conf.weekend, 1, "weekend = sun");
	IS(conf.feedback_days, 7, "feedback_days = 7");

	IS(grv_conf_load(&c, tmp_path("noconf")), 0, "no grv.conf: defaults");
	STR(c.node, "GRV", "default node GRV");
	IS(c.tz, 330, "default tz +05:30");
	IS(c.levels, 4, "default levels 4");
	IS(c.sla_days, 7, "default sla_days 7");
	IS(c.feedback_days, 7, "default feedback_days 7");

	{
		static const char good[] = "# comment\n\n node=MP \n"
		    "tz = -04:00 # trailing comment\nlevels = 3\n"
		    "calendar = working\nweekend = sat,sun\n";
		static const char *const bad[] = { "levels = 0\n",
		    "levels = 10\n", "tz = 5:30\n", "calendar = lunar\n",
		    "node = a b\n", "sla_days = -1\n", "colour = blue\n",
		    "just words\n", "weekend = funday\n", NULL };
		size_t i;
		char *err;

		put_file("grv.conf", good, sizeof(good) - 1);
		IS(grv_conf_load(&c, unit_tmp), 0, "a conf with comments and "
		    "spacing");
		STR(c.node, "MP", "node = MP");
		IS(c.tz, -240, "tz = -04:00");
		IS(c.levels, 3, "levels = 3");
		IS(c.working, 1, "calendar = working");
		IS(c.weekend, 0x41, "weekend = sat,sun");
		for (i = 0; bad[i]; i++) {
			put_file("grv.conf", bad[i], strlen(bad[i]));
			err_begin();
			IS(grv_conf_load(&c, unit_tmp), GRV_EX_DATAERR,
			    "conf '%.*s' refused", (int)strlen(bad[i]) - 1,
			    bad[i]);
			err = err_end();
			OK(strstr(err, "grv.conf:1:") != NULL, "the message "
			    "names grv.conf:1 (%s)", first_line(err));
			free(err);
		}
		unlink(tmp_path("grv.conf"));
	}
}

static void
test_load(void)
{
	int i, d;

	IS(grv_masters_load(&m, FIXTURE, &conf), 0, "fixture masters load");
	IS(m.ndepts, 3, "3 departments");
	IS(m.nlocs, 10, "10 locations");
	IS(m.nofficers, 21, "21 officers");
	IS(m.ncats, 6, "6 categories");
	IS(m.nholidays, 5, "5 holidays");
	IS(m.levels, 4, "levels from the conf");
	d = grv_dept_find(&m, "PWD");
	OK(d >= 0, "PWD found");
	if (d >= 0)
		STR(m.depts[d].name, "Public Works, Roads", "a quoted name "
		    "with a comma");
	i = grv_dept_find(&m, "EN");
	if (i >= 0)
		STR(m.depts[i].name_hi, "ऊर्जा विभाग", "a Devanagari name");
	IS(grv_dept_find(&m, "XX"), -1, "an unknown department is -1");
	i = grv_loc_find(&m, "D1-T1-B1");
	OK(i >= 0 && m.locs[i].kind == GRV_LOC_BLOCK, "D1-T1-B1 is a block");
	if (i >= 0) {
		IS(m.locs[i].parent, grv_loc_find(&m, "D1-T1"), "its parent is "
		    "D1-T1");
		IS(m.locs[i].district, grv_loc_find(&m, "D1"), "its district "
		    "is D1");
		IS(grv_loc_within(&m, i, grv_loc_find(&m, "D1")), 1,
		    "D1-T1-B1 is within D1");
		IS(grv_loc_within(&m, i, grv_loc_find(&m, "D2")), 0,
		    "D1-T1-B1 is not within D2");
		IS(grv_loc_within(&m, i, i), 1, "a place is within itself");
	}
	i = grv_loc_find(&m, "ST");
	OK(i >= 0 && m.locs[i].kind == GRV_LOC_STATE &&
	    m.locs[i].parent == -1 && m.locs[i].district == -1,
	    "ST is the state, no parent, no district");
	i = grv_loc_find(&m, "D2");
	OK(i >= 0 && m.locs[i].district == i, "a district is its own "
	    "district");
	i = grv_officer_find(&m, "EN-JE-B2");
	OK(i >= 0 && m.officers[i].active == 0, "EN-JE-B2 is inactive");
	i = grv_officer_find(&m, "EN-CE");
	OK(i >= 0 && m.officers[i].level == 4 &&
	    m.officers[i].dept == grv_dept_find(&m, "EN") &&
	    m.officers[i].loc == grv_loc_find(&m, "ST") &&
	    m.officers[i].active == 1, "EN-CE: EN, level 4, ST, active");
	if (i >= 0)
		STR(m.officers[i].phone, "9816000010", "EN-CE's phone");
	i = grv_cat_find(&m, "EN-BRIBE");
	OK(i >= 0 && m.cats[i].start_level == 3 && m.cats[i].nsla == 4,
	    "EN-BRIBE starts at level 3 with 4 time limits");
	i = grv_cat_find(&m, "EN-BILL");
	OK(i >= 0 && m.cats[i].start_level == 1 && m.cats[i].nsla == 0,
	    "EN-BILL starts at level 1, department's time limit");
	OK(m.nholidays == 5 && m.holidays[0] == 20479 &&
	    m.holidays[4] == 20812, "holidays are local day numbers, sorted");
	for (i = 1; i < (int)m.nholidays; i++)
		if (m.holidays[i - 1] >= m.holidays[i])
			break;
	IS(i, (int)m.nholidays, "holidays ascending");
}

static void
test_responsible(void)
{
	STR(resp_code("EN", 1, "D1-T1-B1"), "EN-JE-B1", "EN L1 at a block "
	    "with its own officer");
	STR(resp_code("EN", 1, "D1-T1-B2"), "EN-JE-T1", "EN L1: the block's "
	    "officer is inactive, the tehsil's takes it");
	STR(resp_code("EN", 1, "D1-T1"), "EN-JE-T1", "EN L1 at the tehsil");
	STR(resp_code("EN", 1, "D2-T1-B1"), "EN-JE-D2", "EN L1: nearest "
	    "ancestor is the district");
	STR(resp_code("EN", 1, "D1-T2-B1"), "(none)", "EN L1: nobody over "
	    "D1-T2-B1");
	STR(resp_code("EN", 2, "D1-T1-B1"), "EN-EE-T1", "EN L2 from a block");
	STR(resp_code("EN", 2, "D1-T2-B1"), "EN-EE-T2", "EN L2 other tehsil");
	STR(resp_code("EN", 3, "D1-T2-B1"), "EN-SE-D1", "EN L3: district");
	STR(resp_code("EN", 4, "D2-T1-B1"), "EN-CE", "EN L4: the state");
	STR(resp_code("EN", 4, "ST"), "EN-CE", "EN L4 at the state itself");
	STR(resp_code("EN", 1, "ST"), "(none)", "EN L1 for the whole state: "
	    "nobody (officers below do not count)");
	STR(resp_code("REV", 1, "D1-T1-B2"), "REV-TEH-D1T1", "REV L1: the "
	    "tehsildar");
	STR(resp_code("REV", 2, "D2-T1-B1"), "REV-SDM-D2", "REV L2");
	STR(resp_code("REV", 4, "D1"), "REV-DIVCOM", "REV L4");
	STR(resp_code("PWD", 1, "D1-T1-B1"), "(none)", "PWD has no level 1");
	IS(resp("PWD", 1, "D1-T1-B1"), -1, "PWD level 1 is -1");
	STR(resp_code("PWD", 2, "D2-T1-B1"), "PWD-EE", "PWD L2 from the state");
	STR(resp_code("PWD", 3, "D1"), "PWD-SE", "PWD L3");
}

static void
test_sla(void)
{
	IS(sla("EN-SUPPLY", "EN", 1), 3, "category single value, level 1");
	IS(sla("EN-SUPPLY", "EN", 4), 3, "category single value, level 4");
	IS(sla("EN-BRIBE", "EN", 1), 15, "per-level list, level 1");
	IS(sla("EN-BRIBE", "EN", 2), 15, "per-level list, level 2");
	IS(sla("EN-BRIBE", "EN", 3), 10, "per-level list, level 3");
	IS(sla("EN-BRIBE", "EN", 4), 10, "per-level list, level 4");
	IS(sla("REV-MUT", "REV", 1), 15, "department default (REV 15)");
	IS(sla("REV-DEMARC", "REV", 2), 30, "category 30 beats REV's 15");
	IS(sla("EN-BILL", "EN", 1), 7, "EN has none: conf default 7");
	IS(sla("PWD-ROAD", "PWD", 3), 7, "PWD has none: conf default 7");
	IS(sla("EN-BILL", "REV", 1), 15, "transferred to REV: REV's 15");
	IS(sla("EN-SUPPLY", "REV", 1), 3, "category value holds after a "
	    "transfer");
	IS(sla(NULL, "REV", 1), 15, "no category: department");
	IS(sla(NULL, NULL, 1), 7, "nothing: conf default");
}

/* A copy of the fixture under TMP/NAME. */
static const char *
copy_fixture(const char *name)
{
	char cmd[1024];
	const char *d = tmp_path(name);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -r " FIXTURE " '%s'",
	    d, d);
	if (system(cmd) != 0) {
		printf("# cannot copy the fixture\n");
		exit(2);
	}
	return d;
}

/* Append TEXT to masters/FILE in a copy, or replace it when REPLACE. */
static void
edit_master(const char *d, const char *file, const char *text, int replace)
{
	char path[1024];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/masters/%s", d, file);
	if ((fp = fopen(path, replace ? "w" : "a")) == NULL ||
	    fputs(text, fp) == EOF || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

static void
test_broken(void)
{
	static const struct {
		const char *file;
		const char *text;
		int replace;
		int rc;
		const char *where;	/* in stderr */
		const char *what;	/* in stderr too */
	} t[] = {
		{ "officers.csv", "X1,A,B,PWX,1,D1,,1\n", 0, 65,
		    "masters/officers.csv:23:", "unknown department 'PWX' "
		    "(did you mean 'PWD'?)" },
		{ "officers.csv", "X1,A,B,EN,1,D9,,1\n", 0, 65,
		    "masters/officers.csv:23:", "unknown location 'D9'" },
		{ "officers.csv", "X1,A,B,EN,5,D1,,1\n", 0, 65,
		    "masters/officers.csv:23:", "level" },
		{ "officers.csv", "X1,A,B,EN,1,D1,,yes\n", 0, 65,
		    "masters/officers.csv:23:", "active" },
		{ "officers.csv", "X1,A,B,EN,1,D1,12345,1\n", 0, 65,
		    "masters/officers.csv:23:", "phone" },
		{ "officers.csv", "EN-CE,A,B,EN,4,ST,,1\n", 0, 65,
		    "masters/officers.csv:23:", "EN-CE" },
		{ "officers.csv", "X1,A,B,EN,1\n", 0, 65,
		    "masters/officers.csv:23:", "fields" },
		{ "locations.csv", "D3,district,X,X,XX\n", 0, 65,
		    "masters/locations.csv:12:", "unknown parent location 'XX'" },
		{ "locations.csv", "D1-T1-B9,block,X,X,D1-T1-B1\n", 0, 65,
		    "masters/locations.csv:12:", "block 'D1-T1-B9' cannot sit "
		    "under block 'D1-T1-B1'" },
		{ "locations.csv", "D3,district,X,X,D1\n", 0, 65,
		    "masters/locations.csv:12:", "district 'D3' cannot sit "
		    "under district 'D1'" },
		{ "locations.csv", "D1,district,X,X,ST\n", 0, 65,
		    "masters/locations.csv:12:", "'D1'" },
		{ "locations.csv", "D3,county,X,X,ST\n", 0, 65,
		    "masters/locations.csv:12:", "kind 'county'" },
		{ "locations.csv", "ST2,state,X,X,\n", 0, 65,
		    "masters/locations.csv:12:", "state" },
		{ "locations.csv", "D3,district,X,X,\n", 0, 65,
		    "masters/locations.csv:12:", "no parent" },
		{ "categories.csv", "C1,X,X,EN,15;;10,\n", 0, 65,
		    "masters/categories.csv:8:", "sla_days '15;;10'" },
		{ "categories.csv", "C1,X,X,EN,15;15;;10;10,\n", 0, 65,
		    "masters/categories.csv:8:", "sla_days" },
		{ "categories.csv", "C1,X,X,EN,15;15;10,\n", 0, 65,
		    "masters/categories.csv:8:", "sla_days" },
		{ "categories.csv", "C1,X,X,EN,7;,\n", 0, 65,
		    "masters/categories.csv:8:", "sla_days '7;'" },
		{ "categories.csv", "C1,X,X,EN,;7,\n", 0, 65,
		    "masters/categories.csv:8:", "sla_days ';7'" },
		{ "categories.csv", "C1,X,X,EN,0,\n", 0, 65,
		    "masters/categories.csv:8:", "sla_days '0'" },
		{ "categories.csv", "C1,X,X,EN,7,5\n", 0, 65,
		    "masters/categories.csv:8:", "start_level" },
		{ "categories.csv", "C1,X,X,ENX,7,\n", 0, 65,
		    "masters/categories.csv:8:", "unknown department 'ENX'" },
		{ "categories.csv", "EN-BILL,X,X,EN,7,\n", 0, 65,
		    "masters/categories.csv:8:", "EN-BILL" },
		{ "departments.csv", "EN,Energy again,X,\n", 0, 65,
		    "masters/departments.csv:5:", "'EN'" },
		{ "departments.csv", "AG,Agriculture,X,seven\n", 0, 65,
		    "masters/departments.csv:5:", "sla_days" },
		{ "departments.csv", "A G,Agriculture,X,\n", 0, 65,
		    "masters/departments.csv:5:", "'A G'" },
		{ "holidays.csv", "2026-02-30,Nope\n", 0, 65,
		    "masters/holidays.csv:7:", "'2026-02-30'" },
		{ "holidays.csv", "2026-1-30,Nope\n", 0, 65,
		    "masters/holidays.csv:7:", "date" },
		{ "departments.csv", "dept,name,sla_days\nEN,Energy,\n", 1, 65,
		    "masters/departments.csv:1:", "name_hi" },
		{ "departments.csv", "dept,name,name_hi,sla_days\nEN,\"Ene\"rgy"
		    ",X,\n", 1, 65, "masters/departments.csv:2:", "" },
		{ "departments.csv", "", 1, 65, "masters/departments.csv:1:",
		    "empty" },
	};
	size_t i;
	struct grv_masters b;
	char *err;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *d = copy_fixture("broken");

		edit_master(d, t[i].file, t[i].text, t[i].replace);
		err_begin();
		rc = grv_masters_load(&b, d, &conf);
		err = err_end();
		IS(rc, t[i].rc, "%s + '%.*s': refused with %d", t[i].file,
		    (int)strcspn(t[i].text, "\n"), t[i].text, t[i].rc);
		OK(strstr(err, t[i].where) && strstr(err, t[i].what),
		    "and the message says %s ... %s (%s)", t[i].where,
		    t[i].what, first_line(err));
		free(err);
		grv_masters_release(&b);
	}
}

static void
test_files(void)
{
	struct grv_masters b;
	const char *d;
	char path[1024], *err;
	int rc;

	/* A missing required file. */
	d = copy_fixture("missing");
	snprintf(path, sizeof(path), "%s/masters/officers.csv", d);
	unlink(path);
	err_begin();
	rc = grv_masters_load(&b, d, &conf);
	err = err_end();
	IS(rc, GRV_EX_NOINPUT, "no officers.csv: 66");
	OK(strstr(err, "masters/officers.csv") != NULL, "the message names "
	    "masters/officers.csv (%s)", first_line(err));
	free(err);
	grv_masters_release(&b);

	/* holidays.csv is optional. */
	d = copy_fixture("noholidays");
	snprintf(path, sizeof(path), "%s/masters/holidays.csv", d);
	unlink(path);
	err_begin();
	rc = grv_masters_load(&b, d, &conf);
	err = err_end();
	IS(rc, 0, "no holidays.csv: fine");
	IS(b.nholidays, 0, "and no holidays");
	STR(err, "", "and nothing said");
	free(err);
	grv_masters_release(&b);

	/* A spreadsheet export: BOM, CR-LF, extra columns, reordered
	   columns, a child listed before its parent, a blank line. */
	d = copy_fixture("excel");
	edit_master(d, "locations.csv", "\xef\xbb\xbfparent,loc,kind,name,"
	    "name_hi,remarks\r\nD1-T1,D1-T1-B1,block,Theog Block,,x\r\n"
	    ",ST,state,Teststate,,\r\nST,D1,district,Shimla,,\r\n\r\n"
	    "D1,D1-T1,tehsil,Theog,,\r\n", 1);
	edit_master(d, "officers.csv", "officer,name,designation,dept,level,"
	    "loc,phone,active\r\nEN-JE-B1,A,JE,EN,1,D1-T1-B1,"
	    "+91 98160 00001,1\r\n", 1);
	edit_master(d, "categories.csv", "category,name,name_hi,dept,"
	    "sla_days,start_level\r\nEN-SUPPLY,X,X,EN,3,\r\n", 1);
	err_begin();
	rc = grv_masters_load(&b, d, &conf);
	err = err_end();
	IS(rc, 0, "a spreadsheet export loads (%s)", first_line(err));
	free(err);
	IS(b.nlocs, 4, "4 locations");
	if (b.nlocs == 4) {
		int blk = grv_loc_find(&b, "D1-T1-B1");

		OK(blk >= 0 && b.locs[blk].parent == grv_loc_find(&b, "D1-T1")
		    && b.locs[blk].district == grv_loc_find(&b, "D1"),
		    "a block listed before its tehsil is linked");
		STR(b.locs[grv_loc_find(&b, "ST")].name, "Teststate",
		    "the BOM does not hide the first column");
	}
	if (b.nofficers == 1)
		STR(b.officers[0].phone, "9816000001", "officer phone "
		    "normalised");
	grv_masters_release(&b);
}

static void
test_phone(void)
{
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "9816000001", "9816000001" },
		{ "+919816000001", "9816000001" },
		{ "+91 98160 00001", "9816000001" },
		{ "+91-98160-00001", "9816000001" },
		{ "09816000001", "9816000001" },
		{ "6000000000", "6000000000" },
		{ "7000000001", "7000000001" },
		{ "98160 00001", "9816000001" },
		{ "0141-2222222", "01412222222" },
		{ "01412222222", "01412222222" },
		{ "0 7612420000", "7612420000" },
		{ "0761-2420000", "07612420000" },
		{ "07612-420000", "07612420000" },
		{ "080 2222 3333", "08022223333" },
		{ "0522-222-3333", "05222223333" },
	};
	static const char *const bad[] = { "5816000001", "981600000",
	    "98160000011", "919816000001", "", "+91", "98160O0001",
	    "+9198160000", "0581600000", "1234567890", "+91 5816000001",
	    "98160000012345678901234567890123456789", "00141222222",
	    "0141222222", "1412222222", "+91 01412222222", "+91 1412222222",
	    "0141-22222222" };
	static const char *const twoways[] = { "07612420000",
	    "076124-20000", "0761242-0000", "07-612420000" };
	char out[GRV_PHONE_SIZE];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(out, 0, sizeof(out));
		IS(grv_phone_norm(good[i].in, out), 0, "phone '%s' accepted",
		    good[i].in);
		STR(out, good[i].out, "phone '%s' normalised", good[i].in);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		IS(grv_phone_norm(bad[i], out), -1, "phone '%s' refused",
		    bad[i]);
	for (i = 0; i < sizeof(twoways) / sizeof(twoways[0]); i++)
		IS(grv_phone_norm(twoways[i], out), GRV_PHONE_AMBIGUOUS,
		    "phone '%s' refused as ambiguous", twoways[i]);
	grv_phone_mask("01412222222", out);
	STR(out, "01XXXXXXX22", "mask of a landline");
	grv_phone_mask("9816000010", out);
	STR(out, "98XXXXXX10", "mask 9816000010");
	grv_phone_mask("7012345678", out);
	STR(out, "70XXXXXX78", "mask 7012345678");
	grv_phone_mask("", out);
	STR(out, "", "mask of no phone is empty");
	grv_phone_mask("12345", out);
	STR(out, "XXXXXXXXXX", "mask of a short number hides it all");
}

static void
test_suggest(void)
{
	STR(grv_suggest(&m.dept_ix, "PWX"), "PWD", "suggest PWD for PWX");
	STR(grv_suggest(&m.dept_ix, "ENN"), "EN", "suggest EN for ENN");
	OK(grv_suggest(&m.dept_ix, "AGRI") == NULL, "nothing near AGRI");
	STR(grv_suggest(&m.officer_ix, "EN-JE-B3"), "EN-JE-B1", "suggest "
	    "EN-JE-B1 for EN-JE-B3 (ties: the first in order)");
	STR(grv_suggest(&m.loc_ix, "D1-T1-B"), "D1-T1-B1", "suggest "
	    "D1-T1-B1 for D1-T1-B");
	STR(grv_suggest(&m.cat_ix, "EN-SUPLY"), "EN-SUPPLY", "suggest "
	    "EN-SUPPLY for EN-SUPLY");
	STR(grv_suggest(&m.loc_ix, "D2"), "D2", "an exact code suggests "
	    "itself");
}

int
main(void)
{
	tmp_init("test-masters");
	if (access(FIXTURE "/masters/officers.csv", R_OK) == -1) {
		printf("not ok 1 - %s not found: run from the repository "
		    "root\n", FIXTURE);
		tmp_cleanup();
		return 1;
	}
	test_conf();
	test_load();
	test_responsible();
	test_sla();
	test_suggest();
	test_broken();
	test_files();
	test_phone();
	grv_masters_release(&m);
	tmp_cleanup();
	return DONE();
}
