#!/usr/bin/env bats
# cache/: derived data only.  Deleting it, or leaving it behind while the
# ledger moves on, must change no output, only speed (SPEC section 1).

load test_helper

setup() {
	grv_sandbox
	# A little history: complaints at every stage, at two levels.
	for loc in D1-T1-B1 D1-T1-B2 D2-T1-B1; do
		add_complaint EN-SUPPLY "$loc" 2026-11-02T10:00 > /dev/null
		add_complaint EN-BILL "$loc" 2026-11-02T10:00 > /dev/null
		add_complaint REV-MUT "$loc" 2026-11-02T10:00 > /dev/null
	done
	add_complaint REV-MUT D1-T2-B1 2026-11-02T10:00 > /dev/null
	grv-route --now 2026-11-02T11:00 > /dev/null
	grv-resolve --now 2026-11-03T10:00 TS-2 --officer EN-JE-B1 --reason "meter replaced" > /dev/null
	grv-resolve --now 2026-11-03T10:00 TS-5 --officer EN-JE-T1 --reason "meter replaced" > /dev/null
	grv-feedback --now 2026-11-04T10:00 TS-5 --satisfied > /dev/null
	grv-escalate --now 2026-11-06T10:00 > /dev/null
}

# outputs NOW: what the reading programs say at NOW.
outputs() {
	grv-escalate --dry-run --now "$1"
	grv-list --now "$1"
}

nocache_outputs() {
	mv "$GRV_DIR/cache" "$BATS_TEST_TMPDIR/cache.aside" 2> /dev/null || true
	outputs "$1"
	rm -rf "$GRV_DIR/cache"
	mv "$BATS_TEST_TMPDIR/cache.aside" "$GRV_DIR/cache" 2> /dev/null || true
}

# edit_event_in_place N SED: rewrite row N (1 = first after the header) of
# events.csv with SED and re-chain every row after it, writing over the same
# file (same inode), as a careless administrator's script might.
edit_event_in_place() {
	python3 - "$GRV_DIR/ledger/events.csv" "$1" "$2" <<'EOF'
import re, sys, zlib
path, n, expr = sys.argv[1], int(sys.argv[2]), sys.argv[3]
old, new = expr.split("/")
lines = open(path, "rb").read().split(b"\n")[:-1]
prev = lines[0]
for i in range(1, len(lines)):
    body = lines[i].rpartition(b",")[0]
    if i == n:
        body = body.replace(old.encode(), new.encode())
    crc = b"%08x" % (zlib.crc32(prev + body) & 0xFFFFFFFF)
    lines[i] = body + b"," + crc
    prev = crc
with open(path, "r+b") as fh:
    data = b"\n".join(lines) + b"\n"
    fh.write(data)
    fh.truncate(len(data))
EOF
}

# same_state A B: two state.bin files hold the same state: the same
# records (everything after the 4096-byte header page) and the same header
# up to the count of the key index's entries, which is not the state but
# the history that made it (grv-ledger(5), The state cache): an index
# updated in place keeps the entries of where a complaint has been.
same_state() {
	cmp <(tail -c +4097 "$1") <(tail -c +4097 "$2")
	cmp <(head -c 96 "$1") <(head -c 96 "$2")
}

@test "a reading program leaves a cache behind, and the same outputs come with and without it" {
	[ -s "$GRV_DIR/cache/state.bin" ]
	want=$(nocache_outputs 2026-11-12T10:00)
	[ -n "$want" ]
	[ "$(outputs 2026-11-12T10:00)" = "$want" ]
	[ "$(outputs 2026-11-12T10:00)" = "$want" ]
	rm -rf "$GRV_DIR/cache"
	[ "$(outputs 2026-11-12T10:00)" = "$want" ]
	[ -s "$GRV_DIR/cache/state.bin" ]
}

