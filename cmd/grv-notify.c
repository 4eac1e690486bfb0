/* grv-notify: tell people.  Every event not yet notified becomes one
 * message per recipient (the citizen, the officer it is placed with, the
 * officer it left) from masters/templates.csv, with the officers'
 * reminders before the due; the messages go to stdout or to the gateway
 * named by notify_command, and the cursor under ledger/ moves past them
 * only once they were taken. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_cache.h"
#include "grv_cmd.h"
#include "grv_msg.h"
#include "grv_notify.h"
#include "grv_role.h"
#include "grv_tmpl.h"

enum { OPT_SINCE = GRV_OPT_FIRST, OPT_TEMPLATES };

static const struct option longopts[] = {
	GRV_COMMON_LONGOPTS,
	{ "dry-run",	no_argument,		NULL, 'n' },
	{ "since",	required_argument,	NULL, OPT_SINCE },
	{ "templates",	no_argument,		NULL, OPT_TEMPLATES },
	{ NULL, 0, NULL, 0 }
};

static const char usage[] = "[--dry-run] [--since TIME]\n--templates";

static const char help[] =
"Messages for every event not yet notified: to the citizen when the\n"
"complaint is placed (its id, department and due), resolved, closed,\n"
"reopened or put on hold; to the officer on every placement and\n"
"remind_hours before the due; to the officer a complaint climbs away from.\n"
"Each is a template of masters/templates.csv filled in.  Output, to stdout\n"
"or on the standard input of grv.conf's notify_command:\n"
"to,lang,dlt_template_id,message,id,event_ts,key.  The cursor in\n"
"ledger/notify.cursor moves past them only once they were written (the\n"
"gateway exited 0); key is the same on every run, so a gateway can drop\n"
"a repeat.\n"
"\n"
"  -n, --dry-run      print the messages with masked phones; send nothing,\n"
"                     move nothing\n"
"      --since TIME   without a cursor yet: pass over, unsent, the events\n"
"                     and reminders before TIME\n"
"      --templates    check masters/templates.csv and print each template's\n"
"                     longest message: event,recipient,lang,\n"
"                     dlt_template_id,encoding,max_chars,max_parts\n";

int
main(int argc, char *argv[])
{
	struct grv_cmd cmd;
	struct grv_notify_opts o;
	struct grv_tmpls ts = GRV_TMPLS_INIT;
	const char *since = NULL;
	int c, rc, list = 0;

	memset(&o, 0, sizeof(o));
	o.since = GRV_TIME_NONE;
	o.out = stdout;
	grv_cmd_init(&cmd, argv, usage, help, longopts);
	while ((c = getopt_long(argc, argv, GRV_COMMON_SHORTOPTS "n",
	    longopts, NULL)) != -1) {
		if (grv_cmd_opt(&cmd, c, optarg))
			continue;
		if (c == 'n')
			o.dry_run = 1;
		else if (c == OPT_SINCE)
			since = optarg;
		else if (c == OPT_TEMPLATES)
			list = 1;
	}
	if (optind != argc && cmd.complete == NULL)
		grv_usage_error(&cmd, "unexpected argument '%s'", argv[optind]);
	if (list && (o.dry_run || since))
		grv_usage_error(&cmd, "--templates takes no other option");
	cmd.ctx.who.writer = !o.dry_run && !list;
	if (o.dry_run)	/* nothing written, cache/masters.bin neither */
		grv_cache_readonly(1);
	if ((rc = grv_cmd_load(&cmd)) != 0)
		return rc;
	if (since && grv_ctx_parse_time(&cmd.ctx, since, &o.since) == -1)
		grv_usage_error(&cmd, "--since: bad time '%s'", since);
	if (cmd.ctx.who.writer &&
	    (rc = grv_role_permit(&cmd.ctx, GRV_OP_NOTIFY, -1)) != 0)
		goto out;
	if ((rc = grv_tmpls_load(&ts, &cmd.ctx, cmd.ctx.conf.sms_max_parts))
	    != 0)
		goto out;
	if (list) {
		grv_tmpls_print(stdout, &ts);
		rc = grv_close_stdout();
		goto out;
	}
	if (o.dry_run)
		grv_cache_readonly(1);
	rc = grv_notify_run(&cmd.ctx, &ts, &o);
	if (rc == 0)
		rc = grv_close_stdout();
out:
	grv_tmpls_release(&ts);
	grv_cmd_release(&cmd);
	return rc;
}
