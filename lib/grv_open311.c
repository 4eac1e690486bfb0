/* grv_open311.c: an Open311 GeoReport v2 static feed.
 *
 * GeoReport v2 is the open standard other systems (a city's 311 desk, a
 * state dashboard, researchers) read service requests in.  A static feed
 * is the answers of its GET calls as files a web server can serve:
 *   discovery.json|xml  the endpoint: changeset (--now), contact, url,
 *                       the formats
 *   services.json|xml   one service per category: service_code (the
 *                       category code), service_name, description (its
 *                       Hindi name), metadata false, type realtime,
 *                       keywords (the department code), group (the
 *                       department's name)
 *   requests.json|xml   one request per complaint registered by --now:
 *                       service_request_id, status open|closed,
 *                       status_notes (grv's own status and level, or the
 *                       closure's reason), service_name, service_code,
 *                       description (only with --with-text: a complaint's
 *                       text can name people), agency_responsible (the
 *                       holding department, or the category's while new),
 *                       requested_datetime (registered), updated_datetime
 *                       (the last placement, resolve or closure),
 *                       expected_datetime (the due, while open), address
 *                       (the place's names up to the state), address_id
 *                       (its code)
 *   requests.csv        the same requests, one a row, the bulk form
 * No name and no phone number, ever: the feed is public.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grv_alloc.h"
#include "grv_csvw.h"
#include "grv_file.h"
#include "grv_format.h"
#include "grv_layout.h"
#include "grv_msg.h"
#include "grv_open311.h"
#include "grv_state.h"
#include "grv_xml.h"

/* One field of a request: its name and text, or NULL for none. */
#define NFIELDS	13
static const char *const fields[NFIELDS] = { "service_request_id", "status",
	"status_notes", "service_name", "service_code", "description",
	"agency_responsible", "requested_datetime", "updated_datetime",
	"expected_datetime", "address", "address_id", "source" };

struct feed {
	const struct grv_ctx	*ctx;
	const struct grv_open311_opts *o;
	char			**text;		/* per complaint, --with-text */
	uint32_t		 ntext;
};

static int
text_row(void *arg, uint32_t n, const struct grv_cstate *cs,
    const struct grv_csv_row *row)
{
	struct feed *f = arg;

	(void)cs;
	if (n > f->ntext) {
		f->text = grv_reallocarray(f->text, n, sizeof(*f->text));
		memset(f->text + f->ntext, 0, (n - f->ntext) *
		    sizeof(*f->text));
		f->ntext = n;
	}
	free(f->text[n - 1]);
	f->text[n - 1] = grv_csv_unescape(row->f[GRV_C_TEXT]);
	return 0;
}

/* "Theog, Theog, Shimla, Himachal Pradesh": the place up to the state. */
static void
address(const struct grv_masters *m, int loc, struct grv_buf *b)
{
	for (; loc >= 0 && (size_t)loc < m->nlocs; loc = m->locs[loc].parent) {
		if (b->len)
			grv_buf_adds(b, ", ");
		grv_buf_adds(b, m->locs[loc].name);
	}
}

static const char *
loc_code(const struct grv_masters *m, int loc)
{
	return loc >= 0 && (size_t)loc < m->nlocs ? m->locs[loc].code : "";
}

/* The request's fields into V (texts owned by BUFS). */
static void
request(const struct feed *f, uint32_t n, const struct grv_cstate *cs,
    char *v[NFIELDS], char ts[3][GRV_TSLEN], struct grv_buf *notes,
    struct grv_buf *addr, char *id, size_t idsz)
{
	const struct grv_ctx *ctx = f->ctx;
	const struct grv_masters *m = &ctx->m;
	const struct grv_category *cat = &m->cats[cs->category];
	int dept = cs->dept >= 0 ? cs->dept : cat->dept;
	grv_time_t upd = cs->registered;