@test "a cache that matches the ledger is used as it is, and brought up to date once the ledger grows" {
	outputs 2026-11-12T10:00 > /dev/null
	ino=$(stat -c %i "$GRV_DIR/cache/state.bin")
	sum=$(cksum < "$GRV_DIR/cache/state.bin")
	outputs 2026-11-12T10:00 > /dev/null
	[ "$(stat -c %i "$GRV_DIR/cache/state.bin")" = "$ino" ]
	grv-escalate --now 2026-11-12T10:00 > /dev/null
	outputs 2026-11-12T10:00 > /dev/null
	[ "$(cksum < "$GRV_DIR/cache/state.bin")" != "$sum" ]
	# The same state always makes the same records, updated in place or
	# written from scratch.
	cp "$GRV_DIR/cache/state.bin" "$BATS_TEST_TMPDIR/a"
	rm -rf "$GRV_DIR/cache"
	outputs 2026-11-12T10:00 > /dev/null
	same_state "$GRV_DIR/cache/state.bin" "$BATS_TEST_TMPDIR/a"
}

@test "sweeps give the same ledger with and without cache/" {
	cp -R "$GRV_DIR" "$BATS_TEST_TMPDIR/twin"
	for t in 2026-11-09T11:00 2026-11-10T12:00 2026-11-12T13:00 2026-11-20T14:00; do
		grv-escalate --now "$t" > /dev/null
		rm -rf "$BATS_TEST_TMPDIR/twin/cache"
		grv-escalate -d "$BATS_TEST_TMPDIR/twin" --now "$t" > /dev/null
	done
	cmp "$GRV_DIR/ledger/events.csv" "$BATS_TEST_TMPDIR/twin/ledger/events.csv"
	rm -rf "$BATS_TEST_TMPDIR/twin/cache"
	[ "$(grv-list --now 2026-11-20T14:00)" = "$(grv-list -d "$BATS_TEST_TMPDIR/twin" --now 2026-11-20T14:00)" ]
}

@test "a cache left stale by appends made while it was away is brought up to date from the ledger's tail" {
	mv "$GRV_DIR/cache" "$BATS_TEST_TMPDIR/stale"
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-07T10:00 > /dev/null
	grv-route --now 2026-11-07T10:00 > /dev/null
	grv-resolve --now 2026-11-07T12:00 TS-1 --officer EN-EE-T1 --reason "line repaired" > /dev/null
	rm -rf "$GRV_DIR/cache"
	want=$(outputs 2026-11-12T10:00)
	rm -rf "$GRV_DIR/cache"
	mv "$BATS_TEST_TMPDIR/stale" "$GRV_DIR/cache"
	stale=$(cksum < "$GRV_DIR/cache/state.bin")
	[ "$(outputs 2026-11-12T10:00)" = "$want" ]
	# ... and the cache now covers the new rows.
	[ "$(cksum < "$GRV_DIR/cache/state.bin")" != "$stale" ]
	[ "$(outputs 2026-11-12T10:00)" = "$want" ]
}

@test "a ledger rewritten in place to the same size, chain and all, is refused warm and cold" {
	run -0 grv-check --repair	# the fixture's ledgers adopted: a mark
	outputs 2026-11-12T10:00 > /dev/null	# a warm cache/
	size=$(stat -c %s "$GRV_DIR/ledger/events.csv")
	last=$(( $(wc -l < "$GRV_DIR/ledger/events.csv") - 1 ))
	# The last row's officer changes to another of the same length.
	tail -1 "$GRV_DIR/ledger/events.csv" | grep -q ',EN-EE-D2,'
	edit_event_in_place "$last" ",EN-EE-D2,/,EN-EE-T2,"
	[ "$(stat -c %s "$GRV_DIR/ledger/events.csv")" -eq "$size" ]
	chain_ok "$GRV_DIR/ledger/events.csv"
	before=$(cksum < "$GRV_DIR/ledger/events.csv")
	# The row grv last wrote is not there: SPEC 7.1, a live file
	# replaced or edited is refused by every program, with cache/ ...
	run -65 grv-list --now 2026-11-12T10:00
	[[ "$output" == *"ledger/events.csv:$((last + 1)): the row grv last wrote (crc "*") is not there"* ]]
	run -65 grv-escalate --now 2026-11-12T10:00
	# ... and without it.
	rm -rf "$GRV_DIR/cache"
	run -65 grv-list --now 2026-11-12T10:00
	run -65 grv-check --now 2026-11-12T10:00
	[[ "$output" == *"ledger/events.csv:$((last + 1)): the row grv last wrote"* ]]
	[ "$(cksum < "$GRV_DIR/ledger/events.csv")" = "$before" ]
}

