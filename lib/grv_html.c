/* grv_html.c: the district review pack as one self-contained HTML page.
 *
 * Inline CSS and SVG only: no script, no font, no image, nothing fetched,
 * so the page opens the same from a mail attachment, a USB stick or a
 * browser with no network, and prints on A4 (an @page rule, tables that do
 * not split a row across pages).  Each part is a <table id="part-NAME">
 * whose cells carry data-col="COLUMN", so a test (or a scraper) reads the
 * figures back by name. */
#include <stdlib.h>
#include <string.h>

#include "grv_alloc.h"
#include "grv_report_review.h"
#include "grv_utf8.h"
#include "grv_xml.h"


static const char style[] =
"@page{size:A4;margin:12mm}"
"body{font-family:'DejaVu Sans','Lohit Devanagari','Noto Sans',"
"'Noto Sans Devanagari',sans-serif;font-size:10pt;color:#111;margin:0 auto;max-width:186mm}"
"h1{font-size:16pt;margin:0 0 2pt}h2{font-size:11.5pt;margin:10pt 0 3pt;"
"border-bottom:1px solid #999;break-after:avoid}"
".hi{color:#444;font-weight:normal}.meta{color:#333;margin:0 0 6pt}"
".rank{display:flex;gap:8pt;margin:6pt 0}"
".rank div{border:1px solid #bbb;border-radius:3pt;padding:4pt 8pt}"
".rank b{font-size:14pt;display:block}"
"table{border-collapse:collapse;width:100%;font-size:8.5pt}"
"th,td{border:1px solid #ccc;padding:1.5pt 3pt;text-align:left}"
"th{font-size:7.5pt;vertical-align:bottom}"
"th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}"
"tr{break-inside:avoid}.g-A{color:#2e7d32}.g-B{color:#827717}"
".g-C{color:#e65100}.g-D{color:#c62828}.none{color:#666;font-style:italic}"
"svg{display:block;margin:4pt 0}"
"@media print{h2{break-after:avoid}}";

/* A part as a table, or "none" when it has no rows. */
static void
part(struct grv_buf *b, const struct grv_review *rv, int i)
{
	const struct grv_table *t = &rv->part[i];
	const struct grv_cell *c;
	size_t r, k, n = grv_table_rows(t);
	const char *p;
	char *s;

	grv_buf_printf(b, "<h2 id=\"h-%s\">", grv_review_names[i]);
	grv_xml_esc(b, grv_review_titles[i]);
	grv_buf_adds(b, " <span class=\"hi\" lang=\"hi\">");
	grv_xml_esc(b, grv_review_titles_hi[i]);
	grv_buf_adds(b, "</span></h2>\n");
	if (n == 0) {
		grv_buf_printf(b, "<p class=\"none\" id=\"part-%s\">none</p>\n",
		    grv_review_names[i]);
		return;
	}
	grv_buf_printf(b, "<table id=\"part-%s\"><thead><tr>",
	    grv_review_names[i]);
	/* Headings with spaces for underscores, so a narrow column wraps
	   its heading instead of pushing the table off the page. */
	for (k = 0; k < t->ncols; k++) {
		grv_buf_adds(b, "<th>");
		for (p = t->cols[k]; *p; p++)
			grv_buf_addc(b, *p == '_' ? ' ' : *p);
		grv_buf_adds(b, "</th>");
	}
	grv_buf_adds(b, "</tr></thead><tbody>\n");
	for (r = 0; r < n; r++) {
		grv_buf_adds(b, "<tr>");
		for (k = 0; k < t->ncols; k++) {
			c = &t->cells[r * t->ncols + k];
			grv_buf_printf(b, "<td data-col=\"%s\"", t->cols[k]);
			if (c->type == GRV_CELL_INT || c->type == GRV_CELL_FIX2)
				grv_buf_adds(b, " class=\"n\"");
			else if (strcmp(t->cols[k], "grade") == 0 && c->s)
				grv_buf_printf(b, " class=\"g-%.1s\"", c->s);
			else if (strcmp(t->cols[k], "name_hi") == 0)
				grv_buf_adds(b, " lang=\"hi\"");
			grv_buf_addc(b, '>');
			if (c->type == GRV_CELL_STR)
				grv_xml_esc(b, c->s);
			else if (c->type != GRV_CELL_NULL) {
				s = grv_cell_text(c);
				grv_buf_adds(b, s);
				free(s);
			}
			grv_buf_adds(b, "</td>");
		}
		grv_buf_adds(b, "</tr>\n");
	}
	grv_buf_adds(b, "</tbody></table>\n");
}

/* Column K of row R of T as text (number or string), or "". */
static const struct grv_cell *
cell(const struct grv_table *t, size_t r, const char *name)
{
	size_t k;

	for (k = 0; k < t->ncols; k++)
		if (strcmp(t->cols[k], name) == 0)
			return &t->cells[r * t->ncols + k];
	return NULL;
}

/*
 * The departments' scores as horizontal bars.  The label column is as
 * wide as the longest label (display width, Devanagari counted by its
 * columns), so no label is ever cut.
 */