	grv_id_format(ctx->conf.node, n, id, idsz);
	grv_buf_reset(notes);
	grv_buf_reset(addr);
	if (cs->status == GRV_ST_CLOSED)
		grv_buf_printf(notes, "closed %s",
		    grv_reason_names[cs->close_reason]);
	else if (cs->status == GRV_ST_NEW)
		grv_buf_adds(notes, "registered, not yet placed");
	else
		grv_buf_printf(notes, "%s at level %d",
		    grv_status_names[cs->status], cs->level);
	address(m, cs->loc, addr);
	if (cs->placed != GRV_TIME_NONE && cs->placed > upd)
		upd = cs->placed;
	if (cs->resolved != GRV_TIME_NONE && cs->resolved > upd)
		upd = cs->resolved;
	if (cs->status == GRV_ST_CLOSED && cs->closed > upd)
		upd = cs->closed;
	grv_time_format(cs->registered, ctx->conf.tz, ts[0]);
	grv_time_format(upd, ctx->conf.tz, ts[1]);
	if (cs->status != GRV_ST_CLOSED && cs->due != GRV_TIME_NONE)
		grv_time_format(cs->due, ctx->conf.tz, ts[2]);
	v[0] = id;
	v[1] = (char *)(cs->status == GRV_ST_CLOSED ? "closed" : "open");
	v[2] = notes->s;
	v[3] = cat->name;
	v[4] = cat->code;
	v[5] = f->o->with_text && n <= f->ntext ? f->text[n - 1] : NULL;
	/* (none for a complaint never placed whose category the masters
	   no longer list; a department they no longer list: its code) */
	v[6] = dept < 0 ? NULL : *m->depts[dept].name ? m->depts[dept].name :
	    m->depts[dept].code;
	v[7] = ts[0];
	v[8] = ts[1];
	v[9] = cs->status != GRV_ST_CLOSED && cs->due != GRV_TIME_NONE ?
	    ts[2] : NULL;
	v[10] = addr->s;
	v[11] = (char *)loc_code(m, cs->loc);
	v[12] = (char *)grv_channel_names[GRV_CS_CHANNEL(cs)];
}

/* OUTDIR/NAME from B, through NAME.tmp and a rename. */
static int
put(const char *dir, const char *name, const struct grv_buf *b)
{
	char path[4096], tmp[4200];
	FILE *fp;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL) {
		grv_err("%s: %s", tmp, strerror(errno));
		return GRV_EX_CANTCREAT;
	}
	bad = fwrite(b->s ? b->s : "", 1, b->len, fp) != b->len;
	bad |= fflush(fp) != 0 || fsync(fileno(fp)) != 0;
	if (fclose(fp) != 0 || bad || rename(tmp, path) != 0) {
		grv_err("%s: %s", path, strerror(errno));
		unlink(tmp);
		return GRV_EX_IOERR;
	}
	return 0;
}

static void
jfield(struct grv_buf *b, const char *k, const char *v, int first)
{
	if (!first)
		grv_buf_addc(b, ',');
	grv_json_str(k, b);
	grv_buf_addc(b, ':');
	if (v)
		grv_json_str(v, b);
	else
		grv_buf_adds(b, "null");
}

static void
xfield(struct grv_buf *b, const char *k, const char *v)
{
	if (v == NULL) {
		grv_buf_printf(b, "<%s/>", k);
		return;
	}
	grv_buf_printf(b, "<%s>", k);
	grv_xml_esc(b, v);
	grv_buf_printf(b, "</%s>", k);
}

