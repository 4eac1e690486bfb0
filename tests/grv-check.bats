#!/usr/bin/env bats
# grv-check: every kind of damage is named by file and line, exit 65;
# --repair moves a torn tail aside and touches nothing else.

load test_helper

C=ledger/complaints.csv
E=ledger/events.csv

# A small history with a correct chain, written by tests/mkledger (Python's
# zlib, independent of libgrv): 3 complaints; TS-1 routed, resolved,
# confirmed and closed, TS-2 routed, TS-3 routed and escalated.
complaint_rows() {
	cat <<-'EOF'
	TS-1,2026-11-02T10:00:00+05:30,phone,EN-SUPPLY,D1-T1-B1,Test Citizen,9876543210,no power since monday,
	TS-2,2026-11-02T10:05:00+05:30,web,REV-MUT,D1-T1,"Devi, Sunita",9876543211,mutation pending\nsince june,PSG/2026/17
	TS-3,2026-11-02T10:10:00+05:30,office,EN-BILL,D2-T1-B1,Om Prakash,9876543212,bill too high,
	EOF
}

event_rows() {
	cat <<-'EOF'
	2026-11-02T11:00:00+05:30,TS-1,route,1,EN,EN-JE-B1,2026-11-05T11:00:00+05:30,tester,,,
	2026-11-02T11:05:00+05:30,TS-2,route,1,REV,REV-TEH-D1T1,2026-11-17T11:05:00+05:30,tester,,,
	2026-11-02T11:10:00+05:30,TS-3,route,1,EN,EN-JE-D2,2026-11-09T11:10:00+05:30,tester,,,
	2026-11-03T09:00:00+05:30,TS-1,resolve,,,EN-JE-B1,,tester,line repaired (rule 4),L/123 dt 03.11.2026,
	2026-11-04T12:00:00+05:30,TS-1,feedback,,,,,tester,satisfied,,
	2026-11-04T12:00:00+05:30,TS-1,close,,,,,tester,satisfied,,
	2026-11-10T00:00:00+05:30,TS-3,escalate,2,EN,EN-EE-D2,2026-11-17T00:00:00+05:30,tester,overdue,,
	EOF
}

# build [EXTRA_EVENT_ROW...]: write both ledgers, events followed by EXTRA
# rows, each with a correct crc (so only their meaning is wrong).
build() {
	mkdir -p "$GRV_DIR/ledger"
	complaint_rows | "$TESTS_DIR/mkledger" complaints "$GRV_DIR/$C"
	{ event_rows; printf '%s\n' "$@"; } |
		"$TESTS_DIR/mkledger" events "$GRV_DIR/$E"
}

setup() {
	grv_sandbox
	build
}

# Replace line N of FILE by the output of a sed expression on it.
edit_line() {
	sed -i "$2s/$3/$4/" "$GRV_DIR/$1"
}

@test "a directory without ledgers is clean" {
	rm -rf "$GRV_DIR/ledger"
	run -0 grv-check
	[ "$output" = "checked 0 ledger files, 0 rows: 0 findings, 0 repaired" ]
}

@test "an intact history is clean and the summary counts its rows" {
	run -0 chain_ok "$GRV_DIR/$C" "$GRV_DIR/$E"
	run -0 grv-check
	[ "$output" = "checked 2 ledger files, 10 rows: 0 findings, 0 repaired" ]
	run -0 grv-check -q
	[ "$output" = "" ]
}

@test "a flipped byte is named by file and line" {
	edit_line $C 2 Citizen Citizan
	run -65 grv-check -q
	[ "$output" = "ledger/complaints.csv:2: crc does not match the chain: this row was changed, or one before it deleted or moved" ]
}

@test "a deleted row shows at the row after the gap" {
	sed -i 3d "$GRV_DIR/$E"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:3: crc does not match the chain: this row was changed, or one before it deleted or moved" ]
}

