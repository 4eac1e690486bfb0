#!/usr/bin/env bats
# grv-feedback: SPEC section 4 from resolved: satisfied -> closed,
# unsatisfied -> open(L+1), unreachable -> (sweep) closed unverified.

load test_helper
load fixtures/life-helper

setup() {
	grv_sandbox
	life_supply
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00 >/dev/null
}

@test "a satisfied citizen closes the complaint as satisfied" {
	run -0 grv-feedback TS-1 --now 2026-11-04T09:00 --satisfied
	[ "$output" = "id,event,level,dept,officer,due
TS-1,feedback,1,EN,,
TS-1,close,1,EN,," ]
	run -0 tail -n 2 "$GRV_DIR/ledger/events.csv"
	[[ "${lines[0]}" == "2026-11-04T09:00:00+05:30,TS-1,feedback,1,EN,,,tester,satisfied,,,"* ]]
	[[ "${lines[1]}" == "2026-11-04T09:00:00+05:30,TS-1,close,1,EN,,,tester,satisfied,,,"* ]]
	run -0 grv-list --now 2026-11-04T09:00 --status closed
	[ "${lines[1]}" = "TS-1,closed,1,EN,EN-JE-B1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-05T10:05:00+05:30,1,EN-SUPPLY,phone" ]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "an unsatisfied citizen sends the complaint one level up at once with a fresh due" {
	run -0 grv-feedback TS-1 --now 2026-11-04T09:00 --unsatisfied --note "Supply still cuts out at night"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,feedback,1,EN,,
TS-1,escalate,2,EN,EN-EE-T1,2026-11-07T09:00:00+05:30" ]
	run -0 tail -n 2 "$GRV_DIR/ledger/events.csv"
	[[ "${lines[0]}" == "2026-11-04T09:00:00+05:30,TS-1,feedback,1,EN,,,tester,unsatisfied,,Supply still cuts out at night,"* ]]
	[[ "${lines[1]}" == "2026-11-04T09:00:00+05:30,TS-1,escalate,2,EN,EN-EE-T1,2026-11-07T09:00:00+05:30,tester,unsatisfied,,,"* ]]
	run -0 grv-list --now 2026-11-04T09:00
	[ "${lines[1]}" = "TS-1,open,2,EN,EN-EE-T1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-07T09:00:00+05:30,1,EN-SUPPLY,phone" ]
}

@test "the reopened complaint is resolved by the new holder and then closed satisfied" {
	grv-feedback TS-1 --now 2026-11-04T09:00 --unsatisfied
	before=$(ledger_sum)
	run -65 life_resolve TS-1 EN-JE-B1 2026-11-05T09:00
	assert_unchanged "$before"
	run -0 life_resolve TS-1 EN-EE-T1 2026-11-05T09:00
	[ "${lines[1]}" = "TS-1,resolve,2,EN,EN-EE-T1," ]
	run -0 grv-feedback TS-1 --now 2026-11-06T09:00 --satisfied
	run -0 grv-list --now 2026-11-06T09:00 --status closed --level 2
	[ "${#lines[@]}" -eq 2 ]
}

@test "unsatisfied at the top level goes back to the top officer with a fresh due" {
	for n in 1 2 3; do
		run -0 grv-feedback TS-1 --now 2026-11-0$((3 + n))T09:00 --unsatisfied
		holder=$(echo "${lines[2]}" | cut -d, -f5)
		life_resolve TS-1 "$holder" 2026-11-0$((3 + n))T10:00 >/dev/null
	done
	[ "$holder" = EN-CE ]
	run -0 grv-feedback TS-1 --now 2026-11-07T09:00 --unsatisfied
	[ "${lines[2]}" = "TS-1,escalate,4,EN,EN-CE,2026-11-10T09:00:00+05:30" ]
	run -0 grv-list --now 2026-11-07T09:00 --level 4 --status open
	[ "${#lines[@]}" -eq 2 ]
}

@test "an unreachable citizen is recorded and the complaint stays resolved" {
	run -0 grv-feedback TS-1 --now 2026-11-04T09:00 --unreachable --note "Phone switched off"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,feedback,1,EN,," ]
	run -0 grv-list --now 2026-11-04T09:00 --status resolved
	[ "${#lines[@]}" -eq 2 ]
	# A later call that gets through still counts.
	run -0 grv-feedback TS-1 --now 2026-11-05T09:00 --satisfied
	run -0 grv-list --now 2026-11-05T09:00 --status closed
	[ "${#lines[@]}" -eq 2 ]
}

@test "an unreachable citizen's complaint closes unverified at the sweep after feedback_days" {
	[ -x "$GRV_BIN/grv-escalate" ] || skip "grv-escalate not built"
	grv-feedback TS-1 --now 2026-11-04T09:00 --unreachable
	run -0 grv-escalate --now 2026-11-10T12:00
	run -0 grv-list --now 2026-11-10T12:00 --status resolved
	[ "${#lines[@]}" -eq 2 ]
	run -0 grv-escalate --now 2026-11-10T12:01
	run -0 grv-list --now 2026-11-10T12:01 --status closed
	[ "${#lines[@]}" -eq 2 ]
	run -0 grv-show TS-1 --now 2026-11-10T12:01
	[[ "$output" == *"closed: unverified"* ]]
}

@test "feedback on an open complaint is refused and the ledger is unchanged" {
	grv-feedback TS-1 --now 2026-11-04T09:00 --unsatisfied
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --satisfied
	[[ "$output" == *"feedback is taken only on a resolved complaint (it is open)"* ]]
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --unsatisfied
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --unreachable
	assert_unchanged "$before"
}

@test "feedback on a new complaint is refused" {
	add_complaint EN-BILL D1-T1-B1 2026-11-03T13:00
	before=$(ledger_sum)
	run -65 grv-feedback TS-2 --now 2026-11-04T10:00 --satisfied
	[[ "$output" == *"(it is new)"* ]]
	assert_unchanged "$before"
}

@test "feedback on a closed complaint is refused and the ledger is unchanged" {
	grv-feedback TS-1 --now 2026-11-04T09:00 --satisfied
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --satisfied
	[[ "$output" == *"(it is closed)"* ]]
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --unsatisfied
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --unreachable
	assert_unchanged "$before"
}

@test "feedback on a force-closed complaint is refused" {
	grv-resolve TS-1 --now 2026-11-04T09:00 --officer EN-SE-D1 --force \
		--reason "Duplicate of an older complaint"
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --unsatisfied
	assert_unchanged "$before"
}

@test "feedback on an unknown complaint is refused" {
	before=$(ledger_sum)
	run -65 grv-feedback TS-7 --now 2026-11-04T10:00 --satisfied
	[[ "$output" == *"TS-7: no such complaint"* ]]
	assert_unchanged "$before"
}

@test "a bad note is refused" {
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-04T10:00 --satisfied --note $'bad \xfe byte'
	assert_unchanged "$before"
}

@test "no answer, two answers or no id is a usage error" {
	before=$(ledger_sum)
	run -64 grv-feedback TS-1 --now 2026-11-04T10:00
	run -64 grv-feedback TS-1 --now 2026-11-04T10:00 --satisfied --unsatisfied
	run -64 grv-feedback --now 2026-11-04T10:00 --satisfied
	[[ "$output" == *"missing complaint ID"* ]]
	assert_unchanged "$before"
}

@test "the feedback rows carry the --actor who made the call" {
	run -0 grv-feedback TS-1 --now 2026-11-04T09:00 --satisfied --actor callcentre7
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" != *",tester,"* ]]
	[[ "$output" == *",callcentre7,satisfied,"* ]]
}

@test "an unsatisfied answer with no officer to climb to is refused and nothing is recorded" {
	# Level 2 vacant alone climbs on to level 3 (tests/vacant.bats);
	# every level above vacant, nowhere to go.
	sed -i 's/^\(EN-EE-T1\|EN-SE-D1\|EN-CE\),\(.*\),1$/\1,\2,0/' "$GRV_DIR/masters/officers.csv"
	[ "$(grep -c '^\(EN-EE-T1\|EN-SE-D1\|EN-CE\),.*,0$' "$GRV_DIR/masters/officers.csv")" -eq 3 ]
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-04T09:00 --unsatisfied
	[[ "$output" == *"TS-1: no active officer of EN at level 2 or any level above for D1-T1-B1 or above; not escalated"* ]]
	assert_unchanged "$before"
}
