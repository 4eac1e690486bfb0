#!/usr/bin/env bats
# Issue 13: no program uses, extends or hides a damaged ledger, warm or
# cold; shrinking is damage (SPEC 7.1, grv-ledger(5) "The high-water mark").

load test_helper

NOW=2026-12-01T00:00
E=ledger/events.csv
C=ledger/complaints.csv

setup() {
	grv_sample_sandbox
	grv-gen -n 300 --now 2026-11-30 > /dev/null
	run -0 grv-check
	run -0 grv-list --now $NOW		# cache/ warm
	[ -f "$GRV_DIR/cache/state.bin" ]
}

# every_program_refuses: the readers, the sweep and a writer of each
# ledger all exit 65 and no ledger byte changes, with cache/ as it is.
every_program_refuses() {
	local before
	before=$(ledger_sum)
	run -65 grv-list --now $NOW
	run -65 grv-report grading --now $NOW
	run -65 grv-report pending --now $NOW
	run -65 grv-escalate --now $NOW
	run -65 grv-route --now $NOW
	run -65 grv-add --now $NOW --category EN-SUPPLY --loc SML --name X \
		--phone 9816012345 --text t
	run -65 grv-check --now $NOW
	assert_unchanged "$before"
}

flip_byte() {	# flip_byte FILE OFFSET: another byte there
	python3 - "$1" "$2" <<'PY'
import sys
p, off = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read())
b[off] = ord("X") if b[off] != ord("X") else ord("Y")
open(p, "r+b").write(b)
PY
}

@test "with cache/ warm, a byte changed in the middle of events.csv is refused by every program, warm and cold" {
	size=$(stat -c %s "$GRV_DIR/$E")
	flip_byte "$GRV_DIR/$E" $((size / 2))
	every_program_refuses
	rm -rf "$GRV_DIR/cache"
	every_program_refuses
}

@test "grv-add does not append to a complaints.csv whose middle row fails its crc" {
	size=$(stat -c %s "$GRV_DIR/$C")
	flip_byte "$GRV_DIR/$C" $((size / 2))
	every_program_refuses
	[[ "$output" == *"ledger/complaints.csv:"* ]]
}

@test "removing the last row or five of events.csv, emptying or deleting it is refused by every program" {
	cp "$GRV_DIR/$E" "$BATS_TEST_TMPDIR/e"
	for cut in 1 5; do
		head -n -$cut "$BATS_TEST_TMPDIR/e" > "$GRV_DIR/$E"
		every_program_refuses
		run -65 grv-list --now $NOW
		[[ "$output" == *"ledger/events.csv: shorter than grv last wrote it"* ]]
	done
	: > "$GRV_DIR/$E"
	every_program_refuses
	rm "$GRV_DIR/$E"
	every_program_refuses
	[[ "$output" == *"ledger/events.csv: missing: grv last wrote"* ]]
}

@test "an older copy of a ledger put back, cache/ or not, is refused by every program" {
	cp "$GRV_DIR/$E" "$BATS_TEST_TMPDIR/e.old"
	cp "$GRV_DIR/$C" "$BATS_TEST_TMPDIR/c.old"
	run -0 grv-add --now $NOW --category EN-SUPPLY --loc SML --name X \
		--phone 9816012345 --text t
	run -0 grv-route --now $NOW
	cp "$BATS_TEST_TMPDIR/e.old" "$GRV_DIR/$E"
	every_program_refuses
	rm -rf "$GRV_DIR/cache"
	every_program_refuses
	[[ "$output" == *"ledger/events.csv: shorter than grv last wrote it"* ]]
}

# seal STEM NAME: the whole live file into ledger/NAME.csv.gz, by hand.
seal() {
	gzip -c "$GRV_DIR/ledger/$1.csv" > "$GRV_DIR/ledger/$2.csv.gz"
	head -1 "$GRV_DIR/ledger/$1.csv" > "$GRV_DIR/ledger/$1.new"
	mv "$GRV_DIR/ledger/$1.new" "$GRV_DIR/ledger/$1.csv"
}

