/* grv_notify.h: grv-notify's engine: the events not yet notified, one
 * message per recipient and event from masters/templates.csv, the
 * reminders before the due, delivered to stdout or the gateway, and the
 * cursor moved only after. */
#ifndef GRV_NOTIFY_H
#define GRV_NOTIFY_H

#include <stdio.h>

#include "grv_ctx.h"
#include "grv_tmpl.h"

struct grv_notify_opts {
	int		 dry_run;	/* masked phones, stdout, no cursor */
	grv_time_t	 since;		/* events and reminders before it are
					   passed over unsent (NONE: none) */
	FILE		*out;		/* stdout */
};

/*
 * Everything not yet notified at CTX's now: the event rows after the
 * cursor, and the reminders whose time (due - remind_hours) has come
 * since the last run and whose due has not passed, as CSV
 * to,lang,dlt_template_id,message,id,event_ts,key; given to the conf's
 * notify_command on its standard input (or written to O->out), and the
 * cursor moved past them only when that succeeded.  0, or an exit code
 * after saying why (GRV_EX_IOERR: the gateway failed, the cursor stays).
 */
int	 grv_notify_run(const struct grv_ctx *, const struct grv_tmpls *,
	    const struct grv_notify_opts *);

#endif
