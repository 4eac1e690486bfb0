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
SHAREDIR ?= $(PREFIX)/share/grv

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

# libcsv, zlib and libsodium are linked into the programs from the
# static archives their -dev packages install: every grv program is a
# short process, and loading and relocating three shared objects was a
# quarter of starting one (grv-resolve --version: 4.6 ms of CPU against
# 3.3 ms, perf stat -r 300).  STATIC_DEPS=0 links them shared.
STATIC_DEPS ?= 1
ifeq ($(STATIC_DEPS),1)
LIBS	= -Wl,-Bstatic -lcsv -lz -lsodium -Wl,-Bdynamic -pthread -lm
else
LIBS	= -lcsv -lz -lsodium -pthread -lm
endif

LIB_SRC	= $(wildcard lib/*.c)
LIB_OBJ	= $(LIB_SRC:lib/%.c=$(BUILD)/obj/lib/%.o)
CMD_SRC	= $(wildcard cmd/*.c)
PROGS	= $(CMD_SRC:cmd/%.c=$(BUILD)/bin/%)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNITS	= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
MAN1	= $(wildcard man/*.1)
MAN5	= $(wildcard man/*.5)
MAN7	= $(wildcard man/*.7)
# What the pages name under $(SHAREDIR): the scripts (mode 755), the
# crontab and the systemd units (644).
SHARE_BIN  = scripts/import-callcentre scripts/monthly-grading scripts/sms-gateway-example \
	     scripts/chaincheck scripts/grv-failure
SHARE_DATA = scripts/crontab.example
UNITS_SD   = $(wildcard scripts/systemd/*)
# The grading as SQL for an engine over many data directories (grv(7)).
SHARE_SQL  = $(wildcard data/sql/*.sql)
# Pages, units, crontab and scripts are written for PREFIX=/usr/local;
# installed, they name the places of this PREFIX.
INSTALL_SUBST = sed -e 's|/usr/local/share/grv|$(SHAREDIR)|g' \
	-e 's|/usr/local/bin|$(BINDIR)|g'

# Debian packages: those the build needs, and those only the tests and
# the bench use (make deps installs both; .ci/run installs the second
# list while it builds).
BUILD_PKGS = libcsv-dev zlib1g-dev libsodium-dev libxlsxwriter-dev
TEST_PKGS = python3-nacl bats bash-completion mandoc man-db python3 strace valgrind sqlite3 chromium fonts-lohit-deva python3-pil python3-openpyxl libxml2-utils nodejs libreoffice-calc-nogui parallel
DEB_PKGS = $(BUILD_PKGS) $(TEST_PKGS)

.PHONY: all deps deps-build deps-test check units unit bats demo bench fuzz install clean
.DELETE_ON_ERROR:
# Keep the objects of programs and unit tests: a later make (the bats
# run of make check, two at once in .ci/run) finds them up to date.
.SECONDARY:

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

# Only grv-report writes workbooks (lib/grv_xlsx.c), and it loads
# libxlsxwriter with dlopen when it writes one, never otherwise: linked,
# libxlsxwriter and the libcrypto and libminizip it needs were loaded and
# relocated by every run of grv-report, which cost more CPU than all the
# rest of starting it.  (dlopen is in the C library since glibc 2.34.)
# The name dlopen is given is not guessed at run time: it is the SONAME
# of the file the linker takes for -lxlsxwriter (ld -t names that file,
# objdump -p reads its SONAME), the very name linking with -lxlsxwriter
# would have recorded; and the package named to a user who lacks it is
# the one Debian ships that soname in (Debian policy 8.1:
# libxlsxwriter.so.4 is in libxlsxwriter4).  Both are computed once, when
# lib/grv_xlsx.c is compiled; XLSX_SONAME=... on the command line sets
# the first by hand.
XLSX_SONAME = $(eval XLSX_SONAME := $(shell $(CC) $(LDFLAGS) -shared \
	-nostdlib -o /dev/null -Wl,-t -lxlsxwriter 2>/dev/null | \
	grep 'libxlsxwriter[^/]*$$' | xargs -r objdump -p 2>/dev/null | \
	sed -n 's/^ *SONAME *//p'))$(or $(XLSX_SONAME),$(error \
	libxlsxwriter not found for -lxlsxwriter: install libxlsxwriter-dev))
XLSX_PACKAGE = $(subst .so.,,$(XLSX_SONAME))
$(BUILD)/obj/lib/grv_xlsx.o: ALL_CFLAGS += \
	-DGRV_XLSX_SONAME='"$(XLSX_SONAME)"' -DGRV_XLSX_PACKAGE='"$(XLSX_PACKAGE)"'

$(BUILD)/unit/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libgrv.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/libgrv.a $(LIBS)

# Install what the build and the tests need (as root), else say how.
deps:
	@sh scripts/deps $(DEB_PKGS)
deps-build:
	@sh scripts/deps $(BUILD_PKGS)
deps-test:
	@sh scripts/deps $(TEST_PKGS)

check: deps
	@$(MAKE) --no-print-directory all units
	@$(MAKE) --no-print-directory unit bats

units: $(UNITS)

unit: units
	@sh scripts/run-units $(BUILD)/unit

# Under the sanitizers a process start costs 0.2 s: tests/tamper tries
# every 32nd of its one-byte edits there (all of them in the plain build).
# BATS_FILES: some of tests/*.bats (default: all of them).
# BATS_JOBS: how many files at once (default: one per processor; GNU
# parallel runs them; the tests of one file always run in turn).
BATS_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
bats: all units
	GRV_BIN=$(CURDIR)/$(BUILD)/bin $(if $(SANITIZE),GRV_SANITIZED=1 TAMPER_EVERY=32) \
	    bats $(BATS_FLAGS) $(if $(filter-out 1,$(BATS_JOBS)),--jobs $(BATS_JOBS) --no-parallelize-within-files) \
	    $(or $(BATS_FILES),tests)

demo: deps
	@$(MAKE) --no-print-directory all
	@GRV_BIN=$(CURDIR)/$(BUILD)/bin sh scripts/demo

bench: deps
	@$(MAKE) --no-print-directory all
	@GRV_BIN=$(CURDIR)/$(BUILD)/bin sh scripts/bench/run

# libFuzzer targets of tests/fuzz (clang); FUZZ_SECONDS per target, default 60.
fuzz:
	@sh scripts/fuzz-run $(FUZZ_SECONDS)

# bash-completion loads completions/NAME when NAME is first completed:
# grv-NAME is a link to grv, which completes them all.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(SHAREDIR)/systemd $(DESTDIR)$(SHAREDIR)/sql
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	install -m 644 $(SHARE_SQL) $(DESTDIR)$(SHAREDIR)/sql
	@set -e; subst() { echo "install -m $$1 $$2 $$3"; \
	    $(INSTALL_SUBST) "$$2" > "$$3.tmp"; chmod "$$1" "$$3.tmp"; \
	    mv -f "$$3.tmp" "$$3"; }; \
	for f in $(MAN1) $(MAN5) $(MAN7); do \
	    subst 644 $$f $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}; done; \
	for f in $(SHARE_BIN); do subst 755 $$f $(DESTDIR)$(SHAREDIR)/$${f##*/}; done; \
	for f in $(SHARE_DATA); do subst 644 $$f $(DESTDIR)$(SHAREDIR)/$${f##*/}; done; \
	for f in $(UNITS_SD); do subst 644 $$f $(DESTDIR)$(SHAREDIR)/systemd/$${f##*/}; done
	if [ -f completions/grv.bash ]; then install -m 644 completions/grv.bash $(DESTDIR)$(BASHCOMPDIR)/grv; fi
	if [ -f completions/grv.bash ]; then for p in $(filter-out grv,$(notdir $(PROGS))); do \
	    ln -sf grv $(DESTDIR)$(BASHCOMPDIR)/$$p; done; fi
	if [ -f completions/_grv ]; then install -m 644 completions/_grv $(DESTDIR)$(ZSHCOMPDIR)/_grv; fi

clean:
	rm -rf build build-san

-include $(LIB_OBJ:.o=.d) $(CMD_SRC:cmd/%.c=$(BUILD)/obj/cmd/%.d) \
	$(UNIT_SRC:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.d)