@test "swapped rows are both named, and the time that goes back" {
	awk 'NR == 3 { held = $0; next } { print } NR == 4 { print held }' \
		"$GRV_DIR/$E" > "$BATS_TEST_TMPDIR/swapped"
	cp "$BATS_TEST_TMPDIR/swapped" "$GRV_DIR/$E"
	run -65 grv-check -q
	# Two rows swapped break three links: into, between and out of them.
	[ "${lines[0]}" = "ledger/events.csv:3: crc does not match the chain: this row was changed, or one before it deleted or moved" ]
	[ "${lines[1]}" = "ledger/events.csv:4: crc does not match the chain: this row was changed, or one before it deleted or moved" ]
	[ "${lines[2]}" = "ledger/events.csv:4: time goes back to '2026-11-02T11:05:00+05:30' (the row before says '2026-11-02T11:10:00+05:30')" ]
	[ "${lines[3]}" = "ledger/events.csv:5: crc does not match the chain: this row was changed, or one before it deleted or moved" ]
	[ "${#lines[@]}" = 4 ]
}

@test "a row cut in the middle is reported as a torn write" {
	truncate -s -20 "$GRV_DIR/$E"
	run -65 grv-check -q
	[[ "$output" == "ledger/events.csv:8: last line has no newline: a torn write ("*" bytes at offset "*"); 'grv-check --repair' moves it aside" ]]
}

@test "a missing final newline is reported as a torn write" {
	truncate -s -1 "$GRV_DIR/$C"
	run -65 grv-check -q
	[[ "$output" == "ledger/complaints.csv:4: last line has no newline: a torn write"* ]]
}

@test "an event for a complaint never registered is named" {
	build "2026-11-11T10:00:00+05:30,TS-9,note,,,,,tester,,,called the office"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: event for an unknown complaint 'TS-9'" ]
}

@test "a time going back is named" {
	build "2026-11-09T10:00:00+05:30,TS-2,note,,,,,tester,,,called the office"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: time goes back to '2026-11-09T10:00:00+05:30' (the row before says '2026-11-10T00:00:00+05:30')" ]
}

@test "an officer in no master is named, as a warning (deleted from officers.csv), not as damage" {
	build "2026-11-11T10:00:00+05:30,TS-2,transfer,1,EN,EN-JE-B9,2026-11-18T10:00:00+05:30,tester,wrong department,,"
	run -0 grv-check -q
	[ "$output" = "ledger/events.csv:9: warning: officer 'EN-JE-B9' is no longer in masters/officers.csv (retire with active = 0)" ]
}

@test "an officer code no master could hold is named as damage" {
	build "2026-11-11T10:00:00+05:30,TS-2,transfer,1,EN,EN JE B9,2026-11-18T10:00:00+05:30,tester,wrong department,,"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: unknown officer 'EN JE B9'" ]
}

@test "a level above the ladder is named" {
	build "2026-11-11T10:00:00+05:30,TS-3,escalate,5,EN,EN-CE,2026-11-18T10:00:00+05:30,tester,overdue,,"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: level '5' does not exist (levels = 4)" ]
}

@test "a transition the state machine forbids is named" {
	build "2026-11-11T10:00:00+05:30,TS-1,resolve,,,EN-JE-B1,,tester,done again,,"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: resolve of 'TS-1' while closed: only an open complaint can be resolved" ]
}

@test "a complaint id out of sequence is named" {
	edit_line $C 4 TS-3 TS-4
	complaint_rows | sed 's/^TS-3/TS-4/' |
		"$TESTS_DIR/mkledger" complaints "$GRV_DIR/$C"
	run -65 grv-check -q
	[ "${lines[0]}" = "ledger/complaints.csv:4: id 'TS-4' out of sequence (expected 'TS-3')" ]
	[ "${lines[1]}" = "ledger/events.csv:4: event for an unknown complaint 'TS-3'" ]
}

@test "a header with columns reordered is named at line 1" {
	sed -i '1s/^id,registered,/registered,id,/' "$GRV_DIR/$C"
	run -65 grv-check -q
	[ "${lines[0]}" = "ledger/complaints.csv:1: header is not 'id,registered,channel,category,loc,name,phone,text,ref,crc'" ]
}

@test "a ledger saved with CR-LF by a spreadsheet is named on every row" {
	sed -i 's/$/\r/' "$GRV_DIR/$E"
	run -65 grv-check -q
	[[ "$output" == *"ledger/events.csv:2: carriage return in a row (saved by a spreadsheet?)"* ]]
	[[ "$output" == *"ledger/events.csv:1: header is not"* ]]
}

