#!/usr/bin/env bats
# A vacant post (issue 16): every placement -- a first route, the sweep's
# climb, a transfer, a citizen's reopen, the reopen after a disputed
# callback, an unsatisfied answer -- follows one rule: the post it was to
# go to vacant, the next level up that has an officer for the place takes
# it, and the row's note says so.  Refused only when no level above has
# one, and then nothing is written.

load test_helper
load fixtures/life-helper

setup() {
	grv_sandbox
	life_supply		# TS-1 open at L1 with EN-JE-B1 (EN-SUPPLY, 3 days a level)
}

# vacate OFFICER...: the officers' posts fall vacant (active = 0).
vacate() {
	local o
	for o in "$@"; do
		sed -i "s/^\($o,.*\),1\$/\1,0/" "$GRV_DIR/masters/officers.csv"
		grep -q "^$o,.*,0\$" "$GRV_DIR/masters/officers.csv"
	done
}

# The bytes appended to events.csv since SIZE (bytes), without each row's
# crc: what a test can know without the code under test.
appended() {
	tail -c +$(($1 + 1)) "$GRV_DIR/ledger/events.csv" | sed 's/,[0-9a-f]\{8\}$//'
}

size() {
	stat -c %s "$GRV_DIR/ledger/events.csv"
}

close_satisfied() {	# close_satisfied ID OFFICER NOW
	life_resolve "$1" "$2" "$3" >/dev/null
	grv-feedback "$1" --now "$3" --satisfied >/dev/null
}

@test "a transfer whose level is vacant in the receiving department goes to the next level up, with the note" {
	# PWD has no level 1 anywhere: its Executive Engineer (level 2, the
	# state) takes it.  EN-SUPPLY is EN's: PWD's due is the conf's 7 days.
	s=$(size)
	run -0 grv-route --now 2026-11-03T10:00 --transfer TS-1 --dept PWD \
		--reason "a road not a line"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,transfer,2,PWD,PWD-EE,2026-11-10T10:00:00+05:30" ]
	[ "$(appended "$s")" = "2026-11-03T10:00:00+05:30,TS-1,transfer,2,PWD,PWD-EE,2026-11-10T10:00:00+05:30,tester,a road not a line,,vacant post: no active officer of PWD at level 1 for D1-T1-B1 or above; placed at level 2" ]
	chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-check --now 2026-11-03T10:00
	run -0 grv-list --now 2026-11-03T10:00
	[ "${lines[1]}" = "TS-1,open,2,PWD,PWD-EE,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-10T10:00:00+05:30,1,EN-SUPPLY,phone" ]
}

@test "a transfer with no officer of the department at its level or any above is not made, exits 1, and writes nothing" {
	vacate PWD-EE PWD-SE PWD-CE
	before=$(ledger_sum)
	run -1 grv-route --now 2026-11-03T10:00 --transfer TS-1 --dept PWD \
		--reason "a road not a line"
	[[ "$output" == *"TS-1: no active officer of PWD at level 1 or any level above for D1-T1-B1 or above; not transferred"* ]]
	assert_unchanged "$before"
}

@test "a citizen's reopen whose post is vacant goes to the next level up; the citizen's words come first in the note" {
	close_satisfied TS-1 EN-JE-B1 2026-11-03T12:00
	vacant="vacant post: no active officer of EN at level 2 for D1-T1-B1 or above; placed at level 3"
	# Level 2 over Theog block is EN-EE-T1 alone.
	vacate EN-EE-T1
	s=$(size)
	run -0 grv-feedback TS-1 --now 2026-11-10T09:00 --reopen --note "Still no supply"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,reopen,3,EN,EN-SE-D1,2026-11-13T09:00:00+05:30" ]
	[ "$(appended "$s")" = "2026-11-10T09:00:00+05:30,TS-1,reopen,3,EN,EN-SE-D1,2026-11-13T09:00:00+05:30,tester,citizen,,Still no supply; $vacant" ]
	chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-check --now 2026-11-10T09:00
}

@test "a reopen with no officer at its level or any above is refused with 65 and writes nothing" {
	close_satisfied TS-1 EN-JE-B1 2026-11-03T12:00
	vacate EN-EE-T1 EN-SE-D1 EN-CE
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-10T09:00 --reopen
	[[ "$output" == *"TS-1: no active officer of EN at level 2 or any level above for D1-T1-B1 or above; not reopened"* ]]
	assert_unchanged "$before"
}

@test "a disputed callback's reopen over a vacant post goes to the next level up, in the same append as the call" {
	close_satisfied TS-1 EN-JE-B1 2026-11-03T12:00
	vacate EN-EE-T1
	s=$(size)
	run -0 grv-feedback TS-1 --now 2026-11-06T09:00 --callback disputed --note "still no supply"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,callback,1,EN,,
TS-1,reopen,3,EN,EN-SE-D1,2026-11-09T09:00:00+05:30" ]
	[ "$(appended "$s")" = "2026-11-06T09:00:00+05:30,TS-1,callback,1,EN,,,tester,disputed,,still no supply
2026-11-06T09:00:00+05:30,TS-1,reopen,3,EN,EN-SE-D1,2026-11-09T09:00:00+05:30,tester,callback,,vacant post: no active officer of EN at level 2 for D1-T1-B1 or above; placed at level 3" ]
	chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-check --now 2026-11-06T09:00
}

@test "an unsatisfied answer whose next level is vacant climbs to the level above it, with the note" {
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00 >/dev/null
	vacate EN-EE-T1
	s=$(size)
	run -0 grv-feedback TS-1 --now 2026-11-04T09:00 --unsatisfied
	[ "${lines[2]}" = "TS-1,escalate,3,EN,EN-SE-D1,2026-11-07T09:00:00+05:30" ]
	[ "$(appended "$s")" = "2026-11-04T09:00:00+05:30,TS-1,feedback,1,EN,,,tester,unsatisfied,,
2026-11-04T09:00:00+05:30,TS-1,escalate,3,EN,EN-SE-D1,2026-11-07T09:00:00+05:30,tester,unsatisfied,,vacant post: no active officer of EN at level 2 for D1-T1-B1 or above; placed at level 3" ]
	chain_ok "$GRV_DIR/ledger/events.csv"
	# The fold reads it back, warm and cold alike.
	run -0 grv-list --now 2026-11-04T09:00
	warm=$output
	rm -rf "$GRV_DIR/cache"
	run -0 grv-list --now 2026-11-04T09:00
	[ "$output" = "$warm" ]
	[[ "${lines[1]}" == TS-1,open,3,EN,EN-SE-D1,* ]]
}
