#!/usr/bin/env bats
# SPEC 7.2: the life of a complaint after its close and while the officer
# waits on the citizen: reopen (grv-feedback --reopen), hold (grv-resolve
# --hold), resume (grv-feedback --supplied, or the sweep after hold_days).

load test_helper
load fixtures/life-helper

setup() {
	grv_sandbox
	life_supply		# TS-1 open at L1 with EN-JE-B1, due 2026-11-05T10:05
}

force_close() {	# force_close ID OFFICER NOW
	grv-resolve "$1" --officer "$2" --now "$3" --force \
		--reason "Closed specially: the connection was disconnected for theft" >/dev/null
}

hold() {	# hold ID OFFICER NOW
	grv-resolve "$1" --officer "$2" --now "$3" --hold --note "Copy of the khasra and the last bill"
}

@test "a forced closure is reopened one level up with a fresh due, and a reopen is refused past reopen_max" {
	force_close TS-1 EN-SE-D1 2026-11-03T12:00
	run -0 grv-feedback TS-1 --now 2026-11-10T09:00 --reopen --note "Still no supply"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,reopen,2,EN,EN-EE-T1,2026-11-13T09:00:00+05:30" ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-10T09:00:00+05:30,TS-1,reopen,2,EN,EN-EE-T1,2026-11-13T09:00:00+05:30,tester,citizen,,Still no supply,"* ]]
	run -0 grv-list --now 2026-11-10T09:00 --status open
	[ "${lines[1]}" = "TS-1,open,2,EN,EN-EE-T1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-13T09:00:00+05:30,7,EN-SUPPLY,phone" ]
	# the second: closed satisfied at level 2, reopened to level 3
	life_resolve TS-1 EN-EE-T1 2026-11-11T09:00 >/dev/null
	grv-feedback TS-1 --now 2026-11-11T10:00 --satisfied >/dev/null
	run -0 grv-feedback TS-1 --now 2026-11-12T09:00 --reopen
	[ "${lines[1]}" = "TS-1,reopen,3,EN,EN-SE-D1,2026-11-15T09:00:00+05:30" ]
	# the third is refused: reopen_max = 2
	force_close TS-1 EN-SE-D1 2026-11-13T09:00
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-14T09:00 --reopen
	[ "$output" = "grv-feedback: TS-1: reopened reopen_max times already (the limit) (it is closed)" ]
	assert_unchanged "$before"
	echo "reopen_max = 3" >> "$GRV_DIR/grv.conf"
	run -0 grv-feedback TS-1 --now 2026-11-14T09:00 --reopen
	[ "${lines[1]}" = "TS-1,reopen,4,EN,EN-CE,2026-11-17T09:00:00+05:30" ]
	run -0 grv-check
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "a reopen is refused outside reopen_days and on an open complaint" {
	force_close TS-1 EN-SE-D1 2026-11-03T12:00
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-12-03T12:01 --reopen
	[ "$output" = "grv-feedback: TS-1: closed more than reopen_days ago (it is closed)" ]
	assert_unchanged "$before"
	run -0 grv-feedback TS-1 --now 2026-12-03T12:00 --reopen
	run -65 grv-feedback TS-1 --now 2026-12-03T13:00 --reopen
	[ "$output" = "grv-feedback: TS-1: only a closed complaint can be reopened (it is open)" ]
	run -64 grv-feedback TS-1 --reopen --satisfied
}

@test "an unverified closure can be reopened; grading counts it open again, feedback counts it reopened" {
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00 >/dev/null
	run -0 grv-escalate --now 2026-11-10T13:00
	[ "${lines[1]}" = "TS-1,close,1,1,EN,EN-JE-B1,,unverified" ]
	run -0 grv-report grading --now 2026-11-11T09:00
	[ "${lines[1]}" = "EN,Energy,3,1,1,0,0,0,0,0,40.00,D" ]
	run -0 grv-feedback TS-1 --now 2026-11-11T09:00 --reopen
	[ "${lines[1]}" = "TS-1,reopen,2,EN,EN-EE-T1,2026-11-14T09:00:00+05:30" ]
	# open again, and past due at the month's end with nobody acting: unattended
	run -0 grv-report grading --now 2026-11-20T09:00
	[ "${lines[1]}" = "EN,Energy,3,1,1,0,0,0,0,1,30.00,D" ]
	run -0 grv-report feedback --now 2026-11-20T09:00
	[ "${lines[1]}" = "EN,Energy,1,0,0,0,1,1,100.00,0,,0,0,0,0,0" ]
}

