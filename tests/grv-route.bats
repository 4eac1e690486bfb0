#!/usr/bin/env bats
# grv-route: SPEC sections 2 (the responsible officer), 4 (due, transfer)
# and 5, issue 3.  Fixture officers: EN has a JE at block D1-T1-B1, an
# inactive JE at D1-T1-B2 (so the tehsil JE EN-JE-T1 takes it) and a JE over
# the whole district D2; REV's L1 sit at tehsils; PWD has no L1 anywhere.

load test_helper

setup() {
	grv_sandbox
}

N=2026-11-02T10:00
HDR="id,event,level,dept,officer,due"

route() {
	grv-route --now "$N" "$@"
}

@test "a complaint at a block with its own officer goes to that block officer, due after the category's limit" {
	id=$(add_complaint EN-SUPPLY D1-T1-B1)
	run -0 route
	[ "${lines[0]}" = "$HDR" ]
	# EN-SUPPLY: 3 days
	[ "${lines[1]}" = "$id,route,1,EN,EN-JE-B1,2026-11-05T10:00:00+05:30" ]
	[ "${#lines[@]}" -eq 2 ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-02T10:00:00+05:30,TS-1,route,1,EN,EN-JE-B1,2026-11-05T10:00:00+05:30,tester,,,,"* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "a department whose first level sits at tehsils takes a block complaint at the nearest ancestor" {
	add_complaint REV-MUT D1-T1-B1 >/dev/null
	add_complaint REV-MUT D2-T1-B1 >/dev/null
	run -0 route
	# REV: 15 days (department)
	[ "${lines[1]}" = "TS-1,route,1,REV,REV-TEH-D1T1,2026-11-17T10:00:00+05:30" ]
	[ "${lines[2]}" = "TS-2,route,1,REV,REV-TEH-D2T1,2026-11-17T10:00:00+05:30" ]
}

@test "an officer over a whole district takes a complaint from any block in it" {
	add_complaint EN-BILL D2-T1-B1 >/dev/null
	run -0 route
	# EN-BILL: no category or department limit, the conf's 7 days
	[ "${lines[1]}" = "TS-1,route,1,EN,EN-JE-D2,2026-11-09T10:00:00+05:30" ]
}

@test "an inactive block officer is skipped for the tehsil's officer" {
	add_complaint EN-BILL D1-T1-B2 >/dev/null
	run -0 route
	[ "${lines[1]}" = "TS-1,route,1,EN,EN-JE-T1,2026-11-09T10:00:00+05:30" ]
}

@test "a bribe complaint starts at level 3, above the office it accuses, with that level's limit" {
	add_complaint EN-BRIBE D1-T1-B1 >/dev/null
	run -0 route
	# EN-BRIBE: 15;15;10;10 -> 10 days at level 3
	[ "${lines[1]}" = "TS-1,route,3,EN,EN-SE-D1,2026-11-12T10:00:00+05:30" ]
}

@test "a category's own limit for every level applies" {
	add_complaint REV-DEMARC D1-T2-B1 >/dev/null
	run -0 route
	[ "${lines[1]}" = "TS-1,route,1,REV,REV-TEH-D1T2,2026-12-02T10:00:00+05:30" ]
}

# Every post of PWD vacant (active = 0): no level can take its complaints.
pwd_vacant() {
	sed -i 's/^\(PWD-[A-Z]*,.*\),1$/\1,0/' "$GRV_DIR/masters/officers.csv"
}

@test "a vacant level-1 post: the next level up that has an officer takes it, and the row's note says why" {
	add_complaint PWD-ROAD D1-T1-B1 >/dev/null
	run -0 --separate-stderr route
	# PWD has no level-1 officer: its EE (level 2, over the state), due
	# after level 2's limit.
	[ "${lines[1]}" = "TS-1,route,2,PWD,PWD-EE,2026-11-09T10:00:00+05:30" ]
	[ -z "$stderr" ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-02T10:00:00+05:30,TS-1,route,2,PWD,PWD-EE,2026-11-09T10:00:00+05:30,tester,,,vacant post: no active officer of PWD at level 1 for D1-T1-B1 or above; placed at level 2,"* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-check -q
	# Level 2 vacant too: level 3.
	sed -i 's/^\(PWD-EE,.*\),1$/\1,0/' "$GRV_DIR/masters/officers.csv"
	add_complaint PWD-ROAD D1-T1-B1 >/dev/null
	run -0 route
	[ "${lines[1]}" = "TS-2,route,3,PWD,PWD-SE,2026-11-09T10:00:00+05:30" ]
	run -0 grv-list --now "$N" --status open --dept PWD
	[ "${#lines[@]}" -eq 3 ]
}

@test "a complaint no officer can take stays new, is named, and the rest are placed with exit 1" {
	pwd_vacant
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint PWD-ROAD D1-T1-B1 >/dev/null
	add_complaint REV-MUT D1-T2 >/dev/null
	run -1 --separate-stderr route
	[ "$output" = "$(printf '%s\n%s\n%s' "$HDR" \
		"TS-1,route,1,EN,EN-JE-B1,2026-11-05T10:00:00+05:30" \
		"TS-3,route,1,REV,REV-TEH-D1T2,2026-11-17T10:00:00+05:30")" ]
	[ "$stderr" = "grv-route: TS-2: no active officer of PWD at level 1 or any level above for D1-T1-B1 or above; left new" ]
	[ "$(rows events)" -eq 2 ]
	run -0 grv-list --now "$N" --status new
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == TS-2,new,* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "running it again places nothing twice" {
	pwd_vacant
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint PWD-ROAD D1-T1-B1 >/dev/null
	run -1 route
	before=$(ledger_sum)
	run -1 --separate-stderr route
	[ "$output" = "$HDR" ]
	[[ "$stderr" == *"TS-2: no active officer"* ]]
	N=2026-11-03T10:00 run -1 --separate-stderr route
	[ "$output" = "$HDR" ]
	assert_unchanged "$before"
}

@test "with no complaints at all it prints only the header" {
	run -0 route
	[ "$output" = "$HDR" ]
}

@test "grv-add piped into grv-route - routes exactly the complaints just added" {
	add_complaint EN-BILL D2 >/dev/null		# an older new complaint
	run -0 sh -c "printf 'category,loc,name,phone,text\nEN-SUPPLY,D1-T1-B1,A,9816000001,x\nREV-MUT,D2-T1-B1,B,9816000002,y\n' |
		grv-add --now $N --batch - | grv-route --now $N -"
	[ "$output" = "$(printf '%s\n%s\n%s' "$HDR" \
		"TS-2,route,1,EN,EN-JE-B1,2026-11-05T10:00:00+05:30" \
		"TS-3,route,1,REV,REV-TEH-D2T1,2026-11-17T10:00:00+05:30")" ]
	run -0 grv-list --now "$N" --status new
	[[ "${lines[1]}" == TS-1,new,* ]]
	[ "${#lines[@]}" -eq 2 ]
}

@test "ids on standard input without a header are routed in the order given" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint EN-BILL D2 >/dev/null
	run -0 route - <<< $'TS-2\nTS-1'
	[ "${lines[1]%%,*}" = "TS-2" ]
	[ "${lines[2]%%,*}" = "TS-1" ]
}

@test "an id already routed or unknown on standard input is refused and the rest are routed; a malformed one refuses all" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint EN-BILL D2 >/dev/null
	run -0 route - <<< "TS-1"
	# Issue 13: an id of another node is malformed input, refused whole (65).
	run -65 --separate-stderr route - <<< $'id,registered\nTS-1,x\nTS-7,x\nHP-2,x\nTS-2,x'
	[ "$output" = "" ]
	[ "$stderr" = "grv-route: -:4: not a complaint id 'HP-2' (expected TS-<number>)" ]
	[ "$(rows events)" -eq 1 ]
	run -1 --separate-stderr route - <<< $'id,registered\nTS-1,x\nTS-7,x\nTS-2,x'
	[ "$output" = "$(printf '%s\n%s' "$HDR" "TS-2,route,1,EN,EN-JE-D2,2026-11-09T10:00:00+05:30")" ]
	[[ "$stderr" == *"TS-1: already routed"* ]]
	[[ "$stderr" == *"TS-7: no such complaint"* ]]
	[ "$(rows events)" -eq 2 ]
}

@test "the due date counts working days when the calendar says so" {
	sed -i 's/^calendar = calendar/calendar = working/' "$GRV_DIR/grv.conf"
	add_complaint EN-SUPPLY D1-T1-B1 2026-12-24T10:00 >/dev/null
	run -0 grv-route --now 2026-12-24T10:00
	# Thu 24 Dec + 3 working days: 25th a holiday, 26th Sat (1), 27th
	# Sunday, 28th (2), 29th (3)
	[ "${lines[1]}" = "TS-1,route,1,EN,EN-JE-B1,2026-12-29T10:00:00+05:30" ]
}

@test "a --now earlier than the last event is refused with nothing written" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	route - <<< TS-1 >/dev/null
	before=$(ledger_sum)
	run -65 grv-route --now 2026-11-02T09:00
	[[ "$output" == *"timestamps never go back"* ]]
	assert_unchanged "$before"
}

