# grv: a grievance helpline on plain files.  See README.md.
#
#   make            build libgrv.a and every program into $(BUILD)/bin
#   make check      unit tests and the bats suite
#   make demo       a month of the sample state, registered, routed, graded
#   make install    PREFIX=/usr/local DESTDIR=
#   make DEVELOPER=1            warnings are errors
#   make SANITIZE=address,undefined   build (in build-san/) with sanitizers

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions

CC	?= gcc
CFLAGS	?= -O2 -g
WARN	= -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
	  -Wwrite-strings -Wshadow -Wformat=2
ifeq ($(DEVELOPER),1)
WARN	+= -Werror
endif
ifneq ($(SANITIZE),)
BUILD	?= build-san
CFLAGS	+= -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=$(SANITIZE)
else
BUILD	?= build
endif
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) -Ilib -MMD -MP
LIBS	= -lcsv -lz -pthread

LIB_SRC	= $(wildcard lib/*.c)
LIB_OBJ	= $(LIB_SRC:lib/%.c=$(BUILD)/obj/lib/%.o)
CMD_SRC	= $(wildcard cmd/*.c)
PROGS	= $(CMD_SRC:cmd/%.c=$(BUILD)/bin/%)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNITS	= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
MAN1	= $(wildcard man/*.1)
MAN5	= $(wildcard man/*.5)
MAN7	= $(wildcard man/*.7)

DEB_PKGS = libcsv-dev zlib1g-dev bats mandoc man-db python3 strace valgrind sqlite3

.PHONY: all deps check units unit bats demo bench fuzz install clean
.DELETE_ON_ERROR:

all: $(PROGS)

$(BUILD)/libgrv.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/bin/%: $(BUILD)/obj/cmd/%.o $(BUILD)/libgrv.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/libgrv.a $(LIBS)

$(BUILD)/unit/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libgrv.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/libgrv.a $(LIBS)

# Install what the build and the tests need (as root), else say how.
deps:
	@sh scripts/deps $(DEB_PKGS)

check: deps
	@$(MAKE) --no-print-directory all units
	@$(MAKE) --no-print-directory unit bats

units: $(UNITS)

unit: units
	@sh scripts/run-units $(BUILD)/unit

# Under the sanitizers a process start costs 0.2 s: tests/tamper tries
# every 16th of its one-byte edits there (all of them in the plain build).
bats: all
	GRV_BIN=$(CURDIR)/$(BUILD)/bin $(if $(SANITIZE),TAMPER_EVERY=16) \
	    bats $(BATS_FLAGS) tests

demo: deps
	@$(MAKE) --no-print-directory all
	@GRV_BIN=$(CURDIR)/$(BUILD)/bin sh scripts/demo

bench: deps
	@$(MAKE) --no-print-directory all
	@GRV_BIN=$(CURDIR)/$(BUILD)/bin sh scripts/bench/run

# libFuzzer targets of tests/fuzz (clang); FUZZ_SECONDS per target, default 60.
fuzz:
	@sh scripts/fuzz-run $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1)
	$(if $(MAN5),install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5)
	$(if $(MAN7),install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7)
	if [ -f completions/grv.bash ]; then install -m 644 completions/grv.bash $(DESTDIR)$(BASHCOMPDIR)/grv; fi
	if [ -f completions/_grv ]; then install -m 644 completions/_grv $(DESTDIR)$(ZSHCOMPDIR)/_grv; fi

clean:
	rm -rf build build-san

-include $(LIB_OBJ:.o=.d) $(CMD_SRC:cmd/%.c=$(BUILD)/obj/cmd/%.d) \
	$(UNIT_SRC:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.d)