@test "a row with a wrong column count is named" {
	build "2026-11-11T10:00:00+05:30,TS-2,note,,,,,tester,,called the office"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: 11 fields, expected 12" ]
}

@test "invalid UTF-8 and NUL bytes in a row are named" {
	build "2026-11-11T10:00:00+05:30,TS-2,note,,,,,tester,,,caf$(printf '\xc3')"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: not valid UTF-8" ]
	build
	python3 - "$GRV_DIR/$E" <<-'EOF'
	import sys
	p = sys.argv[1]
	d = open(p, "rb").read().replace(b"tester,overdue", b"tester\0overdue")
	open(p, "wb").write(d)
	EOF
	run -65 grv-check -q
	[[ "$output" == *"ledger/events.csv:8: NUL byte in a row"* ]]
}

@test "findings continue past the first damage in every file" {
	edit_line $C 2 Citizen Citizan
	edit_line $E 3 tester testor
	sed -i 6d "$GRV_DIR/$E"
	run -65 grv-check -q
	[ "${#lines[@]}" = 3 ]
	[[ "${lines[0]}" == "ledger/complaints.csv:2: "* ]]
	[[ "${lines[1]}" == "ledger/events.csv:3: "* ]]
	[[ "${lines[2]}" == "ledger/events.csv:6: "* ]]
}

@test "damage in a sealed segment names the segment" {
	mv "$GRV_DIR/$E" "$GRV_DIR/ledger/events-2026a.csv"
	edit_line ledger/events-2026a.csv 3 tester testor
	gzip "$GRV_DIR/ledger/events-2026a.csv"
	run -65 grv-check -q
	[ "$output" = "ledger/events-2026a.csv.gz:3: crc does not match the chain: this row was changed, or one before it deleted or moved" ]
}

@test "a truncated gzip segment is named" {
	mv "$GRV_DIR/$E" "$GRV_DIR/ledger/events-2026a.csv"
	gzip "$GRV_DIR/ledger/events-2026a.csv"
	truncate -s -12 "$GRV_DIR/ledger/events-2026a.csv.gz"
	run -65 grv-check -q
	[[ "$output" == *"ledger/events-2026a.csv.gz"* ]]
}

@test "masters findings are listed with the ledger findings" {
	sed -i 's/^EN-CE,Arun Sharma,Chief Engineer,EN,/EN-CE,Arun Sharma,Chief Engineer,XX,/' \
		"$GRV_DIR/masters/officers.csv"
	run -65 grv-check -q
	[[ "${lines[0]}" == "masters/officers.csv:11: unknown department 'XX'"* ]]
}

@test "missing masters exit 66" {
	rm "$GRV_DIR/masters/officers.csv"
	run -66 grv-check -q
	[[ "$output" == *"masters/officers.csv: No such file or directory"* ]]
}

@test "--repair moves a torn tail aside and the ledger ends at its last good row" {
	head -n 7 "$GRV_DIR/$E" > "$BATS_TEST_TMPDIR/want"
	tail -n 1 "$GRV_DIR/$E" | head -c 30 > "$BATS_TEST_TMPDIR/torn"
	truncate -s "$(( $(stat -c %s "$BATS_TEST_TMPDIR/want") + 30 ))" "$GRV_DIR/$E"
	run -0 grv-check --repair --now 2026-11-12T09:00
	[[ "$output" == *"ledger/events.csv:8: repaired: the torn last line (30 bytes at offset $(stat -c %s "$BATS_TEST_TMPDIR/want")) moved to ledger/events.torn; the ledger now ends at its last good row"* ]]
	[[ "${lines[-1]}" == *"1 findings, 1 repaired" ]]
	cmp "$GRV_DIR/$E" "$BATS_TEST_TMPDIR/want"
	head -n 1 "$GRV_DIR/ledger/events.torn" | grep -q '^# torn tail of ledger/events.csv: 30 bytes at offset [0-9]* (line 8), moved by grv-check --repair at 2026-11-12T09:00:00+05:30$'
	tail -n 1 "$GRV_DIR/ledger/events.torn" | cmp - <(cat "$BATS_TEST_TMPDIR/torn"; echo)
	run -0 grv-check -q
	run -0 chain_ok "$GRV_DIR/$E"
}

