#!/usr/bin/env bats
# cache/ holds derived data only (grv-ledger(5)): whatever it holds, fresh,
# stale, damaged, foreign or left half written by a killed program, every
# reader says exactly what it says with no cache/ at all.  These tests know
# nothing of what cache/ holds, nor of its files' names or number: every
# expectation is "the output with cache/ as it is equals the output of the
# same command, at the same --now, with cache/ moved away" (exit status,
# standard output and standard error), as tests/index-mix runs them.
#
# The seeds are fixed; INDEX_SEED=N shifts them all to explore others.  A
# failure names the seed, the programs run last and a diff, cold against
# warm.  Under the sanitizers (TAMPER_EVERY set by the Makefile) the counts
# shrink about eight times.

load test_helper

MIX=$TESTS_DIR/index-mix

# seed N: the Nth fixed seed of this file.
seed() {
	echo $(( ${INDEX_SEED:-0} + $1 ))
}

# scale: how many times smaller tests/index-mix makes its counts.
scale() {
	if [ -n "${INDEX_SCALE:-}" ]; then
		echo "$INDEX_SCALE"
	elif [ -n "${TAMPER_EVERY:-}" ]; then
		echo 8
	else
		echo 1
	fi
}

# mixer ARGS: tests/index-mix on $GRV_DIR, its summary line on fd 3, every
# program it ran in $BATS_TEST_TMPDIR/programs.log.
mixer() {
	"$MIX" -d "$GRV_DIR" --log "$BATS_TEST_TMPDIR/programs.log" "$@" |
		sed 's/^/# /' >&3
	return "${PIPESTATUS[0]}"
}

# A ledger to start from, made once: a batch of complaints registered and
# routed, then a mix of writers over about ten days.
setup_file() {
	export LC_ALL=C LOGNAME=tester
	local base=$BATS_FILE_TMPDIR/base
	mkdir -p "$base"
	cp -R "$TESTS_DIR/fixtures/state/." "$base/"
	"$MIX" -d "$base" mix --seed "$(seed 101)" --complaints 400 --ops 40 |
		sed 's/^/# base: /' >&3
	return "${PIPESTATUS[0]}"
}

# Each test on its own copy of it.  The copy's files are not the ones the
# high-water marks name, so each test's first writer marks them afresh.
setup() {
	grv_sandbox
	rm -rf "$GRV_DIR"
	cp -a "$BATS_FILE_TMPDIR/base" "$GRV_DIR"
	# The copies are not the files the high-water marks name: until each
	# ledger's next writer, every read would be cold.  Mark them as they
	# are (grv-check(1), --repair on a clean ledger).
	grv-check -q --repair
}

events() {
	local n=0 f
	for f in "$GRV_DIR"/ledger/events*.csv*; do
		n=$(( n + $(zcat -f "$f" | wc -l) - 1 ))
	done
	echo "$n"
}

@test "a random mix of writers, readers in between: every output with cache/ is the output without it" {
	not_sanitized "a random mix warm and cold is the plain build's; the damage and sweep tests run these programs on cache/ sanitized"
	# Both ledgers are sealed into segments by hand half way (the rows'
	# places in the files all change under a cache that covers them).
	mixer mix --seed "$(seed 1)" --ops 160 --check-every 25 --seal-at 90 --final
	# Thousands of events, hundreds of complaints: the mix is no toy.
	local n
	n=$(events)
	echo "# $n events, $(( $(zcat -f "$GRV_DIR"/ledger/complaints*.csv* | wc -l) - 2 )) complaints" >&3
	[ "$n" -ge $(( 1000 / $(scale) )) ]
	# Every complaint's grv-show, and the lists, the sweep's dry run and
	# the grading, as the writers left cache/.
	mixer same --seed "$(seed 2)" --ids all --officers 4 --what "every id"
	grv-check -q
	chain_ok "$GRV_DIR/ledger/complaints.csv" "$GRV_DIR/ledger/events.csv"
}

@test "each file of cache/ deleted, emptied, cut short, changed or zeroed: the same outputs, and the next writer works" {
	mixer mix --seed "$(seed 3)" --ops 6
	mixer damage --seed "$(seed 4)"
	grv-check -q
}

