#!/usr/bin/env bats
# grv-resolve: SPEC section 4 (open --resolve--> resolved, special closure),
# the officer-authority rule and the refusals of issue 4.

load test_helper
load fixtures/life-helper

setup() {
	grv_sandbox
	life_supply
}

@test "the holding officer resolves an open complaint and it awaits the citizen" {
	run -0 life_resolve TS-1 EN-JE-B1 2026-11-03T12:00
	[ "${lines[0]}" = "id,event,level,dept,officer,due" ]
	[ "${lines[1]}" = "TS-1,resolve,1,EN,EN-JE-B1," ]
	[ "${#lines[@]}" -eq 2 ]
	run -0 grv-list --now 2026-11-03T12:00
	[ "${lines[1]}" = "TS-1,resolved,1,EN,EN-JE-B1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-05T10:05:00+05:30,1,EN-SUPPLY,phone" ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-03T12:00:00+05:30,TS-1,resolve,1,EN,EN-JE-B1,,tester,Fuse replaced and supply restored under rule 12 of the supply code,No. EN/JE/2026/1432 dated 2026-11-03,,"* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "an officer above the holder in the same department over the same place may resolve" {
	run -0 life_resolve TS-1 EN-SE-D1 2026-11-03T12:00
	[ "${lines[1]}" = "TS-1,resolve,1,EN,EN-SE-D1," ]
	run -0 grv-list --now 2026-11-03T12:00 --status resolved
	[ "${#lines[@]}" -eq 2 ]
}

@test "the chief engineer over the whole state may resolve a block complaint" {
	run -0 life_resolve TS-1 EN-CE 2026-11-03T12:00
	[ "${lines[1]}" = "TS-1,resolve,1,EN,EN-CE," ]
}

@test "a junior engineer of another block is refused and the ledger is unchanged" {
	before=$(ledger_sum)
	run -65 life_resolve TS-1 EN-JE-T1 2026-11-03T12:00
	[[ "$output" == *"EN-JE-T1"*"EN-JE-B1"* ]]
	assert_unchanged "$before"
}

@test "a higher officer of another district is refused" {
	before=$(ledger_sum)
	run -65 life_resolve TS-1 EN-SE-D2 2026-11-03T12:00
	[[ "$output" == *"neither holds it"* ]]
	assert_unchanged "$before"
}

@test "an officer of another department is refused even above the holder's level" {
	before=$(ledger_sum)
	run -65 life_resolve TS-1 REV-DC-D1 2026-11-03T12:00
	assert_unchanged "$before"
}

@test "an inactive officer is refused" {
	before=$(ledger_sum)
	run -65 life_resolve TS-1 EN-JE-B2 2026-11-03T12:00
	[[ "$output" == *"not active"* ]]
	assert_unchanged "$before"
}

@test "an unknown officer is refused with a suggestion" {
	before=$(ledger_sum)
	run -65 life_resolve TS-1 EN-JE-B9 2026-11-03T12:00
	[[ "$output" == *"unknown officer 'EN-JE-B9' (did you mean 'EN-JE-B"* ]]
	assert_unchanged "$before"
}

@test "an empty or one-word reason is refused" {
	before=$(ledger_sum)
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason ""
	[[ "$output" == *"--reason: empty"* ]]
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason "   "
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason "done"
	[[ "$output" == *"says too little"* ]]
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason $'  done \n '
	assert_unchanged "$before"
}

@test "a reason that is not UTF-8 or longer than 4000 bytes is refused" {
	before=$(ledger_sum)
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason $'fuse \xff replaced'
	[[ "$output" == *"UTF-8"* ]]
	long=$(printf 'word %.0s' $(seq 801))
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason "$long"
	[[ "$output" == *"at most 4000"* ]]
	assert_unchanged "$before"
}

@test "a reason with line breaks and Devanagari is stored on one line" {
	run -0 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 \
		--reason $'फ्यूज़ बदला गया\nsupply restored, "rule 12"' --ref 'No. 7'
	[ "$(rows events)" -eq 2 ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == *',"फ्यूज़ बदला गया\nsupply restored, ""rule 12""",No. 7,,'* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "the letter reference may be left out" {
	run -0 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 \
		--reason "Supply restored after line repair"
	[ "${lines[1]}" = "TS-1,resolve,1,EN,EN-JE-B1," ]
}

@test "a resolved complaint cannot be resolved again" {
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00
	before=$(ledger_sum)
	run -65 life_resolve TS-1 EN-JE-B1 2026-11-03T13:00
	[[ "$output" == *"only an open complaint can be resolved (it is resolved)"* ]]
	assert_unchanged "$before"
}

@test "a new complaint, not yet routed, cannot be resolved" {
	add_complaint EN-BILL D1-T1-B1 2026-11-02T11:00
	before=$(ledger_sum)
	run -65 life_resolve TS-2 EN-JE-B1 2026-11-03T12:00
	[[ "$output" == *"(it is new)"* ]]
	assert_unchanged "$before"
}

@test "an unknown complaint id is refused" {
	before=$(ledger_sum)
	run -65 life_resolve TS-9 EN-JE-B1 2026-11-03T12:00
	[[ "$output" == *"TS-9: no such complaint"* ]]
	run -65 life_resolve XX-1 EN-JE-B1 2026-11-03T12:00
	[[ "$output" == *"not a complaint id"* ]]
	assert_unchanged "$before"
}

@test "an interim reply writes a note, keeps the complaint open and its due" {
	run -0 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --interim \
		--reason "Transformer ordered from the store, will be fitted in two days"
	[ "${lines[1]}" = "TS-1,note,1,EN,EN-JE-B1," ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == '2026-11-03T12:00:00+05:30,TS-1,note,1,EN,EN-JE-B1,,tester,,,"Transformer ordered from the store, will be fitted in two days",'* ]]
	run -0 grv-list --now 2026-11-03T12:00
	[ "${lines[1]}" = "TS-1,open,1,EN,EN-JE-B1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-05T10:05:00+05:30,1,EN-SUPPLY,phone" ]
	# The clock keeps running: overdue at the same due as before.
	run -0 grv-list --now 2026-11-05T10:06 --overdue
	[ "${#lines[@]}" -eq 2 ]
}

@test "an interim reply by an officer who may not act is refused" {
	before=$(ledger_sum)
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-D2 --interim \
		--reason "Looking into it soon"
	assert_unchanged "$before"
}

@test "an interim reply on a resolved complaint is refused" {
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00
	before=$(ledger_sum)
	run -65 grv-resolve TS-1 --now 2026-11-03T13:00 --officer EN-JE-B1 --interim \
		--reason "Still waiting for parts"
	assert_unchanged "$before"
}

@test "a superintending engineer closes an open complaint specially as forced" {
	run -0 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-SE-D1 --force \
		--reason "Duplicate of complaint TS-77 already redressed"
	[ "${lines[1]}" = "TS-1,close,1,EN,EN-SE-D1," ]
	run -0 tail -n 1 "$GRV_DIR/ledger/events.csv"
	[[ "$output" == "2026-11-03T12:00:00+05:30,TS-1,close,1,EN,EN-SE-D1,,tester,forced,,Duplicate of complaint TS-77 already redressed,"* ]]
	run -0 grv-list --now 2026-11-03T12:00 --status closed
	[ "${lines[1]}" = "TS-1,closed,1,EN,EN-JE-B1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-05T10:05:00+05:30,1,EN-SUPPLY,phone" ]
}

@test "a resolved complaint can be closed specially by the chief engineer" {
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00
	run -0 grv-resolve TS-1 --now 2026-11-04T12:00 --officer EN-CE --force \
		--reason "Citizen moved away, connection surrendered"
	[ "${lines[1]}" = "TS-1,close,1,EN,EN-CE," ]
}

@test "a force close by an L1 officer is refused, even the holder's" {
	before=$(ledger_sum)
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --force \
		--reason "Not our problem at all"
	[[ "$output" == *"level 1: a special closure needs level 3 or above"* ]]
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-EE-T1 --force \
		--reason "Not our problem at all"
	assert_unchanged "$before"
}

@test "a force close by a level-3 officer of another district or department is refused" {
	before=$(ledger_sum)
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-SE-D2 --force \
		--reason "Closing this one now"
	[[ "$output" == *"outside the jurisdiction"* ]]
	run -65 grv-resolve TS-1 --now 2026-11-03T12:00 --officer REV-DC-D1 --force \
		--reason "Closing this one now"
	[[ "$output" == *"not of EN"* ]]
	assert_unchanged "$before"
}

@test "a closed complaint cannot be resolved, noted or closed again" {
	grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-SE-D1 --force \
		--reason "Duplicate of an older complaint"
	before=$(ledger_sum)
	run -65 life_resolve TS-1 EN-JE-B1 2026-11-03T13:00
	run -65 grv-resolve TS-1 --now 2026-11-03T13:00 --officer EN-JE-B1 --interim \
		--reason "Still on it"
	run -65 grv-resolve TS-1 --now 2026-11-03T13:00 --officer EN-CE --force \
		--reason "Closing it twice"
	[[ "$output" == *"(it is closed)"* ]]
	assert_unchanged "$before"
}

@test "usage errors exit 64 and change nothing" {
	before=$(ledger_sum)
	run -64 grv-resolve --now 2026-11-03T12:00 --officer EN-JE-B1 --reason "a b"
	run -64 grv-resolve TS-1 --now 2026-11-03T12:00 --reason "a b"
	run -64 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1
	run -64 grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason "a b" --interim --force
	run -64 grv-resolve TS-1 TS-2 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason "a b"
	run -64 grv-resolve TS-1 --bogus
	[[ "$output" == *"Try 'grv-resolve --help'."* ]]
	assert_unchanged "$before"
}

@test "a --now earlier than the ledger's last row is refused" {
	before=$(ledger_sum)
	run -65 life_resolve TS-1 EN-JE-B1 2026-11-02T10:04
	[[ "$output" == *"timestamps never go back"* ]]
	assert_unchanged "$before"
}

@test "a full disk fails the write loudly and leaves the ledger whole" {
	run -74 bash -c 'life() { grv-resolve TS-1 --now 2026-11-03T12:00 --officer EN-JE-B1 --reason "Fuse replaced today"; }; life > /dev/full'
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "two officers resolving at once: one wins, the other is refused, the chain holds" {
	for o in EN-JE-B1 EN-EE-T1 EN-SE-D1; do
		( rc=0; life_resolve TS-1 "$o" 2026-11-03T12:00 >/dev/null 2>&1 || rc=$?
		  echo $rc > "$BATS_TEST_TMPDIR/rc.$o" ) &
	done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR"/rc.* | sort | tr '\n' ' ')" = "0 65 65 " ]
	[ "$(rows events)" -eq 2 ]
	chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "a refusal before any event exists creates no events ledger" {
	rm -rf "$GRV_DIR/ledger"
	run -0 add_complaint EN-SUPPLY D1-T1-B1 2026-11-02T10:00
	[ ! -e "$GRV_DIR/ledger/events.csv" ]
	before=$(ledger_sum)
	run -65 grv-resolve TS-1 --officer EN-JE-B1 --now 2026-11-03T12:00 \
		--reason "Supply restored after repair" --ref "No. 1"
	[[ "$output" == *"TS-1"* ]]
	assert_unchanged "$before"
	[ ! -e "$GRV_DIR/ledger/events.csv" ]
	run -65 grv-feedback TS-1 --satisfied --now 2026-11-03T12:00
	assert_unchanged "$before"
	[ "$(ls -A "$GRV_DIR/ledger" | tr '\n' ' ')" = ".complaints.hwm complaints.csv " ]
}