@test "--repair moves a last row whose crc alone fails" {
	edit_line $E 8 tester testor
	run -0 grv-check --repair -q
	[[ "$output" == "ledger/events.csv:8: crc does not match"* ]]
	[ "$(rows events)" = 6 ]
	run -0 grv-check -q
}

@test "--repair gives a torn header back its header" {
	printf 'ts,id,ev' > "$GRV_DIR/$E"
	run -65 grv-check -q
	[[ "$output" == "ledger/events.csv:1: last line has no newline"* ]]
	run -0 grv-check --repair -q
	[ "$(cat "$GRV_DIR/$E")" = "ts,id,event,level,dept,officer,due,actor,reason,ref,note,crc" ]
}

@test "--repair leaves every other kind of damage alone" {
	local sum
	for damage in "edit_line $C 2 Citizen Citizan" "sed -i 3d $GRV_DIR/$E" \
	    "build 2026-11-11T10:00:00+05:30,TS-9,note,,,,,tester,,,x" \
	    "build 2026-11-09T10:00:00+05:30,TS-2,note,,,,,tester,,,x" \
	    "build 2026-11-11T10:00:00+05:30,TS-1,resolve,,,EN-JE-B1,,tester,again,,"; do
		build
		eval "$damage"
		sum=$(ledger_sum)
		run -65 grv-check --repair -q
		assert_unchanged "$sum"
		[ ! -e "$GRV_DIR/ledger/events.torn" ]
		[ ! -e "$GRV_DIR/ledger/complaints.torn" ]
	done
}

@test "--repair leaves a torn tail alone when damage comes before it" {
	edit_line $E 3 tester testor
	truncate -s -5 "$GRV_DIR/$E"
	sum=$(ledger_sum)
	run -65 grv-check --repair -q
	assert_unchanged "$sum"
}

@test "a ledger locked by a writer makes grv-check wait, then exit 75" {
	flock -x "$GRV_DIR/$E" sleep 3 &
	sleep 0.3
	run -75 grv-check --wait 0.2
	[[ "$output" == *"ledger/events.csv: locked by another process for more than 0.2 seconds"* ]]
	wait
}

@test "a full disk on standard output exits 74" {
	run -74 bash -c 'grv-check > /dev/full'
	[[ "$output" == *"standard output: No space left on device"* ]]
}

@test "usage errors exit 64" {
	run -64 grv-check --frobnicate
	run -64 grv-check extra
	run -0 grv-check --help
	[[ "$output" == *"--repair"* ]]
}

@test "a field's blanks are its own: an officer code with a trailing space is unknown" {
	build "2026-11-11T10:00:00+05:30,TS-2,transfer,1,EN,EN-JE-B1 ,2026-11-18T10:00:00+05:30,tester,wrong department,,"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: unknown officer 'EN-JE-B1 '" ]
}

@test "a quoted field left open at the end of a row is malformed" {
	build '2026-11-11T10:00:00+05:30,TS-2,note,,,,,tester,,,"never closed'
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: malformed CSV (a quote inside an unquoted field, or an unterminated quote)" ]
}

