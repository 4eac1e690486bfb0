#!/usr/bin/env bats
# SPEC 7.1 "one set of row rules": the fold and grv-check, run over the same
# mutated ledgers (crc chain recomputed, so only the rules can catch them),
# give the same verdict at the same line (tests/rules-diff).

load test_helper

@test "every single-field mutation of a generated ledger is refused by the fold and by grv-check at the same line" {
	run -0 python3 "$TESTS_DIR/rules-diff" "$GRV_BIN" "$REPO_DIR/data/sample" \
	    "$BATS_TEST_TMPDIR/diff" 260
	[[ "$output" == *"260 mutations, 260 same verdict"* ]]
}
