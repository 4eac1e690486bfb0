/* test_ctx: the context a library call takes: its defaults, loading a
 * directory's conf and masters, the actor's default, times in the tz. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grv_cache.h"
#include "grv_ctx.h"
#include "grv_msg.h"
#include "unit.h"

#define FIXTURE "tests/fixtures/state"

static void
test_load(void)
{
	struct grv_ctx ctx;

	grv_ctx_init(&ctx);
	IS(ctx.wait, 10, "a lock is waited for 10 seconds by default");
	OK(ctx.dir == NULL && !ctx.loaded, "nothing is loaded by init");
	ctx.dir = FIXTURE;
	IS(grv_ctx_load_conf(&ctx), 0, "the fixture's grv.conf loads");
	STR(ctx.conf.node, "TS", "with its node");
	IS(ctx.conf.tz, 330, "and its tz");
	IS(grv_ctx_load_masters(&ctx), 0, "its masters load");
	OK(ctx.loaded && ctx.m.ndepts > 0, "and are there");
	grv_ctx_release(&ctx);
	IS(ctx.loaded, 0, "release forgets them");
	grv_ctx_release(&ctx);
	IS(ctx.loaded, 0, "and may be called again");
}

static void
test_dir(void)
{
	struct grv_ctx ctx;

	grv_ctx_init(&ctx);
	setenv("GRV_DIR", FIXTURE, 1);
	IS(grv_ctx_load_conf(&ctx), 0, "without a dir, GRV_DIR is taken");
	STR(ctx.dir, FIXTURE, "as the dir");
	grv_ctx_init(&ctx);
	setenv("GRV_DIR", "", 1);
	grv_ctx_load_conf(&ctx);
	STR(ctx.dir, ".", "an empty GRV_DIR means '.'");
	grv_ctx_init(&ctx);
	ctx.dir = FIXTURE "/no-such-dir";
	IS(grv_ctx_load_conf(&ctx), GRV_EX_NOINPUT, "a missing dir is 66");
	grv_ctx_init(&ctx);
	ctx.dir = FIXTURE "/grv.conf";
	IS(grv_ctx_load_conf(&ctx), GRV_EX_NOINPUT, "so is a file");
	unsetenv("GRV_DIR");
}

static void
test_actor(void)
{
	struct grv_ctx ctx;

	grv_ctx_init(&ctx);
	setenv("LOGNAME", "clerk", 1);
	grv_ctx_default_actor(&ctx);
	STR(ctx.actor, "clerk", "the actor is LOGNAME by default");
	STR(ctx.actor_from, "LOGNAME", "and says so");
	grv_ctx_init(&ctx);
	ctx.actor = "given";
	grv_ctx_default_actor(&ctx);
	STR(ctx.actor, "given", "an actor that is set is kept");
	grv_ctx_init(&ctx);
	setenv("LOGNAME", "", 1);
	grv_ctx_default_actor(&ctx);
	OK(ctx.actor != NULL && *ctx.actor, "an empty LOGNAME falls back");
}

static void
test_time(void)
{
	struct grv_ctx ctx;
	char ts[GRV_TSLEN];
	grv_time_t t;

	grv_ctx_init(&ctx);
	ctx.dir = FIXTURE;
	IS(grv_ctx_load_conf(&ctx), 0, "conf");
	IS(grv_ctx_parse_time(&ctx, "2026-11-02T10:00", &t), 0,
	    "a time without an offset parses");
	grv_ctx_ts(&ctx, t, ts);
	STR(ts, "2026-11-02T10:00:00+05:30", "at the conf's tz");
	IS(grv_ctx_parse_time(&ctx, "2026-11-02T04:30Z", &t), 0, "UTC too");
	grv_ctx_ts(&ctx, t, ts);
	STR(ts, "2026-11-02T10:00:00+05:30", "shown at the conf's tz");
	IS(grv_ctx_parse_time(&ctx, "yesterday", &t), -1, "words do not");
}

int
main(void)
{
	grv_setprogname("test_ctx");
	if (access(FIXTURE "/grv.conf", R_OK) == -1) {
		printf("not ok 1 - %s not found: run from the repository "
		    "root\n", FIXTURE);
		return 1;
	}
	/* The fixture is the source tree's: nothing may be written under
	   it (a masters load writes cache/masters.bin where it can). */
	grv_cache_readonly(1);
	test_load();
	OK(access(FIXTURE "/cache", F_OK) == -1,
	    "and leave no cache/ in the fixture");
	test_dir();
	test_actor();
	test_time();
	return DONE();
}