@test "a ledger sealed by hand into a segment reads the same and is not taken for a shorter one" {
	want=$(grv-list --now $NOW)
	seal events events-2026
	seal complaints complaints-2026
	run -0 grv-list --now $NOW
	[ "$output" = "$want" ]
	run -0 grv-check
	# the next writer records the segments in the mark
	run -0 grv-escalate --now $NOW
	grep -q '^seg events-2026.csv.gz ' "$GRV_DIR/ledger/.events.hwm"
	run -0 grv-list --now $NOW
}

@test "a deleted sealed segment is refused by every program, and grv-route routes nothing again" {
	seal events events-2026
	seal complaints complaints-2026
	run -0 grv-escalate --now $NOW		# the mark lists them
	run -0 grv-add --now $NOW --category EN-SUPPLY --loc SML --name X \
		--phone 9816012345 --text t
	rows=$(wc -l < "$GRV_DIR/$E")
	rm "$GRV_DIR/ledger/events-2026.csv.gz"
	every_program_refuses
	[[ "$output" == *"ledger/events-2026.csv.gz: missing: grv sealed it"* ]]
	# every complaint would look new: none is routed again
	run -65 grv-route --now $NOW
	[ "$(wc -l < "$GRV_DIR/$E")" = "$rows" ]
}

@test "a byte changed in a sealed segment is refused even with its modification time put back" {
	seal events events-2026
	run -0 grv-escalate --now $NOW
	seg=$GRV_DIR/ledger/events-2026.csv.gz
	m=$(stat -c %y "$seg")
	# byte 5 is in the gzip header's mtime: zlib itself never notices
	flip_byte "$seg" 5
	touch -d "$m" "$seg"
	every_program_refuses
	[[ "$output" == *"ledger/events-2026.csv.gz: changed since grv sealed it"* ]]
}

@test "rows cut off a sealed segment and compressed again are refused" {
	seal events events-2026
	run -0 grv-escalate --now $NOW
	seg=$GRV_DIR/ledger/events-2026.csv.gz
	zcat "$seg" | head -n -3 | gzip -c > "$BATS_TEST_TMPDIR/s.gz"
	cp "$BATS_TEST_TMPDIR/s.gz" "$seg"
	every_program_refuses
}

@test "--repair cuts nothing grv wrote, and records the mark of a ledger written without one" {
	truncate -s -5 "$GRV_DIR/$E"
	run -65 grv-check --repair
	[[ "$output" == *"--repair cuts nothing that grv wrote"* ]]
	run -65 grv-list --now $NOW
	# a ledger with no mark is read cold; a clean --repair records one
	rm -f "$GRV_DIR"/ledger/.*.hwm
	run -65 grv-list --now $NOW		# the torn tail itself
	run -0 grv-check --repair
	[ -f "$GRV_DIR/ledger/.events.hwm" ]
	run -0 grv-list --now $NOW
}

@test "a segment whose gzip stream is damaged is bad data (65) for grv-check and the fold, named, not an I/O error" {
	seal events events-2026
	run -0 grv-escalate --now $NOW
	seg=$GRV_DIR/ledger/events-2026.csv.gz
	size=$(stat -c %s "$seg")
	flip_byte "$seg" $((size - 3))		# the trailer's length
	run -65 grv-check
	[[ "$output" == *"ledger/events-2026.csv.gz"* ]]
	# without the mark only the stream itself tells
	rm -f "$GRV_DIR/ledger/.events.hwm" "$GRV_DIR/ledger/.complaints.hwm"
	run -65 grv-check
	[[ "$output" == *"ledger/events-2026.csv.gz:"*"damaged gzip stream"* ]]
	rm -rf "$GRV_DIR/cache"
	run -65 grv-list --now $NOW
	[[ "$output" == *"events-2026.csv.gz: damaged gzip stream"* ]]
}
