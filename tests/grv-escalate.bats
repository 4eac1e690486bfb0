#!/usr/bin/env bats
# grv-escalate: the hourly sweep (SPEC sections 4 and 5).  Every due below is
# worked out by hand from tests/fixtures/state: EN-BILL has no limit of its
# own and EN none either, so the conf's 7 days; EN-SUPPLY 3 days; EN-BRIBE
# 15;15;10;10 starting at level 3; REV 15 days; holidays include 2026-12-25.

load test_helper

setup() {
	grv_sandbox
}

HDR=id,event,from_level,level,dept,officer,due,reason

# new_routed CATEGORY LOC NOW: register and route one complaint, print its id.
new_routed() {
	local id
	id=$(add_complaint "$1" "$2" "$3")
	echo "$id" | grv-route --now "$3" - > /dev/null
	echo "$id"
}

# escalations ID: the complaint's escalate rows, as "level officer due".
escalations() {
	awk -F, -v id="$1" '$2 == id && $3 == "escalate" { print $4, $6, $7 }' \
		"$GRV_DIR/ledger/events.csv"
}

@test "an overdue complaint climbs L1 to L4 with a fresh due counted in calendar days from each sweep" {
	id=$(new_routed EN-BILL D1-T1-B1 2026-11-02T10:00)
	[ "$id" = TS-1 ]

	# Due 2026-11-09T10:00: at that very moment it is not yet overdue.
	run -0 grv-escalate --now 2026-11-09T10:00
	[ "$output" = "$HDR" ]

	run -0 grv-escalate --now 2026-11-09T11:00
	[ "${lines[1]}" = "TS-1,escalate,1,2,EN,EN-EE-T1,2026-11-16T11:00:00+05:30,overdue" ]
	[ "${#lines[@]}" -eq 2 ]

	run -0 grv-escalate --now 2026-11-16T12:00
	[ "${lines[1]}" = "TS-1,escalate,2,3,EN,EN-SE-D1,2026-11-23T12:00:00+05:30,overdue" ]

	run -0 grv-escalate --now 2026-11-23T13:00
	[ "${lines[1]}" = "TS-1,escalate,3,4,EN,EN-CE,2026-11-30T13:00:00+05:30,overdue" ]

	# The top level: overdue, defaulted, nothing written.
	before=$(ledger_sum)
	run -0 grv-escalate --now 2026-12-15T10:00
	[ "$output" = "$HDR" ]
	assert_unchanged "$before"

	run -0 grv-list --now 2026-12-15T10:00
	[[ "${lines[1]}" == TS-1,open,4,EN,EN-CE,* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
	# The ledger row carries what the output said.
	grep -q '^2026-11-09T11:00:00+05:30,TS-1,escalate,2,EN,EN-EE-T1,2026-11-16T11:00:00+05:30,tester,overdue,,,' \
		"$GRV_DIR/ledger/events.csv"
}

@test "a per-level limit list gives each level its own days, and the department's limit applies to its categories" {
	bribe=$(new_routed EN-BRIBE D1-T1-B1 2026-11-02T10:00)
	mut=$(new_routed REV-MUT D1-T1-B1 2026-11-02T10:00)
	# EN-BRIBE starts at level 3 with 10 days: due 2026-11-12T10:00.
	# REV-MUT: REV's 15 days at level 1: due 2026-11-17T10:00.
	run -0 grv-escalate --now 2026-11-12T10:30
	[ "${lines[1]}" = "$bribe,escalate,3,4,EN,EN-CE,2026-11-22T10:30:00+05:30,overdue" ]
	[ "${#lines[@]}" -eq 2 ]

	run -0 grv-escalate --now 2026-11-17T10:30
	[ "${lines[1]}" = "$mut,escalate,1,2,REV,REV-SDM-D1,2026-12-02T10:30:00+05:30,overdue" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a complaint transferred out of its category's department climbs on the new department's limits" {
	id=$(new_routed EN-BRIBE D1-T1-B1 2026-11-02T10:00)
	run -0 grv-route --now 2026-11-03T10:00 --transfer "$id" --dept REV \
		--reason "land record, not electricity"
	# At level 3 with REV: 15 days (REV's), not EN-BRIBE's 10.
	[[ "${lines[1]}" == "$id,transfer,3,REV,REV-DC-D1,2026-11-18T10:00:00+05:30" ]]
	run -0 grv-escalate --now 2026-11-18T11:00
	[ "${lines[1]}" = "$id,escalate,3,4,REV,REV-DIVCOM,2026-12-03T11:00:00+05:30,overdue" ]
}

@test "with working days the dues skip Sundays and holidays and keep the clock time" {
	echo "calendar = working" >> "$GRV_DIR/grv.conf"
	# Monday 2026-12-21 10:00 + 3 working days: Tue, Wed, Thu.
	id=$(new_routed EN-SUPPLY D1-T1-B1 2026-12-21T10:00)
	run -0 grv-list --now 2026-12-21T10:00
	[[ "${lines[1]}" == *,2026-12-24T10:00:00+05:30,* ]]

	# From Thursday: Fri 25 is Christmas, Sat 26, Sun 27 off, Mon 28, Tue 29.
	run -0 grv-escalate --now 2026-12-24T11:00
	[ "${lines[1]}" = "$id,escalate,1,2,EN,EN-EE-T1,2026-12-29T11:00:00+05:30,overdue" ]

	# From Tuesday: Wed 30, Thu 31, Fri 2027-01-01.
	run -0 grv-escalate --now 2026-12-29T12:00
	[ "${lines[1]}" = "$id,escalate,2,3,EN,EN-SE-D1,2027-01-01T12:00:00+05:30,overdue" ]

	# From Friday: Sat 2, Sun 3 off, Mon 4, Tue 5.
	run -0 grv-escalate --now 2027-01-01T13:00
	[ "${lines[1]}" = "$id,escalate,3,4,EN,EN-CE,2027-01-05T13:00:00+05:30,overdue" ]
}

@test "a sweep run on a holiday counts its working days from the next working day" {
	printf 'calendar = working\nweekend = sat,sun\n' >> "$GRV_DIR/grv.conf"
	# Wednesday 2026-12-23 09:00 + 3 working days: Thu 24, (Fri 25 holiday,
	# Sat, Sun) Mon 28, Tue 29.
	id=$(new_routed EN-SUPPLY D1-T1-B1 2026-12-23T09:00)
	run -0 grv-list --now 2026-12-23T09:00
	[[ "${lines[1]}" == *,2026-12-29T09:00:00+05:30,* ]]
	# Swept on Friday 2027-01-01 (overdue since Tuesday): Mon 4, Tue 5, Wed 6.
	run -0 grv-escalate --now 2027-01-01T08:00
	[ "${lines[1]}" = "$id,escalate,1,2,EN,EN-EE-T1,2027-01-06T08:00:00+05:30,overdue" ]
}

@test "a second sweep at the same time adds nothing" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	b=$(new_routed EN-SUPPLY D2-T1-B1 2026-11-02T10:00)
	run -0 grv-escalate --now 2026-11-06T10:00
	[ "${#lines[@]}" -eq 3 ]
	before=$(ledger_sum)
	run -0 grv-escalate --now 2026-11-06T10:00
	[ "$output" = "$HDR" ]
	assert_unchanged "$before"
	# And again an hour later: nothing is due yet.
	run -0 grv-escalate --now 2026-11-06T11:00
	[ "$output" = "$HDR" ]
	assert_unchanged "$before"
}

@test "after a missed week one sweep moves each overdue complaint one level, and hourly sweeps continue the climb as dues pass" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	b=$(new_routed EN-SUPPLY D2-T1-B1 2026-11-02T10:00)
	# Due 2026-11-05T10:00; cron was down until 2026-11-12T10:00.
	run -0 grv-escalate --now 2026-11-12T10:00
	[ "${lines[1]}" = "$a,escalate,1,2,EN,EN-EE-T1,2026-11-15T10:00:00+05:30,overdue" ]
	[ "${lines[2]}" = "$b,escalate,1,2,EN,EN-EE-D2,2026-11-15T10:00:00+05:30,overdue" ]
	[ "${#lines[@]}" -eq 3 ]

	# Then every hour until 2026-11-16T10:00: the climb to level 3 happens
	# at the first sweep after the due, 2026-11-15T11:00, and only once.
	for d in 12 13 14 15 16; do
		for h in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23; do
			t=2026-11-${d}T$h:00
			[[ "$t" > 2026-11-12T10:00 && ! "$t" > 2026-11-16T10:00 ]] || continue
			grv-escalate --now "$t" > /dev/null
		done
	done
	run escalations "$a"
	[ "${lines[0]}" = "2 EN-EE-T1 2026-11-15T10:00:00+05:30" ]
	[ "${lines[1]}" = "3 EN-SE-D1 2026-11-18T11:00:00+05:30" ]
	[ "${#lines[@]}" -eq 2 ]
	run escalations "$b"
	[ "${lines[1]}" = "3 EN-SE-D2 2026-11-18T11:00:00+05:30" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "sweeps started in parallel escalate each complaint exactly once" {
	for i in $(seq 1 12); do
		add_complaint EN-SUPPLY D1-T1-B1 2026-11-02T10:00 > /dev/null
		add_complaint EN-BILL D2-T1-B1 2026-11-02T10:00 > /dev/null
	done
	grv-route --now 2026-11-02T10:00 > /dev/null
	# EN-SUPPLY complaints are overdue at 2026-11-06, EN-BILL ones are not.
	for i in 1 2 3 4 5 6; do
		grv-escalate --now 2026-11-06T10:00 > "$BATS_TEST_TMPDIR/out$i" \
			2> "$BATS_TEST_TMPDIR/err$i" &
	done
	wait
	for i in 1 2 3 4 5 6; do
		[ ! -s "$BATS_TEST_TMPDIR/err$i" ]
		[ "$(head -1 "$BATS_TEST_TMPDIR/out$i")" = "$HDR" ]
	done
	# Twelve escalations in all, one per complaint, whichever sweep won.
	run -0 sh -c "cat '$BATS_TEST_TMPDIR'/out* | grep -v '^id,' | cut -d, -f1 | sort | uniq -c | awk '{print \$1}' | sort -u"
	[ "$output" = 1 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/out* | grep -c ',escalate,')" -eq 12 ]
	[ "$(grep -c ',escalate,' "$GRV_DIR/ledger/events.csv")" -eq 12 ]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "--dry-run prints what a sweep would write and leaves every byte unchanged" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	b=$(new_routed EN-BILL D1-T1-B1 2026-11-02T10:00)
	grv-resolve --now 2026-11-03T10:00 "$b" --officer EN-JE-B1 \
		--reason "meter replaced" > /dev/null
	before=$(ledger_sum)
	run -0 grv-escalate --dry-run --now 2026-11-12T10:00
	dry=$output
	assert_unchanged "$before"
	[ "${lines[1]}" = "$a,escalate,1,2,EN,EN-EE-T1,2026-11-15T10:00:00+05:30,overdue" ]
	[ "${lines[2]}" = "$b,close,1,1,EN,EN-JE-B1,,unverified" ]
	run -0 grv-escalate -n --now 2026-11-12T10:00
	[ "$output" = "$dry" ]
	assert_unchanged "$before"
	# The real sweep writes exactly what the dry run showed.
	run -0 grv-escalate --now 2026-11-12T10:00
	[ "$output" = "$dry" ]
}

@test "--dry-run on a data directory without a ledger creates nothing" {
	run -0 grv-escalate --dry-run --now 2026-11-12T10:00
	[ "$output" = "$HDR" ]
	[ ! -e "$GRV_DIR/ledger" ]
	[ ! -e "$GRV_DIR/cache" ]
}

@test "--dry-run reads cache/ but leaves it as it was" {
	new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00 > /dev/null
	new_routed EN-SUPPLY D2-T1-B1 2026-11-02T11:00 > /dev/null
	grv-list --now 2026-11-02T12:00 > /dev/null
	# The ledger moves on after the cache was made.
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-03T10:00 > /dev/null
	sum=$(cksum < "$GRV_DIR/cache/state.bin")
	# The third, never routed, is named and makes the exit status 1.
	run -1 --separate-stderr grv-escalate --dry-run --now 2026-11-06T10:00
	[ "${#lines[@]}" -eq 3 ]
	[[ "$stderr" == *"1 complaint never placed, status new (TS-3)"* ]]
	[ "$(cksum < "$GRV_DIR/cache/state.bin")" = "$sum" ]
}

@test "a resolved complaint closes unverified once feedback_days have passed without an answer" {
	a=$(new_routed EN-BILL D1-T1-B1 2026-11-02T10:00)
	b=$(new_routed EN-BILL D1-T1-B2 2026-11-02T10:00)
	c=$(new_routed EN-BILL D2-T1-B1 2026-11-02T10:00)
	grv-resolve --now 2026-11-03T10:00 "$a" --officer EN-JE-B1 --reason "line repaired" > /dev/null
	grv-resolve --now 2026-11-03T10:00 "$b" --officer EN-JE-T1 --reason "line repaired" > /dev/null
	grv-resolve --now 2026-11-03T10:00 "$c" --officer EN-JE-D2 --reason "line repaired" > /dev/null
	grv-feedback --now 2026-11-04T10:00 "$b" --unreachable > /dev/null
	grv-feedback --now 2026-11-04T10:00 "$c" --satisfied > /dev/null

	# Exactly seven days after the resolve: still waiting.
	run -0 grv-escalate --now 2026-11-10T10:00
	[ "$output" = "$HDR" ]
	run -0 grv-escalate --now 2026-11-10T10:00:01
	[ "${lines[1]}" = "$a,close,1,1,EN,EN-JE-B1,,unverified" ]
	[ "${lines[2]}" = "$b,close,1,1,EN,EN-JE-T1,,unverified" ]
	[ "${#lines[@]}" -eq 3 ]
	grep -q "^2026-11-10T10:00:01+05:30,$a,close,1,EN,,,tester,unverified,,,[0-9a-f]*\$" \
		"$GRV_DIR/ledger/events.csv"
	run -0 grv-list --now 2026-11-10T10:00:01 --status closed
	[ "${#lines[@]}" -eq 4 ]
	run -0 grv-escalate --now 2026-11-11T10:00
	[ "$output" = "$HDR" ]
}

@test "feedback_days comes from grv.conf" {
	echo "feedback_days = 2" >> "$GRV_DIR/grv.conf"
	a=$(new_routed EN-BILL D1-T1-B1 2026-11-02T10:00)
	grv-resolve --now 2026-11-03T10:00 "$a" --officer EN-JE-B1 --reason "line repaired" > /dev/null
	run -0 grv-escalate --now 2026-11-05T10:00
	[ "$output" = "$HDR" ]
	run -0 grv-escalate --now 2026-11-05T11:00
	[ "${lines[1]}" = "$a,close,1,1,EN,EN-JE-B1,,unverified" ]
}

@test "a complaint with no officer anywhere up the tree at the next level stays, is named, and the sweep exits 1" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	b=$(new_routed EN-SUPPLY D2-T1-B1 2026-11-02T10:00)
	# Every officer of EN above level 1 over D1-T1-B1 goes inactive (a
	# vacant level alone is climbed over: tests/masters.bats).
	sed -i 's/^\(EN-EE-T1,.*\),1$/\1,0/; s/^\(EN-SE-D1,.*\),1$/\1,0/; s/^\(EN-CE,.*\),1$/\1,0/' \
		"$GRV_DIR/masters/officers.csv"
	grep -q '^EN-EE-T1,.*,0$' "$GRV_DIR/masters/officers.csv"
	run --separate-stderr -1 grv-escalate --now 2026-11-06T10:00
	[ "$stderr" = "grv-escalate: $a: no active officer of EN at level 2 for D1-T1-B1 or above; stays at level 1" ]
	[ "${lines[0]}" = "$HDR" ]
	[ "${lines[1]}" = "$b,escalate,1,2,EN,EN-EE-D2,2026-11-09T10:00:00+05:30,overdue" ]
	[ "${#lines[@]}" -eq 2 ]
	run -0 grv-list --now 2026-11-06T10:00
	[[ "${lines[1]}" == "$a,open,1,EN,EN-JE-B1,"* ]]
	# It is tried again by every sweep, and climbs once an officer exists.
	run --separate-stderr -1 grv-escalate --now 2026-11-06T11:00
	sed -i 's/^\(EN-EE-T1,.*\),0$/\1,1/' "$GRV_DIR/masters/officers.csv"
	run -0 grv-escalate --now 2026-11-06T12:00
	[ "${lines[1]}" = "$a,escalate,1,2,EN,EN-EE-T1,2026-11-09T12:00:00+05:30,overdue" ]
}

@test "a complaint never placed is counted on stderr by every sweep from an hour after it was registered, exit 1" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	b=$(add_complaint EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	c=$(add_complaint EN-BILL D2-T1-B1 2026-11-02T10:30)
	# Within the hour a sweep may fall between grv-add and grv-route: no alarm.
	run -0 --separate-stderr grv-escalate --now 2026-11-02T11:00
	[ -z "$stderr" ]
	run -1 --separate-stderr grv-escalate --now 2026-11-02T11:10
	[ "$stderr" = "grv-escalate: 1 complaint never placed, status new ($b): grv-route places them, grv-list --status new lists them" ]
	[ "$output" = "$HDR" ]
	# Every later sweep says it again (from cache/, then without it), with
	# the rows it wrote on stdout as usual.
	run -1 --separate-stderr grv-escalate --now 2026-11-02T12:00
	[[ "$stderr" == "grv-escalate: 2 complaints never placed, status new ($b $c): "* ]]
	run -1 --separate-stderr grv-escalate --now 2026-11-06T10:00
	[ "$stderr" = "grv-escalate: 2 complaints never placed, status new ($b $c): grv-route places them, grv-list --status new lists them" ]
	[ "${lines[1]}" = "$a,escalate,1,2,EN,EN-EE-T1,2026-11-09T10:00:00+05:30,overdue" ]
	rm -rf "$GRV_DIR/cache"
	run -1 --separate-stderr grv-escalate --now 2026-11-06T11:00
	[[ "$stderr" == *"2 complaints never placed, status new ($b $c)"* ]]
	run -1 --separate-stderr grv-escalate --dry-run --now 2026-11-06T11:00
	[[ "$stderr" == *"2 complaints never placed"* ]]
	# Placed, they are no longer named.
	grv-route --now 2026-11-06T12:00 > /dev/null
	run -0 --separate-stderr grv-escalate --now 2026-11-06T13:00
	[ -z "$stderr" ]
}

@test "more than five complaints never placed: the count and the first five ids" {
	for i in 1 2 3 4 5 6 7; do
		add_complaint EN-BILL D1-T1-B1 2026-11-02T10:00 > /dev/null
	done
	run -1 --separate-stderr grv-escalate --now 2026-11-03T10:00
	[ "$stderr" = "grv-escalate: 7 complaints never placed, status new (TS-1 TS-2 TS-3 TS-4 TS-5 ...): grv-route places them, grv-list --status new lists them" ]
}

@test "--quiet prints nothing on stdout and keeps stderr, the exit status and the rows written" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	b=$(new_routed EN-SUPPLY D2-T1-B1 2026-11-02T10:00)
	sed -i 's/^\(EN-EE-T1,.*\),1$/\1,0/; s/^\(EN-SE-D1,.*\),1$/\1,0/; s/^\(EN-CE,.*\),1$/\1,0/' \
		"$GRV_DIR/masters/officers.csv"
	run -1 --separate-stderr grv-escalate --dry-run -q --now 2026-11-06T10:00
	[ -z "$output" ]
	[[ "$stderr" == *"$a: no active officer of EN at level 2"* ]]
	# The quiet sweep writes to a full stdout without an error: it prints nothing.
	run -1 --separate-stderr sh -c 'grv-escalate --quiet --now 2026-11-06T10:00 > /dev/full'
	[ "$stderr" = "grv-escalate: $a: no active officer of EN at level 2 for D1-T1-B1 or above; stays at level 1" ]
	[ "$(escalations "$b")" = "2 EN-EE-D2 2026-11-09T10:00:00+05:30" ]
	# Nothing left to do: still silent, exit 0 once the officer is back.
	sed -i 's/^\(EN-EE-T1,.*\),0$/\1,1/' "$GRV_DIR/masters/officers.csv"
	run -0 --separate-stderr grv-escalate -q --now 2026-11-06T11:00
	[ -z "$output" ] && [ -z "$stderr" ]
	[ "$(escalations "$a")" = "2 EN-EE-T1 2026-11-09T11:00:00+05:30" ]
}

@test "a --now earlier than the last ledger row is refused and changes nothing" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	run -0 grv-escalate --now 2026-11-06T10:00
	before=$(ledger_sum)
	run -65 grv-escalate --now 2026-11-06T09:00
	[[ "$output" == *"timestamps never go back"* ]]
	run -65 grv-escalate --dry-run --now 2026-11-06T09:00
	[[ "$output" == *"timestamps never go back"* ]]
	assert_unchanged "$before"
}

