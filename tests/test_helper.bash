# Sourced by every tests/*.bats: a sandbox per test.
#   GRV_DIR   a fresh copy of tests/fixtures/state (or the fixture named)
#   PATH      the freshly built programs first ($GRV_BIN, set by make)
#   LC_ALL=C, HOME inside the sandbox, no user grv.conf leaks in.

bats_require_minimum_version 1.5.0

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$TESTS_DIR/.." && pwd)
: "${GRV_BIN:=$REPO_DIR/build/bin}"
export GRV_BIN

# python3 is Debian's (a package make check installs): a version manager's
# shim first on PATH (pyenv's is) costs a third of a second of CPU a call,
# and lacks Debian's python3-* modules.  Scripts run as
# '#!/usr/bin/env python3' find it too.
if [ -x /usr/bin/python3 ] && [ "$(command -v python3)" != /usr/bin/python3 ]; then
	mkdir -p "$BATS_RUN_TMPDIR/python"
	ln -sf /usr/bin/python3 "$BATS_RUN_TMPDIR/python/python3"
	PATH="$BATS_RUN_TMPDIR/python:$PATH"
fi

# Under the sanitizers (a plain build ignores ASAN_OPTIONS) programs look
# for memory errors and undefined behaviour everywhere, and for leaks only
# in the files that opt in with leak_check: grv-add's (the intake and the
# writers' common path) and the masters snapshot's.  LeakSanitizer's scan
# at exit is half of a sanitized program's time (tests/index.bats: 260 s
# of CPU with it, 126 s without; tests/grv-route.bats: 35 s, 26 s).
# The unit tests look for leaks in the library throughout, and a leak
# that grows with the ledger shows in make bench's peak memory targets.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
leak_check() {
	export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1"
}

# not_sanitized WHY: the whole test is left to the plain build's run,
# for the reason given: a random mix whose warm and cold outputs are
# compared, say, whose code paths the other tests of the file run under
# the sanitizers at a fraction of the cost.
not_sanitized() {
	[ -z "${GRV_SANITIZED:-}" ] || skip "sanitized run: $1"
}

# plain_only TOOL: the rest of the test is TOOL's work (a browser, an
# office suite, a Node.js engine) checking what the grv programs above
# wrote.  The sanitizers' run (GRV_SANITIZED, set by the Makefile) stops
# here, as skipped: those programs ran sanitized, and the plain build's
# run does the whole test.
plain_only() {
	not_sanitized "the rest is $1's, done in the plain build's run"
}

# grv_sandbox [FIXTURE]: copy tests/fixtures/FIXTURE (default: state).
grv_sandbox() {
	local fixture=${1:-state}
	export LC_ALL=C
	export HOME="$BATS_TEST_TMPDIR/home"
	export LOGNAME=tester
	mkdir -p "$HOME"
	export GRV_DIR="$BATS_TEST_TMPDIR/d"
	rm -rf "$GRV_DIR"
	mkdir -p "$GRV_DIR"
	cp -R "$TESTS_DIR/fixtures/$fixture/." "$GRV_DIR/"
	export PATH="$GRV_BIN:$PATH"
}

# The sample state shipped in data/sample.
grv_sample_sandbox() {
	grv_sandbox state
	rm -rf "$GRV_DIR"
	mkdir -p "$GRV_DIR"
	cp -R "$REPO_DIR/data/sample/." "$GRV_DIR/"
}

# A digest of every ledger byte, to prove a refusal changed nothing.
ledger_sum() {
	if [ -d "$GRV_DIR/ledger" ]; then
		(cd "$GRV_DIR/ledger" && find . -type f -name '*.csv*' | LC_ALL=C sort |
			xargs -r sha256sum)
	fi
	echo end
}

# assert_unchanged BEFORE: the ledger digest still equals BEFORE.
assert_unchanged() {
	local now
	now=$(ledger_sum)
	if [ "$1" != "$now" ]; then
		echo "ledger changed:" >&2
		diff <(echo "$1") <(echo "$now") >&2
		return 1
	fi
}

# chain_ok FILE: the crc chain verified by Python's zlib (an independent
# implementation of SPEC section 3).
chain_ok() {
	python3 "$REPO_DIR/scripts/chaincheck" "$@"
}

# Register complaints quickly: add_complaint CATEGORY LOC [NOW] -> prints id
add_complaint() {
	local now=${3:-2026-11-02T10:00}
	grv-add --now "$now" --category "$1" --loc "$2" --name "Test Citizen" \
		--phone 9876543210 --text "test complaint" | tail -n +2 | cut -d, -f1
}

# Count lines of a ledger file, header excluded.
rows() {
	echo $(( $(wc -l < "$GRV_DIR/ledger/$1.csv") - 1 ))
}

# The npm packages of tests/package-lock.json (ajv, DuckDB), installed once
# into tests/node_modules; for a setup_file.
tests_npm() {
	if [ ! -d "$TESTS_DIR/node_modules/ajv-formats" ] ||
		[ ! -d "$TESTS_DIR/node_modules/@duckdb/node-api" ]; then
		(cd "$TESTS_DIR" && npm ci --no-audit --no-fund >&2)
	fi
}

# damage FILE HOW: one way of spoiling an index file.
damage() {
	local f=$1 size
	size=$(stat -c %s "$f")
	case $2 in
	cut) truncate -s $(( size / 2 )) "$f" ;;
	grown) head -c 32 /dev/zero >> "$f" ;;
	header) printf 'X' | dd of="$f" bs=1 seek=40 conv=notrunc status=none ;;
	entry) printf 'XXXX' | dd of="$f" bs=1 seek=$(( size - 20 )) conv=notrunc status=none ;;
	head) head -c 8192 /dev/zero | dd of="$f" bs=1 seek=512 conv=notrunc status=none ;;
	empty) : > "$f" ;;
	esac
}