@test "usage errors exit 64 and write nothing" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	before=$(ledger_sum)
	run -64 route - --transfer TS-1 --dept REV --reason "wrong"
	run -64 route --transfer TS-1 --dept REV
	run -64 route --dept REV --reason x
	run -64 route TS-1
	run -64 route - -
	assert_unchanged "$before"
}

# ---- transfers ----

transfer() {	# transfer ID DEPT [NOW]
	grv-route --now "${3:-2026-11-03T10:00}" --transfer "$1" --dept "$2" \
		--reason "category mapped to the wrong department"
}

@test "a transfer moves an open complaint to the other department's officer at its level with a fresh due" {
	add_complaint EN-BILL D1-T1-B2 >/dev/null
	route >/dev/null
	run -0 transfer TS-1 REV
	[ "$output" = "$(printf '%s\n%s' "$HDR" "TS-1,transfer,1,REV,REV-TEH-D1T1,2026-11-18T10:00:00+05:30")" ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-03T10:00:00+05:30,TS-1,transfer,1,REV,REV-TEH-D1T1,2026-11-18T10:00:00+05:30,tester,category mapped to the wrong department,,,"* ]]
	run -0 grv-list --now 2026-11-03T10:00
	[[ "${lines[1]}" == TS-1,open,1,REV,REV-TEH-D1T1,* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "a transfer keeps a level-3 complaint at level 3" {
	add_complaint EN-BRIBE D2-T1-B1 >/dev/null
	route >/dev/null
	run -0 transfer TS-1 REV
	# REV's level-3 officer over D2; REV's 15 days (the category's own
	# limits were for EN)
	[ "${lines[1]}" = "TS-1,transfer,3,REV,REV-DC-D2,2026-11-18T10:00:00+05:30" ]
}

@test "a transfer back to the category's own department takes the category's limit again" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	route >/dev/null
	transfer TS-1 REV >/dev/null
	run -0 transfer TS-1 EN 2026-11-04T10:00
	[ "${lines[1]}" = "TS-1,transfer,1,EN,EN-JE-B1,2026-11-07T10:00:00+05:30" ]
}

@test "the fourth transfer of a complaint is refused" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	route >/dev/null
	run -0 transfer TS-1 REV 2026-11-03T10:00
	run -0 transfer TS-1 EN 2026-11-03T11:00
	run -0 transfer TS-1 REV 2026-11-03T12:00
	before=$(ledger_sum)
	run -65 transfer TS-1 EN 2026-11-03T13:00
	[[ "$output" == *"TS-1: transferred 3 times already"* ]]
	assert_unchanged "$before"
	[ "$(grep -c ',transfer,' "$GRV_DIR/ledger/events.csv")" -eq 3 ]
}

@test "a complaint not yet routed cannot be transferred" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	before=$(ledger_sum)
	run -65 transfer TS-1 REV
	[[ "$output" == *"TS-1: only an open complaint can be transferred"* ]]
	run -65 transfer TS-2 REV
	[[ "$output" == *"TS-2: no such complaint"* ]]
	assert_unchanged "$before"
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	route - <<< TS-1 >/dev/null
	before=$(ledger_sum)
	run -65 transfer TS-2 REV
	[[ "$output" == *"TS-2: only an open complaint can be transferred"* ]]
	assert_unchanged "$before"
}

@test "a transfer to the department already holding it is refused" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	route >/dev/null
	before=$(ledger_sum)
	run -65 transfer TS-1 EN
	[[ "$output" == *"already with that department"* ]]
	assert_unchanged "$before"
}