@test "on a large generated ledger grv-check is clean, names an edited row as the fold does, and repairs a torn tail" {
	rm -rf "$GRV_DIR/ledger"
	grv-gen -n 20000 > /dev/null
	[ "$(stat -c %s "$GRV_DIR/$E")" -gt $((4 * 1024 * 1024)) ]
	run -0 grv-check
	[[ "$output" == "checked 2 ledger files, "*" rows: 0 findings, 0 repaired" ]]
	# the first row from two thirds on with a call-centre actor to edit
	line=$(awk -v from=$(( $(wc -l < "$GRV_DIR/$E") * 2 / 3 )) \
		'NR >= from && /,[a-z]*-[a-z]*[0-9]*,/ { print NR; exit }' "$GRV_DIR/$E")
	sed -i "${line}s/,\([a-z]*\)-\([a-z]*\)\([0-9]*\),/,\1-\2\3X,/" "$GRV_DIR/$E"
	run -65 grv-check -q
	# one byte longer: the row grv last wrote no longer ends where it did
	[[ "${lines[0]}" == "ledger/events.csv:$(wc -l < "$GRV_DIR/$E"): the row grv last wrote (crc "*") is not there: "* ]]
	[ "${lines[1]}" = "ledger/events.csv:$line: crc does not match the chain: this row was changed, or one before it deleted or moved" ]
	[ "${#lines[@]}" = 2 ]
	run -65 grv-list --now 2026-01-01
	[[ "$output" == *"ledger/events.csv:$(wc -l < "$GRV_DIR/$E"): the row grv last wrote"* ]]
	# without the mark the cold fold names the row itself
	mv "$GRV_DIR/ledger/.events.hwm" "$BATS_TEST_TMPDIR/hwm"
	run -65 grv-list --now 2026-01-01
	[[ "$output" == *"ledger/events.csv:$line: crc does not match the chain"* ]]
	grv-gen -n 20000 -d "$BATS_TEST_TMPDIR/big" --masters "$GRV_DIR" > /dev/null
	# one more complaint, never routed, to be torn (a generated one may
	# have events, which would then name a complaint no longer there)
	grv-add -d "$BATS_TEST_TMPDIR/big" --now 2026-01-01T10:00 --category EN-SUPPLY \
		--loc D1-T1-B1 --name 'Ram Lal' --phone 9816012345 --text 'No supply' >/dev/null
	# torn as an older grv, which kept no high-water mark, left it (a
	# synced row cut back is damage --repair leaves alone: integrity.bats)
	rm "$BATS_TEST_TMPDIR/big/ledger/.complaints.hwm"
	truncate -s -33 "$BATS_TEST_TMPDIR/big/$C"
	run -65 grv-check -q -d "$BATS_TEST_TMPDIR/big"
	run -0 grv-check -q --repair -d "$BATS_TEST_TMPDIR/big"
	run -0 grv-check -q -d "$BATS_TEST_TMPDIR/big"
	# the torn last complaint moved aside, the 20 000 before it kept
	[ "$(( $(wc -l < "$BATS_TEST_TMPDIR/big/$C") - 1 ))" = 20000 ]
	[ -s "$BATS_TEST_TMPDIR/big/ledger/complaints.torn" ]
}

@test "a wild complaint number is named without taking the memory for it" {
	{ complaint_rows; echo "TS-4000000000,2026-11-02T10:20:00+05:30,phone,EN-SUPPLY,D1-T1-B1,X,9876543213,x,"; } |
		"$TESTS_DIR/mkledger" complaints "$GRV_DIR/$C"
	run -65 grv-check -q
	[ "$output" = "ledger/complaints.csv:5: id 'TS-4000000000' out of sequence (expected 'TS-4')" ]
}

# cut_append KEEP: run a 4-row batch, then make it look killed mid-write:
# its marker back in place and only the first KEEP bytes of it in the file.
cut_append() {
	n0=$(wc -l < "$GRV_DIR/$C")
	cp "$GRV_DIR/$C" "$BATS_TEST_TMPDIR/before.csv"
	s0=$(stat -c %s "$GRV_DIR/$C")
	{
		echo category,loc,name,phone,text
		for i in 1 2 3 4; do echo "EN-BILL,D2,Citizen $i,981600000$i,bill $i"; done
	} > "$BATS_TEST_TMPDIR/b.csv"
	# A writer killed mid-append never records its high-water mark.
	hwm=$GRV_DIR/ledger/.complaints.hwm
	rm -f "$BATS_TEST_TMPDIR/hwm"
	[ ! -e "$hwm" ] || cp "$hwm" "$BATS_TEST_TMPDIR/hwm"
	run -0 grv-add --now 2026-11-02T11:00 --batch "$BATS_TEST_TMPDIR/b.csv"
	rm -f "$hwm"
	[ ! -e "$BATS_TEST_TMPDIR/hwm" ] || cp "$BATS_TEST_TMPDIR/hwm" "$hwm"
	s1=$(stat -c %s "$GRV_DIR/$C")
	printf '%s %s\n' "$s0" $((s1 - s0)) > "$GRV_DIR/ledger/.complaints.pending"
	keep=$1
	# "rows2": exactly the batch's first two rows, ending at a newline
	[ "$keep" = rows2 ] && keep=$(sed -n "$((n0 + 1)),$((n0 + 2))p" "$GRV_DIR/$C" | wc -c)
	truncate -s $((s0 + keep)) "$GRV_DIR/$C"
}

