/* test_format.c: the table writers (lib/grv_format.c) and the grading
 * arithmetic (lib/grv_report.c): alignment by display width, json
 * escaping, the formula guard, exact rounding, groups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_buf.h"
#include "grv_format.h"
#include "grv_report.h"
#include "unit.h"

static char *
render(const struct grv_table *t, int fmt, unsigned flags)
{
	struct grv_buf b = GRV_BUF_INIT;

	grv_buf_adds(&b, "");
	grv_table_write(t, fmt, flags, &b);
	return b.s;
}

static void
test_writers(void)
{
	static const char *const cols[] = { "code", "name", "n", "score",
	    NULL };
	struct grv_table t = GRV_TABLE_INIT;
	char *s;

	grv_table_init(&t, cols);
	grv_table_str(&t, "EN");
	grv_table_str(&t, "ऊर्जा विभाग");		/* 10 columns, 31 bytes */
	grv_table_int(&t, 12);
	grv_table_fix2(&t, 6167);
	grv_table_str(&t, "X");
	grv_table_str(&t, "=1+2 \"q\"\t\\");
	grv_table_int(&t, -3);
	grv_table_null(&t);
	IS(grv_table_rows(&t), 2, "two rows");

	s = render(&t, GRV_FMT_TABLE, 0);
	STR(s,
	    "code  name            n  score\n"
	    "EN    ऊर्जा विभाग     12  61.67\n"
	    "X     '=1+2 \"q\"\\t\\\\  -3\n",
	    "table pads by display width, numbers right, no trailing blanks");
	free(s);

	s = render(&t, GRV_FMT_CSV, 0);
	STR(s, "code,name,n,score\nEN,ऊर्जा विभाग,12,61.67\n"
	    "X,\"'=1+2 \"\"q\"\"\t\\\",-3,\n", "csv guards and quotes");
	free(s);

	s = render(&t, GRV_FMT_TSV, GRV_FMT_BOM);
	STR(s, "\xef\xbb\xbf" "code\tname\tn\tscore\nEN\tऊर्जा विभाग\t12\t61.67\n"
	    "X\t'=1+2 \"q\"\\t\\\\\t-3\t\n", "tsv escapes tab and backslash");
	free(s);

	s = render(&t, GRV_FMT_JSON, GRV_FMT_BOM);
	STR(s, "[\n{\"code\":\"EN\",\"name\":\"ऊर्जा विभाग\",\"n\":12,"
	    "\"score\":61.67},\n{\"code\":\"X\",\"name\":\"'=1+2 \\\"q\\\"\\t"
	    "\\\\\",\"n\":-3,\"score\":null}\n]\n",
	    "json: no BOM, escapes, numbers and null");
	free(s);
	grv_table_release(&t);

	grv_table_init(&t, cols);
	s = render(&t, GRV_FMT_JSON, 0);
	STR(s, "[]\n", "an empty json array");
	free(s);
	grv_table_release(&t);

	IS(grv_fmt_parse("table"), GRV_FMT_TABLE, "format names");
	IS(grv_fmt_parse("xlsx"), -1, "an unknown format");
}

static int64_t
score(const struct grv_grading *g, int64_t n, int64_t sat, int64_t old,
    int64_t old_sat, int64_t forced, int64_t unatt)
{
	struct grv_gcount c = { n, sat, old, old_sat, forced, unatt };

	return grv_grading_score(g, &c);
}

static void
test_grading(void)
{
	struct grv_grading g;

	grv_grading_defaults(&g);
	IS(score(&g, 12, 6, 3, 2, 1, 1), 6167, "61.666.. rounds up");
	IS(score(&g, 6, 1, 2, 0, 0, 2), 2667, "26.666.. rounds up");
	IS(score(&g, 14, 6, 3, 2, 0, 2), 5762, "57.619.. rounds up");
	IS(score(&g, 3, 0, 0, 0, 0, 1), 3667, "36.666..: old 0 is full");
	IS(score(&g, 1, 1, 0, 0, 0, 0), 10000, "a perfect 100");
	IS(score(&g, 1, 0, 1, 0, 1, 1), 0, "a zero");
	/* 60*1/8 = 7.5 exactly; 20*0/1; 10*7/8 = 8.75; 10*... = 10:
	   26.25 exactly.  Half cases: w_sat 0.01 * 1/2 = 0.005 -> 0.01. */
	IS(score(&g, 8, 1, 1, 0, 1, 0), 2625, "an exact quarter");
	g.w_sat = 1;
	g.w_old = g.w_forced = g.w_unattended = 0;
	IS(score(&g, 2, 1, 0, 0, 0, 0), 1, "0.005 rounds half away from zero");
	IS(score(&g, 8, 3, 0, 0, 0, 0), 0, "0.00375 rounds down");
	grv_grading_defaults(&g);
	STR(grv_grading_grade(&g, 8000), "A", "80.00 is an A");
	STR(grv_grading_grade(&g, 7999), "B", "79.99 is a B");
	STR(grv_grading_grade(&g, 6000), "C", "60.00 is a C");
	STR(grv_grading_grade(&g, 5999), "D", "59.99 is a D");
	IS(grv_grading_group(&g, 10000), 1, "10000 is group 1");
	IS(grv_grading_group(&g, 9999), 2, "9999 is group 2");
	IS(grv_grading_group(&g, 2000), 2, "2000 is group 2");
	IS(grv_grading_group(&g, 1999), 3, "1999 is group 3");
	IS(grv_report_kind("mapping"), GRV_REP_MAPPING, "kind names");
	IS(grv_report_kind("map"), -1, "no abbreviations");
}

int
main(void)
{
	test_writers();
	test_grading();
	return DONE();
}
