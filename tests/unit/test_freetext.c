/* test_freetext.c: grv_rule_freetext, the one check of the free text a
 * writer is handed, and the words it is refused in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_buf.h"
#include "grv_rules.h"
#include "unit.h"

static void
test_answers(void)
{
	static const struct {
		const char	*s;
		int		 required, want;
	} t[] = {
		{ "a call about the meter", 1, GRV_TEXT_OK },
		{ "", 1, GRV_TEXT_BLANK },
		{ "", 0, GRV_TEXT_OK },
		{ " \t ", 1, GRV_TEXT_BLANK },
		{ " \t ", 0, GRV_TEXT_OK },
		{ "\n", 1, GRV_TEXT_OK },	/* blank is spaces and tabs */
		{ "line\tand\nbreak\r", 1, GRV_TEXT_OK },
		{ "\xff", 1, GRV_TEXT_UTF8 },
		{ "a\x01" "b", 1, GRV_TEXT_CTRL },
		{ "a\x7f" "b", 0, GRV_TEXT_CTRL },
		{ "\xc2\x80", 0, GRV_TEXT_CTRL },
		{ "\xe0\xa4\xb8", 1, GRV_TEXT_OK },
	};
	char big[GRV_TEXT_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		IS(grv_rule_freetext(t[i].s, strlen(t[i].s), t[i].required),
		    t[i].want, "free text %zu: answer %d", i, t[i].want);
	memset(big, 'a', sizeof(big));
	IS(grv_rule_freetext(big, GRV_TEXT_MAX, 1), GRV_TEXT_OK,
	    "GRV_TEXT_MAX bytes are allowed");
	IS(grv_rule_freetext(big, GRV_TEXT_MAX + 1, 1), GRV_TEXT_LONG,
	    "GRV_TEXT_MAX + 1 bytes are too long");
	IS(grv_rule_freetext("a\0b", 3, 1), GRV_TEXT_UTF8,
	    "a NUL inside the bytes is not text");
}

static void
test_words(void)
{
	static const struct {
		int		 k;
		size_t		 n;
		const char	*want;
	} t[] = {
		{ GRV_TEXT_LONG, 4001, "4001 bytes, at most 4000 allowed" },
		{ GRV_TEXT_UTF8, 1, "not valid UTF-8" },
		{ GRV_TEXT_CTRL, 3, "holds a control character (only tab and "
		    "line breaks are allowed)" },
		{ GRV_TEXT_BLANK, 0, "empty" },
	};
	struct grv_buf b = GRV_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		grv_buf_reset(&b);
		grv_freetext_why(&b, t[i].k, t[i].n);
		STR(b.s, t[i].want, "the words for answer %d", t[i].k);
	}
	grv_buf_release(&b);
}

int
main(void)
{
	test_answers();
	test_words();
	return DONE();
}