@test "a ledger replaced by an edited copy of itself, chain and all, is refused warm and cold" {
	run -0 grv-check --repair
	outputs 2026-11-12T10:00 > /dev/null
	# The same rows but an earlier one changed, written to a new file.
	sed -n 3p "$GRV_DIR/ledger/events.csv" | grep -q ',TS-2,route,1,EN,EN-JE-B1,'
	cp "$GRV_DIR/ledger/events.csv" "$BATS_TEST_TMPDIR/ev"
	edit_event_in_place 2 ",EN-JE-B1,/,EN-JE-T1,"
	cp "$GRV_DIR/ledger/events.csv" "$BATS_TEST_TMPDIR/ev2"
	cp "$BATS_TEST_TMPDIR/ev" "$GRV_DIR/ledger/events.csv"
	mv "$BATS_TEST_TMPDIR/ev2" "$GRV_DIR/ledger/events.csv"
	chain_ok "$GRV_DIR/ledger/events.csv"
	run -65 grv-list --now 2026-11-12T10:00
	[[ "$output" == *"the row grv last wrote"* ]]
	run -65 grv-escalate --now 2026-11-12T10:00
	rm -rf "$GRV_DIR/cache"
	run -65 grv-list --now 2026-11-12T10:00
	run -65 grv-escalate --dry-run --now 2026-11-12T10:00
}

@test "a cache made at a later --now is not used for an earlier one" {
	grv-escalate --now 2026-11-20T10:00 > /dev/null
	outputs 2026-11-20T10:00 > /dev/null
	[ -s "$GRV_DIR/cache/state.bin" ]
	for t in 2026-11-02T10:30 2026-11-05T10:00 2026-11-07T10:00 2026-11-20T10:00; do
		want=$(nocache_outputs "$t")
		[ "$(outputs "$t")" = "$want" ]
	done
}

@test "changed masters make the cache rebuild" {
	outputs 2026-11-12T10:00 > /dev/null
	# A new officer in the middle of the file shifts every index after it.
	sed -i '2i EN-AE-X,New Officer,Assistant Engineer,EN,1,D1-T2,9816000099,1' \
		"$GRV_DIR/masters/officers.csv"
	got=$(outputs 2026-11-12T10:00)
	[ "$got" = "$(nocache_outputs 2026-11-12T10:00)" ]
	[[ "$got" == *",EN-JE-B1,"* ]]
}

@test "a damaged or foreign cache file is ignored and replaced" {
	want=$(nocache_outputs 2026-11-12T10:00)
	for damage in truncate flip garbage empty; do
		outputs 2026-11-12T10:00 > /dev/null
		f=$GRV_DIR/cache/state.bin
		case $damage in
		truncate) truncate -s 200 "$f" ;;
		flip) printf '\377\377' | dd of="$f" bs=1 seek=400 conv=notrunc 2> /dev/null ;;
		garbage) head -c 5000 /dev/urandom > "$f" ;;
		empty) : > "$f" ;;
		esac
		run -0 --separate-stderr outputs 2026-11-12T10:00
		[ "$output" = "$want" ]
		[ -z "$stderr" ]
	done
}

