#!/usr/bin/env bats
# grv-show: one complaint's whole history, for a person.

load test_helper
load fixtures/life-helper

# TS-1 through every arrow of SPEC section 4 but the transfer: routed,
# an interim reply, overdue climb, resolved, unsatisfied climb, resolved
# again, unreachable, satisfied, closed.
walk() {
	grv-add --now 2026-11-02T10:00 --category EN-SUPPLY --loc D1-T1-B1 \
		--name "राम लाल" --phone 9876543210 --ref PSG/2026/77 \
		--text $'बिजली नहीं है\nsince two days, transformer burnt at C:\\site' >/dev/null
	grv-route --now 2026-11-02T10:05 >/dev/null
	grv-resolve TS-1 --now 2026-11-03T10:00 --officer EN-JE-B1 --interim \
		--reason "Transformer ordered from the store" >/dev/null
	grv-escalate --now 2026-11-05T11:00 >/dev/null
	grv-resolve TS-1 --now 2026-11-06T10:00 --officer EN-EE-T1 \
		--reason $'New 63 kVA transformer installed under rule 12\nSupply restored at 17:00' \
		--ref "No. HPSEBL/EE/2026/1432 dated 06-11-2026" >/dev/null
	grv-feedback TS-1 --now 2026-11-07T10:00 --unsatisfied --note "Voltage still low" >/dev/null
	grv-resolve TS-1 --now 2026-11-08T10:00 --officer EN-SE-D1 \
		--reason "Voltage regulated at the feeder, checked at site" --ref "No. SE/2026/9" >/dev/null
	grv-feedback TS-1 --now 2026-11-09T10:00 --unreachable >/dev/null
	grv-feedback TS-1 --now 2026-11-09T18:00 --satisfied --actor cc-agent-4 >/dev/null
}

setup() {
	grv_sandbox
	walk
}

@test "the whole history reads as the golden timeline" {
	run -0 grv-show TS-1 --now 2026-11-10
	[ "$output" = "$(cat "$TESTS_DIR/fixtures/life-show-TS-1.txt")" ]
}

@test "Devanagari is intact and stored line breaks and backslashes are shown as written" {
	run -0 grv-show TS-1 --now 2026-11-10
	[ "${lines[4]}" = "Citizen:    राम लाल, 9876543210" ]
	[[ "$output" == *$'Complaint:  बिजली नहीं है\n            since two days, transformer burnt at C:\\site\n'* ]]
	[[ "$output" == *$'action:  New 63 kVA transformer installed under rule 12\n                             Supply restored at 17:00\n'* ]]
	[[ "$output" != *'\n'* ]]
	grep -q 'बिजली नहीं है\\nsince two days, transformer burnt at C:\\\\site' "$GRV_DIR/ledger/complaints.csv"
}

@test "a past --now shows the complaint as it stood then" {
	run -0 grv-show TS-1 --now 2026-11-06T09:00
	[ "${lines[1]}" = "Status:     open at level 2, with EN-EE-T1 Anil Chauhan, Executive Engineer" ]
	[ "${lines[2]}" = "Due:        2026-11-08 11:00" ]
	[[ "$output" != *resolved* ]]
	[ "$(echo "$output" | tail -n 3 | head -n 1)" = "  2026-11-05 11:00  escalated from level 1 to level 2: overdue, not acted on in time  [tester]" ]
	run -0 grv-show TS-1 --now 2026-11-08T12:00
	[ "${lines[1]}" = "Status:     resolved on 2026-11-08 10:00, awaiting the citizen's answer" ]
	run -0 grv-show TS-1 --now 2026-11-09T12:00
	[ "${lines[1]}" = "Status:     resolved on 2026-11-08 10:00, awaiting the citizen's answer (last call: unreachable)" ]
	run -0 grv-show TS-1 --now 2026-11-02T10:01
	[ "${lines[1]}" = "Status:     new, not yet placed with an officer" ]
}

@test "an overdue complaint says so, and at the top level that it defaulted" {
	grv-add --now 2026-11-10T10:00 --category EN-BRIBE --loc D2-T1-B1 --name "A B" \
		--phone 9876543210 --text "Lineman asked for money" >/dev/null
	grv-route --now 2026-11-10T10:00 >/dev/null
	run -0 grv-show TS-2 --now 2026-11-25T10:01
	[ "${lines[2]}" = "Due:        2026-11-20 10:00  (overdue)" ]
	grv-escalate --now 2026-11-25T10:01 >/dev/null
	run -0 grv-show TS-2 --now 2026-12-06T10:01
	[ "${lines[1]}" = "Status:     open at level 4, with EN-CE Arun Sharma, Chief Engineer" ]
	[ "${lines[2]}" = "Due:        2026-12-05 10:01  (overdue at the top level: defaulted)" ]
}