static void
discovery(const struct feed *f, struct grv_buf *j, struct grv_buf *x)
{
	char ts[GRV_TSLEN];

	grv_time_format(f->ctx->now, f->ctx->conf.tz, ts);
	grv_buf_adds(j, "{");
	jfield(j, "changeset", ts, 1);
	jfield(j, "contact", f->o->contact, 0);
	jfield(j, "key_service", "", 0);
	grv_buf_adds(j, ",\"endpoints\":[{");
	jfield(j, "specification", "http://wiki.open311.org/GeoReport_v2", 1);
	jfield(j, "url", f->o->url, 0);
	jfield(j, "changeset", ts, 0);
	jfield(j, "type", "production", 0);
	grv_buf_adds(j, ",\"formats\":[\"application/json\",\"text/xml\"]}]}"
	    "\n");
	grv_buf_adds(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<discovery>");
	xfield(x, "changeset", ts);
	xfield(x, "contact", f->o->contact);
	xfield(x, "key_service", "");
	grv_buf_adds(x, "<endpoints><endpoint>");
	xfield(x, "specification", "http://wiki.open311.org/GeoReport_v2");
	xfield(x, "url", f->o->url);
	xfield(x, "changeset", ts);
	xfield(x, "type", "production");
	grv_buf_adds(x, "<formats><format>application/json</format>"
	    "<format>text/xml</format></formats></endpoint></endpoints>"
	    "</discovery>\n");
}

static void
services(const struct feed *f, struct grv_buf *j, struct grv_buf *x)
{
	const struct grv_masters *m = &f->ctx->m;
	const struct grv_category *c;
	size_t i;

	grv_buf_adds(j, "[");
	grv_buf_adds(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<services>\n");
	for (i = 0; i < m->ncats; i++) {
		c = &m->cats[i];
		grv_buf_adds(j, i ? ",\n{" : "\n{");
		jfield(j, "service_code", c->code, 1);
		jfield(j, "service_name", c->name, 0);
		jfield(j, "description", *c->name_hi ? c->name_hi : c->name,
		    0);
		grv_buf_adds(j, ",\"metadata\":false");
		jfield(j, "type", "realtime", 0);
		jfield(j, "keywords", m->depts[c->dept].code, 0);
		jfield(j, "group", m->depts[c->dept].name, 0);
		grv_buf_adds(j, "}");
		grv_buf_adds(x, "<service>");
		xfield(x, "service_code", c->code);
		xfield(x, "service_name", c->name);
		xfield(x, "description", *c->name_hi ? c->name_hi : c->name);
		xfield(x, "metadata", "false");
		xfield(x, "type", "realtime");
		xfield(x, "keywords", m->depts[c->dept].code);
		xfield(x, "group", m->depts[c->dept].name);
		grv_buf_adds(x, "</service>\n");
	}
	grv_buf_adds(j, "\n]\n");
	grv_buf_adds(x, "</services>\n");
}

int
grv_open311_export(const struct grv_ctx *ctx,
    const struct grv_open311_opts *o)
{
	struct feed f;
	struct grv_state st = GRV_STATE_INIT;
	struct grv_fold_opts fo;
	struct grv_buf j = GRV_BUF_INIT, x = GRV_BUF_INIT, c = GRV_BUF_INIT;
	struct grv_buf notes = GRV_BUF_INIT, addr = GRV_BUF_INIT;
	char *v[NFIELDS], ts[3][GRV_TSLEN], id[64];
	const struct grv_cstate *cs;
	uint32_t k, nout = 0;
	int rc, i;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	f.o = o;
	if (mkdir(o->outdir, 0777) == -1 && errno != EEXIST) {
		grv_err("%s: %s", o->outdir, strerror(errno));
		return GRV_EX_CANTCREAT;
	}
	memset(&fo, 0, sizeof(fo));
	fo.now = ctx->now;
	if (o->with_text) {
		fo.on_complaint = text_row;
		fo.arg = &f;
	}
	if ((rc = grv_state_load(&st, ctx, &fo)) != 0)
		goto out;
	discovery(&f, &j, &x);
	if ((rc = put(o->outdir, "discovery.json", &j)) != 0 ||
	    (rc = put(o->outdir, "discovery.xml", &x)) != 0)
		goto out;
	grv_buf_reset(&j);
	grv_buf_reset(&x);
	services(&f, &j, &x);
	if ((rc = put(o->outdir, "services.json", &j)) != 0 ||
	    (rc = put(o->outdir, "services.xml", &x)) != 0)
		goto out;
	grv_buf_reset(&j);
	grv_buf_reset(&x);
	grv_buf_adds(&j, "[");
	grv_buf_adds(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<service_requests>\n");
	grv_csv_putrow(&c, fields, NFIELDS, 0);
	for (k = 0; k < st.n; k++) {
		cs = &st.c[k];
		if (cs->status == GRV_ST_NONE)
			continue;
		request(&f, k + 1, cs, v, ts, &notes, &addr, id, sizeof(id));
		grv_buf_adds(&j, nout++ ? ",\n{" : "\n{");
		grv_buf_adds(&x, "<request>");
		for (i = 0; i < NFIELDS; i++) {
			jfield(&j, fields[i], v[i], i == 0);
			xfield(&x, fields[i], v[i]);
			grv_csv_put(&c, v[i] ? v[i] : "", v[i] ? strlen(v[i]) :
			    0, GRV_CSV_SAFE);
			grv_buf_addc(&c, i + 1 < NFIELDS ? ',' : '\n');
		}
		grv_buf_adds(&j, "}");
		grv_buf_adds(&x, "</request>\n");
	}
	grv_buf_adds(&j, nout ? "\n]\n" : "]\n");
	grv_buf_adds(&x, "</service_requests>\n");
	if ((rc = put(o->outdir, "requests.json", &j)) == 0 &&
	    (rc = put(o->outdir, "requests.xml", &x)) == 0)
		rc = put(o->outdir, "requests.csv", &c);
out:
	grv_state_release(&st);
	for (k = 0; k < f.ntext; k++)
		free(f.text[k]);
	free(f.text);
	grv_buf_release(&j);
	grv_buf_release(&x);
	grv_buf_release(&c);
	grv_buf_release(&notes);
	grv_buf_release(&addr);
	return rc;
}