@test "usage errors exit 64 and write nothing" {
	run -64 grv-escalate --bogus
	[[ "$output" == *"Try 'grv-escalate --help'."* ]]
	run -64 grv-escalate TS-1
	[ ! -e "$GRV_DIR/ledger" ]
	run -0 grv-escalate --help
	[[ "$output" == *"--dry-run"* ]]
}

@test "a full stdout is an I/O error (exit 74), reported after the rows were safely written" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	run -0 grv-escalate --now 2026-11-06T10:00 --dry-run
	[ "${#lines[@]}" -eq 2 ]
	# A full stdout after the write: the rows are in the ledger, the
	# failure is reported.
	run -74 sh -c "grv-escalate --now 2026-11-06T10:00 > /dev/full"
	[ "$(grep -c ',escalate,' "$GRV_DIR/ledger/events.csv")" -eq 1 ]
}

@test "the output feeds a shell loop that notifies the new officers" {
	new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00 > /dev/null
	new_routed EN-SUPPLY D2-T1-B1 2026-11-02T10:00 > /dev/null
	run -0 sh -c 'grv-escalate --now 2026-11-06T10:00 | tail -n +2 |
		while IFS=, read -r id event from level dept officer due reason; do
			echo "notify $officer: $id now at level $level, due $due"
		done'
	[ "${lines[0]}" = "notify EN-EE-T1: TS-1 now at level 2, due 2026-11-09T10:00:00+05:30" ]
	[ "${lines[1]}" = "notify EN-EE-D2: TS-2 now at level 2, due 2026-11-09T10:00:00+05:30" ]
}