@test "a transfer shows the new department and why, a special closure who closed it and why" {
	add_complaint REV-MUT D1-T1-B1 2026-11-10T10:00 >/dev/null
	grv-route --now 2026-11-10T10:00 >/dev/null
	grv-route --now 2026-11-10T11:00 --transfer TS-2 --dept EN --reason "Meter dispute, not a mutation" >/dev/null
	grv-resolve TS-2 --now 2026-11-10T12:00 --officer EN-SE-D1 --force \
		--reason $'Duplicate of TS-1\nalready redressed' >/dev/null
	run -0 grv-show TS-2 --now 2026-11-11
	[ "${lines[1]}" = "Status:     closed (forced) on 2026-11-10 12:00" ]
	[ "${lines[2]}" = "Department: Energy (ऊर्जा विभाग)" ]
	[[ "$output" == *"  2026-11-10 11:00  transferred to Energy (ऊर्जा विभाग), level 1  [tester]
                    officer: EN-JE-B1 Ramesh Negi, Junior Engineer
                    due:     2026-11-17 11:00
                    why:     Meter dispute, not a mutation
  2026-11-10 12:00  closed: forced by EN-SE-D1 Vijay Mehta, Superintending Engineer  [tester]
                    note:    Duplicate of TS-1
                             already redressed" ]]
}

@test "a complaint closed unverified by the sweep says why" {
	add_complaint EN-BILL D1-T1-B1 2026-11-10T10:00 >/dev/null
	grv-route --now 2026-11-10T10:00 >/dev/null
	life_resolve TS-2 EN-JE-B1 2026-11-11T10:00 >/dev/null
	grv-escalate --now 2026-11-19T10:00 >/dev/null
	run -0 grv-show TS-2 --now 2026-11-19T10:00
	[ "${lines[1]}" = "Status:     closed (unverified) on 2026-11-19 10:00" ]
	[[ "$output" == *"closed: unverified (no answer from the citizen within 7 days)"* ]]
}

@test "the same history is read from a sealed .csv.gz segment" {
	grv-show TS-1 --now 2026-11-10 > "$BATS_TEST_TMPDIR/plain"
	gzip "$GRV_DIR/ledger/complaints.csv" "$GRV_DIR/ledger/events.csv"
	mv "$GRV_DIR/ledger/complaints.csv.gz" "$GRV_DIR/ledger/complaints-2026.csv.gz"
	mv "$GRV_DIR/ledger/events.csv.gz" "$GRV_DIR/ledger/events-2026.csv.gz"
	run -0 grv-show TS-1 --now 2026-11-10
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/plain")" ]
}

@test "an unknown or malformed id is bad input" {
	run -65 grv-show TS-2 --now 2026-11-10
	[ "$output" = "grv-show: TS-2: no such complaint" ]
	run -65 grv-show TS-1 --now 2026-11-01
	[ "$output" = "grv-show: TS-1: no such complaint" ]
	run -65 grv-show 17 --now 2026-11-10
	[[ "$output" == *"not a complaint id"* ]]
}

@test "no id or two ids is a usage error" {
	run -64 grv-show
	run -64 grv-show TS-1 TS-2
	[[ "$output" == *"Try 'grv-show --help'."* ]]
}

@test "with cache/ up to date, grv-show reads the complaint's own rows, not the ledger" {
	command -v strace > /dev/null || skip "strace not installed"
	rm -rf "$GRV_DIR/ledger"
	grv-gen -n 6000 > /dev/null
	now=2026-01-01T00:00
	grv-list --now "$now" > /dev/null	# leaves cache/ behind
	id=$(grv-list --now "$now" --status closed | awk -F, 'NR == 1200 { print $1 }')
	[ -n "$id" ]
	size=$(( $(stat -c %s "$GRV_DIR/ledger/events.csv") + $(stat -c %s "$GRV_DIR/ledger/complaints.csv") ))
	# LeakSanitizer cannot run under ptrace; nothing else changes.
	ASAN_OPTIONS=detect_leaks=0 strace -f -y -e trace=read,pread64 -o "$BATS_TEST_TMPDIR/trace" \
		grv-show --now "$now" "$id" > "$BATS_TEST_TMPDIR/warm"
	read_bytes=$(awk '/\/ledger\/[a-z]*\.csv>/ { n = $NF; if (n ~ /^[0-9]+$/) s += n } END { print s + 0 }' "$BATS_TEST_TMPDIR/trace")
	[ "$read_bytes" -gt 0 ]
	[ "$read_bytes" -lt $(( size / 20 )) ]
	# and says what a fold of everything says
	rm -rf "$GRV_DIR/cache"
	grv-show --now "$now" "$id" > "$BATS_TEST_TMPDIR/cold"
	cmp "$BATS_TEST_TMPDIR/warm" "$BATS_TEST_TMPDIR/cold"
	grep -q "^History:" "$BATS_TEST_TMPDIR/cold"
	[ "$(grep -c '^  20' "$BATS_TEST_TMPDIR/cold")" -gt 2 ]
}

# seal_whole MEMBER_ROWS: seal both live ledgers whole into 2025 segments,
# as grv-ledger(5)'s Segments shows, each a gzip member per MEMBER_ROWS
# lines (0: one member, as plain gzip writes it); then one complaint
# added and routed, so that grv's writers put the segments in the marks.
seal_whole() {
	(cd "$GRV_DIR/ledger" && for f in complaints events; do
		if [ "$1" = 0 ]; then gzip -c $f.csv > $f-2025.csv.gz
		else split -l "$1" --filter=gzip $f.csv > $f-2025.csv.gz; fi
		head -1 $f.csv > $f.new && chmod --reference=$f.csv $f.new && mv $f.new $f.csv
	done)
	grv-add --now 2026-01-01 --category EN-SUPPLY --loc D1-T1-B1 --name 'Ram Lal' \
		--phone 9816012345 --text 'No supply' | grv-route --now 2026-01-01 - > /dev/null
}

@test "a complaint sealed into a segment of many gzip members is read by inflating the members that hold its rows, as a whole fold shows it" {
	command -v strace > /dev/null || skip "strace not installed"
	rm -rf "$GRV_DIR/ledger"
	grv-gen -n 6000 > /dev/null
	cp "$GRV_DIR/ledger/events.csv" "$BATS_TEST_TMPDIR/events.csv"
	seal_whole 500
	# still one gzip file that zcat reads whole
	zcat "$GRV_DIR/ledger/events-2025.csv.gz" | cmp - "$BATS_TEST_TMPDIR/events.csv"
	[ "$(gzip -lv "$GRV_DIR/ledger/events-2025.csv.gz" | wc -l)" -ge 2 ]
	run -0 grv-check -q
	now=2026-01-02T00:00
	grv-list --now "$now" > /dev/null	# the row index in cache/
	grv-show --now "$now" TS-3000 > /dev/null	# the member tables made
	[ -s "$GRV_DIR/cache/members-events-2025.csv.gz" ]
	gz=$(cat "$GRV_DIR"/ledger/*.csv.gz | wc -c)
	for id in TS-3000 TS-1 TS-5999; do
		ASAN_OPTIONS=detect_leaks=0 strace -f -y -e trace=read,pread64 -o "$BATS_TEST_TMPDIR/trace" \
			grv-show --now "$now" "$id" > "$BATS_TEST_TMPDIR/warm-$id"
		read_bytes=$(awk '/\.csv\.gz>/ { n = $NF; if (n ~ /^[0-9]+$/) s += n } END { print s + 0 }' "$BATS_TEST_TMPDIR/trace")
		[ "$read_bytes" -gt 0 ]
		[ "$read_bytes" -lt $(( gz / 4 )) ]
	done
	# A member table that points elsewhere is never trusted: it is made
	# again from the segment, and the complaint shown the same.
	cp "$GRV_DIR/cache/members-events-2025.csv.gz" "$BATS_TEST_TMPDIR/members"
	python3 -c 'import struct, sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
for i in range(56, len(b), 16): b[i:i + 8] = struct.pack("<Q", 7)
open(p, "wb").write(b)' "$GRV_DIR/cache/members-events-2025.csv.gz"
	! cmp -s "$BATS_TEST_TMPDIR/members" "$GRV_DIR/cache/members-events-2025.csv.gz"
	run -0 grv-show --now "$now" TS-3000
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/warm-TS-3000")" ]
	cmp "$BATS_TEST_TMPDIR/members" "$GRV_DIR/cache/members-events-2025.csv.gz"
	rm -rf "$GRV_DIR/cache"
	for id in TS-3000 TS-1 TS-5999; do
		grv-show --now "$now" "$id" > "$BATS_TEST_TMPDIR/cold"
		cmp "$BATS_TEST_TMPDIR/warm-$id" "$BATS_TEST_TMPDIR/cold"
	done
	grep -q "^History:" "$BATS_TEST_TMPDIR/cold"
}

@test "a segment of one gzip member, as plain gzip seals it, still reads: from the row index or by the fold, the same" {
	rm -rf "$GRV_DIR/ledger"
	grv-gen -n 3000 > /dev/null
	seal_whole 0
	now=2026-01-02T00:00
	grv-list --now "$now" > /dev/null
	for id in TS-2999 TS-17; do
		grv-show --now "$now" "$id" > "$BATS_TEST_TMPDIR/warm"
		# one member, at the segment's first byte
		[ "$(od -A n -t u8 -j 48 -N 24 "$GRV_DIR/cache/members-events-2025.csv.gz" | xargs)" = "1 0 0" ]
		rm -rf "$GRV_DIR/cache"
		grv-show --now "$now" "$id" > "$BATS_TEST_TMPDIR/cold"
		cmp "$BATS_TEST_TMPDIR/warm" "$BATS_TEST_TMPDIR/cold"
		grv-list --now "$now" > /dev/null
	done
}
