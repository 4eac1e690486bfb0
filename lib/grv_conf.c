/* grv_conf.c: DIR/grv.conf and other "key = value" files. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grv_buf.h"
#include "grv_conf.h"
#include "grv_msg.h"
#include "grv_parse.h"
#include "grv_time.h"

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
grv_kv_read(const char *dir, const char *path, int (*fn)(void *,
    const char *, unsigned long, const char *, const char *), void *ctx)
{
	struct grv_buf full = GRV_BUF_INIT;
	FILE *fp;
	char *line = NULL, *p, *eq, *key, *val;
	size_t cap = 0;
	unsigned long ln = 0;
	int rc = 0;

	grv_buf_printf(&full, "%s/%s", dir, path);
	fp = fopen(full.s, "r");
	grv_buf_release(&full);
	if (fp == NULL) {
		if (errno == ENOENT)
			return 1;
		grv_err("%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, fp) != -1) {
		ln++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		p = trim(line);
		if (*p == '\0')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			grv_err("%s:%lu: expected 'key = value'", path, ln);
			rc = -1;
			continue;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (fn(ctx, path, ln, key, val) == -1)
			rc = -1;
	}
	if (ferror(fp)) {
		grv_err("%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(fp);
	return rc;
}

void
grv_conf_defaults(struct grv_conf *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->node, "GRV");
	c->tz = 330;
	c->levels = 4;
	c->sla_days = 7;
	c->working = 0;
	c->weekend = 1u << 0;
	c->feedback_days = 7;
	c->reopen_days = 30;
	c->reopen_max = 2;
	c->hold_days = 15;
	c->remind_hours = 24;
	c->sms_max_parts = 3;
	c->notify_command[0] = '\0';
}

static int
conf_kv(void *ctx, const char *path, unsigned long ln, const char *key,
    const char *val)
{
	struct grv_conf *c = ctx;
	const char *p;
	long v;

	if (strcmp(key, "node") == 0) {
		for (p = val; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				break;
		if (*val == '\0' || *p || strlen(val) >= sizeof(c->node))
			goto bad;
		strcpy(c->node, val);
	} else if (strcmp(key, "tz") == 0) {
		if (grv_tz_parse(val, &c->tz) == -1)
			goto bad;
	} else if (strcmp(key, "levels") == 0) {
		if (grv_parse_int(val, 1, GRV_MAXLEVELS, &v) == -1)
			goto bad;
		c->levels = (int)v;
	} else if (strcmp(key, "sla_days") == 0) {
		if (grv_parse_int(val, 1, 3650, &v) == -1)
			goto bad;
		c->sla_days = (int)v;
	} else if (strcmp(key, "calendar") == 0) {
		if (strcmp(val, "calendar") == 0)
			c->working = 0;
		else if (strcmp(val, "working") == 0)
			c->working = 1;
		else
			goto bad;
	} else if (strcmp(key, "weekend") == 0) {
		if (grv_weekend_parse(val, &c->weekend) == -1)
			goto bad;
	} else if (strcmp(key, "feedback_days") == 0) {
		if (grv_parse_int(val, 1, 3650, &v) == -1)
			goto bad;
		c->feedback_days = (int)v;
	} else if (strcmp(key, "reopen_days") == 0) {
		if (grv_parse_int(val, 0, 3650, &v) == -1)
			goto bad;
		c->reopen_days = (int)v;
	} else if (strcmp(key, "reopen_max") == 0) {
		if (grv_parse_int(val, 0, 31, &v) == -1)
			goto bad;
		c->reopen_max = (int)v;
	} else if (strcmp(key, "hold_days") == 0) {
		if (grv_parse_int(val, 1, 3650, &v) == -1)
			goto bad;
		c->hold_days = (int)v;
	} else if (strcmp(key, "max_per_phone_day") == 0) {
		if (grv_parse_int(val, 0, 100000, &v) == -1)
			goto bad;
		c->max_per_phone_day = (int)v;
	} else if (strcmp(key, "max_per_phone_month") == 0) {
		if (grv_parse_int(val, 0, 1000000, &v) == -1)
			goto bad;
		c->max_per_phone_month = (int)v;
	} else if (strcmp(key, "remind_hours") == 0) {
		if (grv_parse_int(val, 0, 24 * 3650, &v) == -1)
			goto bad;
		c->remind_hours = (int)v;
	} else if (strcmp(key, "sms_max_parts") == 0) {
		if (grv_parse_int(val, 1, 10, &v) == -1)
			goto bad;
		c->sms_max_parts = (int)v;
	} else if (strcmp(key, "notify_command") == 0) {
		if (strlen(val) >= sizeof(c->notify_command))
			goto bad;
		strcpy(c->notify_command, val);
	} else {
		grv_err("%s:%lu: unknown key '%s'", path, ln, key);
		return -1;
	}
	return 0;
bad:
	grv_err("%s:%lu: bad value '%s' for '%s'", path, ln, val, key);
	return -1;
}

int
grv_conf_load(struct grv_conf *c, const char *dir)
{
	int rc;

	grv_conf_defaults(c);
	rc = grv_kv_read(dir, "grv.conf", conf_kv, c);
	return rc == -1 ? GRV_EX_DATAERR : 0;
}