@test "a stale cache/, put back after the ledger moved on: the same outputs, before and after the next writer" {
	not_sanitized "a random mix warm and cold is the plain build's; the damage and sweep tests run these programs on cache/ sanitized"
	mixer mix --seed "$(seed 5)" --ops 8 --final	# ends warm
	cp -a "$GRV_DIR/cache" "$BATS_TEST_TMPDIR/old"
	# New complaints, placements, answers and sweeps it has never seen.
	mixer mix --seed "$(seed 6)" --ops 40
	# Every reader meets the old cache ...
	mixer same --seed "$(seed 7)" --reset-from "$BATS_TEST_TMPDIR/old" \
		--what "each reader given the cache of 40 operations before"
	# ... or the first of them does, and the others what it left.
	rm -rf "$GRV_DIR/cache"
	cp -a "$BATS_TEST_TMPDIR/old" "$GRV_DIR/cache"
	mixer same --seed "$(seed 8)" --what "the old cache put back once"
	# A writer meets it.
	rm -rf "$GRV_DIR/cache"
	cp -a "$BATS_TEST_TMPDIR/old" "$GRV_DIR/cache"
	mixer writer --seed "$(seed 9)"
	mixer same --seed "$(seed 10)" --what "a writer on the old cache"
	mixer mix --seed "$(seed 11)" --ops 10 --final
	grv-check -q
}

@test "a cache/ copied from another data directory: the same outputs, before and after the next writer" {
	not_sanitized "a random mix warm and cold is the plain build's; the damage and sweep tests run these programs on cache/ sanitized"
	mixer mix --seed "$(seed 12)" --ops 8 --final
	# Another ledger from the same masters, never related to this one.
	local other=$BATS_TEST_TMPDIR/other fork=$BATS_TEST_TMPDIR/fork
	local twin=$BATS_TEST_TMPDIR/twin
	mkdir -p "$other"
	cp -R "$TESTS_DIR/fixtures/state/." "$other/"
	"$MIX" -d "$other" mix --seed "$(seed 13)" --complaints 150 --ops 20 > /dev/null
	"$MIX" -d "$other" warm > /dev/null	# a cache that holds there
	mixer same --seed "$(seed 14)" --reset-from "$other/cache" \
		--what "each reader given another ledger's cache"
	# A copy of this directory that went its own way, as this one did: the
	# same rows up to the fork, different ones after.
	cp -a "$GRV_DIR" "$fork"
	grv-check -d "$fork" -q --repair
	"$MIX" -d "$fork" mix --seed "$(seed 15)" --ops 15 > /dev/null
	"$MIX" -d "$fork" warm > /dev/null
	mixer mix --seed "$(seed 16)" --ops 15
	mixer same --seed "$(seed 17)" --reset-from "$fork/cache" \
		--what "each reader given the cache of a fork"
	# A copy holding the very same bytes, in other files.
	cp -a "$GRV_DIR" "$twin"
	rm -rf "$twin/cache"
	grv-check -d "$twin" -q --repair
	"$MIX" -d "$twin" warm > /dev/null
	mixer same --seed "$(seed 18)" --reset-from "$twin/cache" \
		--what "each reader given the cache of a copy"
	# A writer meets another ledger's cache.
	rm -rf "$GRV_DIR/cache"
	cp -a "$other/cache" "$GRV_DIR/cache"
	mixer writer --seed "$(seed 19)"
	mixer same --seed "$(seed 20)" --what "a writer on another ledger's cache"
	grv-check -q
}

@test "writers and readers killed at random moments: the same outputs, a torn ledger refused alike and repaired" {
	not_sanitized "killing is the plain build's; the damage test runs the readers on torn caches sanitized"
	mixer mix --seed "$(seed 21)" --ops 6
	mixer kill --seed "$(seed 22)" --trials 40
	grv-check -q
	chain_ok "$GRV_DIR/ledger/complaints.csv" "$GRV_DIR/ledger/events.csv"
}

# later STAMP HOURS: the time HOURS after the ledger stamp STAMP.
later() {
	date -u -d "@$(( $(date -d "$1" +%s) + $2 * 3600 ))" +%Y-%m-%dT%H:%M:%SZ
}