@test "a cache/ that cannot be written costs only speed" {
	want=$(nocache_outputs 2026-11-12T10:00)
	rm -rf "$GRV_DIR/cache"
	echo "not a directory" > "$GRV_DIR/cache"
	run -0 --separate-stderr outputs 2026-11-12T10:00
	[ "$output" = "$want" ]
	run -0 --separate-stderr grv-escalate --now 2026-11-12T10:00
	[ "${#lines[@]}" -gt 1 ]
	[ "$(cat "$GRV_DIR/cache")" = "not a directory" ]
}

@test "sealed segments added under a cache make it rebuild" {
	outputs 2026-11-12T10:00 > /dev/null
	# Seal the live events file as a segment and start a new one.
	gzip -c "$GRV_DIR/ledger/events.csv" > "$GRV_DIR/ledger/events-2026a.csv.gz"
	head -1 "$GRV_DIR/ledger/events.csv" > "$BATS_TEST_TMPDIR/h"
	cp "$BATS_TEST_TMPDIR/h" "$GRV_DIR/ledger/events.csv"
	got=$(outputs 2026-11-12T10:00)
	[ "$got" = "$(nocache_outputs 2026-11-12T10:00)" ]
	[[ "$got" == *"TS-1,open,2,EN,EN-EE-T1,"* ]]
}

@test "readers and sweeps running at once agree with a fold from scratch" {
	for i in 1 2 3; do
		(for t in 09 10 11 12 13 14; do
			grv-list --now 2026-11-20T00:00 > /dev/null || echo "list failed" >&2
		done) 2>> "$BATS_TEST_TMPDIR/err" &
	done
	for d in 09 10 12 14 16 18; do
		grv-escalate --now "2026-11-${d}T12:00" > /dev/null 2>> "$BATS_TEST_TMPDIR/err"
	done
	wait
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
	got=$(outputs 2026-11-20T00:00)
	[ "$got" = "$(nocache_outputs 2026-11-20T00:00)" ]
}

@test "a cache of many blocks is updated block by block to the same bytes as a fresh one" {
	# More complaints than one block of the cache file holds (8192).
	{
		echo "category,loc,name,phone,text"
		for i in $(seq 1 9000); do
			echo "EN-BILL,D2-T1-B1,Citizen $i,9876543210,meter"
		done
	} > "$BATS_TEST_TMPDIR/batch.csv"
	grv-add --now 2026-11-07T10:00 --batch "$BATS_TEST_TMPDIR/batch.csv" |
		grv-route --now 2026-11-07T10:00 - > /dev/null
	grv-list --now 2026-11-07T10:00 > /dev/null
	# A change in the first block and in the last one.
	grv-resolve --now 2026-11-07T11:00 TS-8 --officer EN-JE-D2 --reason "meter replaced" > /dev/null
	grv-resolve --now 2026-11-07T11:00 TS-9005 --officer EN-JE-D2 --reason "meter replaced" > /dev/null
	run -0 grv-list --now 2026-11-07T12:00 --status resolved
	[ "${lines[2]}" = "$(echo "$output" | grep '^TS-8,')" ]
	[ "${lines[3]}" = "$(echo "$output" | grep '^TS-9005,')" ]
	[ "${#lines[@]}" -eq 4 ]
	cp "$GRV_DIR/cache/state.bin" "$BATS_TEST_TMPDIR/inplace"
	rm -rf "$GRV_DIR/cache"
	run -0 grv-list --now 2026-11-07T12:00 --status resolved
	[ "${#lines[@]}" -eq 4 ]
	same_state "$GRV_DIR/cache/state.bin" "$BATS_TEST_TMPDIR/inplace"
}