@test "a transfer to an unknown department is refused with a suggestion" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	route >/dev/null
	before=$(ledger_sum)
	run -65 transfer TS-1 RV
	[ "$output" = "grv-route: --dept: unknown department 'RV' (did you mean 'REV'?)" ]
	run -65 transfer TS-9 REV
	[[ "$output" == *"TS-9: no such complaint"* ]]
	run -65 grv-route --now 2026-11-03 --transfer TS-1 --dept REV --reason "  "
	[[ "$output" == *"--reason: empty"* ]]
	assert_unchanged "$before"
}

@test "a transfer to a department with no officer at that level or any above is not made and exits 1" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	route >/dev/null
	# PWD has no level 1: its level 2 would take it (tests/vacant.bats)
	# while one of its posts is filled.
	sed -i 's/^\(PWD-[A-Z]*,.*\),1$/\1,0/' "$GRV_DIR/masters/officers.csv"
	[ "$(grep -c '^PWD-.*,1$' "$GRV_DIR/masters/officers.csv")" -eq 0 ]
	before=$(ledger_sum)
	run -1 transfer TS-1 PWD
	[[ "$output" == *"TS-1: no active officer of PWD at level 1 or any level above for D1-T1-B1 or above; not transferred"* ]]
	assert_unchanged "$before"
}