@test "an append killed at a row boundary is found by its marker and cut back whole" {
	cut_append rows2	# no torn line at all: only the marker tells
	[ "$(rows complaints)" -eq $((n0 + 1)) ]
	before=$(ledger_sum)
	run -65 grv-add --now 2026-11-02T12:00 --category EN-BILL --loc D2 \
		--name X --phone 9816000009 --text t
	[[ "$output" == *"ledger/complaints.csv: an append was cut short at byte $s0"* ]]
	run -65 grv-list --now 2026-11-02T12:00
	[[ "$output" == *"cut short"* ]]
	assert_unchanged "$before"
	run -65 grv-check --now 2026-11-02T12:00
	[[ "$output" == *"$C:$((n0 + 1)): an append was cut short"* ]]
	run -0 grv-check --repair --now 2026-11-02T12:00
	[[ "$output" == *"repaired: the part of an append cut short"* ]]
	cmp "$GRV_DIR/$C" "$BATS_TEST_TMPDIR/before.csv"
	[ ! -e "$GRV_DIR/ledger/.complaints.pending" ]
	[ "$(grep -c '^TS-' "$GRV_DIR/ledger/complaints.torn")" -eq 2 ]
	run -0 grv-check --now 2026-11-02T12:00
	run -0 add_complaint EN-BILL D2 2026-11-02T12:00
	[ "$output" = "TS-$n0" ]
}

@test "an append killed mid-row is cut back to where it began, not to its last whole row" {
	cut_append 150
	run -65 grv-check --now 2026-11-02T12:00
	[[ "$output" == *"an append was cut short"* ]]
	run -0 grv-check --repair --now 2026-11-02T12:00
	cmp "$GRV_DIR/$C" "$BATS_TEST_TMPDIR/before.csv"
	chain_ok "$GRV_DIR/$C"
}

@test "a marker left after a whole append is cleared by the next writer" {
	cut_append 0
	cp "$BATS_TEST_TMPDIR/before.csv" "$GRV_DIR/$C"	# nothing reached it
	run -0 grv-check --now 2026-11-02T12:00
	run -0 add_complaint EN-BILL D2 2026-11-02T12:00
	[ ! -e "$GRV_DIR/ledger/.complaints.pending" ]
	chain_ok "$GRV_DIR/$C"
}

# ---- issue 13 ----

@test "masters/grading.conf is checked by the parser grv-report uses, every problem named with its line" {
	printf '# ours\nw_sat = -1\ngrade_b = 85\nbogus = 1\nold_days = 30\n' > "$GRV_DIR/masters/grading.conf"
	run -65 grv-check
	[[ "$output" == *"masters/grading.conf:2: w_sat: not a number from 0 to 1000 with at most two decimals '-1'"* ]]
	[[ "$output" == *"masters/grading.conf:3: grade bands must not rise from grade_a to grade_c: grade_b 85.00 is above grade_a 80.00"* ]]
	[[ "$output" == *"masters/grading.conf:4: unknown key 'bogus'"* ]]
	[[ "$output" == *": 3 findings"* ]]
	run -65 grv-report grading --now 2026-11-30
	[[ "$output" == *"masters/grading.conf:2: w_sat"* ]]
	[[ "$output" == *"masters/grading.conf:3: grade bands"* ]]
	[[ "$output" == *"masters/grading.conf:4: unknown key 'bogus'"* ]]
	# Falling bands alone, the later line named; then a clean file.
	printf 'grade_c = 75\n\ngrade_b = 72\n' > "$GRV_DIR/masters/grading.conf"
	run -65 grv-check
	[[ "$output" == *"masters/grading.conf:3: grade bands must not rise from grade_a to grade_c: grade_c 75.00 is above grade_b 72.00"* ]]
	printf 'grade_c = 65\ngrade_b = 72\n' > "$GRV_DIR/masters/grading.conf"
	run -0 grv-check
}