@test "a cache/ or cache/state.bin that is a symbolic link is refused (73), nothing written through it" {
	rm -rf "$GRV_DIR/cache"
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$GRV_DIR/cache"
	before=$(ledger_sum)
	run -73 grv-list --now 2026-11-07T10:00
	[[ "$output" == *"grv-list: cache: a symbolic link; grv writes nothing through it"* ]]
	run -73 grv-escalate --now 2026-11-14T10:00
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/elsewhere")" ]
	assert_unchanged "$before"
	rm "$GRV_DIR/cache"
	grv-list --now 2026-11-07T10:00 > /dev/null
	mv "$GRV_DIR/cache/state.bin" "$BATS_TEST_TMPDIR/state.bin"
	cp "$BATS_TEST_TMPDIR/state.bin" "$BATS_TEST_TMPDIR/state.before"
	ln -s "$BATS_TEST_TMPDIR/state.bin" "$GRV_DIR/cache/state.bin"
	# The ledger moves on; the next reader would bring the cache up to date.
	add_complaint EN-BILL D2-T1-B1 2026-11-14T10:00 > /dev/null
	run -73 grv-list --now 2026-11-14T10:00
	[[ "$output" == *"cache/state.bin: a symbolic link; grv writes nothing through it"* ]]
	cmp "$BATS_TEST_TMPDIR/state.bin" "$BATS_TEST_TMPDIR/state.before"
}

@test "a writer checks the cached record of the complaint it acts on: a damaged one is folded again from the ledger" {
	grv-list --now 2026-11-07T10:00 > /dev/null
	holder=$(grv-list --now 2026-11-07T10:00 | awk -F, '$1 == "TS-3" { print $5 }')
	[ -n "$holder" ]
	cp -r "$GRV_DIR" "$BATS_TEST_TMPDIR/cold"
	rm -rf "$BATS_TEST_TMPDIR/cold/cache"
	# TS-3's record (the third after the 4096-byte header page) says
	# closed: its status byte, 68 bytes into its 80.
	printf '\004' | dd of="$GRV_DIR/cache/state.bin" bs=1 seek=$((4096 + 2 * 80 + 68)) conv=notrunc 2> /dev/null
	run -0 --separate-stderr grv-resolve --now 2026-11-07T11:00 TS-3 --officer "$holder" --reason "mutation entered"
	warm=$output
	GRV_DIR=$BATS_TEST_TMPDIR/cold run -0 --separate-stderr grv-resolve --now 2026-11-07T11:00 TS-3 --officer "$holder" --reason "mutation entered"
	[ "$warm" = "$output" ]
	[[ "$warm" == *"TS-3,resolve,"* ]]
	cmp "$GRV_DIR/ledger/events.csv" "$BATS_TEST_TMPDIR/cold/ledger/events.csv"
	got=$(outputs 2026-11-08T10:00)
	[ "$got" = "$(GRV_DIR=$BATS_TEST_TMPDIR/cold outputs 2026-11-08T10:00)" ]
}

@test "a cache temporary a killed writer left is removed once untouched for an hour; a fresh one is not" {
	grv-list > /dev/null
	head -c 4096 /dev/zero > "$GRV_DIR/cache/state.bin.Old123"
	touch -d '-61 minutes' "$GRV_DIR/cache/state.bin.Old123"
	head -c 4096 /dev/zero > "$GRV_DIR/cache/kix.bin.New456"
	touch -d '-59 minutes' "$GRV_DIR/cache/kix.bin.New456"
	echo keep > "$GRV_DIR/cache/notes.txt.Abc123"
	touch -d '-2 hours' "$GRV_DIR/cache/notes.txt.Abc123"
	rm "$GRV_DIR/cache/state.bin"		# the next reader writes it anew
	run -0 grv-list
	[ ! -e "$GRV_DIR/cache/state.bin.Old123" ]
	[ -e "$GRV_DIR/cache/kix.bin.New456" ]
	[ -e "$GRV_DIR/cache/notes.txt.Abc123" ]
	[ -s "$GRV_DIR/cache/state.bin" ]
}