@test "a hold stops the clock and the citizen's supply resumes it with what was left" {
	run -0 hold TS-1 EN-JE-B1 2026-11-03T10:05
	[ "$output" = "id,event,level,dept,officer,due
TS-1,hold,1,EN,EN-JE-B1," ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-03T10:05:00+05:30,TS-1,hold,1,EN,EN-JE-B1,,tester,,,Copy of the khasra and the last bill,"* ]]
	run -0 grv-list --now 2026-11-07T09:00 --status hold
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "TS-1,hold,1,EN,EN-JE-B1,"* ]]
	run -0 grv-list --now 2026-11-07T09:00 --overdue
	[ "${#lines[@]}" -eq 1 ]
	# past its old due the sweep neither escalates it nor counts it
	before=$(ledger_sum)
	run -0 grv-escalate --now 2026-11-07T09:00
	[ "$output" = "id,event,from_level,level,dept,officer,due,reason" ]
	assert_unchanged "$before"
	run -0 grv-report grading --now 2026-11-07T09:00
	[ "${lines[1]}" = "EN,Energy,3,1,1,0,0,0,0,0,40.00,D" ]
	run -65 life_resolve TS-1 EN-JE-B1 2026-11-08T09:00
	run -0 grv-feedback TS-1 --now 2026-11-10T12:00 --supplied --note "Khasra copy brought to the office"
	[ "${lines[1]}" = "TS-1,resume,1,EN,EN-JE-B1,2026-11-12T12:00:00+05:30" ]
	run -0 grv-show TS-1 --now 2026-11-10T12:00
	[[ "$output" == *"on hold: "*"asked the citizen for information; the clock stopped"* ]]
	[[ "$output" == *"asked:   Copy of the khasra and the last bill"* ]]
	[[ "$output" == *"resumed: the citizen supplied what was asked"* ]]
	run -65 grv-feedback TS-1 --now 2026-11-10T13:00 --supplied
	[ "$output" = "grv-feedback: TS-1: only a complaint on hold can resume (it is open)" ]
	run -0 grv-check
}

