#!/usr/bin/env bats
# SPEC 7.1: one set of row rules.  Every reader refuses what grv-check
# refuses, and no writer writes a value grv-check would refuse.

load test_helper
load fixtures/life-helper

C=ledger/complaints.csv
E=ledger/events.csv

complaint_rows() {
	cat <<-'EOF'
	TS-1,2026-11-02T10:00:00+05:30,phone,EN-SUPPLY,D1-T1-B1,Test Citizen,9876543210,no power since monday,
	TS-2,2026-11-02T10:05:00+05:30,web,REV-MUT,D1-T1,"Devi, Sunita",9876543211,mutation pending,PSG/2026/17
	EOF
}

event_rows() {
	cat <<-'EOF'
	2026-11-02T11:00:00+05:30,TS-1,route,1,EN,EN-JE-B1,2026-11-05T11:00:00+05:30,tester,,,
	2026-11-02T11:05:00+05:30,TS-2,route,1,REV,REV-TEH-D1T1,2026-11-17T11:05:00+05:30,tester,,,
	EOF
}

# build [EXTRA_EVENT_ROW...]: both ledgers with a correct crc chain, so
# that only the rows' meaning can be wrong.
build() {
	mkdir -p "$GRV_DIR/ledger"
	complaint_rows | "$TESTS_DIR/mkledger" complaints "$GRV_DIR/$C"
	{ event_rows; printf '%s\n' "$@"; } |
		"$TESTS_DIR/mkledger" events "$GRV_DIR/$E"
}

# refused_by_all LINE: grv-check names LINE of events.csv, and every reader
# refuses the ledger at that line, cold and after a warm cache was dropped.
refused_by_all() {
	run -65 grv-check
	[[ "${lines[0]}" == "ledger/events.csv:$1: "* ]]
	rm -rf "$GRV_DIR/cache"
	run -65 grv-list --now 2026-12-01
	[[ "$output" == *"ledger/events.csv:$1: "* ]]
	run -65 grv-report grading --now 2026-12-01
	[[ "$output" == *"ledger/events.csv:$1: "* ]]
	run -65 grv-show TS-1 --now 2026-12-01
	[[ "$output" == *"ledger/events.csv:$1: "* ]]
}

setup() {
	grv_sandbox
	build
}

# An empty ledger, for the writers' tests.
fresh() {
	rm -rf "$GRV_DIR/ledger" "$GRV_DIR/cache"
}

@test "an escalate row with reason 'bogus' and a valid crc is refused by grv-list as by grv-check" {
	build "2026-11-10T00:00:00+05:30,TS-1,escalate,2,EN,EN-EE-T1,2026-11-17T00:00:00+05:30,tester,bogus,,"
	refused_by_all 4
	run -65 grv-list --now 2026-12-01
	[ "$output" = "grv-list: ledger/events.csv:4: bad escalate reason 'bogus'" ]
}

@test "a resolve of a complaint that is not open is refused by every reader" {
	build "2026-11-03T09:00:00+05:30,TS-1,resolve,,,EN-JE-B1,,tester,line repaired (rule 4),L/1," \
	    "2026-11-03T10:00:00+05:30,TS-1,resolve,,,EN-JE-B1,,tester,line repaired (rule 4),L/2,"
	refused_by_all 5
	run -65 grv-check
	[ "${lines[0]}" = "ledger/events.csv:5: resolve of 'TS-1' while resolved: only an open complaint can be resolved" ]
}

@test "an event stamped before its complaint was registered is refused by every reader" {
	build "2026-11-02T09:00:00+05:30,TS-2,note,,,,,tester,,,called"
	# (time also goes back: the rows before are later)
	refused_by_all 4
}

@test "a transfer without a reason and a note without a note are refused by every reader" {
	build "2026-11-03T09:00:00+05:30,TS-1,transfer,1,REV,REV-TEH-D1T1,2026-11-10T09:00:00+05:30,tester,,,"
	refused_by_all 4
	build "2026-11-03T09:00:00+05:30,TS-1,note,,,,,tester,,,"
	refused_by_all 4
}

@test "a control character in a stored note is refused by every reader" {
	build "2026-11-03T09:00:00+05:30,TS-1,note,,,,,tester,,,called$(printf '\001')the office"
	refused_by_all 4
	run -65 grv-check
	[ "${lines[0]}" = "ledger/events.csv:4: field 'note' holds a control character" ]
}

@test "a tab in a stored note is free text and accepted" {
	build "2026-11-03T09:00:00+05:30,TS-1,note,,,,,tester,,,called$(printf '\t')the office"
	run -0 grv-check
	run -0 grv-list --now 2026-12-01
}

