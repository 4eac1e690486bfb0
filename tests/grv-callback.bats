#!/usr/bin/env bats
# SPEC 7.2, 7.3: the verification call about a closed complaint
# (grv-feedback --callback), what grv-check and grv-show make of it.

load test_helper
load fixtures/life-helper

setup() {
	grv_sandbox
	life_supply		# TS-1 open at L1 with EN-JE-B1, due 2026-11-05T10:05
	life_resolve TS-1 EN-JE-B1 2026-11-03T10:00 >/dev/null
	grv-feedback TS-1 --now 2026-11-03T12:00 --satisfied >/dev/null
}

@test "a confirmed call is one callback row naming who called; a disputed one on a satisfied closure reopens one level up in the same append" {
	run -0 grv-feedback TS-1 --now 2026-11-05T09:00 --actor cmo-desk --callback confirmed --note "Supply fine since the 3rd"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,callback,1,EN,," ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-05T09:00:00+05:30,TS-1,callback,1,EN,,,cmo-desk,confirmed,,Supply fine since the 3rd,"* ]]
	run -0 grv-feedback TS-1 --now 2026-11-06T09:00 --actor cmo-desk --callback disputed
	[ "$output" = "id,event,level,dept,officer,due
TS-1,callback,1,EN,,
TS-1,reopen,2,EN,EN-EE-T1,2026-11-09T09:00:00+05:30" ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-06T09:00:00+05:30,TS-1,reopen,2,EN,EN-EE-T1,2026-11-09T09:00:00+05:30,cmo-desk,callback,,,"* ]]
	run -0 grv-list --now 2026-11-06T09:00 --status open
	[ "${lines[1]}" = "TS-1,open,2,EN,EN-EE-T1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-09T09:00:00+05:30,3,EN-SUPPLY,phone" ]
	run -0 grv-show TS-1 --now 2026-11-06T09:00
	[[ "$output" == *"verification call: the citizen confirms it was redressed  [cmo-desk]"*"note:    Supply fine since the 3rd"* ]]
	[[ "$output" == *"verification call: the citizen says it was not redressed  [cmo-desk]"*"reopened at level 2: the callback found it not redressed  [cmo-desk]"* ]]
	run -0 grv-check --now 2026-11-06T09:00
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "a callback is refused on a complaint not closed, with a bad answer, or beside another answer; the ledger stays as it was" {
	run -0 grv-feedback TS-1 --now 2026-11-04T09:00 --reopen
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --callback confirmed
	[ "$output" = "grv-feedback: TS-1: only a closed complaint can be called back (it is open)" ]
	run -64 grv-feedback TS-1 --callback maybe
	[ "${lines[0]}" = "grv-feedback: --callback: expected confirmed, disputed or unreachable, not 'maybe'" ]
	run -64 grv-feedback TS-1 --callback confirmed --satisfied
	run -64 grv-feedback TS-1 --satisfied --callback confirmed
	assert_unchanged "$before"
}