@test "grv-report sla counts the holds and the days on hold of each department and level, clipped to the period" {
	hold TS-1 EN-JE-B1 2026-11-03T10:05 >/dev/null
	grv-feedback TS-1 --now 2026-11-05T10:05 --supplied >/dev/null
	hold TS-1 EN-JE-B1 2026-11-06T10:05 >/dev/null
	# by hand: 11-03 10:05 to 11-05 10:05 is 2 days; the second hold runs
	# on to --now, 11-08 10:05, 2 days more (and the report's second)
	run -0 grv-report sla --now 2026-11-08T10:05
	[ "$output" = "dept,name,level,placed,resolved,in_time,escalated_overdue,median_days,p90_days,holds,hold_days
EN,Energy,1,1,0,0,0,,,2,4.00" ]
	# from 11-04 00:00 to 11-07 00:00: 34 h 05 min of the first, 13 h 55 min
	# of the second (the period's end): 48 h; one hold begun inside it
	run -0 grv-report sla --now 2026-11-08T10:05 --from 2026-11-04 --to 2026-11-07
	[ "${lines[1]}" = "EN,Energy,1,0,0,0,0,,,1,2.00" ]
	rm -rf "$GRV_DIR/cache"
	run -0 grv-report sla --now 2026-11-08T10:05 --from 2026-11-04 --to 2026-11-07
	[ "${lines[1]}" = "EN,Energy,1,0,0,0,0,,,1,2.00" ]
}

@test "a hold runs out in the sweep after hold_days, warm and cold alike, and only once" {
	hold TS-1 EN-JE-B1 2026-11-03T10:05 >/dev/null
	run -0 grv-escalate --now 2026-11-18T10:04
	[ "${#lines[@]}" -eq 1 ]
	grv-list --now 2026-11-18T11:00 >/dev/null	# cache/ built
	run -0 grv-escalate --now 2026-11-18T11:00 --dry-run
	warm=$output
	rm -rf "$GRV_DIR/cache"
	run -0 grv-escalate --now 2026-11-18T11:00 --dry-run
	[ "$output" = "$warm" ]
	[ "${lines[1]}" = "TS-1,resume,1,1,EN,EN-JE-B1,2026-11-20T11:00:00+05:30,expired" ]
	run -0 grv-escalate --now 2026-11-18T11:00
	[ "$output" = "$warm" ]
	run -0 grv-escalate --now 2026-11-18T11:00
	[ "${#lines[@]}" -eq 1 ]
	run -0 grv-show TS-1 --now 2026-11-18T11:00
	[[ "$output" == *"resumed: the hold ran out"* ]]
	run -0 grv-check
}

@test "hold_days changed in grv.conf under a warm cache/: the sweep resumes by the new value, as a cold one does" {
	# A complaint of its own, registered and routed at once.
	grv-add --now 2026-11-02T10:05 --category EN-SUPPLY --loc D1-T1-B1 \
		--name "Ram Lal" --phone 9816012345 --text "no supply since Monday" |
		grv-route --now 2026-11-02T10:05 - >/dev/null
	hold TS-2 EN-JE-B1 2026-11-03T10:05 >/dev/null
	run -0 grv-escalate --now 2026-11-04T10:00	# cache/ and its wake index
	[ "${#lines[@]}" -eq 1 ]
	echo "hold_days = 2" >> "$GRV_DIR/grv.conf"
	run -0 grv-escalate --now 2026-11-06T10:00 --dry-run
	warm=$output
	rm -rf "$GRV_DIR/cache"
	run -0 grv-escalate --now 2026-11-06T10:00 --dry-run
	[ "$output" = "$warm" ]
	[[ "$output" == *"TS-2,resume,1,1,EN,EN-JE-B1,"*",expired"* ]]
}

@test "with working days a hold over a holiday and a weekend resumes with the working days that were left" {
	printf 'calendar = working\nweekend = sat,sun\n' >> "$GRV_DIR/grv.conf"
	add_complaint EN-SUPPLY D1-T1-B1 2026-12-21T10:00 >/dev/null	# Monday
	run -0 grv-route --now 2026-12-21T10:05 - <<< TS-2
	[ "${lines[1]}" = "TS-2,route,1,EN,EN-JE-B1,2026-12-24T10:05:00+05:30" ]
	hold TS-2 EN-JE-B1 2026-12-22T09:00 >/dev/null	# Tuesday: 23 and 24 left
	# Thursday: Friday 25 is Christmas, then Saturday, Sunday, Monday, Tuesday
	run -0 grv-feedback TS-2 --now 2026-12-24T15:00 --supplied
	[ "${lines[1]}" = "TS-2,resume,1,EN,EN-JE-B1,2026-12-29T15:00:00+05:30" ]
}

@test "a resume row with a reason outside supplied and expired is named by grv-check" {
	hold TS-1 EN-JE-B1 2026-11-03T10:05 >/dev/null
	python3 - "$GRV_DIR/ledger/events.csv" <<'PY'
import sys, zlib
path = sys.argv[1]
last = open(path, "rb").read().rstrip(b"\n").split(b"\n")[-1]
prev = last.rsplit(b",", 1)[1]
body = b"2026-11-04T09:00:00+05:30,TS-1,resume,1,EN,EN-JE-B1,2026-11-06T09:00:00+05:30,tester,because,,"
crc = b"%08x" % (zlib.crc32(prev + body) & 0xFFFFFFFF)
open(path, "ab").write(body + b"," + crc + b"\n")
PY
	run -65 grv-check
	[[ "$output" == *"ledger/events.csv:4: bad resume reason"* ]] || { echo "$output"; false; }
}

@test "a complaint filed twice from one phone closes as a duplicate, leaves grading's N, and cannot be reopened" {
	life_supply 2026-11-02T11:00 2026-11-02T11:05 2026-11-05T11:05:00+05:30	# TS-2, same phone
	grv-add --now 2026-11-02T12:00 --category EN-SUPPLY --loc D1-T1-B1 --name Other \
		--phone 9816099999 --text "no supply" | tail -n +2 | cut -d, -f1 | grv-route --now 2026-11-02T12:05 - >/dev/null
	before=$(ledger_sum)
	run -65 grv-resolve TS-2 --now 2026-11-03T09:00 --officer EN-JE-B1 --duplicate-of TS-3
	[ "$output" = "grv-resolve: TS-2: TS-3 was filed from another phone: not a duplicate" ]
	run -65 grv-resolve TS-2 --now 2026-11-03T09:00 --officer EN-JE-B1 --duplicate-of TS-2
	run -65 grv-resolve TS-2 --now 2026-11-03T09:00 --officer EN-JE-B1 --duplicate-of TS-9
	run -64 grv-resolve TS-2 --now 2026-11-03T09:00 --officer EN-JE-B1 --duplicate-of TS-1 --reason "two words"
	assert_unchanged "$before"
	run -0 grv-resolve TS-2 --now 2026-11-03T09:00 --officer EN-JE-B1 --duplicate-of TS-1
	[ "${lines[1]}" = "TS-2,close,1,EN,EN-JE-B1," ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-03T09:00:00+05:30,TS-2,close,1,EN,EN-JE-B1,,tester,duplicate,,TS-1,"* ]]
	run -0 grv-report grading --now 2026-11-04T09:00
	[ "${lines[1]}" = "EN,Energy,3,1,2,0,0,0,0,0,40.00,D" ]
	run -65 grv-feedback TS-2 --now 2026-11-04T09:00 --reopen
	[ "$output" = "grv-feedback: TS-2: a duplicate closure cannot be reopened (pursue the complaint it repeats) (it is closed)" ]
	force_close TS-1 EN-SE-D1 2026-11-04T10:00
	run -65 grv-resolve TS-3 --now 2026-11-04T11:00 --officer EN-JE-B1 --duplicate-of TS-1
	[[ "$output" == *"TS-1 is closed"* ]]
	run -0 grv-show TS-2 --now 2026-11-04T11:00
	[[ "$output" == *"closed: duplicate of TS-1 by EN-JE-B1"* ]]
	run -0 grv-check
}
