#!/usr/bin/env bats
# What a program says when it cannot find what it was asked for: no data
# directory, or a code given as a name or cut short.

load test_helper

setup() {
	grv_sandbox report
}

@test "without a data directory every program says so in one line naming GRV_DIR and -d" {
	unset GRV_DIR
	cd "$BATS_TEST_TMPDIR"
	for cmd in "grv-report grading" "grv-list" "grv-escalate --dry-run" "grv-show TS-1"; do
		run --separate-stderr -66 $cmd
		[ "$stderr" = "${cmd%% *}: .: not a data directory (no masters/); set GRV_DIR or give -d DIR" ]
	done
	run --separate-stderr -66 grv-list -d "$BATS_TEST_TMPDIR"
	[ "$stderr" = "grv-list: $BATS_TEST_TMPDIR: not a data directory (no masters/); set GRV_DIR or give -d DIR" ]
}

@test "a name, English or Hindi, or the start of a code gets the code as its suggestion" {
	run -65 grv-report grading --now 2026-12-05 --district Shimla
	[ "$output" = "grv-report: unknown district 'Shimla' (did you mean 'D1'?)" ]
	run -65 grv-report grading --now 2026-12-05 --district शिमला
	[ "$output" = "grv-report: unknown district 'शिमला' (did you mean 'D1'?)" ]
	# PW begins PWD; PR, one letter away, is not a department here, but
	# REV is no nearer than PWD for "PW"
	run -65 grv-report grading --now 2026-12-05 --dept PW
	[ "$output" = "grv-report: unknown department 'PW' (did you mean 'PWD'?)" ]
	run -65 grv-list --now 2026-12-05 --dept revenue
	[ "$output" = "grv-list: unknown department 'revenue' (did you mean 'REV'?)" ]
	before=$(ledger_sum)
	run -65 grv-add --now 2026-12-05 --category EN-BILL --loc Kangra --name 'Ram Lal' \
		--phone 9816012345 --text 'no supply'
	[[ "$output" == *"unknown location 'Kangra' (did you mean 'D2'?)"* ]]
	assert_unchanged "$before"
}
