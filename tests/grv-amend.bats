#!/usr/bin/env bats
# grv-amend (SPEC 7.2, 7.3): a routing field corrected, and the complaint
# re-placed in the same append: a move inside its department, a transfer
# out of it.  Rows compared byte for byte (the crc by Python's zlib).

load test_helper
load fixtures/life-helper

setup() {
	grv_sandbox
	life_supply		# TS-1 open at L1 with EN-JE-B1, due 2026-11-05T10:05
}

# The rows after the first N of events.csv, the crc column cut off.
rows_after() {
	tail -n +"$(( $1 + 2 ))" "$GRV_DIR/ledger/events.csv" | sed 's/,[0-9a-f]\{8\}$//'
}

@test "a location amended to another district's block moves the complaint to that block's officer with a fresh due" {
	run -0 grv-amend TS-1 --now 2026-11-03T09:00 --loc D2-T1-B1 \
		--reason "caller gave the wrong block"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,amend,,,,
TS-1,move,1,EN,EN-JE-D2,2026-11-06T09:00:00+05:30" ]
	run -0 rows_after 1
	[ "$output" = "2026-11-03T09:00:00+05:30,TS-1,amend,,,,,tester,loc,,D2-T1-B1
2026-11-03T09:00:00+05:30,TS-1,move,1,EN,EN-JE-D2,2026-11-06T09:00:00+05:30,tester,caller gave the wrong block,," ]
	run -0 chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-check
	# every reader places it in D2 now, warm and cold alike
	want="TS-1,open,1,EN,EN-JE-D2,D2-T1-B1,D2,2026-11-02T10:00:00+05:30,2026-11-06T09:00:00+05:30,1,EN-SUPPLY,phone"
	run -0 grv-list --now 2026-11-03T10:00 --district D2
	[ "${lines[1]}" = "$want" ]
	run -0 grv-list --now 2026-11-03T10:00 --officer EN-JE-D2
	[ "${lines[1]}" = "$want" ]
	run -0 grv-list --now 2026-11-03T10:00 --district D1
	[ "${#lines[@]}" = 1 ]
	rm -rf "$GRV_DIR/cache"
	run -0 grv-list --now 2026-11-03T10:00 --district D2
	[ "${lines[1]}" = "$want" ]
	run -0 grv-show TS-1 --now 2026-11-03T10:00
	[[ "$output" == *"Place:      Dharamshala Block"*"[D2-T1-B1]"* ]]
	[[ "$output" == *"moved inside Energy"*"officer: EN-JE-D2 Kamla Devi"* ]]
	run -0 grv-report districts --now 2026-11-03T10:00
	[ "${lines[1]}" = "D2,Kangra,3,1,1,0,0,0,0,0,40.00,D,1" ]
	[ "${#lines[@]}" = 2 ]
	# the move is a placement: past the new due, nobody acting, unattended
	run -0 grv-report grading --now 2026-11-07T09:00
	[ "${lines[1]}" = "EN,Energy,3,1,1,0,0,0,0,1,30.00,D" ]
}

@test "a category of another department amends and transfers; the fourth transfer is refused, a move is not" {
	run -0 grv-amend TS-1 --now 2026-11-03T10:00 --category REV-MUT \
		--reason "a mutation case, not supply"
	[ "$output" = "id,event,level,dept,officer,due
TS-1,amend,,,,
TS-1,transfer,1,REV,REV-TEH-D1T1,2026-11-18T10:00:00+05:30" ]
	run -0 rows_after 1
	[ "$output" = "2026-11-03T10:00:00+05:30,TS-1,amend,,,,,tester,category,,REV-MUT
2026-11-03T10:00:00+05:30,TS-1,transfer,1,REV,REV-TEH-D1T1,2026-11-18T10:00:00+05:30,tester,\"a mutation case, not supply\",," ]
	run -0 grv-list --now 2026-11-03T11:00 --dept REV
	[ "${lines[1]}" = "TS-1,open,1,REV,REV-TEH-D1T1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-18T10:00:00+05:30,1,REV-MUT,phone" ]
	run -0 grv-show TS-1 --now 2026-11-03T11:00
	[[ "${lines[0]}" == "TS-1  Delay in mutation"* ]]
	# a category of the same department: a move, the due by its limit (30 days)
	run -0 grv-amend TS-1 --now 2026-11-03T11:00 --category REV-DEMARC \
		--reason "demarcation, not mutation"
	[ "${lines[2]}" = "TS-1,move,1,REV,REV-TEH-D1T1,2026-12-03T11:00:00+05:30" ]
	grv-amend TS-1 --now 2026-11-03T12:00 --category EN-BILL --reason "a bill after all" >/dev/null
	grv-amend TS-1 --now 2026-11-03T13:00 --category REV-MUT --reason "a mutation after all" >/dev/null
	before=$(ledger_sum)
	run -65 grv-amend TS-1 --now 2026-11-03T14:00 --category EN-SUPPLY --reason "supply after all"
	[ "$output" = "grv-amend: TS-1: transferred 3 times already (the limit); it is open with REV" ]
	assert_unchanged "$before"
	run -0 grv-amend TS-1 --now 2026-11-03T14:00 --loc D2-T1-B1 --reason "wrong district given"
	[ "${lines[2]}" = "TS-1,move,1,REV,REV-TEH-D2T1,2026-11-18T14:00:00+05:30" ]
	run -0 grv-check
	run -0 chain_ok "$GRV_DIR/ledger/events.csv"
}

@test "a new complaint is amended only, and grv-route places it by the corrected place" {
	add_complaint REV-MUT D1-T1 >/dev/null
	run -0 grv-amend TS-2 --now 2026-11-02T10:10 --loc D2-T1 --reason "wrong tehsil given"
	[ "$output" = "id,event,level,dept,officer,due
TS-2,amend,,,," ]
	run -0 bash -c "echo TS-2 | grv-route - --now 2026-11-02T10:15"
	[ "${lines[1]}" = "TS-2,route,1,REV,REV-TEH-D2T1,2026-11-17T10:15:00+05:30" ]
}

@test "amends that cannot be written are refused with the ledger untouched" {
	before=$(ledger_sum)
	run -65 grv-amend TS-1 --loc D1-T1-B1 --reason "same place again"
	[ "$output" = "grv-amend: TS-1: its location is 'D1-T1-B1' already" ]
	run -65 grv-amend TS-1 --loc D2-T1-B9 --reason "a typo in the code"
	[ "$output" = "grv-amend: --loc: unknown location 'D2-T1-B9' (did you mean 'D2-T1-B1'?)" ]
	run -65 grv-amend TS-1 --loc ST --reason "the whole state"
	[ "$output" = "grv-amend: --loc: 'ST' is the state; a complaint needs a district, tehsil or block" ]
	run -65 grv-amend TS-1 --category EN-BILL --reason "bill"
	[[ "$output" == "grv-amend: --reason: "* ]]
	run -65 grv-amend TS-9 --category EN-BILL --reason "no such complaint"
	# the block's own post is vacant (EN-JE-B2 inactive) but the tehsil's is not
	run -0 grv-amend TS-1 --now 2026-11-02T11:00 --loc D1-T1-B2 --reason "the next block"
	[ "${lines[2]}" = "TS-1,move,1,EN,EN-JE-T1,2026-11-05T11:00:00+05:30" ]
	life_resolve TS-1 EN-JE-T1 2026-11-02T12:00 >/dev/null
	before=$(ledger_sum)
	run -65 grv-amend TS-1 --now 2026-11-02T13:00 --loc D1-T1-B1 --reason "back to Theog"
	[ "$output" = "grv-amend: TS-1: only a new or open complaint can be amended (it is resolved)" ]
	run -64 grv-amend TS-1 --loc D1-T1-B1 --category EN-BILL --reason "both fields"
	run -64 grv-amend TS-1 --reason "neither field"
	run -64 grv-amend TS-1 --loc D1-T1-B1
	run -64 grv-amend --loc D1-T1-B1 --reason "no id given"
	assert_unchanged "$before"
}

@test "grv-check holds a move to the rules: a reason, an open complaint" {
	echo "2026-11-03T09:00:00+05:30,TS-1,move,1,EN,EN-JE-D2,2026-11-06T09:00:00+05:30,tester,,," | append_rows
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:3: move without a reason" ]
	sed -i '$d' "$GRV_DIR/ledger/events.csv"
	life_resolve TS-1 EN-JE-B1 2026-11-03T09:00 >/dev/null
	echo "2026-11-03T10:00:00+05:30,TS-1,move,1,EN,EN-JE-D2,2026-11-06T10:00:00+05:30,tester,wrong block,," | append_rows
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:4: move of 'TS-1' while resolved: only an open complaint can be moved" ]
}

@test "with actors.csv an operator amends, an officer amends only what it holds, and the cmo may not" {
	ME=$(id -un)
	add_complaint EN-SUPPLY D2 >/dev/null
	grv-route --now 2026-11-02T10:06 >/dev/null	# TS-2 with EN-JE-D2
	printf 'login,role,officer\n%s,officer,EN-JE-B1\n' "$ME" > "$GRV_DIR/masters/actors.csv"
	before=$(ledger_sum)
	run -64 grv-amend TS-2 --loc D2-T1-B1 --reason "the block is known now"
	[ "$output" = "grv-amend: TS-2: '$ME' (officer 'EN-JE-B1') amends only a complaint it holds; officer 'EN-JE-D2' holds it" ]
	printf 'login,role,officer\n%s,cmo,\n' "$ME" > "$GRV_DIR/masters/actors.csv"
	run -64 grv-amend TS-1 --loc D1-T1-B2 --reason "the next block"
	[[ "$output" == *"a correction (grv-amend) is for the operator, officer and admin roles" ]]
	assert_unchanged "$before"
	printf 'login,role,officer\n%s,officer,EN-JE-B1\n' "$ME" > "$GRV_DIR/masters/actors.csv"
	run -0 grv-amend TS-1 --loc D1-T1-B2 --reason "the next block"
	printf 'login,role,officer\n%s,operator,\n' "$ME" > "$GRV_DIR/masters/actors.csv"
	run -0 grv-amend TS-2 --loc D2-T1-B1 --reason "the block is known now"
	[ "$(cut -d, -f8 "$GRV_DIR/ledger/events.csv" | tail -1)" = "$ME" ]
}

# ---- corrections of personal data (ledger/corrections.csv) ----

@test "a phone corrected is normalised as grv-add stores it, kept in corrections.csv, shown by grv-show and grv-list --pii" {
	before=$(sha256sum < "$GRV_DIR/ledger/complaints.csv")
	ev=$(sha256sum < "$GRV_DIR/ledger/events.csv")
	run -0 grv-amend TS-1 --now 2026-11-03T09:00 --actor op2 --phone 0141-2222222 \
		--reason "misheard the number"
	[ "$output" = "id,field,value
TS-1,phone,01412222222" ]
	run -0 grv-amend TS-1 --now 2026-11-03T09:30 --name "Ram Lal Sharma" \
		--reason "full name given"
	# complaints.csv is never rewritten, events.csv holds no personal data
	[ "$(sha256sum < "$GRV_DIR/ledger/complaints.csv")" = "$before" ]
	[ "$(sha256sum < "$GRV_DIR/ledger/events.csv")" = "$ev" ]
	run -0 sed 's/,[0-9a-f]\{8\}$//' "$GRV_DIR/ledger/corrections.csv"
	[ "$output" = "ts,id,field,value,actor,reason,crc
2026-11-03T09:00:00+05:30,TS-1,phone,01412222222,op2,misheard the number
2026-11-03T09:30:00+05:30,TS-1,name,Ram Lal Sharma,tester,full name given" ]
	chain_ok "$GRV_DIR/ledger/corrections.csv"
	[ "$(( 0$(stat -c %a "$GRV_DIR/ledger/corrections.csv") & 7 ))" -eq 0 ]
	run -0 grv-check
	run -0 grv-show TS-1 --now 2026-11-04T10:00
	[[ "$output" == *"Citizen:    Ram Lal Sharma, 01412222222"* ]]
	[[ "$output" == *"Corrected:  name, 2026-11-03 09:30 by tester: full name given"* ]]
	[[ "$output" == *"Corrected:  phone, 2026-11-03 09:00 by op2: misheard the number"* ]]
	# the same read whole, when no high-water mark vouches for the file
	shown=$output
	mv "$GRV_DIR/ledger/.corrections.hwm" "$BATS_TEST_TMPDIR/hwm"
	run -0 grv-show TS-1 --now 2026-11-04T10:00
	[ "$output" = "$shown" ]
	mv "$BATS_TEST_TMPDIR/hwm" "$GRV_DIR/ledger/.corrections.hwm"
	# as of a time before the name was corrected: the phone only
	run -0 grv-show TS-1 --now 2026-11-03T09:10
	[[ "$output" != *"Ram Lal Sharma"* ]]
	[[ "$output" == *", 01412222222"* ]]
	run -0 grv-list --pii --now 2026-11-04T10:00
	[[ "${lines[1]}" == *",Ram Lal Sharma,01412222222,"* ]]
	# a second correction wins over the first
	run -0 grv-amend TS-1 --now 2026-11-04T09:00 --phone "+91 98160 12345" --reason "number changed again"
	run -0 grv-list --pii --now 2026-11-04T10:00
	[[ "${lines[1]}" == *",Ram Lal Sharma,9816012345,"* ]]
}

@test "a bad phone or name, an unknown complaint, a missing reason: refused, nothing written" {
	run -0 grv-amend TS-1 --now 2026-11-03T09:00 --name "Ram Lal" --reason "spelling fixed"
	before=$(ledger_sum)
	run -65 grv-amend TS-1 --now 2026-11-03T09:30 --phone 12345 --reason "misheard the number"
	[[ "$output" == "grv-amend: --phone: bad phone '12345' ("* ]]
	run -65 grv-amend TS-1 --now 2026-11-03T09:30 --phone 07612420000 --reason "misheard the number"
	[[ "$output" == "grv-amend: --phone: bad phone '07612420000' ("* ]]
	run -65 grv-amend TS-1 --now 2026-11-03T09:30 --name "   " --reason "misheard the name"
	[ "$output" = "grv-amend: --name: bad name '   ' (empty)" ]
	run -65 grv-amend TS-9 --now 2026-11-03T09:30 --name "Sita" --reason "misheard the name"
	[ "$output" = "grv-amend: TS-9: no such complaint" ]
	run -65 grv-amend TS-1 --now 2026-11-03T09:30 --name "Sita" --reason "x"
	run -64 grv-amend TS-1 --now 2026-11-03T09:30 --name "Sita"
	run -64 grv-amend TS-1 --now 2026-11-03T09:30 --name "Sita" --phone 9816012345 --reason "two fields"
	# timestamps never go back
	run -65 grv-amend TS-1 --now 2026-11-03T08:00 --name "Sita" --reason "misheard the name"
	assert_unchanged "$before"
}

@test "grv-check names a corrections row that is changed, names no complaint or holds a bad value, and readers refuse it" {
	run -0 grv-amend TS-1 --now 2026-11-03T09:00 --phone 9816012345 --reason "misheard the number"
	good=$(cat "$GRV_DIR/ledger/corrections.csv")
	sed -i 's/,9816012345,/,9816012346,/' "$GRV_DIR/ledger/corrections.csv"
	run -65 grv-check
	[[ "$output" == *"ledger/corrections.csv:2: crc does not match the chain"* ]]
	run -65 grv-show TS-1 --now 2026-11-04T10:00
	[[ "$output" == *"ledger/corrections.csv"* ]]
	run -65 grv-list --pii --now 2026-11-04T10:00
	# a row naming no registered complaint, chained right (written by hand)
	printf '%s\n' "$good" > "$GRV_DIR/ledger/corrections.csv"
	prev=$(tail -n 1 "$GRV_DIR/ledger/corrections.csv" | awk -F, '{ print $NF }')
	body="2026-11-03T10:00:00+05:30,TS-7,phone,9816012345,op2,a row by hand"
	crc=$(/usr/bin/python3 -c 'import sys, zlib; print("%08x" % zlib.crc32((sys.argv[1] + sys.argv[2]).encode()))' "$prev" "$body")
	echo "$body,$crc" >> "$GRV_DIR/ledger/corrections.csv"
	run -65 grv-check
	[[ "$output" == *"ledger/corrections.csv:3: id 'TS-7' names no registered complaint"* ]]
}

@test "a name corrected where neither events.csv nor corrections.csv exists yet: written at once, not locked out by its own lock" {
	# A complaint registered only: the directory holds complaints.csv alone.
	rm -rf "$GRV_DIR/ledger" "$GRV_DIR/cache"
	mkdir "$GRV_DIR/ledger"
	run -0 grv-add --now 2026-11-01T10:00 --phone 9816012345 --name "Ram Lal" \
		--category EN-SUPPLY --loc D1-T1-B1 --text "no supply"
	[ ! -e "$GRV_DIR/ledger/events.csv" ]
	[ ! -e "$GRV_DIR/ledger/corrections.csv" ]
	# Each missing ledger is created under the data directory's lock: the
	# second must not wait for the first (--wait 2: a wait would give 75).
	run -0 grv-amend --wait 2 "${lines[1]%%,*}" --now 2026-11-01T11:00 \
		--name "Ram Lal Sharma" --reason "spelling fixed"
	[[ "$output" == *",name,Ram Lal Sharma" ]]
	grep -q ',name,Ram Lal Sharma,tester,spelling fixed,' "$GRV_DIR/ledger/corrections.csv"
	run -0 grv-check
}
