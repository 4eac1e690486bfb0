/* grv_conf.h: DIR/grv.conf and other "key = value" files. */
#ifndef GRV_CONF_H
#define GRV_CONF_H

#define GRV_MAXLEVELS	9

struct grv_conf {
	char	 node[32];	/* id prefix, default GRV */
	int	 tz;		/* minutes east of UTC, default +05:30 */
	int	 levels;	/* ladder height, default 4 */
	int	 sla_days;	/* default time limit per level, default 7 */
	int	 working;	/* calendar = working */
	unsigned weekend;	/* weekday bits, default Sunday */
	int	 feedback_days;	/* default 7 */
	int	 reopen_days;	/* default 30 (SPEC 7.2) */
	int	 reopen_max;	/* default 2 */
	int	 hold_days;	/* default 15 */
	int	 max_per_phone_day;	/* 0: no limit (SPEC 7.3) */
	int	 max_per_phone_month;
	int	 remind_hours;	/* grv-notify: the officer's reminder this
				   many hours before the due, default 24 */
	int	 sms_max_parts;	/* a template's longest message, default 3 */
	char	 notify_command[1024];	/* the gateway, "" = stdout */
};

/*
 * Call FN for every "key = value" line of DIR/REL (comments and blank lines
 * skipped; messages name REL); FN returns 0, or -1 after it printed why the
 * value is bad.  Returns 0, 1 when the file does not exist, -1 on errors.
 */
int	 grv_kv_read(const char *dir, const char *rel,
	    int (*fn)(void *ctx, const char *path, unsigned long line,
	    const char *key, const char *val), void *ctx);

void	 grv_conf_defaults(struct grv_conf *);
/* Load DIR/grv.conf over the defaults: 0, or GRV_EX_DATAERR (printed). */
int	 grv_conf_load(struct grv_conf *, const char *dir);

#endif
