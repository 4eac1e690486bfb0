/* grv_xml.h: text escaped for XML and HTML. */
#ifndef GRV_XML_H
#define GRV_XML_H

#include "grv_buf.h"

/* Append S with & < > " written as entities. */
void	 grv_xml_esc(struct grv_buf *, const char *s);

#endif