@test "a sweep on the clock that waited for the lock behind a later writer stamps its rows after that writer's" {
	a=$(new_routed EN-SUPPLY D1-T1-B1 2026-11-02T10:00)
	# Another writer holds the lock for two seconds, then appends a row
	# stamped by the clock of that moment.
	flock "$GRV_DIR/ledger/events.csv" sh -c 'touch "$2"; sleep 2; python3 - "$1"' \
		sh "$GRV_DIR/ledger/events.csv" "$BATS_TEST_TMPDIR/locked" <<'PY' &
import datetime, sys, zlib
path = sys.argv[1]
last = open(path, "rb").read().split(b"\n")[-2]
ts = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=5, minutes=30)))
body = ("%s,TS-1,note,,,,,admin,,,still waiting" % ts.isoformat(timespec="seconds")).encode()
crc = b"%08x" % (zlib.crc32(last[-8:] + body) & 0xFFFFFFFF)
open(path, "ab").write(body + b"," + crc + b"\n")
PY
	while [ ! -e "$BATS_TEST_TMPDIR/locked" ]; do sleep 0.1; done
	# No --now: the clock, read again once the lock is won.
	run -0 grv-escalate --wait 10
	wait
	[ "${lines[1]%%,*}" = "$a" ]
	[ "$(tail -1 "$GRV_DIR/ledger/events.csv" | cut -d, -f2,3)" = "$a,escalate" ]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "a sweep whose fresh due would pass the year 9999 writes nothing and exits 65" {
	a=$(new_routed EN-BILL D1-T1-B1 9999-12-20T10:00)
	b=$(new_routed EN-SUPPLY D1-T1-B1 9999-12-20T10:00)
	before=$(ledger_sum)
	# Both overdue; a's 7 days from the 28th are 10000-01-04, b's 3 would fit.
	run -65 grv-escalate --now 9999-12-28T10:00
	[[ "$output" == *"grv-escalate: $a: due 10000-01-04 is outside the years 1970-9999; nothing written"* ]]
	[[ "$output" != *"$b"* ]]
	assert_unchanged "$before"
	run -65 grv-escalate --now 9999-12-28T10:00 --dry-run
	assert_unchanged "$before"
	run -0 grv-check
}