@test "a disputed call past the reopen rules is recorded alone with a warning (exit 1); on a forced closure it reopens nothing" {
	run -1 grv-feedback TS-1 --now 2026-12-04T09:00 --callback disputed
	[ "$output" = "grv-feedback: TS-1: warning: the disputed call is recorded but the complaint is not reopened: closed more than reopen_days ago
id,event,level,dept,officer,due
TS-1,callback,1,EN,," ]
	run -0 grv-list --now 2026-12-04T09:00 --status closed
	[ "${lines[1]%%,*}" = TS-1 ]
	life_supply 2026-12-04T10:00 2026-12-04T10:05
	grv-resolve TS-2 --officer EN-SE-D1 --now 2026-12-05T12:00 --force \
		--reason "Closed specially: the connection was disconnected for theft" >/dev/null
	run -0 grv-feedback TS-2 --now 2026-12-06T09:00 --callback disputed
	[ "$output" = "id,event,level,dept,officer,due
TS-2,callback,1,EN,," ]
	run -0 grv-check --now 2026-12-04T09:00
}

@test "grv-check names a callback row with a bad answer or on an open complaint" {
	python3 - "$GRV_DIR/ledger/events.csv" <<'PY'
import sys, zlib
path = sys.argv[1]
lines = open(path, "rb").read().rstrip(b"\n").split(b"\n")
prev = lines[-1].rsplit(b",", 1)[1]
out = b""
for body in [b"2026-11-04T09:00:00+05:30,TS-1,callback,1,EN,,,cmo,maybe,,,"[:-1],
             b"2026-11-04T09:01:00+05:30,TS-1,reopen,2,EN,EN-EE-T1,2026-11-07T09:01:00+05:30,cmo,callback,,",
             b"2026-11-04T09:02:00+05:30,TS-1,callback,2,EN,,,cmo,confirmed,,"]:
    crc = b"%08x" % (zlib.crc32(prev + body) & 0xFFFFFFFF)
    out += body + b"," + crc + b"\n"
    prev = crc
open(path, "ab").write(out)
PY
	run -65 grv-check --now 2026-11-05
	[[ "$output" == *"ledger/events.csv:6: bad callback reason 'maybe'"* ]]
	[[ "$output" == *"ledger/events.csv:8: callback of 'TS-1' while open: only a closed complaint can be called back"* ]]
}

@test "callbacks are for the cmo and admin roles; an operator is refused (64)" {
	ME=$(id -un)
	echo "login,role,officer
$ME,operator," > "$GRV_DIR/masters/actors.csv"
	before=$(ledger_sum)
	run -64 grv-feedback TS-1 --callback confirmed
	[ "$output" = "grv-feedback: masters/actors.csv:2: '$ME' is an operator; a verification call (grv-feedback --callback) is for the cmo and admin roles" ]
	assert_unchanged "$before"
	echo "login,role,officer
$ME,cmo," > "$GRV_DIR/masters/actors.csv"
	run -0 grv-feedback TS-1 --callback unreachable
	[ "${lines[1]}" = "TS-1,callback,1,EN,," ]
	[ "$(tail -n 1 "$GRV_DIR/ledger/events.csv" | cut -d, -f8,9)" = "$ME,unreachable" ]
}

@test "grv-check and every reader refuse a disputed call on a satisfied closure left without its reopen, naming file, line and field" {
	# TS-1 closed satisfied at 2026-11-03T12:00 (events.csv lines 2-5);
	# a disputed call appended by hand, chained, without the reopen
	append_rows <<'ROWS'
2026-11-04T09:00:00+05:30,TS-1,callback,1,EN,,,cmo-desk,disputed,,
ROWS
	run -65 grv-check --now 2026-11-05
	[[ "$output" == *"ledger/events.csv:6: callback of 'TS-1' with reason 'disputed' on a satisfied closure is not followed, in the same append, by its reopen with reason 'callback'"* ]]
	run -65 grv-list --now 2026-11-05
	[[ "$output" == *"ledger/events.csv:6: callback of 'TS-1' with reason 'disputed'"* ]]
	# a later row in its place does not pay the debt: an unrelated note
	append_rows <<'ROWS'
2026-11-04T09:00:00+05:30,TS-1,reopen,2,EN,EN-EE-T1,2026-11-07T09:00:00+05:30,cmo-desk,citizen,,
ROWS
	run -65 grv-check --now 2026-11-05
	[[ "$output" == *"ledger/events.csv:6: callback of 'TS-1' with reason 'disputed'"* ]]
}

@test "a disputed call followed by its reopen passes; a reopen with reason callback anywhere else is refused" {
	append_rows <<'ROWS'
2026-11-04T09:00:00+05:30,TS-1,callback,1,EN,,,cmo-desk,disputed,,
2026-11-04T09:00:00+05:30,TS-1,reopen,2,EN,EN-EE-T1,2026-11-07T09:00:00+05:30,cmo-desk,callback,,
ROWS
	run -0 grv-check --now 2026-11-05
	run -0 grv-list --now 2026-11-05 --status open
	[ "${lines[1]%%,*}" = TS-1 ]
	life_resolve TS-1 EN-EE-T1 2026-11-05T10:00 >/dev/null
	grv-feedback TS-1 --now 2026-11-05T12:00 --satisfied >/dev/null
	append_rows <<'ROWS'
2026-11-06T09:00:00+05:30,TS-1,reopen,3,EN,EN-SE-D1,2026-11-09T09:00:00+05:30,cmo-desk,callback,,
ROWS
	run -65 grv-check --now 2026-11-07
	[[ "$output" == *"ledger/events.csv:11: reopen with reason 'callback' not right after a disputed callback at the same time, in the same append, of 'TS-1'"* ]]
	run -65 grv-show TS-1 --now 2026-11-07
}

@test "a disputed call recorded past reopen_days owes no reopen, as grv-feedback writes it" {
	append_rows <<'ROWS'
2026-12-04T09:00:00+05:30,TS-1,callback,1,EN,,,cmo-desk,disputed,,
ROWS
	run -0 grv-check --now 2026-12-05
}

@test "callbacks --pii prints a Devanagari name as UTF-8 text in every format, the table aligned by its width" {
	grv-add --now 2026-11-03T13:00 --category EN-SUPPLY --loc D1-T1-B1 \
		--name "सुनीता देवी" --phone 9876500001 --text "बिजली नहीं" >/dev/null
	echo TS-2 | grv-route --now 2026-11-03T13:05 - >/dev/null
	life_resolve TS-2 EN-JE-B1 2026-11-04T10:30 >/dev/null
	grv-feedback TS-2 --now 2026-11-04T12:30 --satisfied >/dev/null
	opts="--now 2026-12-01 --from 2026-11-01 --sample 5 --seed 1 --pii"
	run -0 grv-report callbacks $opts --format table
	[ "${lines[1]}" = "id    dept  district  loc       category   officer   closed                     phone       name" ]
	[ "${lines[2]}" = "TS-1  EN    D1        D1-T1-B1  EN-SUPPLY  EN-JE-B1  2026-11-03T12:00:00+05:30  9876543210  Test Citizen" ]
	[ "${lines[3]}" = "TS-2  EN    D1        D1-T1-B1  EN-SUPPLY  EN-JE-B1  2026-11-04T12:30:00+05:30  9876500001  सुनीता देवी" ]
	[[ "$output" != *'\u'* && "$output" != *'\x'* && "$output" != *'\3'* ]]
	run -0 grv-report callbacks $opts --format tsv
	[ "${lines[2]}" = "TS-2	EN	D1	D1-T1-B1	EN-SUPPLY	EN-JE-B1	2026-11-04T12:30:00+05:30	9876500001	सुनीता देवी" ]
	run -0 grv-report callbacks $opts
	[ "${lines[2]}" = "TS-2,EN,D1,D1-T1-B1,EN-SUPPLY,EN-JE-B1,2026-11-04T12:30:00+05:30,9876500001,सुनीता देवी" ]
	run -0 grv-report callbacks $opts --format json
	[[ "$output" == *'"phone":"9876500001","name":"सुनीता देवी"}'* ]]
	run -0 grv-list --now 2026-12-01 --pii
	[ "${lines[2]}" = "TS-2,closed,1,EN,EN-JE-B1,D1-T1-B1,D1,2026-11-03T13:00:00+05:30,2026-11-06T13:05:00+05:30,27,EN-SUPPLY,phone,सुनीता देवी,9876500001,बिजली नहीं" ]
}

@test "a disputed call recorded alone under reopen_max = 1 stays valid when reopen_max is raised: every reader exits 0, grv-check finds nothing" {
	cp "$TESTS_DIR/fixtures/notify/templates.csv" "$GRV_DIR/masters/"
	echo "reopen_max = 1" >> "$GRV_DIR/grv.conf"
	# TS-1 reopened once, resolved and closed satisfied again.
	grv-feedback TS-1 --now 2026-11-04T09:00 --reopen >/dev/null
	life_resolve TS-1 EN-EE-T1 2026-11-05T10:00 >/dev/null
	grv-feedback TS-1 --now 2026-11-05T12:00 --satisfied >/dev/null
	run -1 grv-feedback TS-1 --now 2026-11-06T09:00 --callback disputed --note 'still dark'
	[[ "$output" == *"not reopened: reopened reopen_max times already (the limit)"* ]]
	# The row says it was recorded alone (ref 'alone').
	[[ "$(tail -n 1 "$GRV_DIR/ledger/events.csv")" == 2026-11-06T09:00:00+05:30,TS-1,callback,2,EN,,,tester,disputed,alone,still\ dark,* ]]
	n=2026-11-20
	run -0 grv-check --now $n
	[ "$output" = "checked 2 ledger files, 10 rows: 0 findings, 0 repaired" ]
	echo "reopen_max = 3" >> "$GRV_DIR/grv.conf"
	# Under the new limit the reopen would be allowed at the call's time;
	# the call still owes none.
	for cold in warm cold; do
		[ $cold = cold ] && rm -rf "$GRV_DIR/cache"
		run -0 grv-check --now $n
		[ "$output" = "checked 2 ledger files, 10 rows: 0 findings, 0 repaired" ]
		run -0 grv-list --now $n
		[[ "${lines[1]}" == TS-1,closed,* ]]
		run -0 grv-show TS-1 --now $n
		[[ "$output" == *"not reopened: the rules of reopen did not allow it when the call was recorded"* ]]
		[[ "$output" != *"letter:  alone"* ]]
		for kind in grading officers districts pending sla trend mapping feedback verification gaming; do
			run -0 grv-report $kind --now $n --from 2026-11-01 --to 2026-12-01
		done
		run -0 grv-report callbacks --sample 2 --now $n --from 2026-11-01 --to 2026-12-01
		run -0 grv-escalate --now $n --dry-run
		run -0 grv-notify --now $n --dry-run
	done
	# And the complaint can now be reopened by the citizen, under the new limit.
	run -0 grv-feedback TS-1 --now 2026-11-21T09:00 --reopen
	run -0 grv-check --now 2026-11-22
}

@test "a disputed call marked recorded alone owes no reopen, and a reopen with reason callback after it is stray" {
	append_rows <<'ROWS'
2026-11-04T09:00:00+05:30,TS-1,callback,1,EN,,,cmo-desk,disputed,alone,
ROWS
	run -0 grv-check --now 2026-11-05
	run -0 grv-list --now 2026-11-05 --status closed
	[ "${lines[1]%%,*}" = TS-1 ]
	append_rows <<'ROWS'
2026-11-04T09:00:00+05:30,TS-1,reopen,2,EN,EN-EE-T1,2026-11-07T09:00:00+05:30,cmo-desk,callback,,
ROWS
	run -65 grv-check --now 2026-11-05
	[[ "$output" == *"ledger/events.csv:7: reopen with reason 'callback' not right after a disputed callback at the same time, in the same append, of 'TS-1'"* ]]
	run -65 grv-list --now 2026-11-05
}
