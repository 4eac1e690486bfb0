#!/usr/bin/env bats
# Masters that change over time (issue 16): an officer deleted from
# masters/officers.csv though old ledger rows name it is shown by its code,
# with one warning a program, never a fatal error; grv-check names it and
# exits 0; no writer writes it.  The right way, active = 0, is in
# grv-ledger(5).

load test_helper

setup() {
	grv_sandbox
}

N=2026-11-20
WARN="ledger/events.csv:2: officer 'EN-JE-B1' is no longer in masters/officers.csv (retire with active = 0)"

# Two complaints with EN-JE-B1, one resolved by it; then its row deleted.
retire_by_deleting() {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	grv-route --now 2026-11-02T10:00 >/dev/null
	grv-resolve --now 2026-11-03T10:00 TS-2 --officer EN-JE-B1 \
		--reason "replaced the fuse" --ref L1 >/dev/null
	grv-list --now "$N" >/dev/null	# a cache/ of the masters before
	sed -i '/^EN-JE-B1,/d' "$GRV_DIR/masters/officers.csv"
}

@test "an officer deleted from the masters: reports, lists and the sweep still work, by its code, with one warning each" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	grv-route --now 2026-11-02T10:00 >/dev/null
	grv-resolve --now 2026-11-03T10:00 TS-2 --officer EN-JE-B1 \
		--reason "replaced the fuse" --ref L1 >/dev/null
	grading=$(grv-report grading --now $N)
	list=$(grv-list --now $N)
	sweep=$(grv-escalate --now $N --dry-run)
	sed -i '/^EN-JE-B1,/d' "$GRV_DIR/masters/officers.csv"
	# The same figures as while it was listed.
	run --separate-stderr -0 grv-report grading --now $N
	[ "$output" = "$grading" ]
	[ "$stderr" = "grv-report: $WARN" ]
	run --separate-stderr -0 grv-list --now $N
	[ "$output" = "$list" ]
	[ "$stderr" = "grv-list: $WARN" ]
	run --separate-stderr -0 grv-escalate --now $N --dry-run
	[ "$output" = "$sweep" ]
	[ "$stderr" = "grv-escalate: $WARN" ]
	# Under its code, with what the ledger says of it.
	run --separate-stderr -0 grv-report officers --now $N
	[ "${lines[1]}" = "EN-JE-B1,,EN,D1-T1-B1,3,1,2,1,50.00,2,0,0,0,0,1,0,1,1,35.00,D" ]
	[ "$stderr" = "grv-report: $WARN" ]
	# The sweep itself, not only its dry run: TS-1 climbs from it.
	run --separate-stderr -0 grv-escalate --now $N
	[ "${lines[1]}" = "TS-1,escalate,1,2,EN,EN-EE-T1,2026-11-23T00:00:00+05:30,overdue" ]
}

@test "grv-show names an officer deleted from the masters by its code" {
	retire_by_deleting
	run --separate-stderr -0 grv-show TS-2 --now $N
	[[ "$output" == *"officer: EN-JE-B1 (no longer in masters/officers.csv)"* ]]
	[[ "$output" == *"resolved by EN-JE-B1 (no longer in masters/officers.csv)"* ]]
	[ "$stderr" = "grv-show: $WARN" ]
}

@test "grv-check names an officer deleted from the masters once, as a warning, and exits 0" {
	retire_by_deleting
	run -0 grv-check
	[ "${lines[0]}" = "ledger/events.csv:2: warning: officer 'EN-JE-B1' is no longer in masters/officers.csv (retire with active = 0)" ]
	[ "${lines[1]}" = "checked 2 ledger files, 5 rows: 0 findings, 0 repaired" ]
	[ "${lines[2]}" = "1 warning, not damage" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "no writer writes an officer the masters no longer list" {
	retire_by_deleting
	before=$(ledger_sum)
	run -65 grv-resolve --now $N TS-1 --officer EN-JE-B1 \
		--reason "replaced the fuse" --ref L2
	[[ "$output" == *"unknown officer 'EN-JE-B1'"* ]]
	assert_unchanged "$before"
}

@test "an officer deleted from the masters: with cache/ and without, the same output" {
	retire_by_deleting
	for cmd in "grv-report officers" "grv-list" "grv-show TS-2" \
		"grv-escalate --dry-run" "grv-report sla"; do
		# cache/ as the last program left it (saved before the
		# deletion, the first time), then none.
		run --separate-stderr $cmd --now $N
		warm="$status|$output|$stderr"
		rm -rf "$GRV_DIR/cache"
		run --separate-stderr $cmd --now $N
		[ "$status|$output|$stderr" = "$warm" ]
	done
}