@test "a transfer's due follows the receiving department's sla_days when the category is another department's, else the conf's" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null	# EN's, 3 days
	add_complaint REV-DEMARC D1-T1-B1 >/dev/null	# REV's, 30 days
	route >/dev/null
	run -0 transfer TS-1 REV
	# REV's own 15 days, not EN-SUPPLY's 3
	[ "${lines[1]}" = "TS-1,transfer,1,REV,REV-TEH-D1T1,2026-11-18T10:00:00+05:30" ]
	run -0 transfer TS-2 EN
	# EN has no sla_days: grv.conf's 7, not REV-DEMARC's 30
	[ "${lines[1]}" = "TS-2,transfer,1,EN,EN-JE-B1,2026-11-10T10:00:00+05:30" ]
}

@test "--category of the receiving department writes amend then transfer in one append, the due from that category" {
	add_complaint EN-BILL D1-T1-B1 >/dev/null
	route >/dev/null
	run -0 grv-route --now 2026-11-03T10:00 --transfer TS-1 --dept REV \
		--category REV-DEMARC --reason "a boundary dispute, not a bill"
	# REV-DEMARC: 30 days (not REV's 15)
	[ "$output" = "$(printf '%s\n%s\n%s' "$HDR" "TS-1,amend,,,," \
		"TS-1,transfer,1,REV,REV-TEH-D1T1,2026-12-03T10:00:00+05:30")" ]
	run -0 tail -n 2 "$GRV_DIR/ledger/events.csv"
	[[ "${lines[0]}" == "2026-11-03T10:00:00+05:30,TS-1,amend,,,,,tester,category,,REV-DEMARC,"* ]]
	[[ "${lines[1]}" == "2026-11-03T10:00:00+05:30,TS-1,transfer,1,REV,REV-TEH-D1T1,2026-12-03T10:00:00+05:30,tester,\"a boundary dispute, not a bill\",,,"* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-check
	run -0 grv-show TS-1 --now 2026-11-03T10:00
	[[ "${lines[0]}" == "TS-1  Demarcation not done"*"[REV-DEMARC]" ]]
	# Escalated on the category's limit: not overdue before 12-03.
	run -0 grv-escalate --now 2026-12-02 --dry-run
	[ "${#lines[@]}" -eq 1 ]
	# mapping counts it under the category it came in with.
	run -0 grv-report mapping --now 2026-11-30 --from 2026-11-01 --to 2026-12-01
	[[ "${lines[1]}" == EN-BILL,*,EN,1,1,1,100.00,REV,1 ]]
}

@test "--category of another department than --dept, or unknown, is refused 65 with the ledger unchanged" {
	add_complaint EN-BILL D1-T1-B1 >/dev/null
	route >/dev/null
	before=$(ledger_sum)
	run -65 grv-route --now 2026-11-03T10:00 --transfer TS-1 --dept REV \
		--category PWD-ROAD --reason "road"
	[ "$output" = "grv-route: --category: 'PWD-ROAD' is a category of PWD, not of REV" ]
	run -65 grv-route --now 2026-11-03T10:00 --transfer TS-1 --dept REV \
		--category REV-MUTT --reason "land"
	[ "$output" = "grv-route: --category: unknown category 'REV-MUTT' (did you mean 'REV-MUT'?)" ]
	run -64 grv-route --now 2026-11-03T10:00 --category REV-MUT
	[[ "$output" == *"--dept, --reason and --category go with --transfer"* ]]
	# refused by the complaint's state: nothing, the amend neither
	run -65 grv-route --now 2026-11-03T10:00 --transfer TS-1 --dept EN \
		--category EN-SUPPLY --reason "supply"
	[[ "$output" == *"TS-1: already with that department"* ]]
	# PWD with no officer at any level: the transfer is refused, and
	# the amend of its category with it.
	sed -i 's/^\(PWD-[A-Z]*,.*\),1$/\1,0/' "$GRV_DIR/masters/officers.csv"
	[ "$(grep -c '^PWD-.*,1$' "$GRV_DIR/masters/officers.csv")" -eq 0 ]
	run -1 grv-route --now 2026-11-03T10:00 --transfer TS-1 --dept PWD \
		--category PWD-ROAD --reason "road"
	assert_unchanged "$before"
}

# ---- concurrency ----

@test "routers running at the same time place every complaint exactly once" {
	{
		echo category,loc,name,phone,text
		for i in $(seq 60); do echo "EN-BILL,D2-T1-B1,Citizen $i,9816000001,bill $i"; done
	} | grv-add --now "$N" --batch - >/dev/null
	for r in 1 2 3 4; do
		grv-route --now "$N" --wait 60 > "$BATS_TEST_TMPDIR/r.$r" &
	done
	wait
	[ "$(rows events)" -eq 60 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/r.* | grep -vc '^id,')" -eq 60 ]
	run -0 sh -c "cut -d, -f2 '$GRV_DIR/ledger/events.csv' | tail -n +2 | sort -u | wc -l"
	[ "$output" -eq 60 ]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "an events ledger locked past --wait exits 75 with nothing written" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	route - <<< TS-1 >/dev/null
	before=$(ledger_sum)
	flock "$GRV_DIR/ledger/events.csv" sleep 3 &
	sleep 0.5
	run -75 route --wait 0.3
	[[ "$output" == *"locked"* ]]
	assert_unchanged "$before"
	wait
}

# ---- issue 13: standard input that used to crash ----

@test "blank lines on the standard input are skipped, with or without ids around them" {
	id=$(add_complaint EN-SUPPLY D1-T1-B1)
	before=$(ledger_sum)
	for input in '\n' '\r' '\r\n' '\n\n\n' ' \n'; do
		printf "$input" > "$BATS_TEST_TMPDIR/in"
		if [ "$input" = ' \n' ]; then
			run -65 route - < "$BATS_TEST_TMPDIR/in"
			[ "$output" = "grv-route: -:1: not a complaint id ' ' (expected TS-<number>)" ]
		else
			run -0 route - < "$BATS_TEST_TMPDIR/in"
			[ "$output" = "$HDR" ]
		fi
		assert_unchanged "$before"
	done
	printf '\nid\n\n%s\n\n' "$id" > "$BATS_TEST_TMPDIR/in"
	run -0 route - < "$BATS_TEST_TMPDIR/in"
	[ "${lines[1]}" = "$id,route,1,EN,EN-JE-B1,2026-11-05T10:00:00+05:30" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a first field that is not a complaint id refuses the whole input, naming -:LINE" {
	id=$(add_complaint EN-SUPPLY D1-T1-B1)
	before=$(ledger_sum)
	printf '\nX-1\n%s\n12\n' "$id" > "$BATS_TEST_TMPDIR/in"
	run -65 route - < "$BATS_TEST_TMPDIR/in"
	[ "${lines[0]}" = "grv-route: -:2: not a complaint id 'X-1' (expected TS-<number>)" ]
	[ "${lines[1]}" = "grv-route: -:4: not a complaint id '12' (expected TS-<number>)" ]
	[ "${#lines[@]}" -eq 2 ]
	assert_unchanged "$before"
}

@test "a due past the year 9999 refuses the whole routing, nothing written" {
	a=$(add_complaint EN-BILL D1-T1-B1 9999-12-20T10:00)
	b=$(add_complaint EN-SUPPLY D1-T1-B1 9999-12-20T10:00)
	before=$(ledger_sum)
	# EN-BILL: 7 days from 9999-12-25 is 10000-01-01; EN-SUPPLY's 3 would fit.
	run -65 grv-route --now 9999-12-25T10:00
	[ "$output" = "grv-route: $a: due 10000-01-01 is outside the years 1970-9999; nothing written" ]
	assert_unchanged "$before"
	run -65 grv-route --now 9999-12-25T10:00 - <<< "$a"
	assert_unchanged "$before"
	# A day earlier both fit: 9999-12-31 is the last day a due may take.
	run -0 grv-route --now 9999-12-24T10:00
	[ "${lines[1]}" = "$a,route,1,EN,EN-JE-B1,9999-12-31T10:00:00+05:30" ]
	[ "${lines[2]}" = "$b,route,1,EN,EN-JE-B1,9999-12-27T10:00:00+05:30" ]
	run -0 grv-check
}

@test "a transfer whose fresh due would pass the year 9999 is refused" {
	id=$(add_complaint EN-BILL D1-T1-B1 9999-12-01T10:00)
	grv-route --now 9999-12-01T10:00 >/dev/null
	before=$(ledger_sum)
	# REV: 15 days.
	run -65 grv-route --now 9999-12-20T10:00 --transfer "$id" --dept REV --reason wrong
	[ "$output" = "grv-route: $id: due 10000-01-04 is outside the years 1970-9999; nothing written" ]
	assert_unchanged "$before"
}

@test "working days are counted exactly however few a week has" {
	sed -i 's/^calendar = calendar/calendar = working/; s/^weekend = sun/weekend = mon,tue,wed,thu,fri,sat/; s/^sla_days = 7/sla_days = 1000/' "$GRV_DIR/grv.conf"
	id=$(add_complaint EN-BILL D1-T1-B1 2026-11-02T10:00)
	run -0 grv-route --now 2026-11-02T10:00
	# The same count walked day by day by Python: Sundays only, holidays skipped.
	want=$(python3 - "$GRV_DIR/masters/holidays.csv" <<-'PY'
	import csv, sys, datetime as dt
	hol = {r["date"] for r in csv.DictReader(open(sys.argv[1]))}
	d, n = dt.date(2026, 11, 2), 0
	while n < 1000:
	    d += dt.timedelta(days=1)
	    if d.weekday() == 6 and d.isoformat() not in hol:
	        n += 1
	print(d.isoformat())
	PY
	)
	[ "${lines[1]}" = "$id,route,1,EN,EN-JE-B1,${want}T10:00:00+05:30" ]
	[ "$(date -d "$want" +%a)" = Sun ]
}

@test "a weekend of all seven days is refused when the conf is read" {
	sed -i 's/^weekend = sun/weekend = sun,mon,tue,wed,thu,fri,sat/' "$GRV_DIR/grv.conf"
	run -65 grv-route --now "$N"
	[[ "$output" == *"grv.conf:"*": bad value 'sun,mon,tue,wed,thu,fri,sat' for 'weekend'"* ]]
}

@test "--quiet places every new complaint and prints nothing on stdout; not with --transfer" {
	id=$(add_complaint EN-SUPPLY D1-T1-B1)
	run -0 --separate-stderr route --quiet
	[ -z "$output" ] && [ -z "$stderr" ]
	grep -q ",$id,route,1,EN,EN-JE-B1," "$GRV_DIR/ledger/events.csv"
	run -64 route --quiet --transfer "$id" --dept REV --reason 'wrong department'
	[[ "$output" == *"--quiet goes with placing new complaints, not with --transfer"* ]]
}