@test "masters/templates.csv is checked by grv-notify's own load: unknown placeholder, over the length limit, missing DLT id, each at its line and field" {
	t=$GRV_DIR/masters/templates.csv
	cp "$TESTS_DIR/fixtures/notify/templates.csv" "$t"
	run -0 grv-check
	long=$(printf 'x%.0s' $(seq 190))
	sed -i -e 's/^hold,citizen,en,.*/hold,citizen,en,"HC-en {id} {name}",124/' \
		-e "s/^close,citizen,en,.*/close,citizen,en,\"$long {reason}\",122/" \
		-e 's/^remind,officer,en,.*/remind,officer,en,"MO-en {id}",/' "$t"
	run -65 grv-check
	[[ "$output" == *"masters/templates.csv:25: field 'template': unknown placeholder '{name}' (known: {id} {department} {officer} {category} {due} {reason})"* ]]
	[[ "$output" == *"masters/templates.csv:23: field 'template': up to 221 UCS-2 characters, 4 SMS parts, more than sms_max_parts (3)"* ]]
	[[ "$output" == *"masters/templates.csv:27: field 'dlt_template_id': '' is not a DLT template id (1 to 30 digits)"* ]]
	[[ "$output" == *": 3 findings"* ]]
	# the same words from grv-notify, which refuses at load
	run -65 grv-notify --dry-run --now 2026-11-04T16:00
	[[ "$output" == *"masters/templates.csv:25: field 'template': unknown placeholder '{name}'"* ]]
	[[ "$output" == *"masters/templates.csv:27: field 'dlt_template_id'"* ]]
	# no templates at all: nothing to send, nothing wrong, nothing said
	rm "$t"
	run -0 grv-check
	[[ "$output" == "checked 2 ledger files, "*" rows: 0 findings, 0 repaired" ]]
}

@test "--repair creates ledger/*.torn without any permission for other, and never through a symbolic link" {
	umask 022
	printf 'TS-4,2026-11-02T10:20:00+05:30,phone,EN-' >> "$GRV_DIR/$C"
	cp "$GRV_DIR/$C" "$BATS_TEST_TMPDIR/c.before"
	# A .torn that points elsewhere is not written through.
	: > "$BATS_TEST_TMPDIR/target"
	ln -s "$BATS_TEST_TMPDIR/target" "$GRV_DIR/ledger/complaints.torn"
	run -73 grv-check --repair
	[[ "$output" == *"ledger/complaints.torn: a symbolic link; grv writes nothing through it; the ledger is left as it was"* ]]
	[ ! -s "$BATS_TEST_TMPDIR/target" ]
	cmp "$GRV_DIR/$C" "$BATS_TEST_TMPDIR/c.before"
	rm "$GRV_DIR/ledger/complaints.torn"
	run -0 grv-check --repair
	[ "$(stat -c %a "$GRV_DIR/ledger/complaints.torn")" = 640 ]
	umask 002
	printf '2026-11-11T00:00:00+05:30,TS-2,no' >> "$GRV_DIR/$E"
	run -0 grv-check --repair
	[ "$(stat -c %a "$GRV_DIR/ledger/events.torn")" = 660 ]
}

@test "--repair never opens a ledger through a symbolic link, nor one under a linked ledger/" {
	truncate -s -10 "$GRV_DIR/$E"
	mv "$GRV_DIR/$E" "$BATS_TEST_TMPDIR/events.csv"
	ln -s "$BATS_TEST_TMPDIR/events.csv" "$GRV_DIR/$E"
	cp "$BATS_TEST_TMPDIR/events.csv" "$BATS_TEST_TMPDIR/e.before"
	run -73 grv-check --repair
	[[ "$output" == *"ledger/events.csv: a symbolic link; grv writes nothing through it"* ]]
	cmp "$BATS_TEST_TMPDIR/events.csv" "$BATS_TEST_TMPDIR/e.before"
	rm "$GRV_DIR/$E"
	mv "$BATS_TEST_TMPDIR/events.csv" "$GRV_DIR/$E"
	mv "$GRV_DIR/ledger" "$BATS_TEST_TMPDIR/real"
	ln -s "$BATS_TEST_TMPDIR/real" "$GRV_DIR/ledger"
	run -73 grv-check --repair
	[[ "$output" == *"ledger: a symbolic link; grv writes nothing through it"* ]]
	cmp "$BATS_TEST_TMPDIR/real/events.csv" "$BATS_TEST_TMPDIR/e.before"
	[ ! -e "$BATS_TEST_TMPDIR/real/events.torn" ]
}