static void
chart(struct grv_buf *b, const struct grv_table *t)
{
	size_t n = grv_table_rows(t), r, w, lw = 10;
	const struct grv_cell *code, *nm, *sc, *gr;
	int bar = 300, bh = 14, left, y;
	char *s;

	if (n == 0)
		return;
	for (r = 0; r < n; r++) {
		nm = cell(t, r, "name");
		code = cell(t, r, "dept");
		w = grv_utf8_width(nm->s) + strlen(code->s) + 3;
		if (w > lw)
			lw = w;
	}
	left = (int)lw * 6 + 10;	/* 6 px a column at 10 px type */
	grv_buf_printf(b, "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg"
	    "\" width=\"%d\" height=\"%zu\" font-size=\"10\" "
	    "font-family=\"sans-serif\" role=\"img\" aria-label=\"score by "
	    "department\">\n", left + bar + 60, n * (size_t)(bh + 3) + 4);
	for (r = 0; r < n; r++) {
		code = cell(t, r, "dept");
		nm = cell(t, r, "name");
		sc = cell(t, r, "score");
		gr = cell(t, r, "grade");
		y = (int)r * (bh + 3) + 2;
		grv_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 6, y + 11);
		grv_xml_esc(b, nm->s);
		grv_buf_adds(b, " (");
		grv_xml_esc(b, code->s);
		grv_buf_adds(b, ")</text>");
		grv_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%lld\" "
		    "height=\"%d\" fill=\"%s\"/>", left, y,
		    (long long)(sc->v * bar / 10000), bh,
		    gr->s[0] == 'A' ? "#2e7d32" : gr->s[0] == 'B' ? "#9e9d24" :
		    gr->s[0] == 'C' ? "#ef6c00" : "#c62828");
		s = grv_cell_text(sc);
		grv_buf_printf(b, "<text x=\"%lld\" y=\"%d\">%s %s</text>\n",
		    (long long)(left + sc->v * bar / 10000 + 4), y + 11, s,
		    gr->s);
		free(s);
	}
	grv_buf_adds(b, "</svg>\n");
}

void
grv_review_html(const struct grv_ctx *ctx, const struct grv_report_head *h,
    const struct grv_review *rv, struct grv_buf *b)
{
	const struct grv_loc *l = &ctx->m.locs[rv->district];
	const struct grv_table *dt = &rv->part[GRV_RV_DISTRICT];
	struct grv_buf title = GRV_BUF_INIT;
	char *s;
	int i;

	grv_report_title(h, &title);
	grv_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>District review: ");
	grv_xml_esc(b, l->name);
	grv_buf_adds(b, "</title>\n<style>");
	grv_buf_adds(b, style);
	grv_buf_adds(b, "</style></head>\n<body>\n<h1>District review: ");
	grv_xml_esc(b, l->name);
	if (*l->name_hi) {
		grv_buf_adds(b, " <span class=\"hi\" lang=\"hi\">");
		grv_xml_esc(b, l->name_hi);
		grv_buf_adds(b, "</span>");
	}
	grv_buf_adds(b, " (");
	grv_xml_esc(b, l->code);
	grv_buf_adds(b, ")</h1>\n<p class=\"meta\" id=\"period\">");
	grv_xml_esc(b, title.s);
	grv_buf_adds(b, "</p>\n");
	grv_buf_release(&title);
	if (grv_table_rows(dt) == 1) {
		static const char *const box[][3] = {
		    { "rank_state", "Rank in the state", "राज्य में स्थान" },
		    { "rank", "Rank in its volume group", "समूह में स्थान" },
		    { "score", "Score", "अंक" },
		    { "n", "Complaints graded", "शिकायतें" } };
		size_t k;

		grv_buf_adds(b, "<div class=\"rank\">");
		for (k = 0; k < sizeof(box) / sizeof(box[0]); k++) {
			s = grv_cell_text(cell(dt, 0, box[k][0]));
			grv_buf_printf(b, "<div id=\"box-%s\"><b>%s", box[k][0],
			    s);
			free(s);
			if (k == 0) {
				s = grv_cell_text(cell(dt, 0, "districts"));
				grv_buf_printf(b, " of %s", s);
				free(s);
			} else if (k == 1) {
				s = grv_cell_text(cell(dt, 0, "group"));
				grv_buf_printf(b, " (group %s)", s);
				free(s);
			} else if (k == 2)
				grv_buf_printf(b, " %s",
				    cell(dt, 0, "grade")->s);
			grv_buf_printf(b, "</b>%s <span class=\"hi\" "
			    "lang=\"hi\">%s</span></div>", box[k][1],
			    box[k][2]);
		}
		grv_buf_adds(b, "</div>\n");
	} else
		grv_buf_adds(b, "<p class=\"none\">No complaint of this "
		    "district was graded in the period.</p>\n");
	for (i = 0; i < GRV_RV_COUNT; i++) {
		part(b, rv, i);
		if (i == GRV_RV_GRADING)
			chart(b, &rv->part[i]);
	}
	grv_buf_adds(b, "</body></html>\n");
}
