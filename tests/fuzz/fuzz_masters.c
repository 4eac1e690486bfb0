/* fuzz_masters: the masters loader and its cross-checks.  The input is up
 * to five files separated by "\n--8<--\n" lines: departments, locations,
 * officers, categories, holidays; files not given keep the fixture's. */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "grv_conf.h"
#include "grv_masters.h"
#include "grv_phone.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const rel[] = { "masters/departments.csv",
	    "masters/locations.csv", "masters/officers.csv",
	    "masters/categories.csv", "masters/holidays.csv" };
	const uint8_t *part[5];
	size_t len[5], n, i;
	struct grv_masters m;
	struct grv_conf conf;
	const char *dir = fuzz_dir();
	char ph[11];

	n = fuzz_split(data, size, part, len, 5);
	for (i = 0; i < n; i++)
		fuzz_write(rel[i], part[i], len[i]);
	grv_conf_defaults(&conf);
	if (grv_masters_load(&m, dir, &conf) == 0) {
		for (i = 0; i < m.nofficers; i++) {
			struct grv_officer *o = &m.officers[i];

			grv_responsible(&m, o->dept, o->level, o->loc);
			grv_phone_norm(o->phone, ph);
		}
		for (i = 0; i < m.ncats; i++)
			grv_sla_days(&m, &conf, (int)i, m.cats[i].dept, 1);
	}
	grv_masters_release(&m);
	return 0;
}