@test "a phone number that is not digits in complaints.csv is refused by every reader" {
	sed -i 's/,9876543211,/,98765X3211,/' "$GRV_DIR/$C"
	python3 - "$GRV_DIR/$C" <<-'EOF'
	import sys, zlib
	p = sys.argv[1]
	lines = open(p, 'rb').read().split(b'\n')[:-1]
	prev, out = lines[0], [lines[0]]
	for l in lines[1:]:
	    body = l[:-9]
	    crc = b'%08x' % (zlib.crc32(prev + body) & 0xffffffff)
	    out.append(body + b',' + crc)
	    prev = crc
	open(p, 'wb').write(b'\n'.join(out) + b'\n')
	EOF
	run -65 grv-check
	[ "${lines[0]}" = "ledger/complaints.csv:3: bad phone number '98765X3211'" ]
	run -65 grv-list --now 2026-12-01
	[ "$output" = "grv-list: ledger/complaints.csv:3: bad phone number '98765X3211'" ]
}

@test "--actor that is not UTF-8 is refused and nothing is written" {
	fresh
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	before=$(ledger_sum)
	run -65 grv-route --now 2026-11-02T11:00 --actor $'op\xff'
	[ "$output" = "grv-route: --actor: not valid UTF-8" ]
	assert_unchanged "$before"
	run -0 grv-check
}

@test "a Latin-1 login name is refused and nothing is written" {
	fresh
	life_supply
	before=$(ledger_sum)
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-02T10:10 >/dev/null
	before=$(ledger_sum)
	LOGNAME=$'\xe9t\xe9' run -65 grv-route --now 2026-11-02T11:00
	[ "$output" = "grv-route: LOGNAME: not valid UTF-8" ]
	assert_unchanged "$before"
	LOGNAME=$'\xe9t\xe9' run -65 grv-escalate --now 2026-12-30
	assert_unchanged "$before"
	run -0 grv-check
}

@test "an actor over 64 bytes is refused, one of 64 is written" {
	fresh
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	before=$(ledger_sum)
	run -65 grv-route --now 2026-11-02T11:00 --actor "$(printf 'a%.0s' $(seq 65))"
	[ "$output" = "grv-route: --actor: is longer than 64 bytes (65 bytes)" ]
	assert_unchanged "$before"
	run -0 grv-route --now 2026-11-02T11:00 --actor "$(printf 'a%.0s' $(seq 64))"
	run -0 grv-check
}

@test "an actor with a control character or a line break is refused" {
	fresh
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	before=$(ledger_sum)
	run -65 grv-route --now 2026-11-02T11:00 --actor $'op\tx'
	[ "$output" = "grv-route: --actor: holds a control character" ]
	run -65 grv-route --now 2026-11-02T11:00 --actor $'op\nx'
	assert_unchanged "$before"
}

@test "a note with a control character is refused and nothing is written" {
	fresh
	life_supply
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00 >/dev/null
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-04T09:00 --unsatisfied --note $'still\x01cuts out'
	[ "$output" = "grv-feedback: --note: holds a control character (only tab and line breaks are allowed)" ]
	assert_unchanged "$before"
	run -65 grv-resolve TS-1 --now 2026-11-04T09:00 --officer EN-JE-B1 --interim --reason $'acted on\x7f it'
	assert_unchanged "$before"
	run -0 grv-feedback TS-1 --now 2026-11-04T09:00 --unsatisfied --note $'still cuts out\nat night'
	run -0 grv-check
}

@test "complaint text with a control character is refused by grv-add and nothing is written" {
	fresh
	before=$(ledger_sum)
	run -65 grv-add --now 2026-11-02T10:00 --category EN-SUPPLY --loc D1-T1-B1 \
	    --name "Test Citizen" --phone 9876543210 --text $'no power\x1b[31m'
	[[ "$output" == *"--text: holds a control character"* ]]
	run -65 grv-add --now 2026-11-02T10:00 --category EN-SUPPLY --loc D1-T1-B1 \
	    --name $'Test\xc2\x85Citizen' --phone 9876543210 --text "no power"
	[[ "$output" == *"--name: holds a control character"* ]]
	assert_unchanged "$before"
}

@test "a transfer reason with a control character is refused and nothing is written" {
	fresh
	life_supply
	before=$(ledger_sum)
	run -65 grv-route --now 2026-11-02T12:00 --transfer TS-1 --dept REV --reason $'wrong\x02department'
	[ "$output" = "grv-route: --reason: holds a control character" ]
	assert_unchanged "$before"
}
