/* grv-export: the ledger as other systems read it.  One format so far:
 * open311, an Open311 GeoReport v2 static feed. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "grv_cmd.h"
#include "grv_msg.h"
#include "grv_open311.h"

enum { OPT_WITH_TEXT = GRV_OPT_FIRST, OPT_URL, OPT_CONTACT };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "with-text",	no_argument,		NULL, OPT_WITH_TEXT },
	{ "url",	required_argument,	NULL, OPT_URL },
	{ "contact",	required_argument,	NULL, OPT_CONTACT },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] =
"open311 OUTDIR [--with-text] [--url URL] [--contact TEXT]";

static const char help[] =
"Write an Open311 GeoReport v2 static feed of the complaints as they stood\n"
"at --now into OUTDIR (made if missing): discovery, services (the\n"
"categories, grouped by department) and requests, each as .json and .xml,\n"
"and requests.csv, the bulk form.  No name or phone number is written.\n"
"\n"
"      --with-text    the complaint's text as each request's description\n"
"                     (left out by default: a text can name people)\n"
"      --url URL      the feed's address, for discovery (default: .)\n"
"      --contact TEXT who answers for the feed, for discovery\n";

static const char *const words[] = { "open311", NULL };

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	struct grv_open311_opts o;
	int c, rc;

	memset(&o, 0, sizeof(o));
	o.url = ".";
	o.contact = "";
	grv_cmd_init(&cmd, argv, usage, help, longopts);
	cmd.words = words;
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		switch (c) {
		case OPT_WITH_TEXT:
			o.with_text = 1;
			break;
		case OPT_URL:
			o.url = optarg;
			break;
		case OPT_CONTACT:
			o.contact = optarg;
			break;
		}
	}
	if (cmd.complete == NULL) {
		if (optind == argc)
			grv_usage_error(&cmd, "missing FORMAT (open311)");
		if (strcmp(argv[optind], "open311") != 0)
			grv_usage_error(&cmd, "unknown format '%s' (open311)",
			    argv[optind]);
		if (optind + 2 != argc)
			grv_usage_error(&cmd, optind + 1 == argc ?
			    "missing OUTDIR" : "one OUTDIR only");
		o.outdir = argv[optind + 1];
	}
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	rc = grv_open311_export(&cmd.ctx, &o);
	grv_cmd_release(&cmd);
	if (grv_close_stdout() != 0)
		return GRV_EX_IOERR;
	return rc;
}
