/* grv_xml.c: text escaped for XML and HTML (the review page, the Open311
 * feed). */
#include "grv_xml.h"

void
grv_xml_esc(struct grv_buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&':
			grv_buf_adds(b, "&amp;");
			break;
		case '<':
			grv_buf_adds(b, "&lt;");
			break;
		case '>':
			grv_buf_adds(b, "&gt;");
			break;
		case '"':
			grv_buf_adds(b, "&quot;");
			break;
		default:
			grv_buf_addc(b, *s);
		}
}