@test "an amend to a category or a place since deleted from the masters is a warning, not damage, and the fold applies it by its code" {
	build "2026-11-11T10:00:00+05:30,TS-3,amend,,,,,tester,category,,REV-MUTT" \
		"2026-11-11T10:05:00+05:30,TS-2,amend,,,,,tester,loc,,D9"
	run -0 grv-check -q
	[ "$output" = "ledger/events.csv:9: warning: category 'REV-MUTT' is no longer in masters/categories.csv (keep its row: the ledger names it)
ledger/events.csv:10: warning: location 'D9' is no longer in masters/locations.csv (keep its row: the ledger names it)" ]
	run --separate-stderr -0 grv-list --now 2026-11-12
	[ "$stderr" = "grv-list: ledger/events.csv:9: category 'REV-MUTT' is no longer in masters/categories.csv (keep its row: the ledger names it)
grv-list: ledger/events.csv:10: location 'D9' is no longer in masters/locations.csv (keep its row: the ledger names it)" ]
	[[ "${lines[2]}" == TS-2,open,1,REV,REV-TEH-D1T1,D9,,*,REV-MUT,web ]]
	[[ "${lines[3]}" == TS-3,open,2,EN,EN-EE-D2,D2-T1-B1,D2,*,REV-MUTT,office ]]
}

@test "an amend of a category or a place followed by its transfer is clean, and the fold applies it" {
	build "2026-11-11T10:00:00+05:30,TS-3,amend,,,,,tester,category,,REV-MUT" \
		"2026-11-11T10:00:00+05:30,TS-3,transfer,2,REV,REV-SDM-D2,2026-11-26T10:00:00+05:30,tester,land record,," \
		"2026-11-11T11:00:00+05:30,TS-2,amend,,,,,tester,loc,,D1-T2-B1" \
		"2026-11-11T11:00:00+05:30,TS-2,note,,,,,tester,,,moved to the right tehsil"
	run -0 grv-check
	[ "$output" = "checked 2 ledger files, 14 rows: 0 findings, 0 repaired" ]
	run -0 grv-list --now 2026-11-12 --pii
	[[ "${lines[2]}" == TS-2,open,1,REV,REV-TEH-D1T1,D1-T2-B1,D1,* ]]
	[[ "${lines[3]}" == TS-3,open,2,REV,REV-SDM-D2,D2-T1-B1,D2,* ]]
	run -0 grv-show TS-3 --now 2026-11-12
	[[ "${lines[0]}" == "TS-3  Delay in mutation"*"[REV-MUT]" ]]
	[[ "$output" == *"  2026-11-11 10:00  category corrected  [tester]"*"was:     Wrong bill, excess amount  [EN-BILL]"*"now:     Delay in mutation  [REV-MUT]"* ]]
}

@test "an amend with a bad reason, an unknown code or on a closed complaint is named, and the fold refuses it too" {
	build "2026-11-11T10:00:00+05:30,TS-3,amend,,,,,tester,dept,,REV"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: bad amend reason 'dept' (expected 'loc' or 'category')" ]
	run -65 grv-list --now 2026-11-12
	[[ "$output" == *"ledger/events.csv:9: bad amend reason 'dept'"* ]]
	# (a code no master could hold: a well-formed one may have been
	# deleted since, see the next test)
	build "2026-11-11T10:00:00+05:30,TS-3,amend,,,,,tester,category,,REV MUTT"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: amend to an unknown category 'REV MUTT'" ]
	run -65 grv-list --now 2026-11-12
	build "2026-11-11T10:00:00+05:30,TS-3,amend,,,,,tester,loc,,D/9"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: amend to an unknown location 'D/9'" ]
	run -65 grv-list --now 2026-11-12
	build "2026-11-11T10:00:00+05:30,TS-1,amend,,,,,tester,category,,EN-BILL"
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:9: amend of 'TS-1' while closed: the complaint is closed" ]
}