@test "sweep after sweep, each on cache/ as the last left it, writes what a sweep over every complaint writes" {
	# Complaints that cannot climb: every energy officer above level 1
	# over D2 goes inactive; and revenue's level 2 of D2, which its
	# complaints climb over to level 3 (the masters change, so cache/ is
	# built anew).
	local off='\(REV-SDM-D2\|EN-EE-D2\|EN-SE-D2\|EN-CE\)'
	sed -i "s/^$off\(,.*\),1$/\1\2,0/" "$GRV_DIR/masters/officers.csv"
	[ "$(grep -c "^$off,.*,0$" "$GRV_DIR/masters/officers.csv")" = 4 ]
	local cold=$BATS_TEST_TMPDIR/cold step h t wrc wout werr stuck=0 id
	# Three of them for certain, whatever the mix holds (its size
	# shrinks under the sanitizers): due in three days, at a D2 block.
	t=$("$MIX" -d "$GRV_DIR" now)
	for step in 1 2 3; do
		id=$(add_complaint EN-SUPPLY D2-T1-B1 "$t")
		echo "$id" | grv-route --now "$t" - > /dev/null
	done
	# An hour, the same hour again, a missed day, a missed week ...; at
	# the end the officer is back and the complaints stuck below climb.
	local -a hours=(1 0 1 26 1 2 170 1 0 5 49 1 1 340 3 1 back 1 2)
	for step in "${!hours[@]}"; do
		h=${hours[$step]}
		if [ "$h" = back ]; then
			sed -i "s/^$off\(,.*\),0$/\1\2,1/" \
				"$GRV_DIR/masters/officers.csv"
			continue
		fi
		if [ $(( step % 3 )) = 2 ]; then
			mixer mix --seed "$(seed $(( 40 + step )))" --ops 4
		fi
		t=$(later "$("$MIX" -d "$GRV_DIR" now)" "$h")
		rm -rf "$cold"
		cp -a "$GRV_DIR" "$cold"
		rm -rf "$cold/cache"
		run --separate-stderr grv-escalate --now "$t"
		wrc=$status wout=$output werr=$stderr
		run --separate-stderr grv-escalate -d "$cold" --now "$t"
		echo "# sweep $step at $t: exit $wrc, $(( ${#lines[@]} - 1 )) rows" >&3
		[ "$status" = "$wrc" ]
		[ "$output" = "$wout" ]
		[ "$stderr" = "$werr" ]
		cmp "$GRV_DIR/ledger/events.csv" "$cold/ledger/events.csv"
		# Exit 1 names a complaint that could not climb, or counts those
		# never placed (grv-escalate(1)); exit 0 says nothing.
		case $wrc:$werr in
		1:*"no active officer"*) stuck=$(( stuck + 1 )) ;;
		1:*"never placed, status new"*) ;;
		0:) ;;
		*) echo "exit $wrc: $werr"; return 1 ;;
		esac
	done
	# Several sweeps met complaints that could not climb, and the last
	# ones, with the officer back, did not.
	[ "$stuck" -ge 4 ]
	[[ "$werr" != *"no active officer"* ]]
	mixer same --seed "$(seed 60)" --what "after the sweeps"
	grv-check -q
}

# hold_shared FILE: a reader's shared lock on FILE, as every grv program
# takes on cache/state.bin, held in the background until killed; its pid
# in HOLDER.
hold_shared() {
	python3 -c '
import fcntl, struct, sys, time
f = open(sys.argv[1], "rb")
fcntl.fcntl(f, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_RDLCK, 0, 0, 0, 0))
print("held", flush=True)
time.sleep(120)' "$1" > "$BATS_TEST_TMPDIR/held" &
	HOLDER=$!
	while [ ! -s "$BATS_TEST_TMPDIR/held" ]; do sleep 0.05; done
}

@test "lists by officer, department and district over a state of many pages, records changed here and there: the same warm and cold" {
	not_sanitized "a random mix warm and cold is the plain build's; the damage and sweep tests run these programs on cache/ sanitized"
	# 60,000 complaints: a key's complaints spread over the whole state,
	# more than a walk keeps in memory at once.
	rm -rf "$GRV_DIR"
	grv-gen -d "$GRV_DIR" --masters "$TESTS_DIR/../data/sample" -n 60000 \
		--seed 3 > /dev/null
	local now=2026-01-02T10:00 t=2026-01-01T10:00 n row k warm
	local -a keys=()
	grv-list --now "$t" > /dev/null		# a warm cache/
	# Resolved after it: changed records near the start, the middle and
	# the end of the state, which the next reader folds ...
	for n in 40 30001 59990; do
		row=$(grv-list --now "$t" --status open | awk -F, -v n="$n" \
			'NR > 1 { split($1, a, "-"); if (a[2] + 0 >= n + 0) { print; exit } }')
		grv-resolve --now "$t" "${row%%,*}" --officer "$(cut -d, -f5 <<< "$row")" \
			--reason "supply restored" --ref "L/1" > /dev/null
		keys+=("--officer $(cut -d, -f5 <<< "$row")" "--dept $(cut -d, -f4 <<< "$row")")
	done
	keys+=("--district $(cut -d, -f7 <<< "$row")")
	# ... and, while someone else reads, cannot write back: the changes
	# live only in the reader's memory.
	hold_shared "$GRV_DIR/cache/state.bin"
	for k in "${keys[@]}"; do
		run -0 grv-list --now "$now" $k
		warm=$output
		[[ "$output" == *",resolved,"* ]]
		mv "$GRV_DIR/cache" "$BATS_TEST_TMPDIR/aside"
		run -0 grv-list --now "$now" $k
		rm -rf "$GRV_DIR/cache"
		mv "$BATS_TEST_TMPDIR/aside" "$GRV_DIR/cache"
		[ "$output" = "$warm" ]
	done
	kill "$HOLDER"
}
