#!/usr/bin/env bats
# Issue 13's tamper test: at least 300 single-byte edits spread over every
# column of both ledgers and a sealed segment, and every kind of shrinking,
# rollback and segment removal, each refused (65, nothing written) by
# grv-check, grv-list, grv-report grading, grv-escalate and grv-add, with
# cache/ warm and cold (tests/tamper).

load test_helper

@test "every single-byte edit, cut, rollback and removed segment is refused by every program, warm and cold" {
	run python3 "$TESTS_DIR/tamper" "$GRV_BIN" "$REPO_DIR/data/sample" \
	    "$BATS_TEST_TMPDIR/tamper" 300
	echo "$output" | head -40
	[ "$status" -eq 0 ]
	[[ "$output" =~ ([0-9]+)\ edits,\ ([0-9]+)\ detected\ by\ every\ program ]]
	# under the sanitizers (TAMPER_EVERY, set by the Makefile) every Kth
	[ "${BASH_REMATCH[1]}" -ge $((300 / ${TAMPER_EVERY:-1})) ]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	[[ "$output" =~ ([0-9]+)\ deletions,\ truncations,\ rollbacks\ and\ segment\ removals,\ ([0-9]+)\ detected ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
}
