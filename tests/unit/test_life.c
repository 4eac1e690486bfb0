/* test_life.c: where an unsatisfied citizen's feedback sends a complaint. */
#include <stdio.h>
#include <string.h>

#include "grv_conf.h"
#include "grv_life.h"
#include "grv_state.h"
#include "unit.h"

int
main(void)
{
	struct grv_conf conf;
	struct grv_cstate cs;
	int level;

	memset(&conf, 0, sizeof(conf));
	memset(&cs, 0, sizeof(cs));
	conf.levels = 4;
	for (level = 1; level <= 4; level++) {
		cs.level = level;
		IS(grv_unsatisfied_level(&conf, &cs), level < 4 ? level + 1 : 4,
		    "unsatisfied at level %d of 4: level %d", level,
		    level < 4 ? level + 1 : 4);
	}
	conf.levels = 1;
	cs.level = 1;
	IS(grv_unsatisfied_level(&conf, &cs), 1,
	    "with one level, the complaint stays at it");
	return DONE();
}
